"""Public verification: valid, revoked and unknown codes, as a page and as JSON."""

from __future__ import annotations

import base64

from cryptography.hazmat.primitives.serialization import load_pem_public_key
from sqlalchemy import select

from somet.certificates import operations as service
from somet.certificates.core.payload import canonical_json
from somet.models import Certificate, Doctor
from somet.web.extensions import db
from tests.certificate_data import finished_cohort, use_fake_renderer


def _issue(monkeypatch, complete=1) -> Certificate:
    use_fake_renderer(monkeypatch)
    cohort, _ = finished_cohort(complete=complete)
    service.issue_certificates(None, cohort.id)
    return db.session.scalars(select(Certificate).order_by(Certificate.id)).first()


def test_anyone_sees_a_valid_certificate_and_only_what_it_says(client, monkeypatch):
    certificate = _issue(monkeypatch)
    doctor = db.session.get(Doctor, certificate.doctor_id)
    response = client.get(f"/verify/{certificate.verification_code}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and 'data-status="valid"' in page
    assert doctor.latin_name in page and doctor.native_name in page
    assert certificate.serial in page and "Its signature checks out." in page
    assert doctor.email not in page and doctor.passport_number not in page
    assert doctor.licence_number not in page


def test_a_revoked_certificate_says_when_and_why_and_what_replaced_it(client, users, monkeypatch):
    certificate = _issue(monkeypatch)
    new = service.reissue_certificate(users["director"], certificate.id, "Name misspelt")
    page = client.get(f"/verify/{certificate.verification_code}").get_data(as_text=True)
    assert 'data-status="revoked"' in page
    assert "Name misspelt" in page and f"replaced by {new.serial}" in page
    data = client.get(f"/verify/{certificate.verification_code}.json").json
    assert data["status"] == "revoked" and data["revocation_reason"] == "Name misspelt"
    assert data["revoked_at"].startswith(str(certificate.revoked_at.year))
    assert client.get(f"/verify/{new.verification_code}?format=json").json["status"] == "valid"


def test_an_unknown_code_is_not_found(client, app):
    response = client.get("/verify/" + "A" * 43)
    assert response.status_code == 404
    assert "No certificate has this code" in response.get_data(as_text=True)
    assert client.get("/verify/short").status_code == 404
    json_response = client.get("/verify/" + "B" * 43 + ".json")
    assert json_response.status_code == 404 and json_response.json == {"status": "unknown"}


def test_anyone_can_check_the_signature_with_the_published_key(client, monkeypatch):
    certificate = _issue(monkeypatch)
    data = client.get(f"/verify/{certificate.verification_code}.json").json
    pem = client.get("/verify/public-key.pem")
    assert pem.status_code == 200 and pem.data.startswith(b"-----BEGIN PUBLIC KEY-----")
    key = load_pem_public_key(pem.data)
    signature = base64.urlsafe_b64decode(data["signature"] + "=" * (-len(data["signature"]) % 4))
    key.verify(signature, canonical_json(data["certificate"]))  # raises when it does not match
    assert "email" not in str(data) and "passport" not in str(data)
    key_info = client.get("/verify/public-key.json").json
    assert key_info["algorithm"] == "Ed25519"
    assert key_info["key_id"] == data["certificate"]["key_id"]


def test_a_typed_code_leads_to_its_page(client, monkeypatch):
    certificate = _issue(monkeypatch)
    form = client.get("/verify/")
    assert form.status_code == 200 and 'name="code"' in form.get_data(as_text=True)
    response = client.get("/verify/", query_string={"code": f" {certificate.verification_code}"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/verify/{certificate.verification_code}")
    bad = client.get("/verify/", query_string={"code": "<script>"})
    assert bad.status_code == 200 and "is-invalid" in bad.get_data(as_text=True)


def test_lookups_are_rate_limited(client, app):
    statuses = [client.get("/verify/" + "C" * 43).status_code for _ in range(31)]
    assert statuses[:30] == [404] * 30 and statuses[30] == 429


def test_the_page_reads_one_statement_with_one_certificate_or_many_and_a_key_rotation(
    client, monkeypatch, count_queries
):
    from somet.certificates import keys

    certificate = _issue(monkeypatch)
    url = f"/verify/{certificate.verification_code}"
    client.get(url)
    with count_queries() as first:
        assert 'data-status="valid"' in client.get(url).get_data(as_text=True)
    keys.rotate_key(None)  # a second key, and more certificates signed by it
    _issue(monkeypatch, complete=3)
    with count_queries() as later:
        page = client.get(url).get_data(as_text=True)
    reads = [[q for q in run if not q.startswith("BEGIN")] for run in (first, later)]  # SQLite's
    assert len(reads[0]) == len(reads[1]) == 1  # the certificate with its key
    assert 'data-status="valid"' in page and "Its signature checks out." in page
