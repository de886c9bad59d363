"""Credentials that travel (issue 25), from the demo, through HTTP and the command line only.

The demo doctor downloads last year's certificate, its printed QR code is read back from the
PDF with zbar and ``flask certificates check`` says it is valid with only the published keys;
the director rotates the signing key; a new certificate is issued through the existing pages
(an open masterclass the doctor attends); then a verifier types each certificate's serial and
check code, as printed on the PDF, on the public page: both are valid, the old one signed by
the retired key and the new one by the active key. The doctor also takes the new one to a
wallet as an Open Badge.
"""

from __future__ import annotations

import base64
import io
import json
import re
import subprocess
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pypdf
import pytest

from somet.certificates.core.badges import read_jwt
from somet.certificates.core.keyset import parse_jwks
from somet.certificates.qr_reading import shutil
from somet.demo.data import DEMO_PASSWORD
from tests.ob3_shape import ACHIEVEMENT_CREDENTIAL, problems
from tests.test_journey_cohort_life import ZONE, _device, _logged_in, _masterclass_form, _page

DOCTOR, DIRECTOR = "doctor@example.org", "director@example.org"
CHECK_RE = re.compile(r"(SOMET-\d{4}-\d{6}) · Check code / Код проверки: ([A-Z0-9]{4}-[A-Z0-9]{4})")

pytestmark = pytest.mark.skipif(
    not (shutil.which("zbarimg") and shutil.which("pdftoppm")),
    reason="zbar-tools and poppler-utils are system packages (README)",
)


def doctor_downloads_certificates(doctor, folder: Path) -> list[tuple[Path, str, str]]:
    """Each certificate PDF of the doctor's list, with the serial and check code it prints."""
    mine = _page(doctor, "/certificates/mine")
    found = []
    for link in dict.fromkeys(re.findall(r'href="(/certificates/\d+/download)"', mine)):
        pdf = doctor.get(link)
        assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
        path = folder / f"{link.split('/')[2]}.pdf"
        path.write_bytes(pdf.data)
        text = pypdf.PdfReader(io.BytesIO(pdf.data)).pages[0].extract_text()
        serial, check = CHECK_RE.search(text).groups()
        found.append((path, serial, check))
    return found


def qr_of(pdf: Path) -> str:
    """pdftoppm renders the page, zbarimg reads its QR code."""
    png = pdf.with_suffix("")
    subprocess.run(["pdftoppm", "-r", "300", "-png", "-singlefile", str(pdf), str(png)], check=True)
    done = subprocess.run(
        ["zbarimg", "--quiet", "--raw", f"{png}.png"], capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def checker_says(runner, source: str, *options: str) -> str:
    result = runner.invoke(args=["certificates", "check", source, *options])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("VALID: certificate SOMET-")
    return result.output


def director_issues_a_masterclass_certificate(app, director, doctor) -> None:
    """An open masterclass: the doctor registers, it takes place, the director marks the
    attendance and issues its certificates with the masterclass page's button."""
    new = _page(director, "/masterclasses/new")
    hospital = re.search(r'<option value="(\d+)"[^>]*>Rambam', new).group(1)
    now = datetime.now(ZoneInfo(ZONE))
    form = _masterclass_form(now + timedelta(days=1), 2, int(hospital))
    created = director.submit("/masterclasses/new", form)
    assert created.status_code == 302, created.get_data(as_text=True)[:2000]
    masterclass = created.headers["Location"].replace("http://somet.test", "")
    doctor.submit(f"{masterclass}/registration", {}, page=masterclass)
    assert "Вы записаны." in _page(doctor, masterclass)  # the demo doctor reads Russian
    # The real clock cannot jump for HTTP: the director moves the class to earlier today.
    earlier = _masterclass_form(now - timedelta(hours=3), 2, int(hospital))
    assert director.submit(f"{masterclass}/edit", earlier).status_code == 302
    page = _page(director, masterclass)
    (attendee,) = re.findall(r'name="attended" value="(\d+)"', page)
    marked = director.submit(f"{masterclass}/attendance", {"attended": attendee}, page=masterclass)
    assert marked.status_code == 302
    issue = f"/masterclasses/{masterclass.rsplit('/', 1)[-1]}/certificates/issue"
    issued = director.submit(issue, {}, page=masterclass, follow_redirects=True)
    assert "Certificates issued: 1." in issued.get_data(as_text=True)


def verifier_types_serial_and_check_code(app, serial: str, check: str) -> str:
    """A stranger on the public page, typing as people do: lower case, a space for the dash."""
    verifier = _device(app)
    typed = {"serial": serial.lower(), "check": check.lower().replace("-", " ")}
    found = verifier.get("/verify/", query_string=typed)
    assert found.status_code == 302, found.get_data(as_text=True)[:2000]
    page = _page(verifier, found.headers["Location"].replace("http://somet.test", ""))
    assert 'data-status="valid"' in page and "Its signature checks out." in page
    return page


def doctor_takes_the_open_badge_to_a_wallet(app, doctor, serial: str) -> None:
    """The badge link of the doctor's list gives a VC-JWT that a wallet verifies with the JWKS."""
    mine = _page(doctor, "/certificates/mine")
    row = next(r for r in mine.split("<tr")[1:] if serial in r)
    (link,) = re.findall(r'href="(/certificates/\d+/badge\.jwt)"', row)
    token = doctor.get(link).get_data(as_text=True)
    header = json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "=="))
    keys = parse_jwks(_device(app).get("/.well-known/jwks.json").json)
    _, claims = read_jwt(token, keys[header["jwk"]["kid"]].public_key)
    assert problems(claims["vc"], ACHIEVEMENT_CREDENTIAL) == []
    assert claims["vc"]["credentialSubject"]["achievement"]["humanCode"] == serial
    assert "linkedin.com/profile/add" in row


def test_a_demo_certificate_travels_offline_and_survives_a_key_rotation(app, runner, tmp_path):
    assert runner.invoke(args=["demo"]).exit_code == 0
    doctor = _logged_in(app, DOCTOR, DEMO_PASSWORD)
    ((old_pdf, old_serial, old_check),) = doctor_downloads_certificates(doctor, tmp_path)
    scanned = qr_of(old_pdf)
    assert scanned.startswith(f"{app.config['SOMET_PUBLIC_URL']}/verify/")
    assert "#SOMET1:" in scanned
    keys_file = tmp_path / "jwks.json"
    keys_file.write_bytes(_device(app).get("/.well-known/jwks.json").data)
    said = checker_says(runner, scanned, "--keys", str(keys_file))
    assert old_serial in said and "Abay region — anaesthesiology and surgery 2025" in said
    checker_says(runner, str(old_pdf))  # the PDF itself, with the instance's keys file

    rotated = runner.invoke(args=["certificates", "rotate-key"])
    assert rotated.exit_code == 0 and "is retired" in rotated.output
    director = _logged_in(app, DIRECTOR, DEMO_PASSWORD)
    director_issues_a_masterclass_certificate(app, director, doctor)

    certificates = doctor_downloads_certificates(doctor, tmp_path)
    (new_pdf, new_serial, new_check), *_ = [c for c in certificates if c[1] != old_serial]
    keys_file.write_bytes(_device(app).get("/.well-known/jwks.json").data)
    new_said = checker_says(runner, str(new_pdf), "--keys", str(keys_file))
    assert new_serial in new_said and "(active)" in new_said and "Difficult airway" in new_said
    assert "(retired)" in checker_says(runner, qr_of(old_pdf), "--keys", str(keys_file))

    doctor_takes_the_open_badge_to_a_wallet(app, doctor, new_serial)

    old_page = verifier_types_serial_and_check_code(app, old_serial, old_check)
    new_page = verifier_types_serial_and_check_code(app, new_serial, new_check)
    assert 'data-key-status="retired"' in old_page and old_serial in old_page
    assert 'data-key-status="active"' in new_page and new_serial in new_page
