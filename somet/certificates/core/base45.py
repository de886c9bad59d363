"""Base45 (RFC 9285), PURE: bytes as text in the 45 characters of a QR code's alphanumeric mode.

Written here (about 30 lines) rather than taken from PyPI: the RFC is short, fully specified
and has test vectors (tests/test_credentials_offline.py), and a dependency for it would be
one more package to pin and audit.
"""

from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
_VALUES = {char: index for index, char in enumerate(ALPHABET)}


class Base45Error(ValueError):
    """The text is not base45."""


def encode(data: bytes) -> str:
    """Each two bytes become three characters, a last single byte two (least significant first)."""
    out = []
    for index in range(0, len(data) - 1, 2):
        number = data[index] * 256 + data[index + 1]
        high, rest = divmod(number, 45 * 45)
        middle, low = divmod(rest, 45)
        out += (ALPHABET[low], ALPHABET[middle], ALPHABET[high])
    if len(data) % 2:
        middle, low = divmod(data[-1], 45)
        out += (ALPHABET[low], ALPHABET[middle])
    return "".join(out)


def decode(text: str) -> bytes:
    """The bytes of base45 ``text``; Base45Error when a character or a group is not valid."""
    try:
        values = [_VALUES[char] for char in text]
    except KeyError as error:
        raise Base45Error(f"{error.args[0]!r} is not a base45 character") from None
    if len(values) % 3 == 1:
        raise Base45Error("a base45 text cannot have 3n + 1 characters")
    out = bytearray()
    for index in range(0, len(values), 3):
        group = values[index : index + 3]
        number = sum(value * 45**power for power, value in enumerate(group))
        if len(group) == 3:
            if number > 0xFFFF:
                raise Base45Error("a group of three is larger than two bytes")
            out += number.to_bytes(2, "big")
        else:
            if number > 0xFF:
                raise Base45Error("the last group of two is larger than one byte")
            out.append(number)
    return bytes(out)
