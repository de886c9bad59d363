"""Files of certificates (NOT pure): the signing key and the stored PDFs.

The key lives at ``<instance>/certificate_signing_key.pem`` (0600); ``flask backup`` copies
every ``*.pem`` of the instance folder, so it is in every backup. PDFs are written once under
``SOMET_STORAGE_DIR/certificates/<year>/`` through a temporary file and a rename: a reader or
a crash never sees half a file.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from somet.certificates.core.signing import generate_private_key_pem, load_private_key

SIGNING_KEY_FILE = "certificate_signing_key.pem"
CERTIFICATES_DIR = "certificates"
_key_cache: dict[str, Ed25519PrivateKey] = {}


def signing_key(instance_path: str | Path) -> Ed25519PrivateKey:
    """The signing key of this installation, created on first use."""
    path = Path(instance_path) / SIGNING_KEY_FILE
    cached = _key_cache.get(str(path))
    if cached is not None and path.exists():
        return cached
    if not path.exists():
        _create_key_file(path)
    key = load_private_key(path.read_bytes())
    _key_cache[str(path)] = key
    return key


def _create_key_file(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:  # O_EXCL: of two processes creating the key at once, one wins and both use its key
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with os.fdopen(fd, "wb") as handle:
        handle.write(generate_private_key_pem())
        handle.flush()
        os.fsync(handle.fileno())


def relative_pdf_path(serial: str, verification_code: str) -> str:
    """Where a certificate's PDF is stored, relative to the storage folder.

    The code's first characters make the name unique even when a reset demo reuses a serial.
    """
    year = serial.split("-")[1]
    return f"{CERTIFICATES_DIR}/{year}/{serial}-{verification_code[:10]}.pdf"


def sha256_hex(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def write_atomically(storage_dir: str | Path, relative: str, content: bytes) -> str:
    """Write ``content`` at ``relative`` via a temp file + fsync + rename; return its SHA-256."""
    target = _inside(storage_dir, relative)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(dir=target.parent, prefix=".partial-", suffix=".pdf")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp_name, 0o640)
        os.replace(temp_name, target)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return sha256_hex(content)


def stored_file(storage_dir: str | Path, relative: str | None) -> Path | None:
    """The stored file's path, or None when there is none."""
    if not relative:
        return None
    path = _inside(storage_dir, relative)
    return path if path.is_file() else None


def read_stored(storage_dir: str | Path, relative: str | None) -> bytes | None:
    """The stored file's bytes, or None (no resolve(): the path is ours, checked by text)."""
    if not relative or relative.startswith("/") or ".." in relative.split("/"):
        return None
    try:
        with open(os.path.join(storage_dir, relative), "rb") as handle:
            return handle.read()
    except (FileNotFoundError, IsADirectoryError):
        return None


def is_intact(storage_dir: str | Path, relative: str | None, expected_sha256: str | None) -> bool:
    """True when the stored file exists and has exactly the recorded SHA-256."""
    path = stored_file(storage_dir, relative)
    if path is None or not expected_sha256:
        return False
    return sha256_hex(path.read_bytes()) == expected_sha256


def _inside(storage_dir: str | Path, relative: str) -> Path:
    root = Path(storage_dir).resolve()
    path = (root / relative).resolve()
    if root not in path.parents:
        raise ValueError(f"{relative!r} is outside the storage folder")
    return path
