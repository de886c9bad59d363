"""The cohort certificates page words each distinct incompleteness reason once per page."""

from __future__ import annotations

import somet.web.templating as templating
from tests.certificate_data import finished_cohort
from tests.conftest import login_as


def test_doctors_sharing_a_reason_get_it_worded_once_per_page(client, users, monkeypatch):
    worded = []
    original = templating.get_template_attribute

    def counting(template, name):
        macro = original(template, name)
        return lambda reason: worded.append(reason) or macro(reason)

    monkeypatch.setattr(templating, "get_template_attribute", counting)
    cohort, _ = finished_cohort(complete=1, incomplete=3)
    login_as(client, users["director"])
    page = client.get(f"/cohorts/{cohort.id}/certificates").get_data(as_text=True)
    assert page.count("<li>Core rotation: present 1 of the 3 days needed.</li>") == 3
    assert len(worded) == 1
