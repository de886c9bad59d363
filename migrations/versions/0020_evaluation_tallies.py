"""evaluation tallies: per department and direction, evaluations sent, answered, respondents

Revision ID: 0020
Revises: 0017
Create Date: 2026-12-05 21:30:00

The results pages read every evaluation of every year to total them per hospital; the
sending and answering operations now keep these tallies in their own transaction. The
upgrade fills them from the evaluations already stored, in one statement.
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0020"
down_revision = "0019"  # re-chained on merge: written beside 0019, merged after it
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "evaluation_tallies",
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column(
            "direction",
            sa.Enum(
                "of_doctor",
                "of_department",
                name="evaluation_direction",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("sent", sa.Integer(), nullable=False),
        sa.Column("answered", sa.Integer(), nullable=False),
        sa.Column("respondents", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["departments.id"],
            name=op.f("fk_evaluation_tallies_department_id_departments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "department_id", "direction", name=op.f("pk_evaluation_tallies")
        ),
    )
    op.execute(
        "INSERT INTO evaluation_tallies (department_id, direction, sent, answered, respondents) "
        "SELECT placements.department_id, evaluations.direction, count(evaluations.id), "
        "count(evaluations.answered_at), count(DISTINCT CASE WHEN evaluations.answered_at "
        "IS NOT NULL THEN enrollments.doctor_id END) FROM evaluations "
        "JOIN placements ON placements.id = evaluations.placement_id "
        "JOIN enrollments ON enrollments.id = placements.enrollment_id "
        "GROUP BY placements.department_id, evaluations.direction"
    )


def downgrade():
    op.drop_table("evaluation_tallies")
