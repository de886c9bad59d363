"""Certificate pages: a cohort's certificates (directors), downloads, the doctor's own list."""

from __future__ import annotations

import tempfile
from urllib.parse import quote

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import bindparam, select

from somet.certificates import batches, masterclass_issuing, reissuing, storage
from somet.certificates import operations as service
from somet.certificates import queries as facts
from somet.certificates.forms import ReissueCertificatesForm, RevokeCertificateForm
from somet.core.errors import DomainError
from somet.jobs.operations import latest_run
from somet.models import Certificate, Role
from somet.web.access import STAFF, get_visible_or_404, role_required, visible_to
from somet.web.extensions import db
from somet.web.refusals import flash_error, form_error
from somet.web.templating import worded_once

blueprint = Blueprint("certificates", __name__)


def _cohort_or_404(cohort_id: int):
    cohort = facts.load_cohort(cohort_id)
    if cohort is None:
        abort(404)
    return cohort


@blueprint.route("/cohorts/<int:cohort_id>/certificates")
@role_required(*STAFF)
def list_cohort_certificates(cohort_id: int):
    cohort = _cohort_or_404(cohort_id)
    rows = facts.cohort_completion(cohort)
    run, reissue_run = reissuing.latest_issue_and_reissue(cohort_id)
    return render_template(
        "certificates/cohort.html",
        cohort=cohort,
        rows=rows,
        run=run,
        reissue_run=reissue_run,
        reissue_form=ReissueCertificatesForm(),
        # Most doctors share the same few reasons: each distinct one is worded once.
        worded=worded_once("certificates/_reasons.html", "reason_text", key=lambda r: r),
    )


@blueprint.route("/cohorts/<int:cohort_id>/certificates/reissue", methods=["POST"])
@role_required(*STAFF)
def reissue_cohort_certificates(cohort_id: int):
    form = ReissueCertificatesForm()
    if not form.validate_on_submit():
        flash(_("Give the reason for re-issuing (at most 500 characters)."), "danger")
        return redirect(url_for(".list_cohort_certificates", cohort_id=cohort_id))
    try:
        reissuing.start_reissue(current_user, form.reason.data, cohort_id=cohort_id)
    except DomainError as error:
        flash_error(error)
    else:
        flash(
            _("Re-issuing the certificates has started; this page shows its progress."), "success"
        )
    return redirect(url_for(".list_cohort_certificates", cohort_id=cohort_id))


@blueprint.route("/cohorts/<int:cohort_id>/certificates/reissue/progress.json")
@role_required(*STAFF)
def show_reissue_progress(cohort_id: int):
    _cohort_or_404(cohort_id)
    return _progress_of(reissuing.latest_reissue(cohort_id))


@blueprint.route("/cohorts/<int:cohort_id>/certificates/issue", methods=["POST"])
@role_required(*STAFF)
def issue_cohort_certificates(cohort_id: int):
    try:
        batches.start_certificate_batch(current_user, cohort_id)
    except DomainError as error:
        flash_error(error)
    else:
        flash(_("Issuing certificates has started; this page shows its progress."), "success")
    return redirect(url_for(".list_cohort_certificates", cohort_id=cohort_id))


@blueprint.route("/masterclasses/<int:masterclass_id>/certificates/issue", methods=["POST"])
@role_required(*STAFF)
def issue_masterclass_certificates(masterclass_id: int):
    try:
        result = masterclass_issuing.issue_masterclass_certificates(current_user, masterclass_id)
    except DomainError as error:
        flash_error(error)
    else:
        flash(_("Certificates issued: %(num)d.", num=result["issued"]), "success")
    return redirect(url_for("masterclasses.show_masterclass", masterclass_id=masterclass_id))


@blueprint.route("/cohorts/<int:cohort_id>/certificates/progress.json")
@role_required(*STAFF)
def show_batch_progress(cohort_id: int):
    return _progress_of(latest_run(batches.BATCH_JOB, str(cohort_id)))


def _progress_of(run) -> dict:
    if run is None:
        return {"state": "none", "done": 0, "total": 0}
    return {
        "state": run.outcome.value,
        "done": run.progress_done,
        "total": run.progress_total,
        "error": run.error,
    }


@blueprint.route("/cohorts/<int:cohort_id>/certificates.zip")
@role_required(*STAFF)
def download_cohort_certificates(cohort_id: int):
    cohort = _cohort_or_404(cohort_id)
    spool = tempfile.SpooledTemporaryFile(max_size=32 * 1024 * 1024)  # noqa: SIM115
    if batches.write_cohort_zip(cohort.id, spool) == 0:
        spool.close()
        flash(_("There are no issued certificates to download yet."), "info")
        return redirect(url_for(".list_cohort_certificates", cohort_id=cohort_id))
    spool.seek(0)
    response = send_file(spool, mimetype="application/zip")
    response.headers["Content-Disposition"] = content_disposition(f"{cohort.name}.zip")
    return response


@blueprint.route("/certificates/mine")
@role_required(Role.DOCTOR)
def list_my_certificates():
    certificates = db.session.scalars(
        select(Certificate)
        .where(Certificate.doctor_id == current_user.doctor_id)
        .order_by(Certificate.issued_at.desc(), Certificate.id.desc())
    ).all()
    return render_template("certificates/mine.html", certificates=certificates)


_DOWNLOAD = select(
    Certificate.serial, Certificate.pdf_path, Certificate.pdf_sha256, Certificate.snapshot
).where(Certificate.id == bindparam("certificate_id"))


@blueprint.route("/certificates/<int:certificate_id>/download")
@role_required(*STAFF, Role.DOCTOR)
def download_certificate(certificate_id: int):
    # The hot path (stored bytes, never a render): columns, not the entity, through Core rather
    # than the ORM session; who may see it is access.visible_to's rule, as everywhere.
    statement = visible_to(current_user, Certificate, _DOWNLOAD)
    row = db.session.connection().execute(statement, {"certificate_id": certificate_id}).first()
    if row is None:  # unknown, or somebody else's
        abort(404)
    content = storage.read_stored(current_app.config["SOMET_STORAGE_DIR"], row.pdf_path)
    if content is None:  # issued, file not written yet: the batch writes it, never a download
        abort(409, description=_("The PDF of this certificate is not ready yet."))
    holder = row.snapshot["holder"]
    name = f"{row.serial} {holder['native_name'] or holder['latin_name']}.pdf"
    response = Response(content, mimetype="application/pdf")
    response.headers["Content-Disposition"] = content_disposition(name)
    response.set_etag(row.pdf_sha256 or "")
    return response


@blueprint.route("/certificates/<int:certificate_id>/revoke", methods=["GET", "POST"])
@role_required(*STAFF)
def revoke_certificate(certificate_id: int):
    certificate = get_visible_or_404(Certificate, certificate_id)
    form = RevokeCertificateForm()
    if form.validate_on_submit():
        try:
            if form.reissue.data:
                new = service.reissue_certificate(current_user, certificate.id, form.reason.data)
                flash(_("Revoked; the corrected certificate is %(serial)s.", serial=new.serial))
            else:
                service.revoke_certificate(current_user, certificate.id, form.reason.data)
                flash(_("Certificate %(serial)s is revoked.", serial=certificate.serial))
        except DomainError as error:
            form_error(form.reason, error)
        else:
            return redirect(url_for("verify.show_certificate", code=certificate.verification_code))
    return render_template("certificates/revoke.html", certificate=certificate, form=form)


def content_disposition(filename: str) -> str:
    """``attachment`` with an ASCII fallback name and the UTF-8 name (RFC 5987 / 6266)."""
    fallback = "".join(
        c if c.isascii() and c.isprintable() and c not in '"\\' else "_" for c in filename
    )
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"
