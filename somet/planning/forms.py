"""Forms of the planning pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField
from wtforms.validators import DataRequired


class MovePlacementForm(FlaskForm):
    """Move a proposed placement to another department or first day."""

    department_id = SelectField(_l("Department"), coerce=int, validators=[DataRequired()])
    start = DateField(_l("First day"), validators=[DataRequired()])
