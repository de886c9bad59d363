"""30 doctors register at once for 10 places: never over capacity, the waitlist in order."""

import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from somet.masterclasses import operations as service
from somet.models import Registration, RegistrationStatus, Role, User
from somet.web.extensions import db
from tests.factories import make_enrollment, make_masterclass, make_user

DOCTORS = 30
PLACES = 10


def _register_all_at_once(app, user_ids, masterclass_id) -> list[BaseException]:
    barrier = threading.Barrier(len(user_ids))
    errors: list[BaseException] = []

    def register(user_id: int) -> None:
        with app.app_context():  # its own session and its own database connection
            try:
                user = db.session.get(User, user_id)
                # Give the connection back while waiting: 30 threads share a pool of 15.
                db.session.close()
                barrier.wait(timeout=30)
                service.register(user, masterclass_id)
            except BaseException as error:  # reported to the test, not lost in the thread
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=register, args=(uid,)) for uid in user_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


def test_thirty_doctors_at_once_fill_ten_places_and_wait_in_order(app):
    masterclass = make_masterclass(
        capacity=PLACES, starts_at=datetime.now(UTC) + timedelta(days=10)
    )
    user_ids = [
        make_user(Role.DOCTOR, doctor_id=make_enrollment().doctor_id).id for _ in range(DOCTORS)
    ]
    db.session.commit()
    assert _register_all_at_once(app, user_ids, masterclass.id) == []
    db.session.commit()  # a fresh snapshot: see what the threads wrote
    rows = db.session.scalars(
        select(Registration)
        .where(Registration.masterclass_id == masterclass.id)
        .order_by(Registration.created_at, Registration.id)
    ).all()
    statuses = [r.status for r in rows]
    assert statuses.count(RegistrationStatus.REGISTERED) == PLACES
    assert statuses.count(RegistrationStatus.WAITLISTED) == DOCTORS - PLACES
    # Whoever got in first holds a place; everybody after waits, in the order they came.
    assert statuses == [RegistrationStatus.REGISTERED] * PLACES + [
        RegistrationStatus.WAITLISTED
    ] * (DOCTORS - PLACES)
    assert [r.id for r in rows] == sorted(r.id for r in rows)
    assert len({r.doctor_id for r in rows}) == DOCTORS
