"""The director's evaluation forms: create, edit (until answered), copy, make default, retire.

A form that has answers is not edited: the answers would no longer say what was asked. The
director copies it into a new form instead and makes that one the default.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from somet.audit.operations import record_event
from somet.core.errors import InvalidTransition, NotFound, ValidationFailed
from somet.evaluations import rules
from somet.evaluations.queries import form_answer_count
from somet.models import (
    EvaluationDirection,
    EvaluationForm,
    EvaluationQuestion,
    QuestionKind,
    User,
    utcnow,
)
from somet.web.access import require_staff
from somet.web.database import lock_for_write
from somet.web.extensions import db


class DraftInvalid(ValidationFailed):
    """The builder's rows break a rule; ``problems`` as ``rules.check_draft`` returns them."""

    def __init__(self, problems: dict):
        super().__init__(_("Please correct the form marked below."))
        self.problems = problems


def create_form(
    actor: User, name: str, direction: str, rows: list[rules.DraftQuestion]
) -> EvaluationForm:
    """A new form (not yet the default) with the builder's questions."""
    require_staff(actor)
    kept = _checked(name, rows)
    lock_for_write(db.session(), "evaluation-forms")
    form = EvaluationForm(
        name=name.strip(), direction=EvaluationDirection(direction), created_by_id=actor.id
    )
    _set_questions(form, kept)
    db.session.add(form)
    db.session.flush()
    record_event(actor, "evaluation_form.created", form, questions=len(kept))
    db.session.commit()
    return form


def update_form(
    actor: User, form_id: int, name: str, rows: list[rules.DraftQuestion]
) -> EvaluationForm:
    """Change a form's name and questions, unless it has answers or is retired."""
    require_staff(actor)
    kept = _checked(name, rows)
    lock_for_write(db.session(), "evaluation-forms")
    form = _form(form_id)
    if form.retired_at is not None:
        raise InvalidTransition(_("A retired form cannot be changed."))
    if form_answer_count(form.id):
        raise InvalidTransition(
            _("This form has answers and cannot be changed: copy it into a new form instead.")
        )
    form.name = name.strip()
    form.questions.clear()
    db.session.flush()
    _set_questions(form, kept)
    record_event(actor, "evaluation_form.changed", form, questions=len(kept))
    db.session.commit()
    return form


def make_default(actor: User, form_id: int) -> EvaluationForm:
    """New evaluations of the form's direction use this form from now on."""
    require_staff(actor)
    lock_for_write(db.session(), "evaluation-forms")
    form = _form(form_id)
    if form.retired_at is not None:
        raise InvalidTransition(_("A retired form cannot be the default."))
    db.session.execute(
        update(EvaluationForm)
        .where(EvaluationForm.direction == form.direction, EvaluationForm.id != form.id)
        .values(is_default=False)
    )
    form.is_default = True
    record_event(actor, "evaluation_form.made_default", form, direction=form.direction.value)
    db.session.commit()
    return form


def retire_form(actor: User, form_id: int) -> EvaluationForm:
    """A form no longer offered; its evaluations and answers stay. Not the default one."""
    require_staff(actor)
    lock_for_write(db.session(), "evaluation-forms")
    form = _form(form_id)
    if form.is_default:
        raise InvalidTransition(
            _("This is the default form: make another form the default before retiring it.")
        )
    if form.retired_at is None:
        form.retired_at = utcnow()
        record_event(actor, "evaluation_form.retired", form)
    db.session.commit()
    return form


def get_form(form_id: int) -> EvaluationForm:
    """A form with its questions (NotFound if there is none)."""
    form = db.session.scalar(
        select(EvaluationForm)
        .where(EvaluationForm.id == form_id)
        .options(selectinload(EvaluationForm.questions))
    )
    if form is None:
        raise NotFound(_("There is no such form."))
    return form


def _form(form_id: int) -> EvaluationForm:
    form = db.session.scalar(
        select(EvaluationForm)
        .where(EvaluationForm.id == form_id)
        .options(selectinload(EvaluationForm.questions))
        .execution_options(populate_existing=True)
    )
    if form is None:
        raise NotFound(_("There is no such form."))
    return form


def _checked(name: str, rows: list[rules.DraftQuestion]) -> list[rules.DraftQuestion]:
    kept, problems = rules.check_draft(name or "", rows)
    if problems:
        raise DraftInvalid(problems)
    return kept


def _set_questions(form: EvaluationForm, rows: list[rules.DraftQuestion]) -> None:
    for position, row in enumerate(rows):
        form.questions.append(
            EvaluationQuestion(
                position=position,
                kind=QuestionKind(row.kind),
                prompt_en=row.prompt_en.strip(),
                prompt_ru=row.prompt_ru.strip() or None,
                prompt_kk=row.prompt_kk.strip() or None,
                required=row.required,
            )
        )
