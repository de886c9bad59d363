"""The language switch: in the bar for every role and on the login page, working for all."""

from __future__ import annotations

import re

import pytest

from somet.models import Language, User
from somet.web.extensions import db
from tests.conftest import login_as

SWITCH = re.compile(r'<div class="language-switcher[^"]*"[^>]*role="group".*?</div>', re.S)
OPTION = re.compile(r'<button type="submit" name="language" value="(\w+)" lang="(\w+)"'
                    r' form="language-form"[^>]*>', re.S)  # fmt: skip


def _switches(html: str) -> list[str]:
    return SWITCH.findall(html)


def _nav(html: str) -> str:
    return html[html.index("<nav") : html.index("</nav>")]


def _check_options(switch: str, current: str) -> None:
    options = OPTION.findall(switch)
    assert [code for code, _lang in options] == ["en", "ru", "kk"]
    assert all(code == lang for code, lang in options)  # each named in its own language
    marked = re.findall(r'value="(\w+)"[^>]*aria-current="true"', switch)
    assert marked == [current]


@pytest.mark.parametrize("role", ["admin", "director", "coordinator", "doctor"])
def test_the_bar_shows_the_switch_to_every_role_outside_the_name_menu(client, users, role):
    login_as(client, users[role])
    html = client.get("/").get_data(as_text=True)
    nav = _nav(html)
    (switch,) = _switches(nav)
    _check_options(switch, "en")
    menu = nav[nav.index("dropdown-menu") :]
    assert 'name="language"' not in menu  # no longer hidden in the name menu
    assert 'id="language-form"' in html and 'action="/language"' in html


def test_the_login_page_offers_the_switch_in_the_bar_and_under_the_form(client):
    html = client.get("/login", headers={"Accept-Language": "ru"}).get_data(as_text=True)
    switches = _switches(html)
    assert len(switches) == 2
    for switch in switches:
        _check_options(switch, "ru")
    # Below 1400 px the bar names each language in three letters, the full name kept
    # for screen readers, so it fits beside the menu button on a 390 px phone.
    assert '<span class="d-xxl-none" aria-hidden="true">ҚАЗ</span>' in _nav(html)
    assert '<span class="visually-hidden d-xxl-none">Қазақша</span>' in _nav(html)


def test_an_anonymous_visitor_switches_from_the_login_page(client):
    assert "Log in to SOMET" in client.get("/login").get_data(as_text=True)
    response = client.submit("/language", {"language": "kk", "next": "/login"}, page="/login")
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert '<html lang="kk">' in html and "SOMET жүйесіне кіру" in html
    _check_options(_switches(html)[0], "kk")


def test_a_logged_in_user_switching_from_the_bar_keeps_it_on_the_account(client, users):
    director = users["director"]
    login_as(client, director)
    response = client.submit("/language", {"language": "ru", "next": "/cohorts"}, page="/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/cohorts")
    assert db.session.get(User, director.id).language == Language.RU
    html = client.get("/cohorts").get_data(as_text=True)
    assert '<html lang="ru">' in html
    _check_options(_switches(_nav(html))[0], "ru")
