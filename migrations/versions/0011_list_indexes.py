"""list indexes: users (role, email), the order the administrator's users list pages in;
placements (department, end date), the completed placements of the weeks a page shows

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05 16:20:00

"""
from alembic import op


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index('ix_users_role_email', ['role', 'email'], unique=False)
    with op.batch_alter_table('placements', schema=None) as batch_op:
        batch_op.create_index('ix_placements_department_end', ['department_id', 'end_date'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('placements', schema=None) as batch_op:
        batch_op.drop_index('ix_placements_department_end')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index('ix_users_role_email')
