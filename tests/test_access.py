"""Role decorators and object-level loading through the owner."""

import pytest
from flask import Blueprint
from werkzeug.exceptions import NotFound

from somet.models import Placement, Role
from somet.web.access import get_visible_or_404, role_required
from tests.conftest import login_as
from tests.factories import make_department, make_enrollment, make_placement, make_user


def test_admin_pages_refuse_other_roles(client, users):
    assert client.get("/admin/users").status_code == 302  # anonymous: to the login page
    for role in ("director", "coordinator", "doctor"):
        login_as(client, users[role])
        assert client.get("/admin/users").status_code == 403
        client.submit("/logout", {}, page="/account/password")
    login_as(client, users["admin"])
    assert client.get("/admin/users").status_code == 200


def test_invite_page_is_for_admins_and_directors_only(client, users):
    for role, expected in (("coordinator", 403), ("doctor", 403), ("director", 200)):
        login_as(client, users[role])
        assert client.get("/admin/users/invite").status_code == expected
        client.submit("/logout", {}, page="/account/password")


def test_role_required_decorator_on_a_new_view(app):
    bp = Blueprint("probe", __name__)

    @bp.route("/probe")
    @role_required(Role.COORDINATOR)
    def probe():
        return "ok"

    app.register_blueprint(bp)
    coordinator = make_user(Role.COORDINATOR)
    doctor = make_user(Role.DOCTOR)
    client = app.test_client()
    login_as(client, doctor)
    assert client.get("/probe").status_code == 403
    client.submit("/logout", {}, page="/account/password")
    login_as(client, coordinator)
    assert client.get("/probe").get_data(as_text=True) == "ok"


def _as(app, user, fn):
    from flask_login import login_user

    with app.test_request_context():
        login_user(user)
        return fn()


def test_coordinator_reaches_only_its_own_hospitals_placements(app):
    department = make_department()
    mine = make_placement(department=department)
    theirs = make_placement()
    coordinator = make_user(Role.COORDINATOR, hospital_id=department.hospital_id)
    assert _as(app, coordinator, lambda: get_visible_or_404(Placement, mine.id)).id == mine.id
    with pytest.raises(NotFound):
        _as(app, coordinator, lambda: get_visible_or_404(Placement, theirs.id))


def test_doctor_reaches_only_its_own_placements(app):
    enrollment = make_enrollment()
    mine = make_placement(enrollment=enrollment)
    theirs = make_placement()
    doctor = make_user(Role.DOCTOR, doctor_id=enrollment.doctor_id)
    assert _as(app, doctor, lambda: get_visible_or_404(Placement, mine.id)).id == mine.id
    with pytest.raises(NotFound):
        _as(app, doctor, lambda: get_visible_or_404(Placement, theirs.id))
    director = make_user(Role.DIRECTOR)
    assert _as(app, director, lambda: get_visible_or_404(Placement, theirs.id)).id == theirs.id


def test_admin_deactivates_a_user_from_the_list(client, users):
    login_as(client, users["admin"])
    response = client.submit(
        f"/admin/users/{users['director'].id}/active", {"active": "0"}, page="/admin/users"
    )
    assert response.status_code == 302
    assert "deactivated" in client.get("/admin/users").get_data(as_text=True)
    own = client.submit(
        f"/admin/users/{users['admin'].id}/active", {"active": "0"}, page="/admin/users"
    )
    assert "cannot deactivate your own account" in client.get(own.headers["Location"]).get_data(
        as_text=True
    )
