"""report quotes: the doctors' words a director chose for the funder's report

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05 16:05:00

"""

from alembic import op
import sqlalchemy as sa

import somet.models.base  # noqa: F401  (UTCDateTime columns)


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "report_quotes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("evaluation_answer_id", sa.Integer(), nullable=True),
        sa.Column("follow_up_survey_id", sa.Integer(), nullable=True),
        sa.Column("chosen_by_id", sa.Integer(), nullable=True),
        sa.Column("chosen_at", somet.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(evaluation_answer_id IS NULL) != (follow_up_survey_id IS NULL)",
            name=op.f("ck_report_quotes_one_source"),
        ),
        sa.ForeignKeyConstraint(
            ["chosen_by_id"], ["users.id"], name=op.f("fk_report_quotes_chosen_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["evaluation_answer_id"],
            ["evaluation_answers.id"],
            name=op.f("fk_report_quotes_evaluation_answer_id_evaluation_answers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["follow_up_survey_id"],
            ["follow_up_surveys.id"],
            name=op.f("fk_report_quotes_follow_up_survey_id_follow_up_surveys"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_quotes")),
        sa.UniqueConstraint(
            "evaluation_answer_id", name=op.f("uq_report_quotes_evaluation_answer_id")
        ),
        sa.UniqueConstraint(
            "follow_up_survey_id", name=op.f("uq_report_quotes_follow_up_survey_id")
        ),
    )


def downgrade():
    op.drop_table("report_quotes")
