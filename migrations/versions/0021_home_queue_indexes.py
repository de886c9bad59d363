"""home queue indexes: placements (department, rotation, requested at) where requested, so
the home pages count the requests waiting on hosts from the index alone; certificates
(enrollment) where a standing internship certificate, so the director's badge and queue ask
each completed doctor from the index alone

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06 06:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None

WAITING = "status = 'requested'"
STANDING = "kind = 'internship' AND revoked_at IS NULL"


def upgrade():
    with op.batch_alter_table('placements', schema=None) as batch_op:
        batch_op.create_index(
            'ix_placements_waiting', ['department_id', 'curriculum_item_id', 'requested_at'],
            unique=False, sqlite_where=sa.text(WAITING), postgresql_where=sa.text(WAITING),
        )
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.create_index(
            'ix_certificates_standing_internship', ['enrollment_id'],
            unique=False, sqlite_where=sa.text(STANDING), postgresql_where=sa.text(STANDING),
        )


def downgrade():
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_index('ix_certificates_standing_internship')
    with op.batch_alter_table('placements', schema=None) as batch_op:
        batch_op.drop_index('ix_placements_waiting')
