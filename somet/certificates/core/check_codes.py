"""The short check code printed beside a certificate's serial (PURE).

A person types the serial and this code on the verification page instead of the 43-character
verification code. It is 8 characters from an alphabet with no look-alikes (no 0/O, no 1/I/L),
printed as ``ABCD-EFGH``; typing is forgiving of case, spaces and dashes.

Derived, not stored: the first 7 characters come from the SHA-256 of the certificate's
verification code (256 random bits, kept secret until someone has the certificate), so the
serial alone does not give them; the 8th is a mod-31 check character over the serial's
digits and the first 7, so a single mistyped character (in the serial or the code) is caught
before any lookup, without telling whether the serial exists. 31^7 ≈ 2^34 codes per serial
behind a rate limit of 30 lookups a minute.
"""

from __future__ import annotations

import hashlib
import hmac
import re

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # 31 characters: no 0, O, 1, I, L
LOOK_ALIKES = frozenset("01ILO")
LENGTH = 8
_SEPARATORS = re.compile(r"[\s\-‐-―_.]+")  # spaces, dashes of every width, dots
_SEP = r"[\s\-–—_.]"
# SOMET-2026-000123, or the year and number with any separator (then leading zeros may go)
_SERIAL_TYPED = re.compile(
    rf"^(?:SOMET)?{_SEP}*(\d{{4}})(?:{_SEP}+(\d{{1,6}})|(\d{{6}}))$", re.IGNORECASE
)


def check_code(serial: str, verification_code: str) -> str:
    """The printed check code of a certificate, e.g. ``K7QM-4XTB``."""
    digest = hashlib.sha256(f"somet-check-code:{verification_code}".encode()).digest()
    number = int.from_bytes(digest[:8], "big")
    body = ""
    for _ in range(LENGTH - 1):
        number, index = divmod(number, len(ALPHABET))
        body += ALPHABET[index]
    code = body + _check_character(serial, body)
    return f"{code[:4]}-{code[4:]}"


def normalise(typed: str) -> str:
    """What a person typed, without spaces, dashes or dots, in capitals."""
    return _SEPARATORS.sub("", typed or "").upper()


def typed_serial(typed: str) -> str | None:
    """``somet 2026 123`` → ``SOMET-2026-000123``; None when it is not a serial."""
    match = _SERIAL_TYPED.match((typed or "").strip())
    number = int(match[2] or match[3]) if match else 0
    if not number:
        return None
    return f"SOMET-{match[1]}-{number:06d}"


def problem(serial: str, typed: str) -> str | None:
    """Why ``typed`` cannot be this serial's check code, before any lookup; None if it may be.

    Codes: ``look_alike`` (0, O, 1, I or L, never used), ``not_a_code`` (length or
    characters), ``typo`` (the check character does not match the serial and the code).
    """
    code = normalise(typed)
    if LOOK_ALIKES & set(code):
        return "look_alike"
    if len(code) != LENGTH or any(char not in ALPHABET for char in code):
        return "not_a_code"
    if _check_character(serial, code[:-1]) != code[-1]:
        return "typo"
    return None


def matches(serial: str, verification_code: str, typed: str) -> bool:
    """True when ``typed`` is this certificate's check code (compared in constant time)."""
    expected = check_code(serial, verification_code).replace("-", "")
    return hmac.compare_digest(normalise(typed).encode(), expected.encode())


def _check_character(serial: str, body: str) -> str:
    """A weighted sum mod 31 (a prime) over the serial's digits then the code's characters.

    Weights 2, 3, ... from the right (the check character has weight 1) are distinct and
    below 31, so any single changed character and any swap of two neighbours changes the sum.
    """
    values = [int(d) for d in serial if d.isdigit()] + [ALPHABET.index(c) for c in body]
    base = len(ALPHABET)
    total = sum(weight * value for weight, value in enumerate(reversed(values), start=2))
    return ALPHABET[-total % base]
