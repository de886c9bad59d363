"""travel and host documents: requirements per hospital, documents per doctor

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 21:40:00

"""
from alembic import op
import sqlalchemy as sa

import somet.models.base


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

KINDS = ('passport', 'visa', 'medical_licence', 'insurance', 'vaccination',
         'confidentiality', 'cv')


def _kind():
    return sa.Enum(*KINDS, name='document_kind', native_enum=False, create_constraint=True,
                   length=15)


def upgrade():
    op.create_table('document_requirements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('hospital_id', sa.Integer(), nullable=False),
    sa.Column('kind', _kind(), nullable=False),
    sa.Column('expires', sa.Boolean(), nullable=False),
    sa.Column('due_days_before_arrival', sa.Integer(), nullable=False),
    sa.Column('created_at', somet.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('due_days_before_arrival >= 0',
                       name=op.f('ck_document_requirements_due_days_not_negative')),
    sa.ForeignKeyConstraint(['hospital_id'], ['hospitals.id'],
                            name=op.f('fk_document_requirements_hospital_id_hospitals'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document_requirements')),
    sa.UniqueConstraint('hospital_id', 'kind',
                        name=op.f('uq_document_requirements_hospital_id_kind'))
    )
    op.create_table('travel_documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('doctor_id', sa.Integer(), nullable=False),
    sa.Column('kind', _kind(), nullable=False),
    sa.Column('storage_name', sa.String(length=64), nullable=False),
    sa.Column('original_filename', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=50), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.Column('status', sa.Enum('uploaded', 'accepted', 'rejected', name='document_status',
                                native_enum=False, create_constraint=True, length=8),
              nullable=False),
    sa.Column('rejection_reason', sa.String(length=500), nullable=True),
    sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
    sa.Column('reviewed_at', somet.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('uploaded_at', somet.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('size_bytes > 0', name=op.f('ck_travel_documents_size_positive')),
    sa.ForeignKeyConstraint(['doctor_id'], ['doctors.id'],
                            name=op.f('fk_travel_documents_doctor_id_doctors')),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['users.id'],
                            name=op.f('fk_travel_documents_reviewed_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_travel_documents')),
    sa.UniqueConstraint('storage_name', name=op.f('uq_travel_documents_storage_name'))
    )
    with op.batch_alter_table('travel_documents', schema=None) as batch_op:
        batch_op.create_index('ix_travel_documents_doctor_kind', ['doctor_id', 'kind'],
                              unique=False)
        batch_op.create_index('ix_travel_documents_valid_until', ['valid_until'], unique=False)


def downgrade():
    with op.batch_alter_table('travel_documents', schema=None) as batch_op:
        batch_op.drop_index('ix_travel_documents_valid_until')
        batch_op.drop_index('ix_travel_documents_doctor_kind')

    op.drop_table('travel_documents')
    op.drop_table('document_requirements')
