"""Answering evaluations: by one-tap link (no account), and in the app (doctor, coordinator)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_babel import refresh
from flask_login import current_user

from somet.core.errors import DomainError
from somet.evaluations import operations, rules
from somet.evaluations import queries as listing
from somet.evaluations.forms import answer_form_for, raw_answers, show_answer_problems
from somet.models import Role, utcnow
from somet.web.access import role_required
from somet.web.i18n import SESSION_KEY, page_language
from somet.web.refusals import flash_error

blueprint = Blueprint("evaluations", __name__)


def _actor():
    return current_user._get_current_object()


@blueprint.route(operations.ANSWER_PATH + "<token>", methods=["GET", "POST"])
def answer_by_link(token: str):
    try:
        evaluation, language = operations.open_link(token)
    except operations.LinkInvalid:
        abort(404)
    if not current_user.is_authenticated and SESSION_KEY not in session:
        session[SESSION_KEY] = language  # the link's language, until the switcher says other
        refresh()
    return _answer_page(evaluation, None, token)


@blueprint.route("/evaluations/<int:evaluation_id>/answer", methods=["GET", "POST"])
@role_required(Role.DOCTOR, Role.COORDINATOR)
def answer_in_app(evaluation_id: int):
    try:
        evaluation = operations.evaluation_for(_actor(), evaluation_id)
    except DomainError:
        abort(404)
    return _answer_page(evaluation, _actor(), None)


def _answer_page(evaluation, actor, token):
    """The questions, or why they can no longer be answered; the answer stored once."""
    state = rules.link_state(evaluation.answered_at, evaluation.expires_at, utcnow())
    if state != rules.OPEN:
        return _closed_page(evaluation, state)
    questions = evaluation.questions
    form = answer_form_for(questions, page_language())
    status = 200
    if form.is_submitted():
        status = 400
        if form.validate():
            try:
                operations.answer_evaluation(
                    actor, evaluation.id, raw_answers(form, questions), link_token=token
                )
            except operations.AnswersInvalid as error:
                show_answer_problems(form, error.problems)
            except (operations.AlreadyAnswered, operations.LinkExpired) as error:
                flash_error(error, "warning")
                return redirect(_here(evaluation, token))
            else:
                flash(_("Thank you: your answers are recorded."), "success")
                return redirect(_here(evaluation, token))
    return render_template(
        "evaluations/answer.html", evaluation=evaluation, form=form, questions=questions
    ), status


def _closed_page(evaluation, state):
    status = 200 if state == rules.ANSWERED else 410
    return render_template("evaluations/closed.html", evaluation=evaluation, state=state), status


def _here(evaluation, token):
    if token is not None:
        return url_for(".answer_by_link", token=token)
    return url_for(".answer_in_app", evaluation_id=evaluation.id)


@blueprint.route("/my/evaluations")
@role_required(Role.DOCTOR)
def list_my_evaluations():
    to_answer, history = listing.doctor_evaluations(_actor().doctor_id, utcnow())
    return render_template("evaluations/mine.html", to_answer=to_answer, history=history)


@blueprint.route("/evaluations/hospital")
@role_required(Role.COORDINATOR)
def list_hospital_evaluations():
    hospital_id = _actor().hospital_id
    return render_template(
        "evaluations/hospital_list.html",
        to_answer=listing.hospital_to_answer(hospital_id, utcnow()),
        answered=listing.hospital_answered(hospital_id),
        hospital_id=hospital_id,
    )
