"""Offline verification (issue 25): base45, check codes, the signed QR payload and its checker.

Pure tests (no app): the QR printed on a real rendered PDF is read back with zbar
(pdftoppm → PNG → zbarimg) and checked with only the public key, by the pure checker and by
``flask certificates check`` run with a JWKS file and no database to reach.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from somet.certificates import qr_reading, rendering
from somet.certificates.core import base45, check_codes, keyset, offline, signing
from tests.test_certificates_core import sample_snapshot

ROOT = Path(__file__).resolve().parent.parent
VERIFY_URL = "https://somet.example.org/verify/"
needs_zbar = pytest.mark.skipif(
    not (qr_reading.shutil.which("zbarimg") and qr_reading.shutil.which("pdftoppm")),
    reason="zbar-tools and poppler-utils are system packages (README)",
)


def _key():
    private = signing.load_private_key(signing.generate_private_key_pem())
    return private, signing.key_id(private.public_key())


def _signed(private, kid, **changes):
    snapshot = sample_snapshot() | {"key_id": kid} | changes
    return snapshot, offline.encode(offline.claims_of(snapshot), private)


def _keys(*entries) -> dict:
    """kid -> PublishedKey, through a JWKS document as a verifier would get it."""
    published = [keyset.PublishedKey(kid, private.public_key(), status) for private, kid, status
                 in entries]  # fmt: skip
    return keyset.parse_jwks(json.loads(json.dumps(keyset.jwks(published))))


# --- base45 (RFC 9285) -----------------------------------------------------------------------


def test_base45_matches_the_rfc_examples_and_round_trips():
    assert base45.encode(b"AB") == "BB8"
    assert base45.encode(b"Hello!!") == "%69 VD92EX0"
    assert base45.encode(b"base-45") == "UJCLQE7W581"
    assert base45.decode("QED8WEX0") == b"ietf!"
    for length in range(40):
        data = os.urandom(length)
        assert base45.decode(base45.encode(data)) == data


@pytest.mark.parametrize("text", ["GGW", "ABCD", "abc", "ZZZZ"[:1], ":::"])
def test_base45_refuses_what_is_not_base45(text):
    with pytest.raises(base45.Base45Error):
        base45.decode(text)


# --- the check code --------------------------------------------------------------------------


def test_check_code_is_short_has_no_look_alikes_and_accepts_how_people_type_it():
    serial, code = "SOMET-2026-000123", "x" * 43
    printed = check_codes.check_code(serial, code)
    assert len(printed) == 9 and printed[4] == "-"
    assert not set(printed) & set("01ILO")
    assert printed == check_codes.check_code(serial, code)  # derived, so the same every time
    for typed in (
        printed,
        printed.lower(),
        printed.replace("-", ""),
        f" {printed[:2]} {printed[2:]}",
    ):
        assert check_codes.problem(serial, typed) is None
        assert check_codes.matches(serial, code, typed)
    assert not check_codes.matches(serial, "y" * 43, printed)


def test_a_typo_in_the_check_code_or_the_serial_is_caught_before_any_lookup():
    serial = "SOMET-2026-000123"
    printed = check_codes.check_code(serial, "z" * 43).replace("-", "")
    for position in range(8):
        for other in check_codes.ALPHABET:
            if other != printed[position]:
                typo = printed[:position] + other + printed[position + 1 :]
                assert check_codes.problem(serial, typo) == "typo"
    assert check_codes.problem("SOMET-2026-000132", printed) == "typo"
    look_alike = printed[:3] + "O" + printed[4:]
    assert check_codes.problem(serial, look_alike) == "look_alike"
    assert check_codes.problem(serial, printed[:7]) == "not_a_code"


def test_a_typed_serial_is_read_the_way_people_write_it():
    for typed in ("SOMET-2026-000123", "somet 2026 123", "2026-000123", "Somet–2026–123"):
        assert check_codes.typed_serial(typed) == "SOMET-2026-000123"
    assert check_codes.typed_serial("SOMET-26-1") is None
    assert check_codes.typed_serial("SOMET-2026-000000") is None


# --- the signed payload ----------------------------------------------------------------------


def test_a_payload_verifies_with_only_the_public_key_and_says_what_the_certificate_says():
    private, kid = _key()
    snapshot, payload = _signed(private, kid)
    assert payload.startswith("SOMET1:") and len(payload) < 400
    result = offline.check(payload, _keys((private, kid, "active")))
    assert result.valid and result.problem is None
    claims = result.claims
    assert (claims.serial, claims.holder, claims.course) == (
        snapshot["serial"], "Aigerim Nurlanovna", "Abay region 2027"
    )  # fmt: skip
    assert (claims.start, claims.end, claims.hours, claims.key_id) == (
        "2027-03-07", "2027-03-18", 72.0, kid
    )  # fmt: skip
    link = offline.qr_text(VERIFY_URL + "abc", payload)
    assert " " not in link and offline.check(link, _keys((private, kid, "active"))).valid


def test_a_changed_byte_of_the_payload_fails():
    private, kid = _key()
    _, payload = _signed(private, kid)
    keys = _keys((private, kid, "active"))
    blob = base45.decode(payload.removeprefix(offline.PREFIX))
    for index in (0, 63, 64, 70, len(blob) - 1):  # the signature, the claims, the end
        changed = bytearray(blob)
        changed[index] ^= 0x01
        result = offline.check(offline.PREFIX + base45.encode(bytes(changed)), keys)
        assert not result.valid and result.problem in ("bad_signature", "damaged")
    one_character = payload[:-5] + ("A" if payload[-5] != "A" else "B") + payload[-4:]
    assert not offline.check(one_character, keys).valid


def test_forged_claims_signed_by_another_key_with_our_kid_fail():
    private, kid = _key()
    forger, _ = _key()
    forged = offline.encode(offline.claims_of(sample_snapshot() | {"key_id": kid}), forger)
    result = offline.check(forged, _keys((private, kid, "active")))
    assert not result.valid and result.problem == "bad_signature" and result.claims is None


def test_a_retired_key_still_verifies_a_revoked_key_is_refused_an_unknown_key_too():
    old, old_kid = _key()
    new, new_kid = _key()
    _, old_payload = _signed(old, old_kid)
    _, new_payload = _signed(new, new_kid, serial="SOMET-2027-000002")
    after_rotation = _keys((old, old_kid, "retired"), (new, new_kid, "active"))
    assert offline.check(old_payload, after_rotation).valid
    assert offline.check(new_payload, after_rotation).valid
    revoked = _keys((old, old_kid, "revoked"), (new, new_kid, "active"))
    result = offline.check(old_payload, revoked)
    assert not result.valid and result.problem == "key_revoked"
    assert offline.check(new_payload, revoked).valid
    unknown = offline.check(old_payload, _keys((new, new_kid, "active")))
    assert not unknown.valid and unknown.problem == "unknown_key"


def test_what_is_not_a_payload_or_is_a_bomb_is_refused_calmly():
    private, kid = _key()
    keys = _keys((private, kid, "active"))
    assert offline.check("https://example.org/verify/abc", keys).problem == "not_a_payload"
    assert offline.check("SOMET1:not base45 at all", keys).problem == "damaged"
    bomb = offline.PREFIX + base45.encode(b"\0" * 64 + __import__("zlib").compress(b" " * 10**6))
    assert offline.check(bomb, keys).problem == "damaged"


def test_the_jwks_has_no_private_part_and_refuses_a_kid_that_is_not_its_key():
    private, kid = _key()
    other, _ = _key()
    document = keyset.jwks([keyset.PublishedKey(kid, private.public_key(), "revoked")])
    (entry,) = document["keys"]
    assert entry["kty"] == "OKP" and entry["crv"] == "Ed25519" and entry["kid"] == kid
    assert "d" not in entry and entry["key_ops"] == [] and "use" not in entry
    wrong = keyset.jwks([keyset.PublishedKey(kid, other.public_key())])
    with pytest.raises(keyset.KeysetError):
        keyset.parse_jwks(wrong)


# --- printed, scanned back, checked ----------------------------------------------------------


@needs_zbar
def test_the_qr_printed_on_a_certificate_is_read_back_and_verifies_offline(tmp_path):
    private, kid = _key()
    snapshot, payload = _signed(private, kid)
    link = offline.qr_text(VERIFY_URL + snapshot["verification_code"], payload)
    pdf = tmp_path / "certificate.pdf"
    pdf.write_bytes(rendering.render_certificate_pdf(snapshot, link))

    subprocess.run(
        ["pdftoppm", "-r", "300", "-png", "-singlefile", str(pdf), str(tmp_path / "page")],
        check=True,
    )
    scanned = subprocess.run(
        ["zbarimg", "--quiet", "--raw", str(tmp_path / "page.png")],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    assert scanned == link
    result = offline.check(scanned, _keys((private, kid, "active")))
    assert result.valid and result.claims.serial == snapshot["serial"]
    assert qr_reading.qr_texts(pdf) == [link]  # the same through the checker's reader

    keys_file = tmp_path / "jwks.json"
    keys_file.write_text(json.dumps(keyset.jwks([keyset.PublishedKey(kid, private.public_key())])))
    for source in (tmp_path / "page.png", pdf, payload):
        done = _check_without_database(tmp_path, str(source), "--keys", str(keys_file))
        assert done.returncode == 0, done.stdout + done.stderr
        assert done.stdout.startswith(f"VALID: certificate {snapshot['serial']}")
        assert "Aigerim Nurlanovna" in done.stdout and "Abay region 2027" in done.stdout
        assert "2027-03-07 – 2027-03-18" in done.stdout and "Hours:     72" in done.stdout
        assert kid in done.stdout


def test_the_command_line_checker_refuses_a_changed_payload_and_a_revoked_key(tmp_path):
    private, kid = _key()
    _, payload = _signed(private, kid)
    keys_file = tmp_path / "jwks.json"
    revoked = keyset.PublishedKey(kid, private.public_key(), "revoked", revocation_reason="leak")
    keys_file.write_text(json.dumps(keyset.jwks([revoked])))
    done = _check_without_database(tmp_path, payload, "--keys", str(keys_file))
    assert done.returncode == 1 and done.stdout.startswith("INVALID: it was signed with key")
    assert "leak" in done.stdout
    keys_file.write_text(json.dumps(keyset.jwks([keyset.PublishedKey(kid, private.public_key())])))
    changed = payload[:40] + ("Q" if payload[40] != "Q" else "R") + payload[41:]
    done = _check_without_database(tmp_path, changed, "--keys", str(keys_file))
    assert done.returncode == 1 and done.stdout.startswith("INVALID:")
    link = offline.qr_text("x" * 300, payload)  # its first part is longer than a file name
    done = _check_without_database(tmp_path, link, "--keys", str(keys_file))
    assert done.returncode == 0 and done.stdout.startswith("VALID"), done.stdout + done.stderr
    missing = _check_without_database(tmp_path, payload)  # no --keys, no instance keys file
    assert missing.returncode == 1 and "no keys file" in missing.stderr


def _check_without_database(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    """``flask --app wsgi certificates check`` with a database that nothing could reach."""
    env = dict(os.environ)
    env.update(
        SOMET_DATABASE_URL="postgresql+psycopg://nobody@127.0.0.1:9/nowhere?connect_timeout=1",
        SOMET_INSTANCE_PATH=str(tmp_path / "empty-instance"),
        SOMET_STORAGE_DIR=str(tmp_path / "empty-storage"),
        SOMET_ENV="testing",
    )
    env.pop("SOMET_TEST_DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "certificates", "check", *args],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=120,
    )  # fmt: skip
