"""The doctor's calendar page: the feed's address to copy and how each calendar app takes it."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from somet.models import Doctor
from somet.portal.calendar import subscribe_links
from somet.web.extensions import db
from tests.conftest import login_as


def test_subscribe_links_give_webcal_and_google_the_same_feed():
    links = subscribe_links("https://somet.example/calendar/abc.ics")
    assert links["feed"] == "https://somet.example/calendar/abc.ics"
    assert links["webcal"] == "webcal://somet.example/calendar/abc.ics"
    google = urlsplit(links["google"])
    assert google.netloc == "calendar.google.com"
    assert parse_qs(google.query) == {"cid": ["webcal://somet.example/calendar/abc.ics"]}


def test_the_calendar_page_explains_each_app_and_offers_the_address_to_copy(client, users):
    doctor = users["doctor"]
    login_as(client, doctor)
    before = client.get("/my/calendar").get_data(as_text=True)
    assert "Google Calendar" not in before  # no address yet: nothing to subscribe to
    client.submit("/my/calendar/token", {}, page="/my/calendar")
    token = db.session.get(Doctor, doctor.doctor_id).calendar_token
    html = client.get("/my/calendar").get_data(as_text=True)
    feed = f"http://127.0.0.1:5000/calendar/{token}.ics"
    assert f'<input class="form-control font-monospace feed-url" id="feed-url" type="text" value="{feed}" readonly>' in html  # noqa: E501
    assert 'data-copy-from="feed-url"' in html and 'data-copied-text="Copied"' in html
    assert 'role="status"' in html  # the copy is announced to screen readers
    for app in ("Google Calendar", "Apple Calendar (iPhone, iPad, Mac)", "Outlook"):
        assert f">{app}</h3>" in html
    assert "Subscribe from web" in html and "New Calendar Subscription" in html
    assert f'href="webcal://127.0.0.1:5000/calendar/{token}.ics"' in html
    assert "https://calendar.google.com/calendar/r?cid=webcal%3A%2F%2F127.0.0.1%3A5000" in html
    # The copy button's script is a file of our own: the CSP allows no inline script.
    assert '<script src="/static/js/copy.js"></script>' in html
    assert "<script>" not in html
    assert client.get("/static/js/copy.js").status_code == 200


def test_the_calendar_instructions_are_in_the_doctors_language(client, users):
    login_as(client, users["doctor"])
    client.submit("/my/calendar/token", {}, page="/my/calendar")
    client.submit("/language", {"language": "kk", "next": "/my/calendar"}, page="/my/calendar")
    html = client.get("/my/calendar").get_data(as_text=True)
    assert "Мекенжайды көшіру" in html and "Google Күнтізбесі" in html
    assert 'data-copied-text="Көшірілді"' in html
