"""The funder's report's one write: a director chooses (or drops) a doctor's words as a quote."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import delete, select

from somet.audit.operations import record_event
from somet.core.errors import NotFound
from somet.models import (
    Evaluation,
    EvaluationAnswer,
    EvaluationDirection,
    EvaluationQuestion,
    FollowUpSurvey,
    QuestionKind,
    ReportQuote,
    User,
)
from somet.web.access import require_staff
from somet.web.database import lock_for_write
from somet.web.extensions import db

SOURCES = ("evaluation", "follow_up")


def set_quote(actor: User, source: str, source_id: int, chosen: bool) -> bool:
    """Choose (``chosen``) or drop a quote; True when something changed.

    ``source`` is ``evaluation`` (a text answer of a doctor rating a department) or
    ``follow_up`` (a follow-up survey's comment); anything else is not found.
    """
    require_staff(actor)
    lock_for_write(db.session, "report-quotes")
    column = _quotable(source, source_id)
    existing = db.session.scalar(select(ReportQuote).where(column == source_id))
    if chosen == (existing is not None):
        db.session.rollback()
        return False
    if chosen:
        quote = ReportQuote(chosen_by_id=actor.id, **{column.key: source_id})
        db.session.add(quote)
        db.session.flush()
        record_event(actor, "report.quote_chosen", quote, source=source, source_id=source_id)
    else:
        record_event(actor, "report.quote_dropped", existing, source=source, source_id=source_id)
        db.session.execute(delete(ReportQuote).where(ReportQuote.id == existing.id))
    db.session.commit()
    return True


def _quotable(source: str, source_id: int):
    """The quote column for ``source``, once the words are known to exist and be quotable."""
    if source == "evaluation":
        found = db.session.scalar(
            select(EvaluationAnswer.id)
            .join(Evaluation, Evaluation.id == EvaluationAnswer.evaluation_id)
            .join(EvaluationQuestion, EvaluationQuestion.id == EvaluationAnswer.question_id)
            .where(
                EvaluationAnswer.id == source_id,
                Evaluation.direction == EvaluationDirection.OF_DEPARTMENT,
                EvaluationQuestion.kind == QuestionKind.TEXT,
                EvaluationAnswer.text.is_not(None),
            )
        )
        column = ReportQuote.evaluation_answer_id
    elif source == "follow_up":
        found = db.session.scalar(
            select(FollowUpSurvey.id).where(
                FollowUpSurvey.id == source_id, FollowUpSurvey.comment.is_not(None)
            )
        )
        column = ReportQuote.follow_up_survey_id
    else:
        found = None
    if found is None:
        raise NotFound(_("There are no such words to quote."))
    return column
