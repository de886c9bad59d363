"""Uploaded files on disk: random names under ``SOMET_STORAGE_DIR/documents``, never static/."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

SUBDIRECTORY = "documents"


def documents_dir(storage_dir: str | Path) -> Path:
    return Path(storage_dir) / SUBDIRECTORY


def store_file(storage_dir: str | Path, content: bytes) -> str:
    """Write ``content`` under a new random name and return the name (atomic rename)."""
    folder = documents_dir(storage_dir)
    folder.mkdir(parents=True, exist_ok=True)
    name = secrets.token_hex(16)
    temporary = folder / f".{name}.part"
    temporary.write_bytes(content)
    os.replace(temporary, folder / name)
    return name


def stored_path(storage_dir: str | Path, name: str) -> Path:
    """The file of a stored name; names are ours (hex), so this cannot escape the folder."""
    if not name or not all(c in "0123456789abcdef" for c in name):
        raise ValueError(f"not a stored document name: {name!r}")
    return documents_dir(storage_dir) / name


def remove_file(storage_dir: str | Path, name: str) -> None:
    stored_path(storage_dir, name).unlink(missing_ok=True)
