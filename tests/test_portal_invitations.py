"""Portal invitations from the roster (issue 19 item 2): in bulk, after an import, re-sent,
revoked; each doctor gets one e-mail in their language with a one-time link."""

from __future__ import annotations

import io
import re

from sqlalchemy import select

from somet.cohorts.roster_files import write_csv
from somet.models import Language, Notification, Role, User
from somet.web.extensions import db
from tests.conftest import login_as
from tests.factories import make_cohort, make_doctor, make_enrollment, make_user

LINK_RE = re.compile(r"http://somet\.test(/invitations/[\w-]+)")


def _invite(client, cohort, **data):
    return client.submit(
        f"/cohorts/{cohort.id}/roster/portal-invitations", data, page=f"/cohorts/{cohort.id}"
    )


def _mails(kind="portal_invitation") -> list[Notification]:
    query = select(Notification).where(Notification.kind == kind).order_by(Notification.id)
    return list(db.session.scalars(query))


def _cell(html: str, doctor) -> str:
    return html.split(f'data-doctor="{doctor.id}"')[1].split("</td>")[0]


def test_director_invites_all_doctors_without_a_login_one_email_each_in_their_language(
    client, users
):
    cohort = make_cohort()
    russian = make_doctor(preferred_language=Language.RU)
    kazakh = make_doctor(preferred_language=Language.KK)
    no_email, has_login = make_doctor(email=None), make_doctor()
    for doctor in (russian, kazakh, no_email, has_login):
        make_enrollment(cohort, doctor)
    make_user(Role.DOCTOR, doctor_id=has_login.id)
    login_as(client, users["director"])
    page = client.get(f"/cohorts/{cohort.id}").get_data(as_text=True)
    assert "Cannot be invited: no e-mail address." in _cell(page, no_email)
    assert "Has a login" in _cell(page, has_login)
    response = _invite(client, cohort, invite_all="1")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "2 doctors are invited to the portal." in page
    assert "1 cannot be invited" in page
    assert "Invited until" in _cell(page, russian) and "Re-send" in _cell(page, russian)
    mails = {mail.to_email: mail for mail in _mails()}
    assert set(mails) == {russian.email, kazakh.email}
    assert "Вас приглашают" in mails[russian.email].subject
    assert mails[kazakh.email].language == "kk" and LINK_RE.search(mails[kazakh.email].body)


def test_invited_doctor_sets_a_password_and_sees_their_own_portal(client, users):
    cohort = make_cohort()
    doctor = make_doctor(preferred_language=Language.EN)
    enrollment = make_enrollment(cohort, doctor)
    login_as(client, users["director"])
    _invite(client, cohort, enrollment_ids=str(enrollment.id), invite_selected="1")
    path = LINK_RE.search(_mails()[0].body).group(1)
    client.submit("/logout", {}, page="/account/password")
    page = client.get(path).get_data(as_text=True)
    assert doctor.email in page
    accepted = client.submit(path, {"password": "welcome-to-haifa", "confirm": "welcome-to-haifa"})
    assert accepted.status_code == 302
    user = db.session.scalar(select(User).where(User.doctor_id == doctor.id))
    assert user.role == Role.DOCTOR and user.email == doctor.email
    login_as(client, user, password="welcome-to-haifa")
    assert client.get("/").status_code == 200
    assert client.get(path).status_code == 404  # the link works once


def test_resend_voids_the_old_link_and_revoke_voids_the_new_one(client, users):
    cohort = make_cohort()
    doctor = make_doctor()
    enrollment = make_enrollment(cohort, doctor)
    login_as(client, users["director"])
    _invite(client, cohort, invite_all="1")
    first = LINK_RE.search(_mails()[0].body).group(1)
    base = f"/cohorts/{cohort.id}/roster/{enrollment.id}/portal-invitation"
    resent = client.submit(f"{base}/resend", {}, page=f"/cohorts/{cohort.id}")
    assert "A new invitation is sent" in client.get(resent.headers["Location"]).get_data(
        as_text=True
    )
    second = LINK_RE.search(_mails()[1].body).group(1)
    assert client.get(first).status_code == 404 and client.get(second).status_code == 200
    client.submit(f"{base}/revoke", {}, page=f"/cohorts/{cohort.id}")
    assert client.get(second).status_code == 404
    page = client.get(f"/cohorts/{cohort.id}").get_data(as_text=True)
    assert "The invitation expired or was revoked." in _cell(page, doctor)


def test_another_cohorts_enrollment_id_is_a_404_and_nobody_is_invited(client, users):
    cohort, other = make_cohort(), make_cohort()
    make_enrollment(cohort)
    stranger = make_enrollment(other)
    login_as(client, users["director"])
    response = _invite(client, cohort, enrollment_ids=str(stranger.id), invite_selected="1")
    assert response.status_code == 404
    base = f"/cohorts/{cohort.id}/roster/{stranger.id}/portal-invitation"
    assert client.submit(f"{base}/resend", {}, page=f"/cohorts/{cohort.id}").status_code == 404
    assert _mails() == []


def test_inviting_with_nothing_ticked_says_so(client, users):
    cohort = make_cohort()
    make_enrollment(cohort)
    login_as(client, users["director"])
    response = _invite(client, cohort, invite_selected="1")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Tick at least one doctor to invite." in page and _mails() == []


def test_import_result_offers_to_invite_the_new_doctors(client, users):
    cohort = make_cohort()
    rows = [
        dict(first_name=f"Yerlan{n}", last_name="Bekov", specialty="general-surgery",
             email=f"yerlan{n}@example.kz" if n != 3 else "", licence_number=f"KZ-{n:05d}",
             passport_number=f"P{n:08d}")
        for n in (1, 2, 3)
    ]
    login_as(client, users["director"])
    uploaded = client.submit(
        f"/cohorts/{cohort.id}/roster/import",
        {"file": (io.BytesIO(write_csv(rows)), "roster.csv")},
        content_type="multipart/form-data",
    )
    token = uploaded.headers["Location"].rsplit("/", 1)[-1]
    confirmed = client.submit(
        f"/cohorts/{cohort.id}/roster/import/confirm",
        {"token": token},
        page=uploaded.headers["Location"],
    )
    result = confirmed.headers["Location"]
    html = client.get(result).get_data(as_text=True)
    assert "Invite the 2 new doctors to the portal" in html
    assert "Cannot be invited: no e-mail address." in html
    ids = re.findall(r'name="enrollment_ids" value="(\d+)"', html)
    invited = client.submit(
        f"/cohorts/{cohort.id}/roster/portal-invitations",
        {"enrollment_ids": ids, "invite_selected": "1"},
        page=result,
    )
    assert invited.status_code == 302
    assert sorted(m.to_email for m in _mails()) == ["yerlan1@example.kz", "yerlan2@example.kz"]


def test_the_roster_shows_portal_logins_with_the_same_queries_for_few_or_many(
    client, users, count_queries
):
    cohort = make_cohort()

    def add_doctors(count: int) -> None:
        for _ in range(count):
            make_enrollment(cohort, make_doctor())
        make_user(Role.DOCTOR, doctor_id=make_enrollment(cohort, make_doctor()).doctor_id)

    add_doctors(2)
    login_as(client, users["director"])
    _invite(client, cohort, invite_all="1")
    with count_queries() as few:
        client.get(f"/cohorts/{cohort.id}")
    add_doctors(30)
    _invite(client, cohort, invite_all="1")
    with count_queries() as many:
        page = client.get(f"/cohorts/{cohort.id}").get_data(as_text=True)
    assert page.count("Invited until") == 32 and page.count("Has a login") == 2
    assert len(few) == len(many)
