"""The three journeys of SOMET in a real browser, as the people do them.

(a) The director imports a roster, plans the schedule and sends the requests.
(b) The coordinator confirms one request and declines another; the director re-plans.
(c) The doctor, on a phone, sees the programme, downloads a certificate and verifies it.

Every page is watched for JavaScript errors and failed requests to the app itself.
"""

from __future__ import annotations

import re
import threading

import pytest

from tests.browser.conftest import log_in, screenshot

pytestmark = pytest.mark.browser

COHORT = "Abay region — surgical specialties"
RAMBAM = "Rambam Health Care Campus"
CORE = "Core rotation in own specialty"
PHONE = dict(
    viewport={"width": 390, "height": 844},
    is_mobile=True,
    has_touch=True,
    device_scale_factor=2,
    accept_downloads=True,
)
# Two cardiologists for the whole stay (the columns are the import template's).
ROSTER_CSV = (
    "First name,Last name,Native name,Specialty,E-mail,Licence number,Arrival date,"
    "Departure date\n"
    "Dana,Omarova,Дана Омарова,Cardiology,dana@example.kz,KZ-AB-20001,2027-01-10,2027-01-21\n"
    "Nurlan,Sadykov,Нұрлан Садықов,Cardiology,,KZ-AB-20002,2027-01-10,2027-01-21\n"
)
NEW_DOCTORS = ("Dana Omarova", "Nurlan Sadykov")
REASON = "Our surgical team is at a congress that week"


class Watch:
    """What went wrong on a page: script errors and failed requests to the app itself."""

    def __init__(self, page, base_url: str):
        self.base_url = base_url
        self.problems: list[str] = []
        self.expected_aborts: set[str] = set()
        page.on("pageerror", lambda error: self.problems.append(f"script error: {error}"))
        page.on("response", self._on_response)
        page.on("requestfailed", self._on_failure)

    def _on_response(self, response) -> None:
        if response.url.startswith(self.base_url) and response.status >= 400:
            self.problems.append(f"{response.status} {response.request.method} {response.url}")

    def _on_failure(self, request) -> None:
        # A link answered with a file download ends its navigation as "aborted": expected.
        if request.url in self.expected_aborts:
            return
        # A script or style still loading when the page moves on is cancelled by the browser
        # (ERR_ABORTED): the app answered nothing wrong, so only navigations count here.
        if request.failure == "net::ERR_ABORTED" and not request.is_navigation_request():
            return
        if request.url.startswith(self.base_url):
            self.problems.append(f"failed {request.method} {request.url}: {request.failure}")


def watched(new_page, base_url: str, **options):
    page = new_page(**options)
    return page, Watch(page, base_url)


@pytest.fixture
def job_runner(live_server):
    """A stand-in for `flask jobs run`: plans too big to solve at once run in the background."""
    from somet.jobs.operations import run_queued_jobs

    stop = threading.Event()

    def work():
        with live_server.app.app_context():
            while not stop.wait(0.3):
                run_queued_jobs()

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    yield
    stop.set()
    thread.join(timeout=60)


def open_cohort(page) -> None:
    page.click("nav >> text=Cohorts")
    page.click(f"main >> text={COHORT}")
    page.wait_for_url(re.compile(r"/cohorts/\d+$"))


def wait_for_plan(page) -> None:
    """After "Plan schedule": a background plan shows progress and the page reloads when done."""
    page.wait_for_url(re.compile(r"/cohorts/\d+/timeline$"))
    page.locator("[data-plan-progress]").wait_for(state="detached", timeout=45_000)
    page.locator(".plan-summary").wait_for()


def titles_of(page, doctor: str) -> list[str]:
    """The titles of a doctor's segments on the timeline: where, what, when and in which state."""
    row = page.locator("table.plan-grid tbody tr").filter(  # English: given name first
        has=page.locator("th.plan-head", has_text=doctor)
    )
    return [segment.get_attribute("title") for segment in row.locator(".tl-seg[title]").all()]


def confirmed_titles(page, doctor: str) -> list[str]:
    titles = [t for t in titles_of(page, doctor) if t.endswith("confirmed")]
    assert titles, f"{doctor} has no confirmed placement on the timeline"
    return titles


def import_roster(page, folder) -> None:
    """The director uploads a CSV, checks the preview and saves it."""
    page.click("main >> a:has-text('Import')")
    roster = folder / "abay-cardiologists.csv"
    roster.write_text(ROSTER_CSV, encoding="utf-8")
    page.set_input_files("input[type=file]", str(roster))
    page.click("button:has-text('Check the file')")
    page.wait_for_url("**/roster/import/*")
    preview = page.inner_text("main")
    assert "2 new" in preview and "0 invalid" in preview
    assert "Дана Омарова" in preview and "KZ-AB-20002" in preview
    screenshot(page, "journey-a-1-import-preview")
    page.click("button:has-text('Save these 2 rows')")
    page.wait_for_url("**/roster/imported?*")
    result = page.inner_text("main")
    assert "Roster imported: 2 new, 0 known, 0 updated." in result
    assert "Cannot be invited: no e-mail address." in result  # Nurlan gave none
    page.click("button:has-text('Invite the new doctor to the portal')")
    page.wait_for_url(re.compile(r"/cohorts/\d+(#roster)?$"))


def send_requests(page) -> None:
    """The director sends every proposed placement (and confirms the browser's question)."""
    send = page.locator("main button:has-text('Send')")
    sent = int(re.search(r"\d+", send.inner_text()).group())
    page.once("dialog", lambda dialog: dialog.accept())  # "Send every proposed placement…?"
    send.click()
    page.wait_for_load_state("networkidle")
    assert f"{sent} requests sent to the host hospitals." in page.inner_text("main")


def test_director_imports_a_roster_plans_the_schedule_and_sends_the_requests(
    live_server, new_page, job_runner, tmp_path
):
    page, watch = watched(new_page, live_server.url)
    log_in(page, live_server.url, "director@example.org")
    open_cohort(page)
    assert "Roster (20)" in page.inner_text("main")
    import_roster(page, tmp_path)
    overview = page.inner_text("main")
    assert "1 doctor is invited to the portal." in overview
    assert "Roster (22)" in overview and "Nurlan Sadykov" in overview

    page.click(".planning-panel button:has-text('Plan schedule')")
    wait_for_plan(page)
    # The flash differs (solved at once or in the background); the plan's summary does not.
    assert re.search(r"\d+ placements proposed", page.inner_text(".plan-summary"))
    for doctor in NEW_DOCTORS:
        titles = titles_of(page, doctor)
        assert any(CORE in t and "Cardiology" in t and "proposed" in t for t in titles), titles
    assert page.locator(".tl-seg.tl-proposed").count() > 0
    screenshot(page, "journey-a-2-timeline-planned")

    send_requests(page)
    assert page.locator(".tl-seg.tl-proposed").count() == 0
    assert page.locator("main button:has-text('Send')").count() == 0
    for doctor in NEW_DOCTORS:
        assert all(t.endswith("requested") for t in titles_of(page, doctor))
    screenshot(page, "journey-a-3-requests-sent")
    assert watch.problems == []


def department_card(page, name: str):
    """The coordinator's requests for one department (a card headed by its name)."""
    return page.locator(".card").filter(has=page.locator(".card-header h2", has_text=name))


def answer_requests(page) -> tuple[str, str]:
    """The coordinator declines a core rotation in General Surgery, confirms intensive care."""
    to_decline = department_card(page, "General Surgery").locator("tr[id^='request-']")
    to_decline = to_decline.filter(has_text=CORE).first
    declined = to_decline.locator("td").nth(1).inner_text().splitlines()[0]
    to_decline.locator("input[name=reason]").fill(REASON)
    to_decline.locator("button:has-text('Decline')").click()
    page.wait_for_load_state("networkidle")
    assert "Declined; the programme director is told." in page.inner_text("main")

    to_confirm = department_card(page, "General Intensive Care").locator("tr[id^='request-']").first
    confirmed = to_confirm.locator("td").nth(1).inner_text().splitlines()[0]
    to_confirm.locator("button:has-text('Confirm')").click()
    page.wait_for_load_state("networkidle")
    assert "Confirmed." in page.inner_text("main")
    return declined, confirmed


def test_coordinator_confirms_and_declines_then_the_director_replans(
    live_server, new_page, job_runner
):
    host, host_watch = watched(new_page, live_server.url)
    log_in(host, live_server.url, "coordinator@example.org")
    host.click("nav >> text=Requests")
    assert RAMBAM in host.inner_text("main")
    declined, confirmed = answer_requests(host)
    answers = host.locator("table").filter(has_text="Reason").last.inner_text()
    assert declined in answers and confirmed in answers and REASON in answers
    screenshot(host, "journey-b-1-coordinator-answered")

    page, watch = watched(new_page, live_server.url)
    log_in(page, live_server.url, "director@example.org")
    open_cohort(page)
    page.click(".planning-panel a:has-text('Timeline')")
    declined_table = page.locator("table").filter(has_text="Declined by").inner_text()
    assert declined in declined_table and REASON in declined_table

    confirmed_before = confirmed_titles(page, confirmed)
    page.click("main button:has-text('plan')")  # "Re-plan" (or "Plan schedule")
    wait_for_plan(page)
    assert confirmed_titles(page, confirmed) == confirmed_before  # kept as it was
    # The declined core rotation is placed again, but not in the department that declined.
    core = [t for t in titles_of(page, declined) if CORE in t]
    assert core and not any(f"General Surgery ({RAMBAM})" in t for t in core), core
    change = page.locator(".plan-summary tr.change-replaces_declined").filter(has_text=declined)
    assert "replaces a declined placement" in change.inner_text()
    screenshot(page, "journey-b-2-replanned-with-changes")
    assert host_watch.problems == [] and watch.problems == []


def assert_fits_phone(page) -> None:
    """Nothing wider than the phone's screen: no sideways scrolling to read the page."""
    width = page.evaluate("document.documentElement.scrollWidth")
    screen = PHONE["viewport"]["width"]
    assert width <= screen, f"{page.url} is {width}px wide on a {screen}px phone screen"


def download_certificate(page, row, watch) -> None:
    """Tap "Download PDF": a real file arrives, and it is a PDF."""
    link = row.locator("a[href$='/download']")
    # A link answered with a download ends its navigation as "aborted": not a failure.
    watch.expected_aborts.add(watch.base_url + link.get_attribute("href"))
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"


def test_doctor_on_a_phone_sees_the_programme_downloads_and_verifies_a_certificate(
    live_server, new_page
):
    page, watch = watched(new_page, live_server.url, **PHONE)
    log_in(page, live_server.url, "doctor@example.org")  # her pages are in Russian
    assert COHORT in page.inner_text("main")
    # One timeline per programme: last year's (completed) and the upcoming one.
    assert page.locator(".programme-timeline").count() == 2
    assert page.locator(".programme-timeline .timeline-bar").count() >= 3
    assert_fits_phone(page)
    screenshot(page, "journey-c-1-doctor-programme-phone")

    page.click(".navbar-toggler")
    page.wait_for_selector("#main-nav.show")  # the collapse animation has finished
    page.click("#main-nav a[href='/certificates/mine']")
    row = page.locator("main table tbody tr").filter(has=page.locator("a[href$='/download']")).first
    serial = row.locator("td").first.inner_text().strip()
    screenshot(page, "journey-c-2-certificates-phone")
    assert_fits_phone(page)
    download_certificate(page, row, watch)

    row.locator("a[href*='/verify/']").click()
    page.wait_for_url("**/verify/*")
    valid = page.locator("[data-status=valid]")
    assert valid.is_visible() and serial in valid.inner_text()
    assert_fits_phone(page)
    screenshot(page, "journey-c-3-verification-phone")

    # The same link works for anyone (an employer scanning the QR code), without logging in.
    stranger, stranger_watch = watched(new_page, live_server.url, **PHONE)
    stranger.goto(page.url)
    assert serial in stranger.locator("[data-status=valid]").inner_text()
    assert watch.problems == [] and stranger_watch.problems == []
