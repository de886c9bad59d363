"""Every route × every role against the declared policy (tests/access_policy.py).

The routes come from the app's URL map, so a new route without a policy entry fails here.
Object routes are probed with another hospital's and another doctor's objects.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from flask import current_app

from somet.api import operations as api_tokens
from somet.documents.operations import store_document_file
from somet.models import (
    BudgetLine,
    BudgetUnit,
    Cost,
    CostCategory,
    DepartmentClosure,
    Evaluation,
    EvaluationDirection,
    EvaluationForm,
    FlightLeg,
    Hospital,
    HospitalHoliday,
    HotelStay,
    JobRun,
    Role,
    Transfer,
    WebhookDelivery,
    WebhookDeliveryStatus,
    WebhookSubscription,
)
from somet.web.extensions import db
from tests import factories
from tests.access_policy import ALLOW, LOGIN, POLICY, ROLES
from tests.api_data import make_certificate
from tests.conftest import login_as

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
NOT_PROBED = {"static"}  # files, no permission logic
# The JSON API authenticates by bearer token, never by the session, so it is exempt from
# CSRF; tests/test_api_permissions.py probes it per token scope.
TOKEN_AUTHENTICATED = "api."
SESSION_ENDERS = {"auth.logout"}  # probed last: they end the role's session


@pytest.fixture
def make_world(users):
    """A fresh set of somebody else's objects for each role (POSTs may delete some)."""
    return lambda: _world(users)


def _world(users) -> dict:
    mine = users["coordinator"].hospital_id
    other_hospital = factories.make_hospital()
    other_department = factories.make_department(other_hospital)
    own_department = factories.make_department(db.session.get(Hospital, mine))
    cohort = factories.make_cohort(hosts=[other_hospital])
    other_doctor = factories.make_doctor()
    enrollment = factories.make_enrollment(cohort, other_doctor)
    item = factories.make_curriculum_item(cohort, [other_department])
    placement = factories.make_placement(enrollment, other_department, item)
    masterclass = factories.make_masterclass(cohort_id=cohort.id)
    registration = factories.make_registration(masterclass, other_doctor)
    spare_user = factories.make_user(Role.DIRECTOR)
    holiday = factories._save(
        HospitalHoliday(hospital_id=other_hospital.id, day=date(2027, 4, 22), name="Passover")
    )
    closure = factories._save(
        DepartmentClosure(department_id=other_department.id, day=date(2027, 3, 9))
    )
    requirement = factories.make_document_requirement(other_hospital)
    document = factories.make_travel_document(other_doctor)
    notification = factories.make_notification(spare_user)
    form = factories._save(
        EvaluationForm(name="Matrix form", direction=EvaluationDirection.OF_DOCTOR)
    )
    evaluation = factories._save(
        Evaluation(
            placement_id=placement.id,
            department_id=placement.department_id,
            direction=EvaluationDirection.OF_DEPARTMENT,
            form_id=form.id,
            expires_at=datetime(2099, 1, 1, tzinfo=UTC),
        )
    )
    run = factories._save(
        JobRun(
            job_id="plan-cohort:0",
            scheduled_for=datetime.now(UTC),
            params={"name": "plan-cohort", "actor_id": spare_user.id},
        )
    )
    subscription = factories._save(
        WebhookSubscription(
            name="Matrix HR",
            url="https://93.184.216.34/hook",
            events=["placement.confirmed"],
            secret="0" * 64,
        )
    )
    delivery = factories._save(
        WebhookDelivery(
            subscription_id=subscription.id, event_id="matrix", event="placement.confirmed",
            body="{}", status=WebhookDeliveryStatus.FAILED,
        )
    )  # fmt: skip
    leg, transfer, stay = _travel(cohort)
    line, cost = _budget(cohort, enrollment)
    return {
        "subscription_id": subscription.id,
        "delivery_id": delivery.id,
        "own_hospital_id": mine,
        "hospital_id": other_hospital.id,
        "department_id": other_department.id,
        "own_department_id": own_department.id,
        "cohort_id": cohort.id,
        "doctor_id": other_doctor.id,
        "enrollment_id": enrollment.id,
        "item_id": item.id,
        "placement_id": placement.id,
        "masterclass_id": masterclass.id,
        "registration_id": registration.id,
        "certificate_id": make_certificate(other_doctor, enrollment).id,
        "user_id": spare_user.id,
        "holiday_id": holiday.id,
        "closure_id": closure.id,
        "requirement_id": requirement.id,
        "document_id": document.id,
        "notification_id": notification.id,
        "form_id": form.id,
        "evaluation_id": evaluation.id,
        "run_id": run.id,
        "leg_id": leg.id,
        "transfer_id": transfer.id,
        "stay_id": stay.id,
        "line_id": line.id,
        "cost_id": cost.id,
        "api_token_id": make_token(name="Matrix registry").token.id,
        "job_id": "nightly-lifecycle",
        "week": "2027-03-07",
        "kind": "csv",
        "day": date(2027, 3, 8).isoformat(),
    }


def _travel(cohort) -> tuple[FlightLeg, Transfer, HotelStay]:
    """The other cohort's group flight, transfer and hotel (issue 24)."""
    at = datetime(2027, 3, 6, 1, 10, tzinfo=UTC)
    leg = FlightLeg(cohort_id=cohort.id, carrier="Air Astana", flight_number="KC 281",
                    from_airport="ALA", to_airport="TLV", departs_at=at,
                    departure_timezone="Asia/Almaty", arrives_at=at.replace(hour=8),
                    arrival_timezone="Asia/Jerusalem")  # fmt: skip
    transfer = Transfer(cohort_id=cohort.id, departs_at=at, timezone="Asia/Jerusalem",
                        from_place="TLV", to_place="Hotel")  # fmt: skip
    stay = HotelStay(cohort_id=cohort.id, hotel_name="Dan", address="Haifa",
                     check_in=date(2027, 3, 6), check_out=date(2027, 3, 19))  # fmt: skip
    return factories._save(leg), factories._save(transfer), factories._save(stay)


def _budget(cohort, enrollment) -> tuple[BudgetLine, Cost]:
    """A budget line and a cost with its stored invoice (the world's cohort's money)."""
    line = factories._save(
        BudgetLine(
            cohort_id=cohort.id,
            category=CostCategory.FLIGHTS,
            currency="KZT",
            unit=BudgetUnit.PER_DOCTOR,
            unit_amount=Decimal("415000.00"),
            quantity=Decimal(1),
        )
    )
    name = store_document_file(current_app.config["SOMET_STORAGE_DIR"], b"%PDF-1.7 invoice")
    cost = factories._save(
        Cost(
            cohort_id=cohort.id,
            budget_line_id=line.id,
            enrollment_id=enrollment.id,
            category=CostCategory.FLIGHTS,
            currency="KZT",
            amount=Decimal("415000.00"),
            incurred_on=date(2027, 1, 5),
            invoice_storage_name=name,
            invoice_filename="invoice.pdf",
            invoice_content_type="application/pdf",
        )
    )
    return line, cost


def make_token(name: str):
    """An integration token, created by an administrator through the token operation."""
    return api_tokens.create_token(factories.make_user(Role.ADMIN), name, ["read:cohorts"], None)


# How each URL variable is filled: from the world, or a value that names nothing real.
UNKNOWN_SECRETS = {"token": "not-a-real-token", "code": "not-a-real-code"}


def _url_for_rule(rule, world) -> str | None:
    values = {}
    for name in rule.arguments:
        if name in world:
            values[name] = world[name]
        elif name in UNKNOWN_SECRETS:
            values[name] = UNKNOWN_SECRETS[name]
        else:
            return None
    return rule.build(values, append_unknown=False)[1]


def _outcome(response) -> str | int:
    status = response.status_code
    if status in (302, 303) and "/login" in response.headers.get("Location", ""):
        return LOGIN
    if status in (401, 403, 404, 405) or status >= 500:
        return status
    return ALLOW


def _cells(app, world):
    cells, unknown_params, missing_policy = [], [], []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in NOT_PROBED:
            continue
        url = _url_for_rule(rule, world)
        if url is None:
            unknown_params.append(f"{rule.endpoint} {rule.rule}")
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            key = f"{rule.endpoint} {method}"
            if key not in POLICY:
                missing_policy.append(key)
                continue
            cells.append((rule.endpoint, method, url))
    cells.sort(key=lambda cell: cell[0] in SESSION_ENDERS)
    return cells, unknown_params, missing_policy


def _client_for(app, role, users):
    client = app.test_client()
    if role != "anonymous":
        login_as(client, users[role])
    token = client.csrf_token("/login" if role == "anonymous" else "/account/password")
    return client, token


def test_every_route_answers_each_role_as_the_policy_declares(app, users, make_world):
    cells, unknown_params, missing_policy = _cells(app, make_world())
    assert not missing_policy, "routes without a policy entry:\n" + "\n".join(missing_policy)
    assert not unknown_params, "routes whose URL variables the world can't fill:\n" + "\n".join(
        unknown_params
    )
    mismatches, tested = [], 0
    for role in ROLES:
        cells, _, _ = _cells(app, make_world())
        client, token = _client_for(app, role, users)
        for endpoint, method, url in cells:
            if method == "GET":
                response = client.get(url)
            else:
                response = client.open(url, method=method, data={"csrf_token": token})
            tested += 1
            expected, got = POLICY[f"{endpoint} {method}"][role], _outcome(response)
            if got != expected:
                mismatches.append(f"{role:<11} {method:<6} {url} expected {expected}, got {got}")
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "permission-matrix.json").write_text(
        json.dumps({"routes": len(cells), "cells": tested, "mismatches": mismatches}, indent=2)
    )
    print(f"permission matrix: {len(cells)} route-methods x {len(ROLES)} roles = {tested} cells")
    assert not mismatches, "\n".join(mismatches)


def test_every_state_changing_route_refuses_a_post_without_its_csrf_token(app, users, make_world):
    cells, _, _ = _cells(app, make_world())
    client = app.test_client()
    login_as(client, users["director"])
    accepted = []
    for endpoint, method, url in cells:
        if (
            method == "GET"
            or endpoint in SESSION_ENDERS
            or endpoint.startswith(TOKEN_AUTHENTICATED)
        ):
            continue
        response = client.open(url, method=method, data={})
        if response.status_code != 400:
            accepted.append(f"{method} {url}: {response.status_code}")
    assert not accepted, "accepted without a CSRF token:\n" + "\n".join(accepted)
