"""Open Badges 3.0: the holder downloads a certificate's badge (a signed VC-JWT); anyone reads
the issuer's profile and the revocation list. See badges.py."""

from __future__ import annotations

import json

from flask import Blueprint, Response, abort

from somet.certificates import badges
from somet.certificates.views import content_disposition
from somet.models import Certificate, Role
from somet.web.access import STAFF, get_visible_or_404, role_required

blueprint = Blueprint("badges", __name__)
JWT_MIMETYPE = "application/jwt"
MAX_AGE = 300  # seconds: a revocation reaches wallets within minutes


@blueprint.route("/certificates/<int:certificate_id>/badge.jwt")
@role_required(*STAFF, Role.DOCTOR)
def download_badge(certificate_id: int):
    certificate = get_visible_or_404(Certificate, certificate_id)
    token = badges.badge_jwt(certificate)
    if token is None:  # revoked: there is no badge to hand out
        abort(404)
    response = Response(token, mimetype=JWT_MIMETYPE)
    response.headers["Content-Disposition"] = content_disposition(
        f"{certificate.serial} Open Badge.jwt"
    )
    return response


@blueprint.route(badges.ISSUER_PATH)
def show_issuer():
    document = json.dumps(badges.issuer_profile(), indent=2)
    return _cacheable(Response(document, mimetype="application/json"))


@blueprint.route(badges.STATUS_LIST_PATH)
def show_revocation_list():
    return _cacheable(Response(badges.revocation_list_jwt(), mimetype=JWT_MIMETYPE))


def _cacheable(response: Response) -> Response:
    response.cache_control.public = True
    response.cache_control.max_age = MAX_AGE
    return response
