"""Journey: after `flask demo`, the director re-issues a cohort's certificates from its page
(a new template), follows the job to the end, and anyone holding an old certificate's link
learns it was replaced; then `flask certificates reissue` does it again from the command line
and says its rate per core. Only HTTP, the CLI and the job runner's own step: no factories,
real PDFs."""

from __future__ import annotations

import re

from somet.demo.data import DEMO_PASSWORD
from somet.jobs import operations as job_runner

VERIFY_LINK = re.compile(r'href="(/verify/[^"]+)"')
SERIAL = re.compile(r"/download\">(SOMET-[^<]+)</a>")


def _cohort_with_certificates(client) -> tuple[str, str]:
    """The certificates page (and its HTML) of the first cohort on the director's list that
    has issued certificates."""
    cohorts = client.get("/cohorts").get_data(as_text=True)
    for cohort_id in dict.fromkeys(re.findall(r'href="/cohorts/(\d+)"', cohorts)):
        page = f"/cohorts/{cohort_id}/certificates"
        html = client.get(page).get_data(as_text=True)
        if VERIFY_LINK.search(html):
            return page, html
    raise AssertionError("the demo has no cohort with certificates")


def test_director_reissues_a_demo_cohort_and_old_links_name_the_replacement(app, client, runner):
    assert runner.invoke(args=["demo"]).exit_code == 0
    response = client.submit(
        "/login", {"email": "director@example.org", "password": DEMO_PASSWORD}, page="/login"
    )
    assert response.status_code == 302
    page, before = _cohort_with_certificates(client)
    old_links, old_serials = VERIFY_LINK.findall(before), SERIAL.findall(before)
    assert old_links and len(old_links) == len(old_serials)
    assert "Re-issue all live certificates" in before

    client.submit(f"{page}/reissue", {"reason": ""}, page=page)
    assert "Give the reason for re-issuing" in client.get(page).get_data(as_text=True)
    assert client.get(f"{page}/reissue/progress.json").json["state"] == "none"

    client.submit(f"{page}/reissue", {"reason": "New certificate template"}, page=page)
    assert client.get(f"{page}/reissue/progress.json").json["state"] == "queued"
    assert job_runner.run_queued_jobs() == 1  # what the runner does on its next poll
    progress = client.get(f"{page}/reissue/progress.json").json
    total = len(old_links)
    assert progress == {"state": "succeeded", "done": total, "total": total, "error": None}

    after = client.get(page).get_data(as_text=True)
    new_serials = SERIAL.findall(after)
    assert len(new_serials) == total and not set(new_serials) & set(old_serials)
    assert f"Last re-issue: {total} re-issued, 0 no longer earned" in after
    new_link = VERIFY_LINK.findall(after)[0]
    pdf = client.get(re.search(r'href="(/certificates/\d+/download)"', after).group(1))
    assert pdf.data.startswith(b"%PDF-")

    # Anyone holding an old link (a scanned QR code) is told it was replaced, and by which.
    stranger = app.test_client()
    old = stranger.get(old_links[0]).get_data(as_text=True)
    assert 'data-status="revoked"' in old and "It was replaced by SOMET-" in old
    replacement = re.search(r"It was replaced by (SOMET-[^.]+)\.", old).group(1)
    assert replacement in new_serials
    assert 'data-status="valid"' in stranger.get(new_link).get_data(as_text=True)

    # The same job from the command line (e.g. after a key change), with its rate per core.
    cohort_id = re.search(r"/cohorts/(\d+)/", page).group(1)
    result = runner.invoke(
        args=["certificates", "reissue", "--cohort", cohort_id, "--reason", "New signing key",
              "--workers", "1"]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert f"{total} of {total}" in result.output and "per core" in result.output
    last = client.get(page).get_data(as_text=True)
    assert not set(SERIAL.findall(last)) & set(new_serials)
    assert 'data-status="revoked"' in stranger.get(new_link).get_data(as_text=True)
