"""Backups: a consistent copy of the SQLite database plus the stored files, in one archive."""

from __future__ import annotations

import os
import sqlite3
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import make_url

from somet.core.errors import DomainError

DATABASE_MEMBER = "somet.sqlite3"
STORAGE_MEMBER = "storage"
KEYS_MEMBER = "keys"
# From the instance folder: every private key (certificate signing keys, one file per key,
# 0600) and the published public key sets that go with them.
INSTANCE_FILES = ("*.pem", "*.jwks.json")


class BackupError(DomainError):
    """A backup or restore cannot be made; the message says why."""


@dataclass(frozen=True)
class BackupLocations:
    database_url: str
    storage_dir: Path
    instance_dir: Path

    @property
    def sqlite_path(self) -> Path:
        url = make_url(self.database_url)
        if url.get_backend_name() != "sqlite" or not url.database:
            raise BackupError(
                "flask backup copies SQLite databases; for PostgreSQL use "
                "pg_dump -Fc (see README, Production → Backups)"
            )
        return Path(url.database)


def create_backup(
    locations: BackupLocations, output_dir: Path, now: datetime | None = None
) -> Path:
    """Write ``somet-<time>.tar.gz`` with the database (online backup API) and stored files."""
    source = locations.sqlite_path
    if not source.exists():
        raise BackupError(f"There is no database at {source}.")
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%d-%H%M%S")
    output_dir.mkdir(parents=True, exist_ok=True)
    archive_path = output_dir / f"somet-{stamp}.tar.gz"
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / DATABASE_MEMBER
        _sqlite_online_copy(source, copy)
        partial = archive_path.with_suffix(".partial")
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(copy, arcname=DATABASE_MEMBER)
            if locations.storage_dir.exists():
                archive.add(locations.storage_dir, arcname=STORAGE_MEMBER)
            for pattern in INSTANCE_FILES:
                for key in sorted(locations.instance_dir.glob(pattern)):
                    archive.add(key, arcname=f"{KEYS_MEMBER}/{key.name}")
        partial.replace(archive_path)  # a backup file exists only once it is whole
    return archive_path


def _sqlite_online_copy(source: Path, target: Path) -> None:
    # The online backup API copies a consistent snapshot while the app keeps writing.
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    dst.close()
    src.close()


def restore_backup(locations: BackupLocations, archive_path: Path) -> None:
    """Replace the database and stored files with those in ``archive_path`` (app stopped)."""
    target = locations.sqlite_path
    with tarfile.open(archive_path, "r:gz") as archive:
        names = archive.getnames()
        if DATABASE_MEMBER not in names:
            raise BackupError(f"{archive_path} is not a SOMET backup (no {DATABASE_MEMBER}).")
        with tempfile.TemporaryDirectory() as scratch:
            archive.extractall(scratch, filter="data")  # refuses absolute paths and ../
            restored = Path(scratch)
            target.parent.mkdir(parents=True, exist_ok=True)
            for suffix in ("-wal", "-shm"):
                Path(f"{target}{suffix}").unlink(missing_ok=True)
            _sqlite_online_copy(restored / DATABASE_MEMBER, target)
            _replace_tree(restored / STORAGE_MEMBER, locations.storage_dir)
            for pattern in INSTANCE_FILES:
                for key in (restored / KEYS_MEMBER).glob(pattern):
                    private = key.suffix == ".pem"
                    _write_file(locations.instance_dir / key.name, key.read_bytes(), private)


def _write_file(path: Path, content: bytes, private: bool) -> None:
    """Write a restored key file; a private one is 0600 from its first byte."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600 if private else 0o644)
    with os.fdopen(fd, "wb") as handle:
        handle.write(content)
    path.chmod(0o600 if private else 0o644)  # an existing file keeps its mode otherwise


def _replace_tree(source: Path, target: Path) -> None:
    import shutil

    if not source.exists():
        return
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target)
