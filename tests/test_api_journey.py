"""Journey from the demo: an integration through the JSON API, over HTTP only.

The administrator creates two tokens on the integrations page (each read from the page the
one time it is shown): the ministry's registry lists the upcoming cohort and imports two
doctors into its roster, and the director sees them on the cohort's page; Rambam's HR system,
limited to Rambam, records a day of attendance that Rambam's coordinator then sees.
"""

from __future__ import annotations

import re

from somet.demo.data import DEMO_PASSWORD, UPCOMING_COHORT

DOCTORS = [
    {"first_name": "Aruzhan", "last_name": "Tulegenova", "specialty": "general-surgery",
     "licence_number": "KZ-API-0001", "country": "Kazakhstan", "region": "Abay region"},
    {"first_name": "Timur", "last_name": "Zhaksylykov", "specialty": "anaesthesiology",
     "licence_number": "KZ-API-0002", "country": "Kazakhstan", "region": "Abay region"},
]  # fmt: skip


def _logged_in(app, email: str):
    client = app.test_client()
    response = client.submit("/login", {"email": email, "password": DEMO_PASSWORD}, page="/login")
    assert response.status_code == 302
    return client


def _create_token(admin, name: str, scopes: list[str], hospital: str | None = None) -> str:
    form = admin.get("/admin/integrations/new").get_data(as_text=True)
    hospital_id = "0"
    if hospital:
        hospital_id = re.search(rf'<option value="(\d+)">{re.escape(hospital)}</option>', form)[1]
    page = admin.submit(
        "/admin/integrations/new", {"name": name, "scopes": scopes, "hospital_id": hospital_id}
    )
    assert page.status_code == 200
    return re.search(r'id="api-token"[^>]*value="(somet_[^"]+)"', page.get_data(as_text=True))[1]


def test_an_integration_imports_a_roster_and_a_hospital_records_attendance(app, runner):
    assert runner.invoke(args=["demo"]).exit_code == 0
    admin = _logged_in(app, "admin@example.org")
    registry = {"Authorization": "Bearer " + _create_token(
        admin, "Ministry registry", ["read:cohorts", "read:doctors", "write:rosters"]
    )}  # fmt: skip
    hr = {"Authorization": "Bearer " + _create_token(
        admin, "Rambam HR", ["read:placements", "write:attendance"],
        "Rambam Health Care Campus",
    )}  # fmt: skip
    listing = admin.get("/admin/integrations").get_data(as_text=True)
    assert "Ministry registry" in listing and "Rambam HR" in listing
    assert registry["Authorization"][7:] not in listing  # shown once, on creation only

    api = app.test_client()
    cohorts = api.get("/api/v1/cohorts?year=2027&status=planning", headers=registry).get_json()
    upcoming = next(c for c in cohorts["items"] if c["name"] == UPCOMING_COHORT["name"])
    imported = api.post(
        f"/api/v1/cohorts/{upcoming['id']}/roster", json={"rows": DOCTORS}, headers=registry
    )
    assert imported.status_code == 200, imported.get_data(as_text=True)
    assert imported.get_json()["counts"] == {"new": 2}
    on_roster = api.get(f"/api/v1/doctors?cohort_id={upcoming['id']}&search=Tulegenova",
                        headers=registry).get_json()["items"]  # fmt: skip
    assert [d["licence_number"] for d in on_roster] == ["KZ-API-0001"]

    director = _logged_in(app, "director@example.org")
    overview = director.get(f"/cohorts/{upcoming['id']}").get_data(as_text=True)
    assert "Tulegenova" in overview and "Zhaksylykov" in overview
    audit = admin.get("/admin/audit?action=roster.import").get_data(as_text=True)
    assert "integration:Ministry registry" in audit

    # Rambam's HR system: it sees Rambam's placements only, and records one day excused.
    placements = api.get("/api/v1/placements?status=completed&limit=200", headers=hr).get_json()
    assert placements["items"]
    assert {p["hospital_id"] for p in placements["items"]} == {
        placements["items"][0]["hospital_id"]
    }
    placement = api.get(f"/api/v1/placements/{placements['items'][0]['id']}", headers=hr).get_json()
    day = next(a["day"] for a in placement["attendance"] if a["status"] != "excused")
    recorded = api.post(f"/api/v1/placements/{placement['id']}/attendance",
                        json={"day": day, "status": "excused"}, headers=hr)  # fmt: skip
    assert recorded.status_code == 200, recorded.get_data(as_text=True)
    assert recorded.get_json()["changed"] is True
    assert api.post(f"/api/v1/cohorts/{upcoming['id']}/roster", json={"rows": DOCTORS},
                    headers=hr).status_code == 403  # no write:rosters scope  # fmt: skip

    coordinator = _logged_in(app, "coordinator@example.org")
    grid = coordinator.get(
        f"/attendance/departments/{placement['department_id']}/weeks/{day}",
        follow_redirects=True,
    ).get_data(as_text=True)
    cell = f"c{placement['id']}_{day.replace('-', '')}"
    assert re.search(rf'name="{cell}"[^>]*value="excused"[^>]*checked', grid)
    assert "Never" not in admin.get("/admin/integrations").get_data(as_text=True)
