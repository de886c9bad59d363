"""The directors' review queue (oldest first, by cohort, with its count) and the file shown
on the review page: served inline to whoever may see it, framed only by our own pages."""

from datetime import UTC, datetime, timedelta

from somet.demo.documents import tiny_pdf, tiny_png
from somet.documents.queries import documents_awaiting_review_count
from somet.models import Doctor, DocumentStatus, Role
from somet.web.extensions import db
from somet.web.security import EMBEDDED_FILE_POLICY
from tests.conftest import login_as
from tests.factories import (
    make_cohort,
    make_doctor,
    make_document_requirement,
    make_enrollment,
    make_hospital,
    make_travel_document,
    make_user,
)

QUEUE = "/documents/review"
MONDAY = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)


def _upload(doctor, kind, days_ago_from_monday, **fields):
    uploaded = MONDAY - timedelta(days=days_ago_from_monday)
    return make_travel_document(doctor, kind, uploaded_at=uploaded, **fields)


def _two_cohorts_with_uploads():
    """Three waiting uploads in two cohorts (and a reviewed one that must not show)."""
    first, second = make_cohort(name="Abay spring"), make_cohort(name="Almaty autumn")
    aida, bolat, chingiz = (make_doctor(last_name=n) for n in ("Aidova", "Bolatov", "Chingizov"))
    make_enrollment(first, aida), make_enrollment(first, bolat), make_enrollment(second, chingiz)
    waiting = {
        "middle": _upload(bolat, "visa", 5),
        "oldest": _upload(chingiz, "passport", 9),
        "newest": _upload(aida, "cv", 1, valid_until=None),
    }
    _upload(aida, "passport", 20, status=DocumentStatus.ACCEPTED)
    _upload(bolat, "insurance", 20, status=DocumentStatus.REJECTED, rejection_reason="blurred")
    return first, second, waiting


def _links_in_order(page: str, documents) -> list[int]:
    positions = {page.find(f'href="/documents/{d.id}"'): d.id for d in documents}
    assert -1 not in positions, "a waiting document is missing from the queue"
    return [positions[p] for p in sorted(positions)]


def test_director_sees_uploads_awaiting_review_oldest_first_with_their_count(client, users):
    _first, _second, waiting = _two_cohorts_with_uploads()
    login_as(client, users["director"])
    page = client.get(QUEUE).get_data(as_text=True)
    expected = [waiting[k].id for k in ("oldest", "middle", "newest")]
    assert _links_in_order(page, waiting.values()) == expected
    assert 'id="review-count">3<' in page and "Awaiting review" in page
    assert "Almaty autumn" in page and "Chingizov" in page  # whose document, for which trip
    assert "blurred" not in page  # reviewed documents are not in the queue
    assert documents_awaiting_review_count() == 3


def test_the_queue_filters_by_cohort_and_the_count_follows(client, users):
    first, second, waiting = _two_cohorts_with_uploads()
    login_as(client, users["director"])
    page = client.get(QUEUE, query_string={"cohort": first.id}).get_data(as_text=True)
    assert _links_in_order(page, [waiting["middle"], waiting["newest"]]) == [
        waiting["middle"].id,
        waiting["newest"].id,
    ]
    assert f'href="/documents/{waiting["oldest"].id}"' not in page
    assert 'id="review-count">2<' in page
    assert documents_awaiting_review_count(first.id) == 2
    assert documents_awaiting_review_count(second.id) == 1
    unknown = client.get(QUEUE, query_string={"cohort": 987654}).get_data(as_text=True)
    assert 'id="review-count">3<' in unknown  # an unknown cohort: the whole queue, not a 500


def test_accepting_from_the_review_page_takes_it_off_the_queue(client, users):
    _first, _second, waiting = _two_cohorts_with_uploads()
    login_as(client, users["director"])
    oldest = waiting["oldest"]
    review = client.get(f"/documents/{oldest.id}").get_data(as_text=True)
    assert f'id="next-in-queue" href="/documents/{waiting["middle"].id}"' in review
    client.submit(f"/documents/{oldest.id}/accept", {}, page=f"/documents/{oldest.id}")
    page = client.get(QUEUE).get_data(as_text=True)
    assert f'href="/documents/{oldest.id}"' not in page and 'id="review-count">2<' in page
    overview = client.get("/documents/").get_data(as_text=True)
    assert 'id="review-count">2<' in overview and f'href="{QUEUE}"' in overview


def test_the_count_is_one_statement_and_the_queue_does_not_grow_with_its_length(
    app, users, count_queries
):
    client = app.test_client()
    login_as(client, users["director"])
    cohort = make_cohort()
    cohort_id = cohort.id
    counts = []
    for added in (2, 20):
        for _ in range(added):
            doctor = make_doctor()
            make_enrollment(cohort, doctor)
            make_travel_document(doctor, "passport")
        db.session.expire_all()
        with count_queries() as queries:
            assert documents_awaiting_review_count(cohort_id) in (2, 22)
        assert [q for q in queries if q.startswith("SELECT")] == [queries[-1]]
        assert len([q for q in queries if not q.startswith("BEGIN")]) == 1
        with count_queries() as queries:
            page = client.get(QUEUE).get_data(as_text=True)
        counts.append(len(queries))
    assert page.count("/documents/") >= 22
    assert counts[0] == counts[1]


def test_coordinators_and_doctors_cannot_see_the_queue(client, users):
    _two_cohorts_with_uploads()
    for role in ("coordinator", "doctor"):
        login_as(client, users[role])
        assert client.get(QUEUE).status_code == 403
        client.submit("/logout", {}, page="/account/password")


def _doctor_with_file(content: bytes, kind="passport", content_type="application/pdf"):
    host = make_hospital()
    make_document_requirement(host, kind)
    user = make_user(Role.DOCTOR)
    doctor = db.session.get(Doctor, user.doctor_id)
    make_enrollment(make_cohort(hosts=[host]), doctor)
    document = make_travel_document(doctor, kind, content=content, content_type=content_type)
    return host, user, document


def test_the_file_is_served_inline_framable_only_by_our_pages(client, users):
    content = tiny_pdf("passport N123")
    _host, _user, document = _doctor_with_file(content)
    login_as(client, users["director"])
    response = client.get(f"/documents/{document.id}/file/inline")
    assert response.status_code == 200 and response.data == content
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("inline;")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert response.headers["Cache-Control"] == "private, no-store"
    policy = response.headers["Content-Security-Policy"]
    assert policy == EMBEDDED_FILE_POLICY
    assert "default-src 'none'" in policy and "frame-ancestors 'self'" in policy
    assert "'self'" not in policy.replace("frame-ancestors 'self'", "")  # loads nothing
    assert "script-src" not in policy  # nothing may run: default-src 'none' covers scripts


def test_the_review_page_frames_a_pdf_and_shows_an_image_under_a_strict_policy(client, users):
    _host, _user, pdf = _doctor_with_file(tiny_pdf("visa"), kind="visa")
    _host, _user, png = _doctor_with_file(tiny_png(), "vaccination", "image/png")
    login_as(client, users["director"])
    response = client.get(f"/documents/{pdf.id}")
    page = response.get_data(as_text=True)
    assert f'<iframe class="document-preview-pdf" src="/documents/{pdf.id}/file/inline"' in page
    policy = response.headers["Content-Security-Policy"]
    assert "frame-src 'self'" in policy and "object-src 'none'" in policy
    assert "frame-ancestors 'none'" in policy and "script-src 'self'" in policy
    assert response.headers["X-Frame-Options"] == "DENY"
    image_page = client.get(f"/documents/{png.id}").get_data(as_text=True)
    image_tag = f'<img class="document-preview-image" src="/documents/{png.id}/file/inline"'
    assert image_tag in image_page
    image = client.get(f"/documents/{png.id}/file/inline")
    assert image.mimetype == "image/png" and image.data == tiny_png()


def test_ordinary_pages_still_refuse_to_be_framed(client, users):
    login_as(client, users["director"])
    response = client.get(QUEUE)
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_a_doctor_sees_its_own_file_inline_but_not_another_doctors(app):
    _host, owner, document = _doctor_with_file(tiny_pdf("mine"))
    own, other = app.test_client(), app.test_client()
    login_as(own, owner)
    assert own.get(f"/documents/{document.id}/file/inline").status_code == 200
    login_as(other, make_user(Role.DOCTOR))
    assert other.get(f"/documents/{document.id}/file/inline").status_code == 404


def test_only_the_requiring_hosts_coordinator_sees_the_file_inline(app):
    host, _owner, document = _doctor_with_file(tiny_pdf("scan"))
    theirs, stranger = app.test_client(), app.test_client()
    login_as(theirs, make_user(Role.COORDINATOR, hospital_id=host.id))
    assert theirs.get(f"/documents/{document.id}/file/inline").status_code == 200
    login_as(stranger, make_user(Role.COORDINATOR))
    assert stranger.get(f"/documents/{document.id}/file/inline").status_code == 404


def test_a_stored_type_that_is_not_pdf_or_image_is_never_shown_inline(client, users):
    _host, _user, document = _doctor_with_file(tiny_pdf("x"))
    document.content_type = "text/html"  # cannot come from an upload; never trust the column
    db.session.commit()
    login_as(client, users["director"])
    response = client.get(f"/documents/{document.id}/file/inline")
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["X-Frame-Options"] == "DENY"
