"""document review queue: uploads by status, oldest first (the queue and its count)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 13:00:00

"""
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('travel_documents', schema=None) as batch_op:
        batch_op.create_index(
            'ix_travel_documents_status_uploaded_at', ['status', 'uploaded_at'], unique=False
        )


def downgrade():
    with op.batch_alter_table('travel_documents', schema=None) as batch_op:
        batch_op.drop_index('ix_travel_documents_status_uploaded_at')
