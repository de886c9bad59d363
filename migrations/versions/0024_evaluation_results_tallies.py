"""evaluation results tallies: each evaluation knows its department (set when sent), with an
index on (department, answered at) for the newest comments and one on (department, expires
at) of the open ones for a hospital's evaluations to answer; per department, direction and
question the answers, the scored answers and their sum; per hospital and direction the
distinct doctors among the answered evaluations; per cohort and direction the 1–5 scores
given and their sum (the dashboard's averages by year)

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-06 15:40:00

The results pages and the dashboard aggregated every answer of every year on each view. The
answering operation now keeps these tallies in its own transaction (as it keeps
evaluation_tallies, migration 0020); the upgrade fills them from what is stored.
"""
from alembic import op
import sqlalchemy as sa


revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None

OPEN = "answered_at IS NULL"


def _direction():
    return sa.Enum(
        'of_doctor', 'of_department', name='evaluation_direction',
        native_enum=False, create_constraint=True, length=13,
    )


def upgrade():
    with op.batch_alter_table('evaluations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('department_id', sa.Integer(), nullable=True))
    op.execute(
        "UPDATE evaluations SET department_id = (SELECT placements.department_id "
        "FROM placements WHERE placements.id = evaluations.placement_id)"
    )
    with op.batch_alter_table('evaluations', schema=None) as batch_op:
        batch_op.alter_column('department_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_evaluations_department_id_departments'),
            'departments', ['department_id'], ['id'],
        )
        batch_op.create_index(
            'ix_evaluations_department_answered', ['department_id', 'answered_at'], unique=False
        )
        batch_op.create_index(
            'ix_evaluations_department_open', ['department_id', 'expires_at'], unique=False,
            sqlite_where=sa.text(OPEN), postgresql_where=sa.text(OPEN),
        )

    op.create_table(
        'evaluation_question_tallies',
        sa.Column('department_id', sa.Integer(), nullable=False),
        sa.Column('direction', _direction(), nullable=False),
        sa.Column('question_id', sa.Integer(), nullable=False),
        sa.Column('answers', sa.Integer(), nullable=False),
        sa.Column('scored', sa.Integer(), nullable=False),
        sa.Column('score_sum', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ['department_id'], ['departments.id'],
            name=op.f('fk_evaluation_question_tallies_department_id_departments'),
            ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['question_id'], ['evaluation_questions.id'],
            name=op.f('fk_evaluation_question_tallies_question_id_evaluation_questions'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint(
            'department_id', 'direction', 'question_id', name=op.f('pk_evaluation_question_tallies')
        ),
    )
    op.create_table(
        'evaluation_hospital_tallies',
        sa.Column('hospital_id', sa.Integer(), nullable=False),
        sa.Column('direction', _direction(), nullable=False),
        sa.Column('respondents', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ['hospital_id'], ['hospitals.id'],
            name=op.f('fk_evaluation_hospital_tallies_hospital_id_hospitals'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('hospital_id', 'direction', name=op.f('pk_evaluation_hospital_tallies')),
    )
    op.create_table(
        'evaluation_cohort_tallies',
        sa.Column('cohort_id', sa.Integer(), nullable=False),
        sa.Column('direction', _direction(), nullable=False),
        sa.Column('scored', sa.Integer(), nullable=False),
        sa.Column('score_sum', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ['cohort_id'], ['cohorts.id'],
            name=op.f('fk_evaluation_cohort_tallies_cohort_id_cohorts'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('cohort_id', 'direction', name=op.f('pk_evaluation_cohort_tallies')),
    )
    # The same counts as somet/evaluations/tallies.py makes afresh (written out here: a
    # migration must not change when the app's code does): a row for every key evaluations
    # were sent for, zeros where nothing was answered yet.
    op.execute(
        "INSERT INTO evaluation_question_tallies "
        "(department_id, direction, question_id, answers, scored, score_sum) "
        "SELECT evaluations.department_id, evaluations.direction, evaluation_questions.id, "
        "count(evaluation_answers.id), count(evaluation_answers.score), "
        "coalesce(sum(evaluation_answers.score), 0) FROM evaluations "
        "JOIN evaluation_questions ON evaluation_questions.form_id = evaluations.form_id "
        "LEFT OUTER JOIN evaluation_answers ON evaluation_answers.evaluation_id = evaluations.id "
        "AND evaluation_answers.question_id = evaluation_questions.id "
        "GROUP BY evaluations.department_id, evaluations.direction, evaluation_questions.id"
    )
    op.execute(
        "INSERT INTO evaluation_hospital_tallies (hospital_id, direction, respondents) "
        "SELECT departments.hospital_id, evaluations.direction, "
        "count(DISTINCT CASE WHEN evaluations.answered_at IS NOT NULL "
        "THEN enrollments.doctor_id END) FROM evaluations "
        "JOIN departments ON departments.id = evaluations.department_id "
        "JOIN placements ON placements.id = evaluations.placement_id "
        "JOIN enrollments ON enrollments.id = placements.enrollment_id "
        "GROUP BY departments.hospital_id, evaluations.direction"
    )
    scale = (
        "CASE WHEN evaluation_questions.kind = 'scale' THEN evaluation_answers.score END"
    )
    op.execute(
        "INSERT INTO evaluation_cohort_tallies (cohort_id, direction, scored, score_sum) "
        f"SELECT enrollments.cohort_id, evaluations.direction, count({scale}), "
        f"coalesce(sum({scale}), 0) FROM evaluations "
        "JOIN placements ON placements.id = evaluations.placement_id "
        "JOIN enrollments ON enrollments.id = placements.enrollment_id "
        "LEFT OUTER JOIN evaluation_answers ON evaluation_answers.evaluation_id = evaluations.id "
        "LEFT OUTER JOIN evaluation_questions "
        "ON evaluation_questions.id = evaluation_answers.question_id "
        "GROUP BY enrollments.cohort_id, evaluations.direction"
    )


def downgrade():
    op.drop_table('evaluation_cohort_tallies')
    op.drop_table('evaluation_hospital_tallies')
    op.drop_table('evaluation_question_tallies')
    with op.batch_alter_table('evaluations', schema=None) as batch_op:
        batch_op.drop_index('ix_evaluations_department_open')
        batch_op.drop_index('ix_evaluations_department_answered')
        batch_op.drop_constraint(
            batch_op.f('fk_evaluations_department_id_departments'), type_='foreignkey'
        )
        batch_op.drop_column('department_id')
