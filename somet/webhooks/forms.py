"""The subscription form: a name, the target URL, the events, and the private network switch."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from somet.web.fields import CheckboxesField
from somet.webhooks.rules import EVENTS, MAX_URL_LENGTH

EVENT_LABELS = {
    "certificate.issued": _l("A certificate is issued"),
    "certificate.revoked": _l("A certificate is revoked"),
    "placement.confirmed": _l("A host confirms a placement"),
    "placement.declined": _l("A host declines a placement"),
    "enrollment.completed": _l("A doctor completes a cohort"),
}


class SubscriptionForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)])
    url = StringField(
        _l("Target URL"),
        validators=[DataRequired(), Length(max=MAX_URL_LENGTH)],
        description=_l("Where SOMET sends a signed POST for each event, e.g. https://…/somet."),
    )
    events = CheckboxesField(
        _l("Events"),
        choices=[SelectChoice(event, EVENT_LABELS[event]) for event in EVENTS],
        validators=[DataRequired(message=_l("Choose at least one event."))],
    )
    allow_private_network = BooleanField(
        _l("Allow a private network target"),
        description=_l(
            "Only for a receiver inside your own network (a private, loopback or link-local "
            "address). http:// is accepted only then."
        ),
    )
    active = BooleanField(_l("Active"), default=True)
