"""indexes for the pages at real scale: the audit log's keyset paging and filters, masterclasses
by end, placements by decision time and by department and status, and on PostgreSQL a trigram
index (pg_trgm, GIN) for the doctors list's name search

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05 13:00:00

"""
from alembic import op

from somet.models.base import DOCTOR_NAMES_TRGM_INDEX

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

INDEXES = [
    ('ix_audit_events_created_id', 'audit_events', ['created_at', 'id']),
    ('ix_audit_events_action_created', 'audit_events', ['action', 'created_at']),
    ('ix_audit_events_type_created', 'audit_events', ['object_type', 'created_at']),
    ('ix_masterclasses_ends_at', 'masterclasses', ['ends_at']),
    ('ix_placements_decided_at', 'placements', ['decided_at']),
    ('ix_placements_department_status', 'placements', ['department_id', 'status']),
]
# The same expression as somet.web.search.joined_names builds, so the planner matches it.
DOCTOR_NAMES = (
    "lower(coalesce(first_name, '') || ' ' || coalesce(last_name, '') || ' ' "
    "|| coalesce(native_name, ''))"
)


def upgrade():
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('CREATE EXTENSION IF NOT EXISTS pg_trgm')
        op.execute(
            f'CREATE INDEX {DOCTOR_NAMES_TRGM_INDEX} ON doctors '
            f'USING gin (({DOCTOR_NAMES}) gin_trgm_ops)'
        )


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(f'DROP INDEX IF EXISTS {DOCTOR_NAMES_TRGM_INDEX}')
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
