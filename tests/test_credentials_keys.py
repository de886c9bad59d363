"""Key history and verification by serial (issue 25), through the real app.

Rotation keeps old certificates valid online and offline; a revoked key is refused; the JWKS
lists every key and no private part; a person verifies by serial and check code; an
installation's single key file is adopted; migration 0017 backfills which key signed what;
backups carry every key.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from sqlalchemy import select

from somet.certificates import operations as service
from somet.certificates import storage
from somet.certificates.core import check_codes, keyset, offline, signing
from somet.certificates.keys import JWKS_FILE
from somet.models import Certificate, SigningKey
from somet.web.extensions import db
from tests.certificate_data import finished_cohort, use_fake_renderer
from tests.conftest import POSTGRES_URL


def _issue_one() -> Certificate:
    cohort, _ = finished_cohort(complete=1)
    service.issue_certificates(None, cohort.id)
    return db.session.scalars(
        select(Certificate).where(Certificate.revoked_at.is_(None)).order_by(Certificate.id.desc())
    ).first()


def _jwks(client) -> dict:
    return keyset.parse_jwks(client.get("/.well-known/jwks.json").json)


def _rotate(runner) -> str:
    result = runner.invoke(args=["certificates", "rotate-key"])
    assert result.exit_code == 0, result.output
    return result.output


def test_after_a_key_rotation_old_and_new_certificates_verify_online_and_offline(
    app, client, runner, monkeypatch
):
    use_fake_renderer(monkeypatch)
    old = _issue_one()
    output = _rotate(runner)
    assert f"Key {old.signing_key_id} is retired" in output
    new = _issue_one()
    assert old.signing_key_id != new.signing_key_id
    assert (old.snapshot["key_id"], new.snapshot["key_id"]) == (
        old.signing_key_id, new.signing_key_id
    )  # fmt: skip

    for certificate, key_status in ((old, "retired"), (new, "active")):
        page = client.get(f"/verify/{certificate.verification_code}").get_data(as_text=True)
        assert 'data-status="valid"' in page and "Its signature checks out." in page
        assert f'data-key-status="{key_status}"' in page
        data = client.get(f"/verify/{certificate.verification_code}.json").json
        assert data["signature_valid"] and data["key"]["status"] == key_status
        result = offline.check(certificate.qr_payload, _jwks(client))
        assert result.valid and result.claims.serial == certificate.serial
        checked = runner.invoke(args=["certificates", "check", certificate.qr_payload])
        assert checked.exit_code == 0 and checked.output.startswith("VALID"), checked.output
    published = json.loads((Path(app.instance_path) / JWKS_FILE).read_text())
    assert published == client.get("/.well-known/jwks.json").json


def test_a_revoked_key_is_refused_online_and_offline(app, client, runner, monkeypatch):
    use_fake_renderer(monkeypatch)
    certificate = _issue_one()
    kid = certificate.signing_key_id
    refused = runner.invoke(args=["certificates", "revoke-key", kid, "--reason", "Leaked"])
    assert refused.exit_code == 1 and "rotate the key first" in refused.output
    _rotate(runner)
    revoked = runner.invoke(args=["certificates", "revoke-key", kid, "--reason", "Key file leaked"])
    assert revoked.exit_code == 0, revoked.output
    assert "1 live certificates were signed with it" in revoked.output
    assert not storage.key_path(app.instance_path, kid).exists()  # it can never sign again

    page = client.get(f"/verify/{certificate.verification_code}").get_data(as_text=True)
    assert 'data-status="key-revoked"' in page and "signed with a revoked key" in page
    assert client.get(f"/verify/{certificate.verification_code}.json").json["status"] == (
        "key_revoked"
    )
    result = offline.check(certificate.qr_payload, _jwks(client))
    assert not result.valid and result.problem == "key_revoked"
    checked = runner.invoke(args=["certificates", "check", certificate.qr_payload])
    assert checked.exit_code == 1 and "Key file leaked" in checked.output
    again = runner.invoke(args=["certificates", "revoke-key", kid, "--reason", "x"])
    assert again.exit_code == 1 and "already revoked" in again.output
    unknown = runner.invoke(args=["certificates", "revoke-key", "0" * 16, "--reason", "x"])
    assert unknown.exit_code == 1 and "There is no signing key" in unknown.output
    new = _issue_one()  # issuing goes on with the new key
    assert new.signing_key_id != kid and offline.check(new.qr_payload, _jwks(client)).valid


def test_the_jwks_lists_every_key_without_private_parts_and_can_be_cached(app, client, runner):
    first = client.get("/.well-known/jwks.json")
    assert first.status_code == 200 and first.mimetype == "application/jwk-set+json"
    _rotate(runner)
    _rotate(runner)
    response = client.get("/.well-known/jwks.json")
    kids = [key.kid for key in db.session.scalars(select(SigningKey))]
    assert len(kids) == 3 and [k["kid"] for k in response.json["keys"]] == kids
    assert [k["status"] for k in response.json["keys"]] == ["retired", "retired", "active"]
    body = response.get_data(as_text=True)
    for kid in kids:
        private = storage.private_key(app.instance_path, kid)
        raw = private.private_bytes(
            serialization.Encoding.Raw,
            serialization.PrivateFormat.Raw,
            serialization.NoEncryption(),
        )
        assert base64.urlsafe_b64encode(raw).rstrip(b"=").decode() not in body
        assert storage.key_path(app.instance_path, kid).stat().st_mode & 0o777 == 0o600
    assert all("d" not in key for key in response.json["keys"])
    assert (
        "public" in response.headers["Cache-Control"]
        and "max-age=300" in (response.headers["Cache-Control"])
    )
    cached = client.get(
        "/.well-known/jwks.json", headers={"If-None-Match": response.headers["ETag"]}
    )
    assert cached.status_code == 304
    active = client.get("/verify/public-key.json").json
    assert active["key_id"] == kids[-1]
    pem = client.get(f"/verify/public-key.pem?kid={kids[0]}")
    assert signing.key_id(signing.load_public_key(pem.data)) == kids[0]
    assert client.get("/verify/public-key.pem?kid=nope").status_code == 404


def test_anyone_verifies_by_serial_and_check_code_typed_by_hand(client, monkeypatch):
    use_fake_renderer(monkeypatch)
    certificate = _issue_one()
    printed = check_codes.check_code(certificate.serial, certificate.verification_code)
    year, number = certificate.serial.split("-")[1:]
    target = f"/verify/{certificate.verification_code}"
    for serial, check in (
        (certificate.serial, printed),
        (certificate.serial.lower(), printed.lower()),
        (f"somet {year} {int(number)}", printed.replace("-", " ")),
        (certificate.serial, f"{printed[:2]}-{printed[2:].lower()}"),
    ):
        response = client.get("/verify/", query_string={"serial": serial, "check": check})
        assert response.status_code == 302, (serial, check)
        assert response.headers["Location"].endswith(target)

    def answer(serial, check) -> str:
        response = client.get("/verify/", query_string={"serial": serial, "check": check})
        assert response.status_code == 200
        return response.get_data(as_text=True)

    compact = printed.replace("-", "")
    look_alike = compact[:3] + "O" + compact[4:]
    assert "never contain 0, O, 1, I or L" in answer(certificate.serial, look_alike)
    typo = compact[:5] + ("X" if compact[5] != "X" else "Y") + compact[6:]
    assert "has a typo" in answer(certificate.serial, typo)
    # A well-formed code that is not this certificate's, and a serial that does not exist,
    # get the same answer: nobody learns which serials exist.
    wrong = check_codes.check_code(certificate.serial, "another-code-" + "x" * 30)
    absent = "SOMET-2099-000001"
    absent_code = check_codes.check_code(absent, "any-code-" + "x" * 34)
    message = "No certificate has this serial and check code."
    assert message in answer(certificate.serial, wrong) and message in answer(absent, absent_code)
    assert "not a SOMET serial" in answer("12345", printed)


def test_serial_lookups_are_rate_limited(client):
    query = {"serial": "SOMET-2099-000001", "check": "AAAA-AAAA"}
    statuses = [client.get("/verify/", query_string=query).status_code for _ in range(31)]
    assert statuses[:30] == [200] * 30 and statuses[30] == 429


def test_an_installation_with_one_key_file_adopts_it_for_its_certificates(app, client, monkeypatch):
    use_fake_renderer(monkeypatch)
    pem = signing.generate_private_key_pem()
    legacy = Path(app.instance_path) / storage.LEGACY_KEY_FILE
    legacy.parent.mkdir(parents=True, exist_ok=True)
    legacy.write_bytes(pem)
    kid = signing.key_id(signing.load_private_key(pem).public_key())
    assert [k["kid"] for k in client.get("/.well-known/jwks.json").json["keys"]] == [kid]
    certificate = _issue_one()
    assert certificate.signing_key_id == kid
    assert storage.key_path(app.instance_path, kid).read_bytes() == pem
    assert legacy.read_bytes() == pem  # left in place


def test_keys_forgotten_by_the_database_are_registered_again_from_their_files(
    client, runner, monkeypatch
):
    """After a downgrade below 0017 (or a restore without the table) the key files remain."""
    use_fake_renderer(monkeypatch)
    old = _issue_one()
    _rotate(runner)
    new = _issue_one()
    db.session.execute(SigningKey.__table__.delete())
    db.session.commit()
    published = client.get("/.well-known/jwks.json").json["keys"]
    statuses = {key["kid"]: key["status"] for key in published}
    assert statuses == {old.signing_key_id: "retired", new.signing_key_id: "active"}
    for certificate in (old, new):
        page = client.get(f"/verify/{certificate.verification_code}").get_data(as_text=True)
        assert "Its signature checks out." in page
    assert _issue_one().signing_key_id == new.signing_key_id


def test_migration_0017_backfills_the_key_that_signed_each_certificate(app):
    from flask_migrate import downgrade, upgrade

    from tests.factories import _save, make_doctor
    from tests.test_migrations import _empty_database

    _empty_database()
    upgrade()
    doctor = make_doctor()
    _save(
        Certificate(
            serial="SOMET-2024-000001",
            kind="masterclass",
            doctor_id=doctor.id,
            snapshot={"kind": "masterclass", "key_id": "0123456789abcdef"},
            hours=8.0,
            verification_code="c" * 43,
            signature="s",
        )
    )
    db.session.remove()
    downgrade(revision="0016")
    upgrade()
    assert db.session.scalar(select(Certificate.signing_key_id)) == "0123456789abcdef"


@pytest.mark.skipif(bool(POSTGRES_URL), reason="flask backup copies SQLite files")
def test_backup_and_restore_keep_every_signing_key(app, client, runner, monkeypatch, tmp_path):
    use_fake_renderer(monkeypatch)
    old = _issue_one()
    _rotate(runner)
    new = _issue_one()
    instance = Path(app.instance_path)
    files = sorted(instance.glob("certificate_signing_key-*.pem"))
    assert len(files) == 2
    db.session.remove()
    backup = runner.invoke(args=["backup", "--output", str(tmp_path / "backups")])
    assert backup.exit_code == 0, backup.output
    for path in files:
        path.unlink()
    (instance / JWKS_FILE).unlink()
    storage._key_cache.clear()

    restored = runner.invoke(args=["restore", str(next((tmp_path / "backups").iterdir())), "--yes"])
    assert restored.exit_code == 0, restored.output
    db.engine.dispose()
    assert sorted(instance.glob("certificate_signing_key-*.pem")) == files
    assert all(path.stat().st_mode & 0o777 == 0o600 for path in files)
    for certificate in (old, new):
        page = client.get(f"/verify/{certificate.verification_code}").get_data(as_text=True)
        assert "Its signature checks out." in page
        checked = runner.invoke(args=["certificates", "check", certificate.qr_payload])
        assert checked.exit_code == 0, checked.output
    assert _issue_one().signing_key_id == new.signing_key_id  # the active key signs again
