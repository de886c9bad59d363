"""follow-up tallies: per cohort, follow-up surveys sent and answered (the dashboard's years)

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-06 16:10:00

The dashboard counted every survey of every year on each view; the sending and answering
operations now keep these tallies in their own transaction. The upgrade fills them from the
surveys already stored, in one statement.
"""
from alembic import op
import sqlalchemy as sa


revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'follow_up_tallies',
        sa.Column('cohort_id', sa.Integer(), nullable=False),
        sa.Column('asked', sa.Integer(), nullable=False),
        sa.Column('answered', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ['cohort_id'], ['cohorts.id'],
            name=op.f('fk_follow_up_tallies_cohort_id_cohorts'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('cohort_id', name=op.f('pk_follow_up_tallies')),
    )
    op.execute(
        "INSERT INTO follow_up_tallies (cohort_id, asked, answered) "
        "SELECT enrollments.cohort_id, count(follow_up_surveys.id), "
        "count(follow_up_surveys.answered_at) FROM follow_up_surveys "
        "JOIN enrollments ON enrollments.id = follow_up_surveys.enrollment_id "
        "GROUP BY enrollments.cohort_id"
    )


def downgrade():
    op.drop_table('follow_up_tallies')
