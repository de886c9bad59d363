"""users: an index on lower(email) (PostgreSQL), for the roster's "e-mail already taken" check

Revision ID: 0019
Revises: 0017
Create Date: 2026-12-05 21:40:00

The cohort overview finds, in one statement, the roster doctors' users and any user already
holding one of their addresses (compared case-insensitively): without this index that
comparison reads every user. PostgreSQL only, like the trigram index: SQLite cannot reflect an
expression index, and a test database there holds a handful of users.
"""

from alembic import op

from somet.models.base import USERS_EMAIL_LOWER_INDEX

# revision identifiers, used by Alembic.
revision = "0019"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"CREATE INDEX {USERS_EMAIL_LOWER_INDEX} ON users (lower(email))")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP INDEX IF EXISTS {USERS_EMAIL_LOWER_INDEX}")
