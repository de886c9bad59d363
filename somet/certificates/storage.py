"""Files of certificates (NOT pure): the signing keys and the stored PDFs.

Each signing key's private half is a file ``<instance>/certificate_signing_key-<kid>.pem``
(0600, written once with O_EXCL); which key is active, retired or revoked is in the database
(``signing_keys``, see keys.py), which holds only public keys. Files rather than a table for
the private halves: a database dump, a replica or a PostgreSQL backup then never carries a
key that can sign, and ``flask backup`` already copies every ``*.pem`` of the instance folder
with the SQLite file. The key of an installation from before key history,
``<instance>/certificate_signing_key.pem``, is adopted as the first key and left in place.
PDFs are written once under ``SOMET_STORAGE_DIR/certificates/<year>/`` through a temporary
file and a rename: a reader or a crash never sees half a file.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from somet.certificates.core.signing import key_id, load_private_key

LEGACY_KEY_FILE = "certificate_signing_key.pem"
KEY_FILE = "certificate_signing_key-{kid}.pem"
CERTIFICATES_DIR = "certificates"
_key_cache: dict[str, Ed25519PrivateKey] = {}


class MissingKeyFile(RuntimeError):
    """The private key a certificate must be signed with is not in this instance folder."""


def key_path(instance_path: str | Path, kid: str) -> Path:
    return Path(instance_path) / KEY_FILE.format(kid=kid)


def private_key(instance_path: str | Path, kid: str) -> Ed25519PrivateKey:
    """The private key ``kid`` from its file (cached per process)."""
    path = key_path(instance_path, kid)
    cached = _key_cache.get(str(path))
    if cached is not None and path.exists():
        return cached
    try:
        key = load_private_key(path.read_bytes())
    except FileNotFoundError:
        raise MissingKeyFile(f"no private key file {path}") from None
    if key_id(key.public_key()) != kid:
        raise MissingKeyFile(f"{path} does not hold key {kid}")
    _key_cache[str(path)] = key
    return key


def save_private_key(instance_path: str | Path, pem: bytes) -> str:
    """Write ``pem`` as the file of its key (0600, never overwritten); returns its kid."""
    kid = key_id(load_private_key(pem).public_key())
    path = key_path(instance_path, kid)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:  # O_EXCL: of two processes writing the same key, one writes and both use it
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return kid
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
        handle.flush()
        os.fsync(handle.fileno())
    return kid


def key_files(instance_path: str | Path) -> dict[str, bytes]:
    """Every private key file of the instance folder by kid, the newest file first (the
    single key of an installation from before key history among them)."""
    folder = Path(instance_path)
    paths = [*folder.glob(KEY_FILE.format(kid="*")), folder / LEGACY_KEY_FILE]
    found: dict[str, bytes] = {}
    for path in sorted((p for p in paths if p.is_file()), key=_modified, reverse=True):
        pem = path.read_bytes()
        found.setdefault(key_id(load_private_key(pem).public_key()), pem)
    return found


def _modified(path: Path) -> float:
    return path.stat().st_mtime


def delete_private_key(instance_path: str | Path, kid: str) -> None:
    """Destroy a revoked key's private half (the public half stays published)."""
    key_path(instance_path, kid).unlink(missing_ok=True)
    _key_cache.pop(str(key_path(instance_path, kid)), None)


def write_public_file(path: Path, content: bytes) -> None:
    """Replace a public file (the published keys) atomically, readable by all."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(dir=path.parent, prefix=".partial-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        os.chmod(temp_name, 0o644)
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


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
