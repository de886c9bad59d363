"""The director's workspace in a real browser: a ready cohort, a roster import, search."""

import pytest

from somet.cohorts.roster_files import write_xlsx
from somet.demo.data import DEMO_PASSWORD
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


def test_director_checks_the_demo_cohort_and_imports_two_more_doctors(
    live_server, new_page, tmp_path
):
    page = new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    # Logged in by hand: the login page also has a language form, whose button comes first.
    page.goto(f"{live_server.url}/login")
    page.fill("input[name=email]", "director@example.org")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("form:has(input[name=password]) button[type=submit]")
    page.wait_for_load_state("networkidle")
    page.click("nav >> text=Cohorts")
    page.click("text=Abay region — surgical specialties")
    assert "Ready to be scheduled." in page.inner_text("main")
    screenshot(page, "workspace-cohort-overview")
    page.click("main >> text=Curriculum")
    assert page.locator("input[value='Intensive care']").count() == 1
    screenshot(page, "workspace-curriculum")
    page.go_back()
    page.click("text=Import")
    upload = tmp_path / "roster.xlsx"
    upload.write_bytes(
        write_xlsx(
            [
                dict(first_name="Aliya", last_name="Sarsenbayeva", licence_number="KZ-AB-10245"),
                dict(first_name="Olzhas", last_name="Nurmagambetov", specialty="Astrology"),
            ]
        )
    )
    page.set_input_files("input[type=file]", str(upload))
    page.click("button:has-text('Check the file')")
    page.wait_for_url("**/roster/import/*")
    assert "Unknown specialty “Astrology”." in page.inner_text("main")
    screenshot(page, "workspace-import-preview")
    assert page.locator("button:has-text('Save these')").count() == 0
    page.click("nav >> text=Doctors")
    page.fill("input[name=q]", "ЕРЛАН")
    page.click("button:has-text('Search')")
    assert "Ерлан Беков" in page.inner_text("main")
    screenshot(page, "workspace-doctors-search")
    page.click("nav >> text=Cohorts")
    page.click("text=New cohort")
    page.click("button:has-text('Save')")
    assert "This field is required." in page.inner_text("main")
    screenshot(page, "workspace-new-cohort-errors")
    assert errors == []
