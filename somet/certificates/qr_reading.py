"""Reading QR codes back from a picture or a PDF (NOT pure: runs zbarimg and pdftoppm).

``zbarimg`` (Debian ``zbar-tools``) decodes the QR codes of a PNG or JPEG; a PDF's first page
is first rendered to a PNG at 300 dpi by ``pdftoppm`` (``poppler-utils``). Both are run as
programs with a time limit, their input a path we were given, never a shell.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

TIMEOUT_SECONDS = 60
PDF_DPI = 300


class QrReadError(RuntimeError):
    """The file could not be read, or a tool is missing; the message says which."""


def _tool(name: str, package: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise QrReadError(f"{name} is not installed (apt-get install {package})")
    return path


def qr_texts(path: Path) -> list[str]:
    """The text of every QR code in the image or in the PDF's first page."""
    if path.suffix.lower() != ".pdf":
        return _scan(path)
    with tempfile.TemporaryDirectory() as scratch:
        image = Path(scratch) / "page"
        command = [_tool("pdftoppm", "poppler-utils"), "-r", str(PDF_DPI), "-png", "-f", "1"]
        done = subprocess.run(  # noqa: S603 (no shell; our arguments and the given path)
            [*command, "-l", "1", "-singlefile", str(path), str(image)],
            capture_output=True,
            timeout=TIMEOUT_SECONDS,
        )
        if done.returncode != 0:
            raise QrReadError(f"{path} is not a readable PDF")
        return _scan(image.with_suffix(".png"))


def _scan(image: Path) -> list[str]:
    done = subprocess.run(  # noqa: S603 (no shell; our arguments and the given path)
        [_tool("zbarimg", "zbar-tools"), "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable",
         str(image)],
        capture_output=True,
        timeout=TIMEOUT_SECONDS,
    )  # fmt: skip
    if done.returncode == 4:  # zbarimg: the picture holds no code
        return []
    if done.returncode != 0:
        raise QrReadError(f"{image} is not a readable picture")
    return [line for line in done.stdout.decode("utf-8", "replace").splitlines() if line]
