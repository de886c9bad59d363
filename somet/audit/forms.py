"""The audit log's filter form (a GET form: it changes nothing, so it carries no CSRF token)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, StringField
from wtforms.validators import Length, NumberRange, Optional, ValidationError

from somet.web.fields import PlainDateInput, PlainNumberInput, PlainSelect, PlainTextInput


class AuditFilterForm(FlaskForm):
    """Written by the plain widgets (the same HTML): the actions' list is about a hundred
    options long, on every view of the log."""

    class Meta:
        csrf = False

    actor = StringField(
        _l("Who (e-mail contains)"),
        validators=[Optional(), Length(max=254)],
        widget=PlainTextInput(),
    )
    action = SelectField(_l("Action"), choices=[], validators=[Optional()], widget=PlainSelect())
    object_type = SelectField(
        _l("Object"), choices=[], validators=[Optional()], widget=PlainSelect()
    )
    object_id = IntegerField(
        _l("Object id"),
        validators=[Optional(), NumberRange(min=1, max=2**31 - 1)],
        widget=PlainNumberInput(),
    )
    since = DateField(_l("From"), validators=[Optional()], widget=PlainDateInput())
    until = DateField(_l("To"), validators=[Optional()], widget=PlainDateInput())

    def validate_until(self, field):
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError(_l("The end date must be on or after the start date."))
