"""Pure rules of evaluations: a link's state, reminder stages, the hosts' anonymity rule,
and checks of a form's questions and of an answer. Plain data in, codes or values out.

Question kinds are the values of ``QuestionKind`` (``scale``, ``yes_no``, ``text``), kept
as text here so this module imports neither Flask nor the models.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

SCALE, YES_NO, TEXT = "scale", "yes_no", "text"
KINDS = (SCALE, YES_NO, TEXT)
SCALE_MIN, SCALE_MAX = 1, 5
YES, NO = 1, 0
MAX_TEXT = 4000
MAX_QUESTIONS = 20
# Reminders to whoever has not answered, counted from the day the link was sent.
REMINDER_STAGES = (("7d", timedelta(days=7)), ("3d", timedelta(days=3)))
# A host sees how doctors rated one of its departments only once this many doctors answered.
MIN_RESPONDENTS_FOR_HOST = 3

OPEN, ANSWERED, EXPIRED = "open", "answered", "expired"


@dataclass(frozen=True)
class QuestionSpec:
    """A question as the rules see it."""

    id: int
    kind: str
    required: bool


@dataclass(frozen=True)
class DraftQuestion:
    """One row of the form builder, as typed."""

    kind: str
    prompt_en: str
    prompt_ru: str = ""
    prompt_kk: str = ""
    required: bool = True

    @property
    def blank(self) -> bool:
        return not (self.prompt_en.strip() or self.prompt_ru.strip() or self.prompt_kk.strip())


def link_state(answered_at: datetime | None, expires_at: datetime, now: datetime) -> str:
    """``answered`` (whatever the date), ``expired`` past its end, else ``open``."""
    if answered_at is not None:
        return ANSWERED
    if now >= expires_at:
        return EXPIRED
    return OPEN


def reminder_stage(sent_at: datetime, now: datetime) -> str | None:
    """The latest reminder due for an open evaluation sent at ``sent_at``: 7d, 3d or None."""
    for stage, after in REMINDER_STAGES:
        if now - sent_at >= after:
            return stage
    return None


def host_sees_details(respondents: int) -> bool:
    """Whether a host may see averages and comments of doctors' answers about it."""
    return respondents >= MIN_RESPONDENTS_FOR_HOST


def check_answers(
    questions: Iterable[QuestionSpec], raw: Mapping[int, str | None]
) -> tuple[dict[int, tuple[int | None, str | None]], dict[int, str]]:
    """Each question's (score, text) from the raw values, and problems by question id.

    Problem codes: ``required`` (no answer to a required question), ``scale`` (not 1–5),
    ``yes_no`` (neither yes nor no), ``too_long`` (text over MAX_TEXT characters).
    """
    values: dict[int, tuple[int | None, str | None]] = {}
    problems: dict[int, str] = {}
    for question in questions:
        value = (raw.get(question.id) or "").strip()
        if not value:
            if question.required:
                problems[question.id] = "required"
            continue
        if question.kind == TEXT:
            if len(value) > MAX_TEXT:
                problems[question.id] = "too_long"
            else:
                values[question.id] = (None, value)
        elif question.kind == YES_NO:
            if value not in ("yes", "no"):
                problems[question.id] = "yes_no"
            else:
                values[question.id] = (YES if value == "yes" else NO, None)
        elif value.isdigit() and SCALE_MIN <= int(value) <= SCALE_MAX:
            values[question.id] = (int(value), None)
        else:
            problems[question.id] = "scale"
    return values, problems


def check_draft(name: str, rows: Iterable[DraftQuestion]) -> tuple[list[DraftQuestion], dict]:
    """The questions kept from a form builder's rows (blank rows dropped), and problems.

    Problems: ``{"name": "required"}``, ``{"questions": "none" | "too_many"}``, and by row
    index ``{i: "prompt_en" | "kind"}`` (a row with words but no English, or an unknown kind).
    """
    problems: dict = {}
    if not name.strip():
        problems["name"] = "required"
    kept = []
    for index, row in enumerate(rows):
        if row.blank:
            continue
        if row.kind not in KINDS:
            problems[index] = "kind"
        elif not row.prompt_en.strip():
            problems[index] = "prompt_en"
        kept.append(row)
    if not kept:
        problems["questions"] = "none"
    elif len(kept) > MAX_QUESTIONS:
        problems["questions"] = "too_many"
    return kept, problems


def average(scores: Iterable[int]) -> float | None:
    """The mean of ``scores`` rounded to one decimal (None when there is none)."""
    scores = list(scores)
    return round(sum(scores) / len(scores), 1) if scores else None
