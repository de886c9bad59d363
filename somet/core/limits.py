"""How long each text about a doctor may be: one set for the database columns, the forms and
the roster import, so that nothing one accepts another refuses (pure)."""

from __future__ import annotations

DOCTOR_TEXT_LIMITS = {
    "first_name": 100,  # Latin, passport spelling
    "last_name": 100,
    "native_name": 200,  # e.g. Cyrillic
    "specialty": 50,
    "home_institution": 200,
    "country": 100,
    "region": 100,
    "licence_number": 50,
    "passport_number": 50,
    "nationality": 100,
    "email": 254,
    "phone": 50,
}
