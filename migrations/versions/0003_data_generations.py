"""data generations: the token that keys the cached cohort timelines

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 03:20:00

"""
import secrets

from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    generations = op.create_table('data_generations',
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('token', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_data_generations'))
    )
    op.bulk_insert(generations, [{'name': 'timeline', 'token': secrets.token_hex(16)}])


def downgrade():
    op.drop_table('data_generations')
