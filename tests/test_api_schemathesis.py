"""schemathesis against the API's own OpenAPI document: generated requests (valid and
invalid) for every operation, with a token of every scope and with a hospital-limited one,
get no server error and only answers the document declares (status, content type, schema).
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode, checks

from somet.models import Hospital, Role
from somet.web.extensions import db
from tests import factories
from tests.api_data import bearer, make_token, make_world

CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]
EXAMPLES = 8  # per operation and generation mode: the run stays well under a minute


def _probe_every_operation(app, secret: str) -> int:
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    calls = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                derandomize=True,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            def probe(case):
                nonlocal calls
                calls += 1
                case.call_and_validate(headers=bearer(secret), checks=CHECKS)

            probe()
    return calls


@pytest.fixture
def world(app):
    app.config["SOMET_API_RATE_LIMIT"] = "100000 per minute"
    coordinator = factories.make_user(Role.COORDINATOR)
    home = db.session.get(Hospital, coordinator.hospital_id)
    return home, make_world(home)


def test_every_operation_answers_as_documented_with_every_scope(app, world):
    calls = _probe_every_operation(app, make_token())
    assert calls >= 12 * 2  # every operation was called, in both modes


def test_every_operation_answers_as_documented_for_a_hospital_limited_token(app, world):
    home, _ = world
    calls = _probe_every_operation(app, make_token(hospital=home))
    assert calls >= 12 * 2
