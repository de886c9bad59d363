"""Rosters: enrol, edit and withdraw doctors; import with preview; export; the doctors list.

Import preview state: the parsed rows are stored server-side, under the instance folder, in
a JSON file named by a random token and bound to the uploading user and the cohort. The
confirm request carries only the token, so nothing the client sends back is trusted as row
data; confirm re-runs every check on the stored rows against the database as it is then
(a doctor added meanwhile is matched, not duplicated). Files expire after an hour.
"""

from __future__ import annotations

import json
import logging
import re
import secrets
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import Select, or_, select
from sqlalchemy.orm import joinedload

from somet.audit.operations import record_event
from somet.cohorts.roster_files import read_roster
from somet.cohorts.rules import participation
from somet.cohorts.rules.roster import (
    DOCTOR_FIELDS,
    INVALID,
    NEW,
    KnownDoctor,
    RosterFileError,
    RowDecision,
    decide_rows,
    normalise_number,
)
from somet.core.errors import ValidationFailed
from somet.models import Cohort, Doctor, Enrollment, EnrollmentStatus, User, utcnow
from somet.requests import operations as requests
from somet.web.access import require_staff
from somet.web.database import lock_for_write
from somet.web.extensions import db
from somet.web.problem_texts import describe_all
from somet.web.search import name_matches, names_match

logger = logging.getLogger(__name__)

PREVIEW_TTL_SECONDS = 3600
_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{32}$")


def doctor_list_query(search: str = "", region: str = "", specialty: str = "") -> Select:
    """Doctors matching the filters (name in Latin or native script), by last name."""
    query = select(Doctor).order_by(Doctor.last_name, Doctor.first_name, Doctor.id)
    # One expression over the three names: PostgreSQL's trigram index (migration 0008) on it.
    condition = names_match(search, Doctor.first_name, Doctor.last_name, Doctor.native_name)
    if condition is not None:
        query = query.where(condition)
    if region:
        query = query.where(name_matches(region, Doctor.region))
    if specialty:
        query = query.where(Doctor.specialty == specialty)
    return query


@dataclass(frozen=True)
class DoctorPage:
    """A page of the doctors list. No total: counting every match would scan them all again."""

    items: list[Doctor]
    page: int
    has_next: bool

    @property
    def has_prev(self) -> bool:
        return self.page > 1


def doctor_page(filters: dict[str, str], page: int, per_page: int) -> DoctorPage:
    """Page ``page`` of the doctors matching ``filters`` (q, region, specialty): one statement."""
    page = max(page, 1)
    query = doctor_list_query(filters["q"], filters["region"], filters["specialty"])
    rows = list(db.session.scalars(query.limit(per_page + 1).offset((page - 1) * per_page)))
    return DoctorPage(rows[:per_page], page, len(rows) > per_page)


def _known_doctors(licences: set[str], passports: set[str]) -> list[KnownDoctor]:
    if not licences and not passports:
        return []
    doctors = db.session.scalars(
        select(Doctor).where(
            or_(Doctor.licence_number.in_(licences), Doctor.passport_number.in_(passports))
        )
    ).all()
    return [
        KnownDoctor(d.id, d.latin_name, {k: getattr(d, k) for k in DOCTOR_FIELDS}) for d in doctors
    ]


def decide(cohort: Cohort, rows: list[dict]) -> list[RowDecision]:
    """Validate ``rows`` and match them with the doctors we know (reads only)."""
    licences = {normalise_number(r.get("licence_number")) for r in rows} - {None}
    passports = {normalise_number(r.get("passport_number")) for r in rows} - {None}
    known = _known_doctors(licences, passports)
    return decide_rows(rows, known, cohort.start_date, cohort.end_date)


def enroll_doctor(actor: User, cohort: Cohort, fields: dict, arrival, departure) -> Enrollment:
    """Add one doctor to the roster, matching a known doctor by licence or passport number."""
    require_staff(actor)
    decision = decide(cohort, [{**fields, "arrival_date": arrival, "departure_date": departure}])[0]
    if decision.status == INVALID:
        raise ValidationFailed(describe_all(decision.errors))
    enrollment = _apply(cohort, decision)
    if enrollment is None:
        db.session.rollback()
        raise ValidationFailed(_("This doctor is already on the roster."))
    record_event(actor, "roster.add", enrollment, cohort_id=cohort.id, matched=decision.status)
    db.session.commit()
    return enrollment


def _apply(cohort: Cohort, decision: RowDecision) -> Enrollment | None:
    """Create or update the doctor and enrol them; None if already enrolled (dates updated)."""
    values = decision.values
    if decision.status == NEW:
        doctor = Doctor(**{k: values[k] for k in DOCTOR_FIELDS})
        db.session.add(doctor)
        db.session.flush()
    else:
        doctor = db.session.get(Doctor, decision.doctor_id)
        for key in decision.changes:
            setattr(doctor, key, values[key])
    arrival = values.get("arrival_date") or cohort.start_date
    departure = values.get("departure_date") or cohort.end_date
    enrollment = db.session.scalar(
        select(Enrollment).where(
            Enrollment.cohort_id == cohort.id, Enrollment.doctor_id == doctor.id
        )
    )
    if enrollment is not None:
        enrollment.arrival_date, enrollment.departure_date = arrival, departure
        return None
    enrollment = Enrollment(
        cohort_id=cohort.id,
        doctor_id=doctor.id,
        arrival_date=arrival,
        departure_date=departure,
        status=EnrollmentStatus.INVITED,
    )
    db.session.add(enrollment)
    db.session.flush()
    return enrollment


def update_enrollment(actor: User, enrollment: Enrollment, fields: dict, arrival, departure):
    """Change a roster entry: the doctor's details and the stay."""
    require_staff(actor)
    cohort = db.session.get(Cohort, enrollment.cohort_id)
    if not (cohort.start_date <= arrival <= departure <= cohort.end_date):
        raise ValidationFailed(_("The stay must lie within the cohort's dates, arrival first."))
    doctor = db.session.get(Doctor, enrollment.doctor_id)
    for key in ("licence_number", "passport_number"):
        fields[key] = normalise_number(fields.get(key))
        if fields[key] and db.session.scalar(
            select(Doctor.id).where(getattr(Doctor, key) == fields[key], Doctor.id != doctor.id)
        ):
            raise ValidationFailed(f"Another doctor already has this {key.replace('_', ' ')}.")
    changed = [k for k in DOCTOR_FIELDS if k in fields and getattr(doctor, k) != fields[k]]
    for key in changed:
        setattr(doctor, key, fields[key])
    enrollment.arrival_date, enrollment.departure_date = arrival, departure
    record_event(actor, "roster.update", enrollment, changed=changed)
    db.session.commit()
    return enrollment


def withdraw_enrollment(actor: User, enrollment: Enrollment, reason: str) -> int:
    """Withdraw a doctor from the cohort; the enrollment and its history stay, the placements
    not yet done are cancelled (``requests.cancel_placements_of``). Returns how many."""
    require_staff(actor)
    try:
        participation.check_withdrawal(enrollment.status.value)
    except participation.ParticipationRefused as refused:
        raise ValidationFailed(describe_all(refused.problems)) from None
    if not reason.strip():
        raise ValidationFailed(_("Say why the doctor is withdrawn."))
    enrollment.status = EnrollmentStatus.WITHDRAWN
    enrollment.withdrawn_at = utcnow()
    enrollment.withdrawal_reason = reason.strip()
    cancelled = requests.cancel_placements_of(actor, enrollment)
    record_event(
        actor, "roster.withdraw", enrollment, reason=reason.strip(), placements=len(cancelled)
    )
    db.session.commit()
    return len(cancelled)


def preview_import(actor: User, cohort: Cohort, filename: str, content: bytes, folder: Path):
    """Read and check an upload without saving anything; returns (token, decisions)."""
    require_staff(actor)
    try:
        rows = read_roster(filename, content)
    except RosterFileError as error:
        raise ValidationFailed(describe_all(error.problems)) from None
    if not rows:
        raise ValidationFailed(_("The file has no data rows."))
    decisions = decide(cohort, rows)
    token = _store_preview(folder, actor, cohort, filename, rows)
    db.session.rollback()  # reads only: end the transaction so no lock is held
    # Counts only: the rows hold passport numbers, which never go to a log.
    logger.info(
        "roster import previewed for cohort %s by user %s: %d rows, %d invalid",
        cohort.id,
        actor.id,
        len(decisions),
        sum(1 for decision in decisions if decision.errors),
    )
    return token, decisions


def _store_preview(folder: Path, actor: User, cohort: Cohort, filename: str, rows) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.json"):  # expired previews of anyone
        if time.time() - old.stat().st_mtime > PREVIEW_TTL_SECONDS:
            old.unlink(missing_ok=True)
    token = secrets.token_urlsafe(24)
    payload = {"user_id": actor.id, "cohort_id": cohort.id, "filename": filename, "rows": rows}
    (folder / f"{token}.json").write_text(json.dumps(payload, ensure_ascii=False))
    return token


def load_preview(actor: User, cohort: Cohort, token: str, folder: Path) -> tuple[str, list]:
    """The stored upload of ``token`` (this user's, this cohort's, not expired) re-checked."""
    filename, rows = _stored_rows(actor, cohort, token, folder)
    return filename, decide(cohort, rows)


def _stored_rows(actor: User, cohort: Cohort, token: str, folder: Path) -> tuple[str, list]:
    path = _preview_path(folder, token)
    try:
        payload = json.loads(path.read_text())
        fresh = time.time() - path.stat().st_mtime <= PREVIEW_TTL_SECONDS
    except (OSError, ValueError):
        raise ValidationFailed(_("This preview has expired; upload the file again.")) from None
    if not fresh or payload["user_id"] != actor.id or payload["cohort_id"] != cohort.id:
        raise ValidationFailed(_("This preview has expired; upload the file again."))
    return payload["filename"], payload["rows"]


def _preview_path(folder: Path, token: str) -> Path:
    if not _TOKEN_RE.match(token or ""):
        raise ValidationFailed(_("This preview has expired; upload the file again."))
    return folder / f"{token}.json"


class RosterRowsInvalid(ValidationFailed):
    """Some rows break the roster's rules; ``decisions`` are the invalid rows, with problems."""

    def __init__(self, decisions: list[RowDecision]):
        super().__init__(
            f"{len(decisions)} row(s) are invalid; correct the file and upload it again."
        )
        self.decisions = decisions


def confirm_import(
    actor: User, cohort: Cohort, token: str, folder: Path
) -> tuple[dict[str, int], list[int]]:
    """Save a previewed upload, all rows or nothing: counts per row status, new enrollment ids."""
    require_staff(actor)
    filename, rows = _stored_rows(actor, cohort, token, folder)
    result = import_rows(actor, cohort, rows, source=filename)
    _preview_path(folder, token).unlink(missing_ok=True)
    return result


def import_rows(
    actor: User, cohort: Cohort, rows: list[dict], *, source: str
) -> tuple[dict[str, int], list[int]]:
    """Check ``rows`` against the database as it is now and save them, all or nothing
    (``RosterRowsInvalid`` names the bad rows): counts per row status, new enrollment ids.
    The upload's confirmation and the API's roster import both save through here."""
    require_staff(actor)
    cohort_id = cohort.id
    lock_for_write(db.session(), f"roster:{cohort_id}")
    cohort = db.session.get(Cohort, cohort_id)
    decisions = decide(cohort, rows)
    invalid = [d for d in decisions if d.status == INVALID]
    if invalid:
        db.session.rollback()
        raise RosterRowsInvalid(invalid)
    counts: dict[str, int] = {}
    added: list[int] = []
    for decision in decisions:
        enrollment = _apply(cohort, decision)
        if enrollment is not None:  # a doctor new to this roster: the result page offers them
            added.append(enrollment.id)
        counts[decision.status] = counts.get(decision.status, 0) + 1
    record_event(actor, "roster.import", cohort, filename=source, counts=counts)
    db.session.commit()
    return counts, added


def roster_rows(cohort: Cohort) -> list[dict]:
    """The cohort's roster (without withdrawn doctors) as rows for CSV/XLSX export."""
    enrollments = db.session.scalars(
        select(Enrollment)
        .options(joinedload(Enrollment.doctor))
        .join(Doctor, Enrollment.doctor_id == Doctor.id)
        .where(Enrollment.cohort_id == cohort.id, Enrollment.status != EnrollmentStatus.WITHDRAWN)
        .order_by(Doctor.last_name, Doctor.first_name)
    ).all()
    return [
        {
            **{k: getattr(e.doctor, k) for k in DOCTOR_FIELDS},
            "arrival_date": e.arrival_date,
            "departure_date": e.departure_date,
        }
        for e in enrollments
    ]


def stay_defaults(cohort: Cohort) -> tuple[date, date]:
    """Arrival and departure of a doctor who stays for the whole cohort."""
    return cohort.start_date, cohort.end_date
