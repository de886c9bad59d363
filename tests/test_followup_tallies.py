"""The dashboard's follow-up figures come from per-cohort tallies that the daily job and the
one-tap answer keep: they follow real sending and answering, and equal a fresh count."""

from __future__ import annotations

import re

from somet.followup import tallies
from somet.models import Role
from somet.web.extensions import db
from tests import factories
from tests.conftest import login_as
from tests.test_followup import SENT_ON, _answer, _ended_cohort, _run
from tests.test_reports_dashboard import _table


def _response_row(client) -> list[str]:
    [row] = _table(client.get("/reports/dashboard").get_data(as_text=True), "response")
    return row


def test_the_dashboard_counts_the_surveys_sent_and_answered(
    app, client, runner, users, count_queries
):
    cohort, doctors = _ended_cohort()
    _run(runner, "follow-up-surveys", SENT_ON)  # the three doctors asked (not the withdrawn)
    _run(runner, "follow-up-surveys", SENT_ON)  # a second run sends nothing twice
    _answer(app.test_client(), doctors[0])
    assert tallies.kept() == tallies.counted_afresh() == {(cohort.id, 3, 1)}

    login_as(client, users["director"])
    assert _response_row(client) == [str(cohort.end_date.year), "3", "1", "33.3"]
    _answer(app.test_client(), doctors[1])
    with count_queries() as statements:
        assert _response_row(client)[1:] == ["3", "2", "66.7"]
    assert not any(re.search(r"\bfollow_up_surveys\b", s) for s in statements)
    assert tallies.kept() == tallies.counted_afresh()


def test_the_migration_counts_the_surveys_already_stored(app, client, runner):
    from flask_migrate import downgrade, upgrade

    from tests.test_migrations import _empty_database

    _empty_database()
    upgrade()
    cohort, doctors = _ended_cohort()
    _run(runner, "follow-up-surveys", SENT_ON)
    _answer(app.test_client(), doctors[1])
    kept = tallies.kept()
    db.session.commit()  # end the test's read, so what follows reads the migrated database
    downgrade(revision="0024")
    upgrade()
    assert tallies.kept() == kept == {(cohort.id, 3, 1)}
    login_as(client, factories.make_user(Role.DIRECTOR))
    assert _response_row(client)[1:] == ["3", "1", "33.3"]
