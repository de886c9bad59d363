"""Journey: a busy host's coordinator walks the visiting doctors page by page (30 a page,
Previous and Next), every visitor once, and a past year's visits the same way. Through HTTP."""

import re
from datetime import date, timedelta

from somet.models import PlacementStatus, Role
from somet.portal.visits import VISITORS_PER_PAGE
from tests.conftest import login_as
from tests.factories import (
    make_cohort,
    make_department,
    make_doctor,
    make_enrollment,
    make_hospital,
    make_placement,
    make_user,
)


def _visitors(page: str) -> list[str]:
    """The names in the visitors table, in order."""
    body = re.search(r"<tbody>(.*?)</tbody>", page, re.S)
    return re.findall(r"<tr>\s*<td>([^<]+)", body.group(1)) if body else []


def _link(page: str, label: str) -> str | None:
    """The address of the Previous or Next link, None when it is disabled."""
    found = re.search(rf'<a class="page-link" href="([^"#]+)">{label}</a>', page)
    return found.group(1).replace("&amp;", "&") if found else None


def _walk(client, url: str) -> tuple[list[list[str]], str]:
    pages, page = [], ""
    while url:
        page = client.get(url).get_data(as_text=True)
        pages.append(_visitors(page))
        url = _link(page, "Next")
    return pages, page


def _host_with_visitors(hospital, cohort, count: int, prefix: str, status) -> None:
    department = make_department(hospital, name=f"Cardiology {prefix}")
    for n in range(count):
        make_placement(
            make_enrollment(cohort, doctor=make_doctor(first_name=f"{prefix}{n:02d}")),
            department, status=status, start_date=cohort.start_date,
            end_date=cohort.start_date + timedelta(days=4),
        )  # fmt: skip


def test_coordinator_walks_every_visitor_page_by_page(client, count_queries):
    hospital = make_hospital()
    coming = make_cohort(hosts=[hospital])
    past = make_cohort(hosts=[hospital], start_date=date(2025, 3, 2))
    _host_with_visitors(
        hospital, coming, VISITORS_PER_PAGE + 3, "Coming", PlacementStatus.CONFIRMED
    )
    _host_with_visitors(hospital, past, VISITORS_PER_PAGE + 1, "Past", PlacementStatus.COMPLETED)
    login_as(client, make_user(Role.COORDINATOR, hospital_id=hospital.id))

    with count_queries() as first_page:
        pages, last = _walk(client, "/hospital/visitors")
    assert [len(names) for names in pages] == [VISITORS_PER_PAGE, 3]
    walked = [name for names in pages for name in names]
    assert sorted(walked) == [f"Coming{n:02d} Nurlanovna" for n in range(VISITORS_PER_PAGE + 3)]
    assert "Page 2" in last and _link(last, "Next") is None
    assert _visitors(client.get(_link(last, "Previous")).get_data(as_text=True)) == pages[0]

    with count_queries() as second_page:
        client.get("/hospital/visitors?page=2")
    assert len(second_page) == len(first_page) // 2  # the same statements on every page

    pages, last = _walk(client, "/hospital/visitors?year=2025")
    assert [len(names) for names in pages] == [VISITORS_PER_PAGE, 1]
    assert len({name for names in pages for name in names}) == VISITORS_PER_PAGE + 1
    assert all(name.startswith("Past") for names in pages for name in names)
    assert "year=2025" in _link(last, "Previous")
