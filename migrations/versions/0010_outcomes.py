"""outcomes: evaluations both ways (forms, questions, answers; a default form per direction),
follow-up surveys, and each cohort's follow-up months

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05 15:53:14.574884

"""

from alembic import op
import sqlalchemy as sa

import somet.models.base  # noqa: F401  (UTCDateTime columns)
# The default set every installation starts with (one home: the feature also makes them for a
# database built without migrations); directors add their own forms beside it.
from somet.evaluations.defaults import DEFAULT_FORMS


# revision identifiers, used by Alembic.
revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "evaluation_forms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "direction",
            sa.Enum(
                "of_doctor",
                "of_department",
                name="evaluation_direction",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("is_default", sa.Boolean(), nullable=False),
        sa.Column("retired_at", somet.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", somet.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_evaluation_forms_created_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluation_forms")),
    )
    op.create_table(
        "evaluation_questions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("form_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "scale",
                "yes_no",
                "text",
                name="question_kind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("prompt_en", sa.String(length=500), nullable=False),
        sa.Column("prompt_ru", sa.String(length=500), nullable=True),
        sa.Column("prompt_kk", sa.String(length=500), nullable=True),
        sa.Column("required", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["form_id"],
            ["evaluation_forms.id"],
            name=op.f("fk_evaluation_questions_form_id_evaluation_forms"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluation_questions")),
    )
    with op.batch_alter_table("evaluation_questions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_evaluation_questions_form_id"), ["form_id"], unique=False
        )

    op.create_table(
        "follow_up_surveys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("enrollment_id", sa.Integer(), nullable=False),
        sa.Column("months_after", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("sent_at", somet.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", somet.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("answered_at", somet.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("procedures_introduced", sa.Text(), nullable=True),
        sa.Column("patients_treated", sa.Integer(), nullable=True),
        sa.Column("colleagues_taught", sa.Integer(), nullable=True),
        sa.Column("would_recommend", sa.Boolean(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "colleagues_taught IS NULL OR colleagues_taught >= 0",
            name=op.f("ck_follow_up_surveys_colleagues_not_negative"),
        ),
        sa.CheckConstraint("months_after > 0", name=op.f("ck_follow_up_surveys_months_positive")),
        sa.CheckConstraint(
            "patients_treated IS NULL OR patients_treated >= 0",
            name=op.f("ck_follow_up_surveys_patients_not_negative"),
        ),
        sa.ForeignKeyConstraint(
            ["enrollment_id"],
            ["enrollments.id"],
            name=op.f("fk_follow_up_surveys_enrollment_id_enrollments"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_up_surveys")),
        sa.UniqueConstraint(
            "enrollment_id",
            "months_after",
            name=op.f("uq_follow_up_surveys_enrollment_id_months_after"),
        ),
    )
    with op.batch_alter_table("follow_up_surveys", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_follow_up_surveys_enrollment_id"), ["enrollment_id"], unique=False
        )
        batch_op.create_index("ix_follow_up_surveys_open", ["answered_at", "due_on"], unique=False)

    op.create_table(
        "evaluations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("placement_id", sa.Integer(), nullable=False),
        sa.Column(
            "direction",
            sa.Enum(
                "of_doctor",
                "of_department",
                name="evaluation_direction",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("form_id", sa.Integer(), nullable=False),
        sa.Column("sent_at", somet.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", somet.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("answered_at", somet.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("answered_by_name", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["form_id"],
            ["evaluation_forms.id"],
            name=op.f("fk_evaluations_form_id_evaluation_forms"),
        ),
        sa.ForeignKeyConstraint(
            ["placement_id"], ["placements.id"], name=op.f("fk_evaluations_placement_id_placements")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluations")),
        sa.UniqueConstraint(
            "placement_id", "direction", name=op.f("uq_evaluations_placement_id_direction")
        ),
    )
    with op.batch_alter_table("evaluations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_evaluations_form_id"), ["form_id"], unique=False)
        batch_op.create_index("ix_evaluations_open", ["answered_at", "sent_at"], unique=False)

    op.create_table(
        "evaluation_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("evaluation_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "score IS NULL OR (score >= 0 AND score <= 5)",
            name=op.f("ck_evaluation_answers_score_range"),
        ),
        sa.ForeignKeyConstraint(
            ["evaluation_id"],
            ["evaluations.id"],
            name=op.f("fk_evaluation_answers_evaluation_id_evaluations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["evaluation_questions.id"],
            name=op.f("fk_evaluation_answers_question_id_evaluation_questions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluation_answers")),
        sa.UniqueConstraint(
            "evaluation_id",
            "question_id",
            name=op.f("uq_evaluation_answers_evaluation_id_question_id"),
        ),
    )
    with op.batch_alter_table("evaluation_answers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_evaluation_answers_question_id"), ["question_id"], unique=False
        )

    with op.batch_alter_table("cohorts", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "follow_up_months", sa.String(length=30), server_default="3,6,12", nullable=False
            )
        )

    _insert_default_forms()


def _insert_default_forms():
    forms = sa.table(
        "evaluation_forms",
        sa.column("id", sa.Integer),
        sa.column("name", sa.String),
        sa.column("direction", sa.String),
        sa.column("is_default", sa.Boolean),
        sa.column("created_at", somet.models.base.UTCDateTime(timezone=True)),
    )
    questions = sa.table(
        "evaluation_questions",
        sa.column("form_id", sa.Integer),
        sa.column("position", sa.Integer),
        sa.column("kind", sa.String),
        sa.column("prompt_en", sa.String),
        sa.column("prompt_ru", sa.String),
        sa.column("prompt_kk", sa.String),
        sa.column("required", sa.Boolean),
    )
    now = somet.models.base.utcnow()
    for form_id, (direction, (name, rows)) in enumerate(DEFAULT_FORMS.items(), start=1):
        op.bulk_insert(
            forms,
            [
                {
                    "id": form_id,
                    "name": name,
                    "direction": direction,
                    "is_default": True,
                    "created_at": now,
                }
            ],
        )
        op.bulk_insert(
            questions,
            [
                {
                    "form_id": form_id,
                    "position": position,
                    "kind": kind,
                    "prompt_en": en,
                    "prompt_ru": ru,
                    "prompt_kk": kk,
                    "required": kind != "text",
                }
                for position, (kind, en, ru, kk) in enumerate(rows)
            ],
        )
    if op.get_bind().dialect.name == "postgresql":  # ids were given: move the sequence on
        op.execute(
            "SELECT setval('evaluation_forms_id_seq', (SELECT max(id) FROM evaluation_forms))"
        )


def downgrade():
    with op.batch_alter_table("cohorts", schema=None) as batch_op:
        batch_op.drop_column("follow_up_months")

    with op.batch_alter_table("evaluation_answers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evaluation_answers_question_id"))

    op.drop_table("evaluation_answers")
    with op.batch_alter_table("evaluations", schema=None) as batch_op:
        batch_op.drop_index("ix_evaluations_open")
        batch_op.drop_index(batch_op.f("ix_evaluations_form_id"))

    op.drop_table("evaluations")
    with op.batch_alter_table("follow_up_surveys", schema=None) as batch_op:
        batch_op.drop_index("ix_follow_up_surveys_open")
        batch_op.drop_index(batch_op.f("ix_follow_up_surveys_enrollment_id"))

    op.drop_table("follow_up_surveys")
    with op.batch_alter_table("evaluation_questions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evaluation_questions_form_id"))

    op.drop_table("evaluation_questions")
    op.drop_table("evaluation_forms")
