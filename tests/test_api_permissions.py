"""Every API operation × token (tests/access_policy.py ``API_SCOPES``): no token is a 401,
a token without the operation's scope a 403, a hospital-limited token on another hospital's
object a 404; a revoked token a 401; a browser session authenticates nothing."""

from __future__ import annotations

from flask import current_app

from somet.api import operations as tokens
from somet.api.rules import SCOPES
from somet.models import ApiToken, Hospital, Role
from somet.web.extensions import db
from tests import factories
from tests.access_policy import API_SCOPES
from tests.api_data import bearer, make_token, make_world
from tests.conftest import login_as

BODIES = {
    "api.import_roster": {"rows": [{"first_name": "Aliya", "last_name": "Serikova"}]},
    "api.record_attendance": {"day": "2026-01-05", "status": "present"},
}


def _api_routes(app) -> list[tuple[str, str, object]]:
    found = []
    for rule in app.url_map.iter_rules():
        operation = getattr(app.view_functions[rule.endpoint], "api_operation", None)
        if operation is not None:
            found.append((f"{rule.endpoint} {operation.method}", operation, rule))
    return found


def _call(client, rule, method, objects, secret=None):
    url = rule.build({name: objects[name] for name in rule.arguments}, append_unknown=False)[1]
    headers = bearer(secret) if secret else {}
    return client.open(url, method=method, json=BODIES.get(rule.endpoint), headers=headers)


def _set_up(app):
    coordinator = factories.make_user(Role.COORDINATOR)
    home = db.session.get(Hospital, coordinator.hospital_id)
    return home, make_world(home)


def test_every_api_operation_is_declared_with_its_scope(app):
    routes = _api_routes(app)
    declared = {key: operation.scope for key, operation, _ in routes}
    assert declared == API_SCOPES


def test_each_operation_answers_each_token_as_the_policy_declares(app, client):
    home, world = _set_up(app)
    limited = make_token(hospital=home)
    mismatches, cells = [], 0
    for key, operation, rule in _api_routes(app):
        method = operation.method
        without = make_token([s for s in SCOPES if s != API_SCOPES[key]], name=f"no {key}")
        expected = {"no token": 401, "no scope": 403}
        got = {
            "no token": _call(client, rule, method, world["other"]).status_code,
            "no scope": _call(client, rule, method, world["other"], without).status_code,
        }
        if rule.arguments:  # another hospital's object, through a token limited to ours
            expected["other hospital"] = 404
            got["other hospital"] = _call(client, rule, method, world["other"], limited).status_code
        cells += len(got)
        if got != expected:
            mismatches.append(f"{key}: expected {expected}, got {got}")
    assert cells == 12 * 2 + 7  # every operation; the seven with an object id thrice
    assert not mismatches, "\n".join(mismatches)


def test_a_hospital_limited_token_reads_its_hospitals_objects_as_its_coordinator_would(app, client):
    home, world = _set_up(app)
    limited = bearer(make_token(hospital=home))
    own, other = world["own"], world["other"]
    for kind, plural in (("placement", "placements"), ("doctor", "doctors"),
                         ("masterclass", "masterclasses")):  # fmt: skip
        path = f"/api/v1/{plural}/"
        assert client.get(path + str(own[f"{kind}_id"]), headers=limited).status_code == 200
        assert client.get(path + str(other[f"{kind}_id"]), headers=limited).status_code == 404
    listed = client.get("/api/v1/placements", headers=limited).get_json()["items"]
    assert [p["id"] for p in listed] == [own["placement_id"]]
    # Cohorts and certificates are the centre's (staff pages): a coordinator sees none.
    assert client.get("/api/v1/cohorts", headers=limited).get_json()["items"] == []
    assert client.get("/api/v1/certificates", headers=limited).get_json()["items"] == []
    everything = client.get("/api/v1/placements", headers=bearer(make_token())).get_json()
    assert len(everything["items"]) == 2


def test_every_problem_is_problem_json_and_a_401_says_how_to_authenticate(app, client):
    response = client.get("/api/v1/cohorts")
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    problem = response.get_json()
    assert problem["status"] == 401 and problem["title"] == "Unauthorized" and problem["type"]
    unknown = client.get("/api/v1/no-such-thing", headers=bearer(make_token()))
    assert unknown.status_code == 404 and unknown.mimetype == "application/problem+json"
    wrong_method = client.delete("/api/v1/cohorts", headers=bearer(make_token()))
    assert wrong_method.status_code == 405 and wrong_method.get_json()["status"] == 405


def test_a_revoked_token_gets_401_from_its_next_request_on(app, client):
    secret = make_token()
    assert client.get("/api/v1/cohorts", headers=bearer(secret)).status_code == 200
    admin = factories.make_user(Role.ADMIN)
    token = db.session.scalar(db.select(ApiToken).order_by(ApiToken.id.desc()))
    tokens.revoke_token(admin, token)
    response = client.get("/api/v1/cohorts", headers=bearer(secret))
    assert response.status_code == 401 and response.get_json()["status"] == 401
    assert client.get("/api/v1/cohorts", headers=bearer(secret + "x")).status_code == 401
    assert client.get("/api/v1/cohorts", headers={"Authorization": secret}).status_code == 401


def test_a_browser_session_does_not_authenticate_the_api(app, client, users):
    _home, world = _set_up(app)
    login_as(client, users["director"])
    assert client.get("/api/v1/cohorts").status_code == 401
    before = db.session.scalar(db.select(db.func.count()).select_from(ApiToken))
    response = client.post(
        f"/api/v1/cohorts/{world['own']['cohort_id']}/roster",
        json=BODIES["api.import_roster"],
    )
    assert response.status_code == 401  # no CSRF token needed, and no session either
    assert "Serikova" not in client.get(f"/cohorts/{world['own']['cohort_id']}").get_data(
        as_text=True
    )
    assert db.session.scalar(db.select(db.func.count()).select_from(ApiToken)) == before
    assert current_app.config["SOMET_API_RATE_LIMIT"]
