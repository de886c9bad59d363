"""supervisor language: the language a department's supervisor gets e-mails in

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-05 10:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('departments', schema=None) as batch_op:
        batch_op.add_column(sa.Column(
            'supervisor_language',
            sa.Enum('en', 'ru', 'kk', name='supervisor_language', native_enum=False,
                    create_constraint=True, length=2),
            server_default='en',
            nullable=False,
        ))


def downgrade():
    with op.batch_alter_table('departments', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_departments_supervisor_language'), type_='check')
        batch_op.drop_column('supervisor_language')
