"""masterclass guests and video: guest requests awaiting e-mail confirmation, a video link

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05 11:05:00

"""
from alembic import op
import sqlalchemy as sa

import somet.models.base


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('masterclasses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('video_url', sa.String(length=500), nullable=True))
    op.create_table('guest_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('masterclass_id', sa.Integer(), nullable=False),
    sa.Column('first_name', sa.String(length=100), nullable=False),
    sa.Column('last_name', sa.String(length=100), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('licence_number', sa.String(length=50), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', somet.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', somet.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('confirmed_at', somet.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('registration_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['masterclass_id'], ['masterclasses.id'],
                            name=op.f('fk_guest_requests_masterclass_id_masterclasses')),
    sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'],
                            name=op.f('fk_guest_requests_registration_id_registrations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_guest_requests')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_guest_requests_token_hash'))
    )
    with op.batch_alter_table('guest_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_guest_requests_masterclass_id'), ['masterclass_id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('guest_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_guest_requests_masterclass_id'))
    op.drop_table('guest_requests')
    with op.batch_alter_table('masterclasses', schema=None) as batch_op:
        batch_op.drop_column('video_url')
