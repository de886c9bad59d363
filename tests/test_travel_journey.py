"""Travel, from the demo: the director opens the upcoming cohort's itinerary, sees the doctor
who arrives a day late travelling on their own flights, and moves their outbound flight; the
doctor (invited to the portal from the roster) is told, in Russian, and sees the new times on
their travel page and in their calendar feed. Through HTTP and the command line only.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from icalendar import Calendar

from somet.demo import data
from somet.demo.data import DEMO_PASSWORD
from somet.demo.travel import LATE
from tests.test_journey_cohort_life import PASSWORD, _accept_invitation, _logged_in, _page

UPCOMING = data.UPCOMING_COHORT["name"]
FIRST, LAST = data.DOCTORS[LATE][:2]
LATE_EMAIL = f"{FIRST.lower()}.{LAST.lower()}@doctors.example.kz"
# The late doctor's outbound flight, moved from 07:35 to 09:05 (Almaty, UTC+5), landing at
# 12:20 in Tel Aviv (UTC+2): 04:05 to 10:20 UTC.
NEW_DEPARTURE, NEW_ARRIVAL = "2027-01-10T09:05", "2027-01-10T12:20"
DEPARTS_UTC = datetime(2027, 1, 10, 4, 5, tzinfo=UTC)
ARRIVES_UTC = datetime(2027, 1, 10, 10, 20, tzinfo=UTC)


def _form_values(page: str) -> dict[str, str]:
    """What a browser would send back of a form as the page shows it."""
    values = dict(re.findall(r'<input[^>]*\bname="([^"]+)"[^>]*\bvalue="([^"]*)"', page))
    for name, options in re.findall(
        r'<select[^>]*\bname="([^"]+)"[^>]*>(.*?)</select>', page, re.S
    ):
        chosen = re.search(r'<option selected value="([^"]*)"', options)
        values[name] = chosen.group(1) if chosen else ""
    return values


def _text(page: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


def test_the_director_moves_the_late_doctors_flight_and_the_doctor_sees_it(app, runner):
    assert runner.invoke(args=["demo"]).exit_code == 0
    director = _logged_in(app, "director@example.org", DEMO_PASSWORD)
    admin = _logged_in(app, "admin@example.org", DEMO_PASSWORD)

    # The director finds the upcoming cohort and its itinerary from the cohort's page.
    cohorts = _page(director, "/cohorts")
    cohort = re.search(r'href="(/cohorts/\d+)">' + re.escape(UPCOMING), cohorts).group(1)
    overview = _page(director, cohort)
    itinerary_url = re.search(r'href="(/cohorts/\d+/travel)"', overview).group(1)
    itinerary = _page(director, itinerary_url)
    text = _text(itinerary)
    assert "Air Astana KC 281 ALA → TLV" in text and "Dan Panorama Haifa" in text
    assert "Gulmira Abenova, programme director: +7 701 555 0100" in itinerary
    differing = itinerary.split('class="differing-doctors"')[1].split("</ul>")[0]
    assert _text(differing).count("own flights") == 1 and FIRST in differing

    # The doctor has no login yet: the director invites them from the roster.
    row = overview.split(f"{FIRST} {LAST}")[1].split("</tr>")[0]
    (enrollment_id,) = re.findall(r'name="enrollment_ids" value="(\d+)"', row)
    invited = director.submit(
        f"{cohort}/roster/portal-invitations",
        {"enrollment_ids": [enrollment_id], "invite_selected": "1"},
        page=cohort,
    )
    assert "1 doctor is invited to the portal." in _page(director, invited.headers["Location"])
    _accept_invitation(app, admin, LATE_EMAIL, "Вас приглашают на портал SOMET")

    # The director moves the late doctor's outbound flight by an hour and a half.
    own = itinerary.split('own-legs"')[1].split("</table>")[0]
    edit_url = re.findall(r'href="(/cohorts/\d+/travel/legs/\d+/edit)"', own)[0]
    form = _form_values(_page(director, edit_url))
    assert form["traveller"] == enrollment_id and form["departs_local"] == "2027-01-10T07:35"
    form.update(departs_local=NEW_DEPARTURE, arrives_local=NEW_ARRIVAL)
    saved = director.submit(edit_url, form)
    assert saved.status_code == 302, _text(saved.get_data(as_text=True))[-1500:]
    itinerary = _page(director, saved.headers["Location"])
    assert "The flight is saved; the doctors it concerns are told." in itinerary
    assert "10 Jan 2027 09:05 (Almaty)" in _text(itinerary)

    # Only the late doctor is told (in Russian); the group's doctors are not.
    outbox = _page(admin, f"/notifications/outbox?recipient={LATE_EMAIL}")
    assert f"Ваша поездка по программе «{UPCOMING}» изменилась" in outbox
    assert f"/my/travel/{cohort.rsplit('/', 1)[1]}" in outbox
    others = _page(admin, "/notifications/outbox?recipient=doctor2@example.org")
    assert "Ваша поездка по программе" not in others

    # The doctor logs in, opens Travel from the menu and sees the new local times.
    doctor = _logged_in(app, LATE_EMAIL, PASSWORD)
    home = _page(doctor, "/")
    travel_url = re.search(r'href="(/my/travel)">Поездка<', home).group(1)
    page = _text(_page(doctor, travel_url))
    assert "10 января 2027, 09:05 (Алматы) Asia/Almaty, UTC+05:00" in page
    assert "10 января 2027, 12:20 (Иерусалим) Asia/Jerusalem, UTC+02:00" in page
    assert "Ваши даты отличаются от дат группы" in page
    assert "Dan Panorama Haifa" in page and "Экстренный контакт" in page
    assert "Дата заезда: 10 января 2027" in page  # a day after the group, as they fly
    assert "Ваша поездка по программе" in _page(doctor, "/notifications")

    # ... and in the calendar feed it subscribes to.
    doctor.submit("/my/calendar/token", page="/my/calendar")
    feed_url = re.search(
        r'value="https?://[^/"]+(/calendar/[^"]+\.ics)"', _page(doctor, "/my/calendar")
    )
    feed = doctor.get(feed_url.group(1))
    assert feed.status_code == 200
    flights = [
        e for e in Calendar.from_ical(feed.data).walk("VEVENT")
        if str(e.get("summary")) == "Air Astana KC 281 ALA→TLV"
    ]  # fmt: skip
    assert [(e.decoded("dtstart"), e.decoded("dtend")) for e in flights] == [
        (DEPARTS_UTC, ARRIVES_UTC)
    ]
    hotels = [
        e
        for e in Calendar.from_ical(feed.data).walk("VEVENT")
        if "Dan Panorama" in str(e.get("summary"))
    ]
    assert [str(e.get("location")) for e in hotels] == ["107 Yefe Nof St, Haifa"]
