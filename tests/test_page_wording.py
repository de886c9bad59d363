"""Words and links a list repeats on every row, made once per page: the same text and URLs
as url_for and Flask-Babel give row by row, in the reader's language."""

from __future__ import annotations

from flask import url_for
from flask_babel import force_locale

from somet.models import PlacementStatus, Role
from somet.web.labels import enum_label
from somet.web.templating import RowUrl
from tests.conftest import login_as


def test_a_row_url_is_the_url_for_of_that_row(app):
    with app.test_request_context("/"):
        confirm = RowUrl("requests.confirm_request", "placement_id", page=3)
        for placement_id in (1, 42, 2_000_001):
            assert confirm(placement_id) == url_for(
                "requests.confirm_request", placement_id=placement_id, page=3
            )
        plain = RowUrl("requests.undo_request_answer", "placement_id", page=None)
        assert plain(7) == url_for("requests.undo_request_answer", placement_id=7)


def test_a_status_worded_once_still_follows_a_forced_language(app):
    with app.test_request_context("/"):
        english = enum_label(PlacementStatus.CONFIRMED)
        with force_locale("ru"):
            russian = enum_label(PlacementStatus.CONFIRMED)
        with force_locale("kk"):
            kazakh = enum_label(PlacementStatus.CONFIRMED)
        assert len({english, russian, kazakh}) == 3
        assert english == "confirmed" == enum_label(PlacementStatus.CONFIRMED)
        assert enum_label(Role.COORDINATOR) == "coordinator"


def test_a_list_names_statuses_in_the_readers_language(client, users):
    """The |label filter words a status from the page's own catalogue, in its language."""
    login_as(client, users["admin"])
    token = client.csrf_token()
    client.post("/language", data={"language": "ru", "csrf_token": token, "next": "/"})
    russian = client.get("/admin/users").get_data(as_text=True)
    assert "координатор" in russian and ">coordinator<" not in russian
    client.post("/language", data={"language": "en", "csrf_token": token, "next": "/"})
    assert "coordinator" in client.get("/admin/users").get_data(as_text=True)
