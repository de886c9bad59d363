"""Form errors are tied to their fields, so a screen reader says which field is wrong and why."""

from __future__ import annotations

from html.parser import HTMLParser

from somet.models import PlacementStatus
from tests.conftest import login_as
from tests.factories import (
    cohort_day,
    make_cohort,
    make_curriculum_item,
    make_department,
    make_enrollment,
    make_hospital,
    make_placement,
)


class _Elements(HTMLParser):
    """Each element's attributes by id, and the text inside elements that have an id."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.by_id: dict[str, dict] = {}
        self.text: dict[str, str] = {}
        self._open: list[str | None] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "id" in attributes:
            self.by_id[attributes["id"]] = attributes
        if tag not in ("input", "br", "meta", "link", "img", "hr"):
            self._open.append(attributes.get("id"))

    def handle_endtag(self, tag):
        if tag not in ("input", "br", "meta", "link", "img", "hr") and self._open:
            self._open.pop()

    def handle_data(self, data):
        for element_id in filter(None, self._open):
            self.text[element_id] = self.text.get(element_id, "") + data


def _elements(html: str) -> _Elements:
    parser = _Elements()
    parser.feed(html)
    return parser


def _described_by(page: _Elements, field_id: str) -> list[str]:
    """What a screen reader reads with the field: the texts its aria-describedby names."""
    ids = page.by_id[field_id].get("aria-describedby", "").split()
    return [" ".join(page.text.get(i, "").split()) for i in ids]


def test_an_empty_login_marks_each_field_invalid_and_reads_its_error(client):
    response = client.submit("/login", {"email": "", "password": ""}, page="/login")
    assert response.status_code == 200
    page = _elements(response.get_data(as_text=True))
    for field in ("email", "password"):
        assert page.by_id[field].get("aria-invalid") == "true"
        assert page.by_id[field]["aria-describedby"] == f"{field}-error"
        assert _described_by(page, field) == ["This field is required."]
    assert "aria-invalid" not in page.by_id["remember"]  # no error: nothing claimed


def test_a_valid_field_carries_no_error_attributes(client):
    response = client.submit("/login", {"email": "someone@example.org", "password": ""}, "/login")
    page = _elements(response.get_data(as_text=True))
    assert "aria-invalid" not in page.by_id["email"] and "email-error" not in page.by_id
    assert page.by_id["password"].get("aria-invalid") == "true"


def test_a_field_with_help_reads_the_help_and_then_the_error_in_the_users_language(
    client, users
):
    hospital = make_hospital(name="Rambam")
    surgery = make_department(hospital, name="Surgery", capacity=5)
    cohort = make_cohort(hosts=[hospital])
    item = make_curriculum_item(cohort, [surgery], days=3, name="Core surgery")
    placement = make_placement(
        make_enrollment(cohort), surgery, item, start_date=cohort_day(0),
        end_date=cohort_day(2), status=PlacementStatus.PROPOSED,
    )  # fmt: skip
    edit = f"/cohorts/{cohort.id}/placements/{placement.id}/edit"
    login_as(client, users["director"])
    assert "aria-invalid" not in client.get(edit).get_data(as_text=True)

    client.submit("/language", {"language": "ru", "next": edit}, page=edit)
    response = client.submit(edit, {"department_id": surgery.id, "start": "not a day"})
    page = _elements(response.get_data(as_text=True))
    assert page.by_id["start"].get("aria-invalid") == "true"
    assert page.by_id["start"]["aria-describedby"] == "start-help start-error"
    help_text, error = _described_by(page, "start")
    assert help_text.startswith("Блок охватывает рабочие дни ротации")
    assert error == "Обязательное поле."  # WTForms: an unreadable day is no day


def test_a_rotations_preference_box_with_an_error_says_so_and_the_others_claim_nothing(
    client, users
):
    """The curriculum writes its many preference boxes itself; a box with an error is still
    written by render_field, with its error tied to it."""
    hospital = make_hospital(name="Rambam")
    icu = make_department(hospital, name="ICU")
    radiology = make_department(hospital, name="Radiology")
    cohort = make_cohort(hosts=[hospital])
    page = f"/cohorts/{cohort.id}/curriculum"
    login_as(client, users["director"])
    rotation = {"new-name": "Electives", "new-specialty_mode": "departments", "new-days": "2"}
    too_many = {f"new-dept_{icu.id}": "500", f"new-dept_{radiology.id}": "1", "new-weight": "0"}
    response = client.submit(f"{page}/new", {**rotation, **too_many}, page=page)
    assert response.status_code == 400
    boxes = _elements(response.get_data(as_text=True))
    wrong, right = f"new-dept_{icu.id}", f"new-dept_{radiology.id}"
    assert boxes.by_id[wrong].get("aria-invalid") == "true"
    assert boxes.by_id[wrong]["aria-describedby"] == f"{wrong}-error"
    assert _described_by(boxes, wrong) == ["Number must be between 0 and 100."]
    assert boxes.by_id[right]["value"] == "1" and "aria-invalid" not in boxes.by_id[right]
    assert boxes.by_id[right]["type"] == "number" and boxes.by_id[right]["max"] == "100"
