"""Forms of the certificates pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, TextAreaField
from wtforms.validators import DataRequired, Length


class RevokeCertificateForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason"), validators=[DataRequired(), Length(max=500)], render_kw={"rows": 3}
    )
    reissue = BooleanField(_l("Issue a corrected certificate in its place (new serial)"))


class ReissueCertificatesForm(FlaskForm):
    reason = TextAreaField(
        _l("Why re-issue (e.g. the template or the signing key changed)"),
        validators=[DataRequired(), Length(max=500)],
        render_kw={"rows": 2},
    )
