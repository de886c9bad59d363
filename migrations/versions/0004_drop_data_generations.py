"""drop data generations: the cohort timeline is no longer cached

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-05 10:40:00

"""
import secrets

from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.drop_table('data_generations')


def downgrade():
    generations = op.create_table('data_generations',
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('token', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_data_generations'))
    )
    op.bulk_insert(generations, [{'name': 'timeline', 'token': secrets.token_hex(16)}])
