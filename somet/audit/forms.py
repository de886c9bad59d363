"""The audit log's filter form (a GET form: it changes nothing, so it carries no CSRF token)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, StringField
from wtforms.validators import Length, NumberRange, Optional, ValidationError


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False

    actor = StringField(_l("Who (e-mail contains)"), validators=[Optional(), Length(max=254)])
    action = SelectField(_l("Action"), choices=[], validators=[Optional()])
    object_type = SelectField(_l("Object"), choices=[], validators=[Optional()])
    object_id = IntegerField(
        _l("Object id"), validators=[Optional(), NumberRange(min=1, max=2**31 - 1)]
    )
    since = DateField(_l("From"), validators=[Optional()])
    until = DateField(_l("To"), validators=[Optional()])

    def validate_until(self, field):
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError(_l("The end date must be on or after the start date."))
