"""Webhooks from the demo, through HTTP and the CLI only (no factories, no model writes).

The administrator subscribes the centre's HR system (a real HTTP server on this machine) to
hosts' decisions and revocations; Rambam's coordinator confirms one waiting request and
declines another; the director revokes a doctor's certificate; the delivery job
(``flask jobs run-now deliver-webhooks``) sends each event once, signed with the secret the
administrator's page shows, and a second run sends nothing.
"""

from __future__ import annotations

import re
import time

from somet.webhooks.rules import signature_problem
from tests.test_journey_evaluations import _logged_in, _page
from tests.webhook_receiver import Receiver


def _deliver(runner) -> str:
    result = runner.invoke(args=["jobs", "run-now", "deliver-webhooks"])
    assert result.exit_code == 0, result.output
    return result.output


def test_the_hr_system_hears_of_decisions_and_revocations_once_each(app, runner):
    assert runner.invoke(args=["demo"]).exit_code == 0
    with Receiver() as hr:
        admin = _logged_in(app, "admin@example.org")
        assert "No subscriptions yet." in _page(admin, "/admin/webhooks")
        subscribed = admin.submit(
            "/admin/webhooks/new",
            {
                "name": "HR system",
                "url": hr.url,
                "events": ["placement.confirmed", "placement.declined", "certificate.revoked"],
                "allow_private_network": "y",
            },
        )
        assert subscribed.status_code == 302
        subscription_page = subscribed.headers["Location"]
        secret = re.search(r'id="secret">([0-9a-f]{64})<', _page(admin, subscription_page))[1]

        coordinator = _logged_in(app, "coordinator@example.org")
        waiting = re.findall(r"/requests/(\d+)/confirm", _page(coordinator, "/requests"))
        confirmed, declined = waiting[0], waiting[1]
        answer = coordinator.submit(f"/requests/{confirmed}/confirm", {}, page="/requests")
        assert answer.status_code == 302
        reason = "Theatre closed for maintenance that week"
        answer = coordinator.submit(
            f"/requests/{declined}/decline", {"reason": reason}, page="/requests"
        )
        assert answer.status_code == 302

        doctor = _logged_in(app, "doctor@example.org")
        mine = _page(doctor, "/certificates/mine")
        certificate_id = re.search(r"/certificates/(\d+)/download", mine)[1]
        serial = re.search(r"SOMET-\d{4}-\d{6}", mine)[0]
        director = _logged_in(app, "director@example.org")
        revoked = director.submit(
            f"/certificates/{certificate_id}/revoke",
            {"reason": "Issued with the wrong hours"},
            page=f"/certificates/{certificate_id}/revoke",
        )
        assert revoked.status_code == 302

        assert _deliver(runner) == "deliver-webhooks ran (not recorded).\n"
        received = list(hr.received)
        assert len(received) == 3
        _deliver(runner)
        assert len(hr.received) == 3  # delivered once; the next run sends nothing

    by_type = {}
    for delivery in received:
        header = delivery.headers["SOMET-Signature"]
        assert signature_problem(secret, header, delivery.body, int(time.time())) is None
        by_type[delivery.document["type"]] = delivery.document["data"]
    assert by_type["placement.confirmed"]["placement"]["id"] == int(confirmed)
    assert by_type["placement.declined"]["placement"]["decline_reason"] == reason
    assert by_type["certificate.revoked"]["certificate"]["serial"] == serial
    deliveries = _page(admin, subscription_page)
    assert deliveries.count(">delivered ") + deliveries.count(">delivered<") >= 3
