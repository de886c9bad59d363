"""The administrator's user list: newest first, a search by name or e-mail and a role filter,
paged by Newer/Older (no count of every user on each view)."""

from __future__ import annotations

import html
import re

from somet.accounts.views.users import USERS_PER_PAGE
from somet.models import Role
from tests import factories
from tests.conftest import login_as


def _page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return html.unescape(response.get_data(as_text=True))


def _names(page: str) -> list[str]:
    return re.findall(r"<td>(Trainee \d+)</td>", page)


def test_an_admin_finds_a_user_by_name_or_e_mail_and_by_role(client, users):
    factories.make_user(Role.DOCTOR, full_name="Ерлан Нұрланұлы", email="erlan@clinic.kz")
    factories.make_user(Role.COORDINATOR, full_name="Dana Seitova", email="dana_s@haifa.example")
    factories.make_user(Role.COORDINATOR, full_name="Asel Omarova", email="danaxs@haifa.example")
    login_as(client, users["admin"])
    assert "Ерлан Нұрланұлы" in _page(client, "/admin/users?q=ерлан")
    found = _page(client, "/admin/users?q=dana_s")  # "_" is a letter, not a wildcard
    assert "Dana Seitova" in found and "Asel Omarova" not in found
    coordinators = _page(client, "/admin/users?role=coordinator")
    assert "Dana Seitova" in coordinators and "Asel Omarova" in coordinators
    assert "Ерлан Нұрланұлы" not in coordinators
    assert "No user matches." in _page(client, "/admin/users?q=nobody+here")
    assert _page(client, "/admin/users?role=pilot&before=x")  # unknown values: ignored


def test_the_user_list_pages_newest_first_keeping_its_filter(client, users, count_queries):
    for n in range(USERS_PER_PAGE + 3):
        factories.make_user(Role.DOCTOR, full_name=f"Trainee {n:03d}")
    login_as(client, users["admin"])
    with count_queries() as statements:
        newest = _page(client, "/admin/users?role=doctor")
    assert len([s for s in statements if not s.startswith("BEGIN")]) == 2  # no total count
    assert _names(newest) == [f"Trainee {n:03d}" for n in range(USERS_PER_PAGE + 2, 2, -1)]
    assert "Page 1 of" not in newest
    (older,) = re.findall(r'href="(/admin/users\?[^"]*before=\d+[^"]*)"', newest)
    older_page = _page(client, older)
    assert _names(older_page) == ["Trainee 002", "Trainee 001", "Trainee 000"]
    assert 'value="doctor" selected' in older_page  # still the doctors only
    (newer,) = re.findall(r'href="(/admin/users\?[^"]*after=\d+[^"]*)"', older_page)
    assert _names(_page(client, newer)) == _names(newest)
