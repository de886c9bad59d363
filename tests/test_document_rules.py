"""PURE document rules: file signatures, which document counts, cell states, reminders."""

from datetime import date

from somet.documents import rules
from somet.documents.rules import DocumentFacts, RequirementFacts

ARRIVAL, DEPARTURE, TODAY = date(2027, 3, 7), date(2027, 3, 18), date(2027, 1, 1)
PASSPORT = RequirementFacts("passport", expires=True, due_days=30)


def test_only_pdf_png_and_jpeg_signatures_are_recognised():
    assert rules.sniff_content_type(b"%PDF-1.7\n...") == "application/pdf"
    assert rules.sniff_content_type(b"\x89PNG\r\n\x1a\n....") == "image/png"
    assert rules.sniff_content_type(b"\xff\xd8\xff\xe0..JFIF") == "image/jpeg"
    for head in (b"MZ\x90\x00", b"\x7fELF\x02", b"<html>", b"PK\x03\x04", b"", b"%PD"):
        assert rules.sniff_content_type(head) is None


def test_a_rejected_document_cannot_be_accepted_later():
    assert rules.can_transition("uploaded", "accepted")
    assert rules.can_transition("uploaded", "rejected")
    assert rules.can_transition("accepted", "rejected")
    assert not rules.can_transition("rejected", "accepted")
    assert not rules.can_transition("accepted", "accepted")


def test_an_accepted_valid_document_counts_over_a_newer_pending_one():
    old = DocumentFacts(1, "passport", "accepted", date(2030, 1, 1))
    new = DocumentFacts(2, "passport", "uploaded", date(2035, 1, 1))
    assert rules.pick_document([new, old], True, DEPARTURE) == old


def test_a_pending_renewal_counts_when_the_accepted_one_expires_too_soon():
    old = DocumentFacts(1, "passport", "accepted", date(2027, 3, 10))
    new = DocumentFacts(2, "passport", "uploaded", date(2035, 1, 1))
    assert rules.pick_document([old, new], True, DEPARTURE) == new
    cell = rules.checklist_cell(PASSPORT, [old, new], ARRIVAL, DEPARTURE, TODAY)
    assert cell.state == "uploaded" and cell.document_id == 2


def test_cell_states_missing_rejected_expired_accepted():
    def cell(*docs, requirement=PASSPORT, today=TODAY):
        return rules.checklist_cell(requirement, docs, ARRIVAL, DEPARTURE, today)

    missing = cell()
    assert missing.state == "missing" and missing.due_on == date(2027, 2, 5)
    assert not missing.overdue and cell(today=date(2027, 2, 6)).overdue
    rejected = cell(DocumentFacts(1, "passport", "rejected", None, "blurry"))
    assert (rejected.state, rejected.note) == ("rejected", "blurry")
    expired = cell(DocumentFacts(2, "passport", "accepted", date(2027, 3, 17)))
    assert (expired.state, expired.note) == ("expired", "2027-03-17")
    assert cell(DocumentFacts(3, "passport", "accepted", date(2027, 3, 18))).ready
    no_expiry = RequirementFacts("cv", expires=False, due_days=0)
    old_cv = DocumentFacts(4, "cv", "accepted", date(2020, 1, 1))
    assert cell(old_cv, requirement=no_expiry).state == "accepted"


def test_several_hosts_merge_into_the_strictest_requirement():
    merged = rules.merge_requirements(
        [
            RequirementFacts("passport", False, 10, ("A",)),
            RequirementFacts("passport", True, 60, ("B",)),
            RequirementFacts("cv", False, 5, ("B",)),
        ]
    )
    assert merged == [
        RequirementFacts("cv", False, 5, ("B",)),
        RequirementFacts("passport", True, 60, ("A", "B")),
    ]


def test_reminders_are_due_30_and_7_days_before_expiry():
    expiry = date(2027, 2, 1)
    assert rules.reminder_stage(expiry, date(2026, 12, 1)) is None
    assert rules.reminder_stage(expiry, date(2027, 1, 2)) == 30
    assert rules.reminder_stage(expiry, date(2027, 1, 25)) == 7
    assert rules.reminder_stage(expiry, date(2027, 2, 1)) == 7
    assert rules.reminder_stage(expiry, date(2027, 2, 2)) is None
