"""signing key history: signing_keys, certificates.signing_key_id and certificates.qr_payload

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-05 18:55:00

The existing certificates are backfilled with the key that signed them, read from their own
signed snapshot (``key_id``), so the column is exact even for an installation whose key was
ever replaced by hand. The key itself (the single ``certificate_signing_key.pem`` of the
instance folder) is registered as the first key in ``signing_keys`` the first time the app
reads its keys (certificates/keys.py): the private half stays a file, never a row.
"""

from alembic import op
import sqlalchemy as sa

import somet.models.base  # noqa: F401  (UTCDateTime columns)


# revision identifiers, used by Alembic.
revision = "0017"
down_revision = "0016"  # briefed as 0014 after 0013; main had 0015 and 0016 by then
branch_labels = None
depends_on = None

BATCH = 500


def upgrade():
    op.create_table(
        "signing_keys",
        sa.Column("kid", sa.String(length=16), nullable=False),
        sa.Column("public_key_pem", sa.Text(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "active",
                "retired",
                "revoked",
                name="signing_key_status",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("created_at", somet.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("retired_at", somet.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", somet.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("revocation_reason", sa.String(length=500), nullable=True),
        sa.PrimaryKeyConstraint("kid", name=op.f("pk_signing_keys")),
    )
    op.create_index(
        "uq_signing_keys_one_active",
        "signing_keys",
        ["status"],
        unique=True,
        sqlite_where=sa.text("status = 'active'"),
        postgresql_where=sa.text("status = 'active'"),
    )
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.add_column(sa.Column("signing_key_id", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("qr_payload", sa.Text(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_certificates_signing_key_id"), ["signing_key_id"], unique=False
        )
    _backfill_signing_key_ids()


def _backfill_signing_key_ids():
    """Each certificate's signing_key_id from its snapshot, in batches of BATCH rows."""
    connection = op.get_bind()
    certificates = sa.table(
        "certificates",
        sa.column("id", sa.Integer),
        sa.column("snapshot", sa.JSON),
        sa.column("signing_key_id", sa.String),
    )
    last_id = 0
    while True:
        rows = connection.execute(
            sa.select(certificates.c.id, certificates.c.snapshot)
            .where(certificates.c.id > last_id)
            .order_by(certificates.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        for row in rows:
            kid = (row.snapshot or {}).get("key_id")
            if kid:
                connection.execute(
                    certificates.update()
                    .where(certificates.c.id == row.id)
                    .values(signing_key_id=str(kid)[:16])
                )
        last_id = rows[-1].id


def downgrade():
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_certificates_signing_key_id"))
        batch_op.drop_column("qr_payload")
        batch_op.drop_column("signing_key_id")
    op.drop_index("uq_signing_keys_one_active", table_name="signing_keys")
    op.drop_table("signing_keys")
