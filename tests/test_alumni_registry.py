"""The alumni registry: every doctor who took part in a cohort, found by name in either script,
filtered by region, specialty, year, home institution and sponsor, paged, for staff only."""

from __future__ import annotations

import re

import pytest

from tests import factories
from tests.alumni_data import alumnus, attended, certificate, cohort_of
from tests.conftest import login_as

ROW_LINK = re.compile(r'href="/alumni/(\d+)"')


def listed(client, url: str) -> set[int]:
    """The doctors (ids) the registry page at ``url`` lists."""
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)[-800:]
    return {int(i) for i in ROW_LINK.findall(response.get_data(as_text=True))}


@pytest.fixture
def director(client, users):
    login_as(client, users["director"])
    return client


def test_registry_lists_only_doctors_who_took_part_in_a_cohort(director):
    cohort = cohort_of(2019)
    trained, _e, _p = alumnus(cohort)
    guest = factories.make_doctor()  # a masterclass guest: a doctor record, no cohort
    assert listed(director, "/alumni") == {trained.id}
    assert guest.id not in listed(director, "/alumni?q=Aigerim")


def test_director_finds_a_doctor_by_latin_or_cyrillic_name_in_any_case(director):
    cohort = cohort_of(2020)
    bekov, _e, _p = alumnus(
        cohort, first_name="Yerlan", last_name="Bekov", native_name="Ерлан Беков"
    )
    omarova, _e, _p = alumnus(
        cohort, first_name="Gulnara", last_name="Omarova", native_name="Гүлнара Омарова"
    )
    assert listed(director, "/alumni?q=ерлан") == {bekov.id}
    assert listed(director, "/alumni?q=ЕРЛАН") == {bekov.id}
    assert listed(director, "/alumni?q=BEKOV") == {bekov.id}
    assert listed(director, "/alumni?q=гүлнара") == {omarova.id}
    assert listed(director, "/alumni?q=omarova+гүлнара") == {omarova.id}
    assert listed(director, "/alumni?q=nobody") == set()


def test_each_filter_narrows_the_registry(director):
    old = cohort_of(2012, sponsor="Ministry of Health")
    new = cohort_of(2024, sponsor="Abay Health Department")
    a, _e, _p = alumnus(old, region="Abay region", specialty="cardiology",
                        home_institution="Semey Perinatal Centre")  # fmt: skip
    b, _e, _p = alumnus(new, region="Almaty region", specialty="anaesthesiology",
                        home_institution="Almaty City Hospital No. 4")  # fmt: skip
    assert listed(director, "/alumni") == {a.id, b.id}
    assert listed(director, "/alumni?region=almaty") == {b.id}
    assert listed(director, "/alumni?specialty=cardiology") == {a.id}
    assert listed(director, "/alumni?year=2012") == {a.id}
    assert listed(director, "/alumni?year=2024") == {b.id}
    assert listed(director, "/alumni?institution=perinatal") == {a.id}
    assert listed(director, "/alumni?sponsor=Abay+Health+Department") == {b.id}
    assert listed(director, "/alumni?year=2024&specialty=cardiology") == set()


def test_year_and_sponsor_must_be_the_same_cohorts(director):
    first = cohort_of(2015, sponsor="Ministry of Health")
    second = cohort_of(2021, sponsor="Abay Health Department")
    doctor, _e, _p = alumnus(first)
    factories.make_enrollment(second, doctor)
    assert listed(director, "/alumni?year=2021&sponsor=Abay+Health+Department") == {doctor.id}
    assert listed(director, "/alumni?year=2015&sponsor=Ministry+of+Health") == {doctor.id}
    assert listed(director, "/alumni?year=2015&sponsor=Abay+Health+Department") == set()


def test_the_filter_offers_the_cohorts_years_and_sponsors(director):
    cohort_of(2011, sponsor="Ministry of Health")
    cohort_of(2023, sponsor="Abay Health Department")
    html = director.get("/alumni").get_data(as_text=True)
    assert '<option value="2011">2011</option>' in html and '<option value="2023">' in html
    assert '<option value="2017">' not in html
    assert '<option value="Ministry of Health">' in html


def test_a_row_shows_years_hours_and_certificates_in_force(director):
    cohort = cohort_of(2018, hours_per_day=6.0)
    doctor, enrollment, _p = alumnus(cohort, present=3, absent=1, home_institution="Semey MU")
    factories.make_enrollment(cohort_of(2022), doctor)
    attended(doctor, 8.0, cohort)  # counted by the 2018 enrollment
    attended(doctor, 4.0)  # open to all: counted once, on its own
    certificate(doctor, enrollment, hours=26.0)
    certificate(doctor, enrollment, hours=26.0, revoked=True)
    html = director.get("/alumni").get_data(as_text=True)
    row = html[html.index(f'href="/alumni/{doctor.id}"') :]
    row = row[: row.index("</tr>")]
    assert "2018, 2022" in row and "Semey MU" in row
    cells = re.findall(r'class="text-end">([^<]*)</td>', row)
    assert cells == ["30", "1"]  # 3 present days x 6 h + 8 h + 4 h; the revoked one not counted


def test_registry_is_paged_and_links_keep_the_filters(director):
    cohort = cohort_of(2016)
    for n in range(30):
        alumnus(cohort, first_name=f"Aliya{n:02d}", specialty="urology")
    alumnus(cohort, first_name="Other", specialty="oncology")
    first = director.get("/alumni?specialty=urology").get_data(as_text=True)
    assert "30 doctors match." in first
    assert len(set(ROW_LINK.findall(first))) == 25
    assert "page=2" in first and "specialty=urology" in first[first.index("page=2") - 200 :]
    second = listed(director, "/alumni?specialty=urology&page=2")
    assert len(second) == 5
    assert not second & {int(i) for i in ROW_LINK.findall(first)}
    assert "Page 2 of 2" in director.get("/alumni?specialty=urology&page=2").get_data(as_text=True)


def test_the_unfiltered_registry_pages_through_everyone_once(director):
    """The landing page's statement is built once, its page a parameter: each page differs."""
    cohort = cohort_of(2017)
    everyone = {alumnus(cohort, first_name=f"Dana{n:02d}")[0].id for n in range(27)}
    first, second = listed(director, "/alumni"), listed(director, "/alumni?page=2")
    assert len(first) == 25 and len(second) == 2
    assert first | second == everyone
    assert listed(director, "/alumni") == first  # page 1 again, after page 2


def _history(count: int, cohort) -> None:
    for n in range(count):
        doctor, enrollment, _placement = alumnus(cohort, first_name=f"Bulk{n}")
        certificate(doctor, enrollment)
        attended(doctor, 2.0)


def test_registry_runs_the_same_statements_for_3_and_30_doctors(director, count_queries):
    def measure() -> int:
        with count_queries() as statements:
            assert director.get("/alumni?region=abay").status_code == 200
        return len(statements)

    _history(3, cohort_of(2014))
    few = measure()
    _history(27, cohort_of(2015))
    assert measure() == few


def test_a_filtered_registry_searches_once_for_its_page_and_its_count(director, count_queries):
    """The matching doctors are found once, then counted and sorted for the page: searching
    for the page and again for the count tested every name twice."""
    _history(3, cohort_of(2014))
    url = "/alumni?q=bulk&year=2014"
    director.get(url)
    with count_queries() as statements:
        html = director.get(url).get_data(as_text=True)
    assert "3 doctors match." in html
    page = next(s for s in statements if "certificates" in s and "LIMIT" in s)
    assert page.count("cohorts.start_date BETWEEN") == 1


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("year=abc", "No cohort took place in that year"),
        ("year=1850", "No cohort took place in that year"),
        ("specialty=astrology", "There is no such specialty"),
        ("sponsor=Nobody+at+all", "No cohort has that sponsor"),
        ("page=0", "Number must be"),
        ("page=abc", "Not a valid integer"),
        ("q=" + "x" * 101, "Field cannot be longer than 100"),
    ],
)
def test_a_bad_filter_value_is_refused_with_a_message_not_a_crash(director, query, message):
    cohort_of(2019)
    for url in (f"/alumni?{query}", f"/alumni/export.xlsx?{query}"):
        response = director.get(url)
        html = response.get_data(as_text=True)
        assert response.status_code == 400
        assert message in html and "A filter has a value that cannot be used" in html
        assert query.startswith("page") or 'aria-invalid="true"' in html  # the field says it


@pytest.mark.parametrize("url", ["/alumni", "/alumni/export.xlsx", "/alumni/{doctor}"])
def test_only_directors_and_administrators_reach_the_registry(client, users, url):
    doctor, _e, _p = alumnus(cohort_of(2019))
    url = url.format(doctor=doctor.id)
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    for role, expected in (("coordinator", 403), ("doctor", 403), ("admin", 200)):
        other = client.application.test_client()
        login_as(other, users[role])
        assert other.get(url).status_code == expected, role


def test_staff_see_alumni_in_the_menu_in_each_language(client, users):
    login_as(client, users["director"])
    assert ">Alumni<" in client.get("/").get_data(as_text=True)
    token = client.csrf_token()
    for language, word in (("ru", "Выпускники"), ("kk", "Түлектер")):
        client.post("/language", data={"language": language, "csrf_token": token, "next": "/"})
        assert word in client.get("/alumni").get_data(as_text=True)
    doctor = client.application.test_client()
    login_as(doctor, users["doctor"])
    assert 'href="/alumni"' not in doctor.get("/").get_data(as_text=True)


def test_the_registry_counts_each_doctor_who_took_part_once_with_or_without_filters(director):
    twice, _e, _p = alumnus(cohort_of(2019), first_name="Yerlan")
    factories.make_enrollment(cohort_of(2021), twice)
    alumnus(cohort_of(2020), first_name="Gulnara")
    factories.make_doctor()  # a masterclass guest: no cohort, not counted
    assert "2 doctors match." in director.get("/alumni").get_data(as_text=True)
    assert "1 doctor matches." in director.get("/alumni?q=yerlan").get_data(as_text=True)
    assert "1 doctor matches." in director.get("/alumni?year=2021").get_data(as_text=True)


def test_a_page_past_the_last_still_says_how_many_match(director):
    """The count rides on the page's rows; a page with no row counts apart."""
    cohort = cohort_of(2016)
    for n in range(3):
        alumnus(cohort, first_name=f"Aliya{n:02d}", specialty="urology")
    html = director.get("/alumni?specialty=urology&page=4").get_data(as_text=True)
    assert "3 doctors match." in html and not ROW_LINK.findall(html)
    assert "3 doctors match." in director.get("/alumni?page=9").get_data(as_text=True)


def test_percent_and_underscore_in_a_search_are_letters_not_wildcards(director):
    cohort = cohort_of(2019)
    odd, _e, _p = alumnus(cohort, first_name="Ai_gul", region="50% north")
    plain, _e, _p = alumnus(cohort, first_name="Aidgul", region="North")
    assert listed(director, "/alumni?q=ai_gul") == {odd.id}
    assert listed(director, "/alumni?region=50%25") == {odd.id}
    assert listed(director, "/alumni?q=%25") == set()
    assert plain.id in listed(director, "/alumni?region=north")
