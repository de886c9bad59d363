"""``flask demo`` loads a realistic centre once, and its logins work."""

from pathlib import Path

from sqlalchemy import func, select

from somet.demo.data import DEMO_PASSWORD
from somet.models import (
    Base,
    Cohort,
    Department,
    Doctor,
    Enrollment,
    Hospital,
    TravelDocument,
    User,
)
from somet.web.extensions import db
from tests.conftest import login_as


def _row_counts() -> dict[str, int]:
    return {
        t.name: db.session.scalar(select(func.count()).select_from(t))
        for t in Base.metadata.sorted_tables
    }


def test_demo_twice_leaves_one_copy_of_everything(runner):
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    assert "director@example.org" in first.output and DEMO_PASSWORD in first.output
    counts = _row_counts()
    second = runner.invoke(args=["demo"])
    assert second.exit_code == 0 and "already loaded" in second.output
    assert _row_counts() == counts


def _stored_files(app) -> set[Path]:
    return {p for p in Path(app.config["SOMET_STORAGE_DIR"]).rglob("*") if p.is_file()}


def test_demo_reset_starts_over_with_the_same_content_and_files(app, runner):
    runner.invoke(args=["demo"])
    counts = _row_counts()
    documents = set(db.session.scalars(select(TravelDocument.storage_name)))
    files = _stored_files(app)
    assert documents and {f.name for f in files} >= documents
    unrelated = Path(app.config["SOMET_STORAGE_DIR"]) / "documents" / "kept-by-someone-else.txt"
    unrelated.write_text("not the demo's")

    result = runner.invoke(args=["demo", "--reset"])
    assert result.exit_code == 0 and "Demo data loaded." in result.output
    assert _row_counts() == counts
    # The old uploads are gone, not left beside the new ones; other files stay.
    assert not documents & set(db.session.scalars(select(TravelDocument.storage_name)))
    assert not documents & {f.name for f in _stored_files(app)}
    assert len(_stored_files(app)) == len(files) + 1 and unrelated.exists()


def test_demo_centre_is_realistic(runner):
    runner.invoke(args=["demo"])
    hospitals = {h.city: h for h in db.session.scalars(select(Hospital))}
    assert set(hospitals) == {"Haifa", "Jerusalem"}
    assert hospitals["Haifa"].weekday_numbers == [6, 0, 1, 2, 3]
    haifa_departments = db.session.scalar(
        select(func.count()).where(Department.hospital_id == hospitals["Haifa"].id)
    )
    assert haifa_departments == 10
    upcoming = db.session.scalar(
        select(Cohort).where(Cohort.name == "Abay region — surgical specialties")
    )
    enrolled = db.session.scalar(select(func.count()).where(Enrollment.cohort_id == upcoming.id))
    assert enrolled == 20
    kazakh = db.session.scalars(select(Doctor.native_name)).all()
    assert any(set(name) & set("әғқңөұүһі") for name in kazakh)


def test_every_demo_login_works(app, runner):
    runner.invoke(args=["demo"])
    for user in db.session.scalars(select(User)):
        client = app.test_client()
        login_as(client, user, password=DEMO_PASSWORD)
        assert client.get("/").status_code == 200
