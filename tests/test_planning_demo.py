"""The demo: its upcoming cohort is planned, Rambam has requests waiting, the rest is sent."""

from sqlalchemy import func, select

from somet.demo.data import DEMO_PASSWORD, UPCOMING_COHORT
from somet.models import Cohort, Placement, PlacementStatus, User
from somet.web.extensions import db
from tests.conftest import login_as


def _login(app, email: str):
    client = app.test_client()
    login_as(client, db.session.scalar(select(User).where(User.email == email)), DEMO_PASSWORD)
    return client


def test_demo_coordinator_has_requests_and_the_director_sends_the_rest_from_the_ui(app, runner):
    assert runner.invoke(args=["demo"]).exit_code == 0
    rambam = _login(app, "coordinator@example.org").get("/requests").get_data(as_text=True)
    assert rambam.count("/confirm") >= 10 and "Rambam Health Care Campus" in rambam

    cohort = db.session.scalar(select(Cohort).where(Cohort.name == UPCOMING_COHORT["name"]))
    director = _login(app, "director@example.org")
    overview = director.get(f"/cohorts/{cohort.id}").get_data(as_text=True)
    assert "Plan schedule" in overview and f"/cohorts/{cohort.id}/timeline" in overview
    timeline = director.get(f"/cohorts/{cohort.id}/timeline").get_data(as_text=True)
    assert "Send" in timeline and "tl-requested" in timeline and "tl-proposed" in timeline
    assert "best possible" in timeline  # every required rotation of the demo fits
    assert "No plan places every required rotation" not in timeline
    response = director.submit(
        f"/cohorts/{cohort.id}/send", {}, page=f"/cohorts/{cohort.id}/timeline"
    )
    assert response.status_code == 302
    proposed = db.session.scalar(
        select(func.count()).where(Placement.status == PlacementStatus.PROPOSED)
    )
    assert proposed == 0
    hadassah = _login(app, "coordinator2@example.org").get("/requests").get_data(as_text=True)
    assert "Hadassah" in hadassah and "/confirm" in hadassah

    assert (
        director.submit(
            f"/cohorts/{cohort.id}/plan", {}, page=f"/cohorts/{cohort.id}/timeline"
        ).status_code
        == 302
    )
