"""Masterclasses: scheduling in local time, places left, waitlist promotion, blocked days."""

import re
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select

from somet.masterclasses.operations import masterclass_days_for
from somet.models import (
    CohortStatus,
    Doctor,
    EnrollmentStatus,
    Language,
    Masterclass,
    Notification,
    PlacementStatus,
    Registration,
    RegistrationStatus,
    Role,
)
from somet.web.extensions import db
from tests.conftest import login_as
from tests.factories import (
    make_cohort,
    make_department,
    make_enrollment,
    make_hospital,
    make_masterclass,
    make_placement,
    make_registration,
    make_user,
)

SOON = datetime.now(UTC) + timedelta(days=30)


def _form(**overrides) -> dict:
    data = {
        "title": "Laparoscopic hernia repair",
        "lead_specialist": "Prof. Dana Mor",
        "lead_title": "Head of Surgery, Rambam",
        "venue": "Hall B",
        "city": "Almaty",
        "country": "Kazakhstan",
        "timezone": "Asia/Almaty",
        "starts_local": "2027-04-02T10:00",
        "ends_local": "2027-04-02T16:00",
        "capacity": "12",
        "credit_hours": "6",
        "hospital_id": "0",
        "cohort_id": "0",
    }
    data.update(overrides)
    return data


def _doctor(cohort=None):
    enrollment = make_enrollment(cohort) if cohort else make_enrollment()
    return make_user(Role.DOCTOR, doctor_id=enrollment.doctor_id)


def test_director_schedules_a_masterclass_in_the_venues_local_time(client, users):
    login_as(client, users["director"])
    response = client.submit("/masterclasses/new", _form())
    assert response.status_code == 302
    masterclass = db.session.scalars(select(Masterclass)).one()
    # 10:00 in Almaty (UTC+5) is 05:00 UTC.
    assert masterclass.starts_at == datetime(2027, 4, 2, 5, 0, tzinfo=UTC)
    assert masterclass.ends_at == datetime(2027, 4, 2, 11, 0, tzinfo=UTC)
    assert (masterclass.timezone, masterclass.capacity, masterclass.credit_hours) == (
        "Asia/Almaty",
        12,
        6.0,
    )
    page = client.get(f"/masterclasses/{masterclass.id}/edit").get_data(as_text=True)
    assert 'value="2027-04-02T10:00"' in page  # edited in local time again


def test_a_masterclass_ending_before_it_starts_is_refused_and_not_saved(client, users):
    login_as(client, users["director"])
    response = client.submit("/masterclasses/new", _form(ends_local="2027-04-02T09:00"))
    assert response.status_code == 200
    assert "must end after it starts" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Masterclass.id))) == 0


def test_a_class_is_opened_to_cohorts_not_yet_archived_or_to_the_one_it_has(client, users):
    """Settled cohorts would make the "Open to" list grow with years of history."""
    coming, settled = make_cohort(name="Coming cohort"), make_cohort(name="Settled cohort")
    settled.status = CohortStatus.ARCHIVED
    kept = make_cohort(name="Its own settled cohort", status=CohortStatus.ARCHIVED)
    masterclass = make_masterclass(cohort_id=kept.id)
    db.session.commit()
    login_as(client, users["director"])
    new = client.get("/masterclasses/new").get_data(as_text=True)
    assert f'<option value="{coming.id}">Coming cohort</option>' in new
    assert "Settled cohort" not in new and "Its own settled cohort" not in new
    edit = client.get(f"/masterclasses/{masterclass.id}/edit").get_data(as_text=True)
    assert f'<option selected value="{kept.id}">Its own settled cohort</option>' in edit
    assert "Coming cohort" in edit and ">Settled cohort</option>" not in edit
    assert '<option selected value="Asia/Almaty">Asia/Almaty</option>' in edit
    refused = client.submit("/masterclasses/new", _form(cohort_id=str(settled.id)))
    assert refused.status_code == 200  # not a choice: the form says so, nothing is saved
    assert db.session.scalar(select(func.count(Masterclass.id))) == 1


def test_only_directors_schedule_masterclasses(client, users):
    for role in ("coordinator", "doctor"):
        login_as(client, users[role])
        assert client.get("/masterclasses/new").status_code == 403
        client.submit("/logout", {}, page="/masterclasses")


def test_doctor_sees_classes_open_to_its_cohort_with_places_left(client):
    cohort = make_cohort()
    user = _doctor(cohort)
    mine = make_masterclass(title="For my cohort", cohort_id=cohort.id, starts_at=SOON, capacity=3)
    make_registration(mine, db.session.get(Doctor, make_enrollment().doctor_id))
    make_masterclass(title="For everybody", starts_at=SOON)
    closed = make_masterclass(
        title="Another cohort only", cohort_id=make_cohort().id, starts_at=SOON
    )
    login_as(client, user)
    html = client.get("/masterclasses").get_data(as_text=True)
    assert "For my cohort" in html and "For everybody" in html
    assert "Places left: 2<" in html
    assert "Another cohort only" not in html
    assert client.get(f"/masterclasses/{closed.id}").status_code == 404
    client.submit(f"/masterclasses/{closed.id}/registration", {}, page="/masterclasses")
    assert db.session.scalar(select(func.count(Registration.id))) == 1


def test_a_full_class_waitlists_and_a_cancellation_promotes_the_first_in_line(app):
    masterclass = make_masterclass(capacity=1, starts_at=SOON)
    first, second, third = _doctor(), _doctor(), _doctor()
    clients = {}
    for user in (first, second, third):
        clients[user.id] = app.test_client()
        login_as(clients[user.id], user)
        clients[user.id].submit(
            f"/masterclasses/{masterclass.id}/registration", {}, page="/masterclasses"
        )
    assert _statuses(masterclass) == {
        first.doctor_id: RegistrationStatus.REGISTERED,
        second.doctor_id: RegistrationStatus.WAITLISTED,
        third.doctor_id: RegistrationStatus.WAITLISTED,
    }
    page = clients[third.id].get(f"/masterclasses/{masterclass.id}").get_data(as_text=True)
    assert "number 2 on the waitlist" in page
    clients[first.id].submit(
        f"/masterclasses/{masterclass.id}/registration/cancel", {}, page="/masterclasses"
    )
    assert _statuses(masterclass)[second.doctor_id] == RegistrationStatus.REGISTERED
    assert _statuses(masterclass)[third.doctor_id] == RegistrationStatus.WAITLISTED
    # Each registration was e-mailed (masterclass_registered); one promotion followed.
    (note,) = db.session.scalars(
        select(Notification).where(Notification.kind == "masterclass_promoted")
    ).all()
    assert note.user_id == second.id and masterclass.title in note.subject
    assert note.kind == "masterclass_promoted" and "You are registered for" in note.body


def test_only_a_waiting_doctor_pays_for_their_place_in_line(app, count_queries):
    masterclass = make_masterclass(capacity=1, starts_at=SOON)
    url = f"/masterclasses/{masterclass.id}"
    clients = []
    for user in [_doctor() for _ in range(3)]:  # registered; first in line; second in line
        clients.append(client := app.test_client())
        login_as(client, user)
        client.submit(f"{url}/registration", {}, page="/masterclasses")
    pages, statements = [], []
    for client in clients:
        client.get(url)
        with count_queries() as queries:
            pages.append(client.get(url).get_data(as_text=True))
        statements.append(len([q for q in queries if not q.startswith("BEGIN")]))
    assert "You are number" not in pages[0]
    assert "number 1 on the waitlist" in pages[1] and "number 2 on the waitlist" in pages[2]
    # The user with the menu's badges, the class with its counts and the doctor's own status;
    # the line.
    assert statements == [2, 3, 3]


def _statuses(masterclass) -> dict:
    return dict(
        db.session.execute(
            select(Registration.doctor_id, Registration.status).where(
                Registration.masterclass_id == masterclass.id
            )
        ).all()
    )


def test_raising_capacity_promotes_the_waitlist(client, users):
    masterclass = make_masterclass(capacity=1, starts_at=SOON)
    doctors = [db.session.get(Doctor, _doctor().doctor_id) for _ in range(2)]
    make_registration(masterclass, doctors[0])
    make_registration(masterclass, doctors[1], status=RegistrationStatus.WAITLISTED)
    login_as(client, users["director"])
    response = client.submit(
        f"/masterclasses/{masterclass.id}/edit",
        _form(
            timezone="Africa/Abidjan",  # UTC all year
            starts_local=SOON.strftime("%Y-%m-%dT%H:%M"),
            ends_local=(SOON + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            capacity="2",
        ),
    )
    assert response.status_code == 302
    assert set(_statuses(masterclass).values()) == {RegistrationStatus.REGISTERED}


def test_lowering_capacity_below_the_registered_is_refused(client, users):
    masterclass = make_masterclass(capacity=2, starts_at=SOON)
    for _ in range(2):
        make_registration(masterclass, db.session.get(Doctor, _doctor().doctor_id))
    login_as(client, users["director"])
    response = client.submit(f"/masterclasses/{masterclass.id}/edit", _form(capacity="1"))
    assert response.status_code == 200 and "More doctors are registered" in response.get_data(
        as_text=True
    )
    assert db.session.get(Masterclass, masterclass.id).capacity == 2


def test_coordinator_lists_only_masterclasses_at_its_hospital(client):
    hospital = make_hospital()
    make_masterclass(title="At our hospital", hospital_id=hospital.id, starts_at=SOON)
    make_masterclass(title="At another hospital", hospital_id=make_hospital().id, starts_at=SOON)
    login_as(client, make_user(Role.COORDINATOR, hospital_id=hospital.id))
    html = client.get("/masterclasses").get_data(as_text=True)
    assert "At our hospital" in html and "At another hospital" not in html


def test_registered_doctors_have_the_masterclass_local_days_blocked(app):
    # 20:00 UTC on 1 April to 02:00 UTC on 2 April is 01:00–07:00 on 2 April in Almaty
    # (UTC+5): only 2 April is blocked, although the class starts on 1 April in UTC.
    evening = make_masterclass(
        starts_at=datetime(2027, 4, 1, 20, 0, tzinfo=UTC),
        ends_at=datetime(2027, 4, 2, 2, 0, tzinfo=UTC),
    )
    two_days = make_masterclass(
        timezone="Asia/Jerusalem",
        starts_at=datetime(2027, 4, 5, 6, 0, tzinfo=UTC),
        ends_at=datetime(2027, 4, 6, 14, 0, tzinfo=UTC),
    )
    registered, waiting = (db.session.get(Doctor, _doctor().doctor_id) for _ in range(2))
    make_registration(evening, registered)
    make_registration(two_days, registered, status=RegistrationStatus.ATTENDED)
    make_registration(evening, waiting, status=RegistrationStatus.WAITLISTED)
    days = masterclass_days_for([registered.id, waiting.id], date(2027, 4, 1), date(2027, 4, 5))
    assert days == {registered.id: {date(2027, 4, 2), date(2027, 4, 5)}}
    assert masterclass_days_for([], date(2027, 4, 1), date(2027, 4, 5)) == {}


def test_a_cohort_class_blocks_its_whole_cohort_and_an_open_class_only_those_with_a_place(app):
    cohort = make_cohort()
    member, waiting = make_enrollment(cohort), make_enrollment(cohort)
    withdrawn = make_enrollment(cohort, status=EnrollmentStatus.WITHDRAWN)
    outsider = make_enrollment()  # another cohort
    for_cohort = make_masterclass(
        cohort_id=cohort.id, starts_at=datetime(2027, 4, 1, 5, tzinfo=UTC)
    )
    open_to_all = make_masterclass(starts_at=datetime(2027, 4, 2, 5, tzinfo=UTC))
    make_registration(open_to_all, db.session.get(Doctor, outsider.doctor_id))
    make_registration(
        open_to_all, db.session.get(Doctor, waiting.doctor_id), status=RegistrationStatus.WAITLISTED
    )
    make_registration(  # cancelled, yet the cohort's class still keeps the doctor away
        for_cohort, db.session.get(Doctor, waiting.doctor_id), status=RegistrationStatus.CANCELLED
    )
    doctors = [e.doctor_id for e in (member, withdrawn, outsider, waiting)]
    assert masterclass_days_for(doctors, date(2027, 4, 1), date(2027, 4, 5)) == {
        member.doctor_id: {date(2027, 4, 1)},
        waiting.doctor_id: {date(2027, 4, 1)},
        outsider.doctor_id: {date(2027, 4, 2)},
    }


def _list_queries(app, count_queries, user) -> int:
    client = app.test_client()
    login_as(client, user)
    client.get("/masterclasses")
    with count_queries() as queries:
        assert client.get("/masterclasses").status_code == 200
    return len(queries)


def test_masterclass_list_runs_as_many_queries_for_60_classes_as_for_10(app, count_queries, users):
    cohort = make_cohort()
    doctor_user = _doctor(cohort)
    mine, other = (db.session.get(Doctor, d) for d in (doctor_user.doctor_id, _doctor().doctor_id))
    counts = {"doctor": [], "director": []}
    for total in (10, 60):
        while db.session.scalar(select(func.count(Masterclass.id))) < total:
            masterclass = make_masterclass(starts_at=SOON, cohort_id=cohort.id, capacity=2)
            make_registration(masterclass, mine)
            make_registration(masterclass, other)
        counts["doctor"].append(_list_queries(app, count_queries, doctor_user))
        counts["director"].append(_list_queries(app, count_queries, users["director"]))
    assert counts["doctor"][0] == counts["doctor"][1]
    assert counts["director"][0] == counts["director"][1]


def test_registering_for_a_class_on_a_ward_day_warns_the_doctor_with_the_day_and_place(client):
    month_ahead = date.today() + timedelta(days=30)
    monday = month_ahead + timedelta(days=(7 - month_ahead.weekday()) % 7)
    sunday = monday - timedelta(days=1)
    cohort = make_cohort(start_date=sunday, end_date=sunday + timedelta(days=12))
    enrollment = make_enrollment(cohort)
    user = make_user(Role.DOCTOR, doctor_id=enrollment.doctor_id)
    department = make_department(make_hospital(name="Rambam"), name="Cardiology")
    make_placement(
        enrollment, department, start_date=monday - timedelta(days=1),
        end_date=monday + timedelta(days=4), status=PlacementStatus.CONFIRMED,
    )  # fmt: skip
    at_ten = datetime.combine(monday, datetime.min.time(), UTC) + timedelta(hours=7)  # 10:00 IL
    on_monday = make_masterclass(starts_at=at_ten, timezone="Asia/Jerusalem")
    on_friday = make_masterclass(starts_at=at_ten + timedelta(days=4), timezone="Asia/Jerusalem")
    login_as(client, user)
    page = client.submit(
        f"/masterclasses/{on_monday.id}/registration", {}, page="/masterclasses",
        follow_redirects=True,
    ).get_data(as_text=True)  # fmt: skip
    assert "You are registered." in page
    day = f"{monday.day} {monday.strftime('%b')} {monday.year}"
    assert f"On {day} you are placed at Cardiology, Rambam" in page
    page = client.submit(
        f"/masterclasses/{on_friday.id}/registration", {}, page="/masterclasses",
        follow_redirects=True,
    ).get_data(as_text=True)  # fmt: skip
    assert "You are registered." in page and "you are placed at" not in page  # no ward on Friday


def test_a_refused_registration_is_explained_in_the_doctors_language(client):
    started = make_masterclass(
        title="Already on", starts_at=datetime.now(UTC) - timedelta(hours=1)
    )
    russian = make_user(Role.DOCTOR, doctor_id=make_enrollment().doctor_id, language=Language.RU)
    login_as(client, russian)
    url = f"/masterclasses/{started.id}"
    response = client.submit(f"{url}/registration", {}, page=url, follow_redirects=True)
    assert "Этот мастер-класс уже начался." in response.get_data(as_text=True)


def _list(client) -> str:
    response = client.get("/masterclasses")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_class_edited_by_the_director_shows_its_new_details_at_the_next_view(client, users):
    masterclass = make_masterclass(title="Airway management", venue="Hall A", starts_at=SOON)
    doctor = _doctor()
    login_as(client, doctor)
    assert "Airway management" in _list(client)
    client.submit("/logout", {}, page="/masterclasses")

    login_as(client, users["director"])
    edited = _form(
        title="Difficult airway workshop", venue="Simulation centre", credit_hours="3",
        starts_local=SOON.strftime("%Y-%m-%dT%H:%M"),
        ends_local=(SOON + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
    )  # fmt: skip
    assert client.submit(f"/masterclasses/{masterclass.id}/edit", edited).status_code == 302
    client.submit("/logout", {}, page="/masterclasses")

    login_as(client, doctor)
    html = _list(client)
    assert "Difficult airway workshop" in html and "Simulation centre" in html
    assert "Credit hours: 3<" in html
    assert "Airway management" not in html and "Hall A" not in html


def test_places_left_waitlist_and_the_doctors_own_status_follow_each_registration(client):
    masterclass = make_masterclass(title="Neuro-navigation", capacity=2, starts_at=SOON)
    make_registration(masterclass, db.session.get(Doctor, _doctor().doctor_id))
    login_as(client, _doctor())
    html = _list(client)
    assert "Places left: 1<" in html and "On the waitlist" not in html

    client.submit(f"/masterclasses/{masterclass.id}/registration", {}, page="/masterclasses")
    html = _list(client)
    assert "Full" in html and "Places left" not in html
    assert 'status-badge">registered<' in html

    waiting = db.session.get(Doctor, _doctor().doctor_id)
    make_registration(masterclass, waiting, status=RegistrationStatus.WAITLISTED)
    assert "On the waitlist: 1<" in _list(client)


def test_each_doctor_sees_only_their_own_status_on_a_shared_row(client):
    masterclass = make_masterclass(title="Shared row", starts_at=SOON)
    registered = _doctor()
    make_registration(masterclass, db.session.get(Doctor, registered.doctor_id))
    login_as(client, registered)
    assert 'status-badge">registered<' in _list(client)
    client.submit("/logout", {}, page="/masterclasses")

    login_as(client, _doctor())
    html = _list(client)
    assert "Shared row" in html and "status-badge" not in html


def test_the_lists_texts_are_escaped(client):
    cohort = make_cohort()
    hospital = make_hospital(name="Rambam <Haifa>")
    title = '<script>alert("x")</script> Suturing'
    make_masterclass(title=title, cohort_id=cohort.id, hospital_id=hospital.id, starts_at=SOON)
    login_as(client, _doctor(cohort))
    html = _list(client)
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; Suturing" in html
    assert "<script>alert" not in html and "Rambam &lt;Haifa&gt;" in html


def test_counts_and_hours_are_labelled_in_the_page_language(client):
    """Label-style counts ("Places left: 2"): the label in the page's language, the number
    with its separators (1,5 on Russian pages)."""
    cohort = make_cohort()
    make_masterclass(title="One place", capacity=1, credit_hours=1.0, starts_at=SOON)
    make_masterclass(
        title="Two places", capacity=2, credit_hours=1.5, cohort_id=cohort.id, starts_at=SOON
    )
    login_as(client, _doctor(cohort))
    html = _list(client)
    assert "Places left: 1<" in html and "Places left: 2<" in html
    assert "open to all doctors" in html
    assert "Credit hours: 1<" in html and "Credit hours: 1.5<" in html
    client.submit("/logout", {}, page="/masterclasses")

    russian = make_user(Role.DOCTOR, doctor_id=make_enrollment(cohort).doctor_id)
    russian.language = Language.RU
    db.session.commit()
    login_as(client, russian)
    html = _list(client)
    assert "Осталось мест: 1<" in html and "Осталось мест: 2<" in html
    assert "для всех врачей" in html
    assert "Зачётные часы: 1<" in html and "Зачётные часы: 1,5<" in html
    client.submit("/logout", {}, page="/masterclasses")

    kazakh = make_user(Role.DOCTOR, doctor_id=make_enrollment(cohort).doctor_id)
    kazakh.language = Language.KK
    db.session.commit()
    login_as(client, kazakh)
    html = _list(client)
    assert "Бос орын: 1<" in html and "Бос орын: 2<" in html
    assert "Кредит сағаттары: 1,5<" in html and "Places left" not in html


def _listed_titles(html: str) -> list[str]:
    return re.findall(r"<strong>(Paged class \d+)</strong>", html)


def _link(html: str, text: str) -> str | None:
    """The address of a page link, None when the link is there but disabled."""
    found = re.search(rf'<a class="page-link" href="([^"]+)">{text}</a>', html)
    assert found, f"no {text} link"
    return None if found.group(1) == "#" else found.group(1).replace("&amp;", "&")


def test_the_masterclass_lists_are_paged_and_reach_every_class(client, users):
    # 65 upcoming classes (two sharing one start, across a page break) and 40 past ones: the
    # upcoming list walks them soonest first, "All, including past" latest first, page by
    # page, each class once, with a way back to the first page.
    now = datetime.now(UTC).replace(microsecond=0)
    starts = [now + timedelta(days=1, hours=n) for n in range(65)]
    starts[31] = starts[30]  # a tie on the start: the id keeps the order stable
    starts += [now - timedelta(days=2, hours=n) for n in range(40)]
    for number, start in enumerate(starts):
        make_masterclass(title=f"Paged class {number}", starts_at=start)
    login_as(client, users["director"])
    expected_upcoming = [f"Paged class {n}" for n in range(65)]
    expected_all = expected_upcoming[::-1] + [f"Paged class {n}" for n in range(65, 105)]
    for first, expected in (("/masterclasses", expected_upcoming),
                            ("/masterclasses?past=1", expected_all)):  # fmt: skip
        seen, url, pages = [], first, 0
        while url:
            html = client.get(url).get_data(as_text=True)
            rows = _listed_titles(html)
            assert 0 < len(rows) <= 30
            assert _link(html, "First page") == (first if pages else None)
            seen += rows
            url, pages = _link(html, "Next"), pages + 1
        assert seen == expected
        assert pages == -(-len(expected) // 30)
    html = client.get("/masterclasses?from=999999").get_data(as_text=True)
    assert "No masterclasses here yet." in html
    assert _link(html, "First page") == "/masterclasses"
