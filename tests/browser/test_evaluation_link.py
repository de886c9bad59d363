"""A supervisor answers an evaluation by its one-tap link on a phone: the page fits 390 px,
axe-core finds nothing serious, the 1–5 and yes/no answers are buttons a thumb taps, and the
answer is taken once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from somet.evaluations.operations import link_token
from somet.models import Evaluation, EvaluationDirection, utcnow
from somet.web.extensions import db
from tests.browser.crawl import horizontal_overflow
from tests.browser.test_accessibility import blocking_violations

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def _open_supervisor_link(server) -> str:
    """An unanswered demo evaluation of a doctor, opened again (its link had expired)."""
    with server.app.app_context():
        evaluation_id = db.session.scalar(
            select(Evaluation.id)
            .where(
                Evaluation.answered_at.is_(None),
                Evaluation.direction == EvaluationDirection.OF_DOCTOR,
            )
            .order_by(Evaluation.id)
        )
        db.session.execute(
            update(Evaluation)
            .where(Evaluation.id == evaluation_id)
            .values(expires_at=utcnow() + timedelta(days=30))
        )
        db.session.commit()
        return f"{server.url}/evaluations/answer/{link_token(evaluation_id, 'ru')}"


def test_a_supervisor_answers_on_a_phone_once(live_server, new_page):
    url = _open_supervisor_link(live_server)
    page = new_page(viewport=PHONE, bypass_csp=True)
    page.goto(url)
    assert page.locator("html").get_attribute("lang") == "ru"
    assert horizontal_overflow(page) is None
    assert blocking_violations(page) == []
    page.goto(url)  # without the injected axe script
    for group in page.locator("fieldset.evaluation-question").all():
        group.locator("label.evaluation-choice").first.click()
    page.click("main form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "Спасибо" in page.content()
    assert page.locator(".evaluation-state").count() == 1
    page.goto(url)
    assert "уже" in page.locator(".evaluation-state").inner_text()
