"""users list order: an index on (role, email), the order the administrator's users list pages in

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


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index('ix_users_role_email')
