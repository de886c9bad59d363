"""What a certificate says (PURE): the frozen snapshot, its serial, code and canonical JSON.

The snapshot is the whole content of a certificate. It is built once at issue, signed, stored
and rendered; nothing read later from the database changes it. It holds no e-mail, passport or
other private detail: the public verification page shows it as it is.
"""

from __future__ import annotations

import json
import re
import secrets
from dataclasses import dataclass
from datetime import date

from somet.certificates.core.completion import Verdict

FORMAT = "somet-certificate/1"
ISSUER = "SOMET"
SERIAL_RE = re.compile(r"^SOMET-(\d{4})-(\d{6})$")
MAX_SERIAL_NUMBER = 999_999
# Bounds on what goes into a PDF, so a render stays small and quick (see rendering.py).
MAX_TEXT = 300
MAX_ROTATIONS = 40
MAX_HOSTS = 10
MAX_CANONICAL_BYTES = 32_000


class PayloadError(ValueError):
    """The snapshot cannot be built (a bound or a format is broken).

    ``code`` says which bound (``too_many_rotations``, ``too_many_hosts``, ``text_too_long``,
    ``too_long``, ``invalid``) and ``limit`` its number, for the edge to say in words.
    """

    def __init__(self, message: str, code: str = "invalid", limit: int | None = None):
        super().__init__(message)
        self.code, self.limit = code, limit


@dataclass(frozen=True)
class Holder:
    latin_name: str
    native_name: str
    specialty_en: str = ""
    specialty_ru: str = ""
    home_institution: str = ""


@dataclass(frozen=True)
class Host:
    name: str
    city: str
    country: str


@dataclass(frozen=True)
class Programme:
    """An internship: the cohort and where and when it took place."""

    name: str
    sponsor: str
    hosts: tuple[Host, ...]
    start: date
    end: date
    hours_per_day: float
    director: str = ""  # signs the certificate


@dataclass(frozen=True)
class MasterclassFacts:
    title: str
    lead_specialist: str
    lead_title: str
    venue: str
    city: str
    country: str
    day: date  # the local date at the venue
    hours: float


@dataclass(frozen=True)
class Stamp:
    """The identity of one issued certificate."""

    serial: str
    verification_code: str
    key_id: str
    issued_on: date


def format_serial(year: int, number: int) -> str:
    """SOMET-2027-000042."""
    if not 1 <= number <= MAX_SERIAL_NUMBER or not 1000 <= year <= 9999:
        raise PayloadError(f"no serial for year {year}, number {number}")
    return f"SOMET-{year}-{number:06d}"


def parse_serial(serial: str) -> tuple[int, int]:
    """(year, number) of a serial; PayloadError when it is not one."""
    match = SERIAL_RE.match(serial)
    if not match:
        raise PayloadError(f"{serial!r} is not a SOMET serial")
    return int(match[1]), int(match[2])


def new_verification_code() -> str:
    """A long random URL-safe code (256 bits): unguessable, so codes cannot be enumerated."""
    return secrets.token_urlsafe(32)


def internship_snapshot(stamp: Stamp, holder: Holder, programme: Programme, verdict: Verdict):
    """The snapshot of an internship certificate for a complete enrollment."""
    if not verdict.complete:
        raise PayloadError("an incomplete enrollment gets no certificate")
    rotations = [
        {
            "name": result.name,
            "department": placement.department,
            "hospital": placement.hospital,
            "start": placement.start.isoformat(),
            "end": placement.end.isoformat(),
            "days": placement.present_days,
        }
        for result in verdict.rotations
        for placement in sorted(result.placements, key=lambda p: p.start)
    ]
    body = {
        "programme": {
            "name": programme.name,
            "sponsor": programme.sponsor,
            "director": programme.director,
            "start": programme.start.isoformat(),
            "end": programme.end.isoformat(),
            "hours_per_day": float(programme.hours_per_day),
        },
        "hosts": [_host(h) for h in programme.hosts],
        "rotations": sorted(rotations, key=lambda r: (r["start"], r["name"])),
        "hours": float(verdict.credit_hours),
    }
    return _checked(_head(stamp, "internship", holder) | body)


def masterclass_snapshot(stamp: Stamp, holder: Holder, facts: MasterclassFacts) -> dict:
    """The snapshot of a masterclass attendance certificate."""
    body = {
        "masterclass": {
            "title": facts.title,
            "lead_specialist": facts.lead_specialist,
            "lead_title": facts.lead_title,
            "venue": facts.venue,
            "city": facts.city,
            "country": facts.country,
            "date": facts.day.isoformat(),
        },
        "hours": float(facts.hours),
    }
    return _checked(_head(stamp, "masterclass", holder) | body)


def canonical_json(snapshot: dict) -> bytes:
    """The signed form: UTF-8 JSON, keys sorted, no spaces, no NaN (anyone can rebuild it)."""
    return json.dumps(
        snapshot, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def _head(stamp: Stamp, kind: str, holder: Holder) -> dict:
    return {
        "format": FORMAT,
        "issuer": ISSUER,
        "kind": kind,
        "serial": stamp.serial,
        "verification_code": stamp.verification_code,
        "key_id": stamp.key_id,
        "issued_on": stamp.issued_on.isoformat(),
        "holder": {
            "latin_name": holder.latin_name,
            "native_name": holder.native_name,
            "specialty": {"en": holder.specialty_en, "ru": holder.specialty_ru},
            "home_institution": holder.home_institution,
        },
    }


def _host(host: Host) -> dict:
    return {"name": host.name, "city": host.city, "country": host.country}


def _checked(snapshot: dict) -> dict:
    parse_serial(snapshot["serial"])
    if len(snapshot.get("rotations", ())) > MAX_ROTATIONS:
        raise PayloadError(f"more than {MAX_ROTATIONS} rotations", "too_many_rotations",
                           MAX_ROTATIONS)
    if len(snapshot.get("hosts", ())) > MAX_HOSTS:
        raise PayloadError(f"more than {MAX_HOSTS} host hospitals", "too_many_hosts", MAX_HOSTS)
    _check_texts(snapshot)
    if len(canonical_json(snapshot)) > MAX_CANONICAL_BYTES:
        raise PayloadError("the certificate's text is too long", "too_long")
    return snapshot


def _check_texts(value) -> None:
    if isinstance(value, dict):
        for item in value.values():
            _check_texts(item)
    elif isinstance(value, list):
        for item in value:
            _check_texts(item)
    elif isinstance(value, str) and len(value) > MAX_TEXT:
        raise PayloadError(
            f"a text of the certificate is longer than {MAX_TEXT} characters",
            "text_too_long",
            MAX_TEXT,
        )
