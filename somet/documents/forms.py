"""Forms of the documents pages: requirements, uploads, review and the checklist filter."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from somet.documents.labels import EXPIRING_KINDS, KIND_LABELS, STATE_LABELS
from somet.models import DocumentKind
from somet.web.fields import PlainSelect

KIND_CHOICES = [SelectChoice(kind.value, label) for kind, label in KIND_LABELS.items()]
KIND_VALUES = frozenset(kind.value for kind in KIND_LABELS)
STATE_CHOICES = [SelectChoice(state, label) for state, label in STATE_LABELS.items()]


class RequirementForm(FlaskForm):
    kind = SelectField(_l("Document"), choices=KIND_CHOICES, validators=[DataRequired()])
    expires = BooleanField(_l("Expires: must be valid through the departure date"))
    due_days = IntegerField(
        _l("Due (days before arrival)"),
        default=30,
        validators=[InputRequired(message=_l("Give a number of days.")), NumberRange(0, 365)],
    )


class UploadForm(FlaskForm):
    kind = SelectField(_l("Document"), choices=KIND_CHOICES, validators=[DataRequired()])
    valid_until = DateField(_l("Valid until"), validators=[Optional()])
    file = FileField(
        _l("File (PDF, JPEG or PNG, at most 10 MB)"),
        validators=[FileRequired(message=_l("Choose a file."))],
    )

    def validate_valid_until(self, field):
        if field.data is None and self.kind.data in {k.value for k in EXPIRING_KINDS}:
            raise ValidationError(_l("Give the date until which this document is valid."))


class ChecklistUploadForm(UploadForm):
    """A doctor's upload from a row of its checklist; ``row`` names the row (its anchor) so a
    refused upload is shown again on that row, or on the "another document" form if empty."""

    row = HiddenField(validators=[Optional(), Regexp(r"^requirement-\d+(-\d+)?$")])


class RejectForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason (the doctor will see it)"), validators=[DataRequired(), Length(max=500)]
    )


class AcceptForm(FlaskForm):
    """Only the CSRF token: accepting needs no input."""


class ChecklistFilterForm(FlaskForm):
    """The grid's filter, sent by GET (no state change, so no CSRF token)."""

    class Meta:
        csrf = False

    state = SelectField(
        _l("Status"),
        choices=[SelectChoice("", _l("Any status")), *STATE_CHOICES],
        validators=[Optional()],
        widget=PlainSelect(),
    )
    kind = SelectField(
        _l("Document"),
        choices=[SelectChoice("", _l("Any document")), *KIND_CHOICES],
        validators=[Optional()],
        widget=PlainSelect(),
    )
    ready = SelectField(
        _l("Ready to travel"),
        choices=[
            SelectChoice("", _l("Everyone")),
            SelectChoice("yes", _l("Ready")),
            SelectChoice("no", _l("Not ready")),
        ],
        validators=[Optional()],
        widget=PlainSelect(),
    )
    q = StringField(_l("Name"), validators=[Optional(), Length(max=100)])


def kind_of(form) -> DocumentKind:
    return DocumentKind(form.kind.data)
