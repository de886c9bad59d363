"""``flask backup`` and ``flask restore``: a consistent copy that restores to the same data."""

import tarfile

import pytest
from sqlalchemy import func, select

from somet.models import Base, Doctor
from somet.web.extensions import db
from tests.conftest import POSTGRES_URL

pytestmark = pytest.mark.skipif(bool(POSTGRES_URL), reason="flask backup copies SQLite files")


def _counts() -> dict[str, int]:
    return {
        t.name: db.session.scalar(select(func.count()).select_from(t))
        for t in Base.metadata.sorted_tables
    }


def test_backup_restores_the_same_database_and_files(app, runner, tmp_path):
    runner.invoke(args=["demo"])
    storage = tmp_path / "storage" / "certificates"
    storage.mkdir(parents=True, exist_ok=True)  # the demo may have stored certificates
    (storage / "SOMET-2025-000001.pdf").write_bytes(b"%PDF-1.7 stored certificate")
    before = _counts()
    db.session.remove()

    result = runner.invoke(args=["backup", "--output", str(tmp_path / "backups")])
    assert result.exit_code == 0, result.output
    archive = next((tmp_path / "backups").glob("somet-*.tar.gz"))
    with tarfile.open(archive) as opened:
        assert "somet.sqlite3" in opened.getnames()

    # Lose data and files after the backup ...
    db.session.execute(Doctor.__table__.update().values(first_name="Changed"))
    db.session.commit()
    (storage / "SOMET-2025-000001.pdf").unlink()
    db.session.remove()

    restored = runner.invoke(args=["restore", str(archive), "--yes"])
    assert restored.exit_code == 0, restored.output
    db.engine.dispose()
    assert _counts() == before
    assert "Changed" not in db.session.scalars(select(Doctor.first_name)).all()
    assert (storage / "SOMET-2025-000001.pdf").read_bytes() == b"%PDF-1.7 stored certificate"


def test_restore_refuses_a_file_that_is_not_a_backup(runner, tmp_path):
    bogus = tmp_path / "bogus.tar.gz"
    with tarfile.open(bogus, "w:gz") as archive:
        note = tmp_path / "note.txt"
        note.write_text("hello")
        archive.add(note, arcname="note.txt")
    result = runner.invoke(args=["restore", str(bogus), "--yes"])
    assert result.exit_code == 1 and "is not a SOMET backup" in result.output
