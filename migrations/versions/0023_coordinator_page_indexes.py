"""coordinator page indexes: placements (department, start, id) where requested, so a
coordinator's page of open requests reads its ids department by department in the page's
order instead of every hospital's open requests; cohorts (start) where not over, so the
coordinators' badges find the earliest live cohort's first day without walking every year's
finished cohorts

Revision ID: 0023
Revises: 0021
Create Date: 2026-12-06 09:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0023'
down_revision = '0021'
branch_labels = None
depends_on = None

WAITING = "status = 'requested'"
LIVE = "status NOT IN ('archived', 'completed')"


def upgrade():
    with op.batch_alter_table('placements', schema=None) as batch_op:
        batch_op.create_index(
            'ix_placements_requested_by_start', ['department_id', 'start_date', 'id'],
            unique=False, sqlite_where=sa.text(WAITING), postgresql_where=sa.text(WAITING),
        )
    with op.batch_alter_table('cohorts', schema=None) as batch_op:
        batch_op.create_index(
            'ix_cohorts_live_start', ['start_date'],
            unique=False, sqlite_where=sa.text(LIVE), postgresql_where=sa.text(LIVE),
        )


def downgrade():
    with op.batch_alter_table('cohorts', schema=None) as batch_op:
        batch_op.drop_index('ix_cohorts_live_start')
    with op.batch_alter_table('placements', schema=None) as batch_op:
        batch_op.drop_index('ix_placements_requested_by_start')
