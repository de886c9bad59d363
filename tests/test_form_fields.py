"""Shared form widgets write the same HTML as WTForms' own."""

import contextlib
from datetime import date

from markupsafe import Markup
from wtforms import DateField, Form, IntegerField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.fields.core import Flags
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import DateInput, NumberInput, Select, SubmitInput, TextInput, html_params

from somet.web.fields import (
    PlainDateInput,
    PlainNumberInput,
    PlainSelect,
    PlainSubmitInput,
    PlainTextInput,
    plain_html_params,
)

CODE = 'Asia/"Tel" <Aviv> & Co'  # a list of codes (time zones) shows each code as its label
CHOICES = [
    SelectChoice(0, "None (abroad)"),
    SelectChoice(7, 'Rambam "Health" <Care> & Campus'),
    SelectChoice('a"b&c', ""),  # no label: the value is shown
    SelectChoice(True, "Yes"),
    SelectChoice(9, "Marked", render_kw={"data_kind": "x"}),
    SelectChoice(CODE, CODE),
]

GROUPED = [
    SelectChoice(1, "Rambam", optgroup="Haifa"),
    SelectChoice(2, "Hadassah", optgroup="Jerusalem"),
]


def _html(widget, data) -> str:
    class PickForm(Form):
        pick = SelectField(choices=CHOICES, coerce=str, widget=widget)

    form = PickForm(data={"pick": data})
    return str(form.pick(class_="form-select", aria_describedby="help"))


def test_plain_select_writes_what_wtforms_select_writes():
    for selected in ("7", "0", 'a"b&c', "True", "9", CODE, "nothing"):
        assert _html(PlainSelect(), selected) == _html(Select(), selected), selected
    assert 'selected value="7">Rambam &#34;Health&#34; &lt;Care&gt; &amp; Campus<' in _html(
        PlainSelect(), "7"
    )


def test_plain_select_writes_the_select_tag_and_its_flags_as_wtforms_does():
    """The <select> tag's own attributes too: a required field says so, a disabled one is
    disabled, a multiple one is multiple, and grouped choices are WTForms' own."""

    def html(widget, **render) -> str:
        class PickForm(Form):
            required = SelectField(choices=CHOICES[:2], validators=[DataRequired()], widget=widget)
            grouped = SelectField(choices=GROUPED, widget=widget)

        form = PickForm(data={"required": "7"})
        form.required.flags.disabled = True
        return "".join(str(f(class_="form-select", **render)) for f in form)

    for render in ({}, {"required": False, "id": 'x"y'}):
        assert html(PlainSelect(), **render) == html(Select(), **render), render
    assert 'disabled id="required" name="required" required' in html(PlainSelect())
    assert html(PlainSelect(multiple=True)) == html(Select(multiple=True))


def test_plain_attributes_are_wtforms_attributes():
    attributes = {
        "class_": "form-control is-invalid",
        "id": 'a"b',
        "value": Markup('say "hi" & <go>'),
        "min": 0,
        "required": True,
        "disabled": False,
        "aria_describedby": "x-help x-error",
        "data_row_id": 7,
    }
    assert plain_html_params(**attributes) == html_params(**attributes)


def test_plain_inputs_write_what_wtforms_inputs_write():
    def html(number, text, data) -> str:
        class RotationForm(Form):
            days = IntegerField(validators=[Optional(), NumberRange(1, 60)], widget=number)
            name = StringField(widget=text)

        form = RotationForm(data=data)
        return str(form.days(min=1, max=60, class_="form-control")) + str(form.name())

    for data in ({"days": 3, "name": 'Ward "B" & <ICU>'}, {}):
        assert html(PlainNumberInput(), PlainTextInput(), data) == html(
            NumberInput(), TextInput(), data
        )


def test_plain_submit_input_writes_what_wtforms_submit_input_writes():
    def html(widget) -> str:
        class BarForm(Form):
            invite = SubmitField('Invite "all" & <go>', widget=widget)

        return str(BarForm().invite(class_="btn btn-sm")) + str(BarForm().invite(value="Go"))

    assert html(PlainSubmitInput()) == html(SubmitInput())
    assert 'value="Invite &#34;all&#34; &amp; &lt;go&gt;"' in html(PlainSubmitInput())


def test_plain_date_input_writes_what_wtforms_date_input_writes():
    def html(widget, data) -> str:
        class PeriodForm(Form):
            since = DateField(widget=widget)

        return str(PeriodForm(data=data).since(class_="form-control is-invalid"))

    for data in ({"since": date(2026, 3, 7)}, {}):
        assert html(PlainDateInput(), data) == html(DateInput(), data)


def test_plain_inputs_write_the_validation_flags_as_wtforms_does_without_listing_them(
    monkeypatch,
):
    """Required, length and range flags come out as WTForms writes them, read from the flags'
    own attributes: WTForms' dir() of the flags object was most of an input's time."""

    def html(number, text) -> str:
        class BoxForm(Form):
            days = IntegerField(widget=number, validators=[InputRequired(), NumberRange(1, 60)])
            name = StringField(widget=text, validators=[DataRequired(), Length(2, 80)])

        form = BoxForm(data={"days": 4, "name": "ICU"})
        return str(form.days(class_="form-control", max=30)) + str(form.name(readonly=True))

    plain = html(PlainNumberInput(), PlainTextInput())
    assert plain == html(NumberInput(), TextInput())
    assert 'max="30"' in plain and 'min="1"' in plain and 'maxlength="80"' in plain

    def listing(_flags):
        raise AssertionError("the plain inputs do not list the flags with dir()")

    monkeypatch.setattr(Flags, "__dir__", listing, raising=False)
    assert html(PlainNumberInput(), PlainTextInput()) == plain


def test_checkbox_list_writes_wtforms_check_boxes_in_one_class_attribute():
    """Each choice as WTForms writes it (checked, required, escaped label, the value when
    there is no label), inside a list whose classes are one attribute: the macro's box and
    the list's own, without bullets (two class attributes: a browser reads only the first)."""
    from wtforms.widgets import CheckboxInput, ListWidget

    from somet.web.fields import CheckboxesField

    def html(plain: bool) -> str:
        class PickForm(Form):
            hosts = CheckboxesField(choices=CHOICES[:3], validators=[DataRequired()])

        if not plain:  # WTForms' own list of check boxes, field by field
            PickForm.hosts.kwargs["widget"] = ListWidget(prefix_label=False)
            PickForm.hosts.kwargs["option_widget"] = CheckboxInput()
        form = PickForm()
        form.hosts.data = [7, 'a"b&c']  # as the views set it
        return str(form.hosts(**{"class": "form-control"}))

    one_class = '<ul class="form-control list-unstyled mb-0" id="hosts">'
    wtforms = html(plain=False).replace('<ul class="form-control" id="hosts">', one_class)
    assert html(plain=True) == wtforms
    assert html(plain=True).count("class=") == 1
    assert '<input checked id="hosts-1" name="hosts" required type="checkbox" value="7">' in wtforms
    assert '<label for="hosts-1">Rambam &#34;Health&#34; &lt;Care&gt;' in wtforms


def _every_form_class():
    import importlib
    import pkgutil

    from flask_wtf import FlaskForm

    import somet

    for module in pkgutil.walk_packages(somet.__path__, "somet."):
        if module.name.rsplit(".", 1)[-1].endswith("forms"):
            importlib.import_module(module.name)
    found, pending = [], [FlaskForm]
    while pending:
        for subclass in pending.pop().__subclasses__():
            found.append(subclass)
            pending.append(subclass)
    return found


def test_the_form_macro_writes_every_field_of_every_form_as_wtforms_does(app):
    """``write_field`` (the form macro's) against WTForms' own ``field()``, for each field of
    each form of the app: blank, as posted with odd values (the value echoed, errors), and
    with the attributes the macro adds to a field in error."""
    from somet.web.fields import _WRITTEN_WIDGETS, write_field

    plain, forms = 0, _every_form_class()
    odd = {"name": 'O"Neil <b>&', "email": "a@b", "hours": "x", "start_date": "2026-13-40"}
    for request in ({"method": "GET"}, {"method": "POST", "data": odd}):
        with app.test_request_context("/", **request):
            for form_class in forms:
                try:
                    form = form_class()
                except TypeError:  # a form built with arguments of its view
                    continue
                for field in form:  # a select whose view sets its choices: some of ours
                    if getattr(field, "choices", ()) is None:
                        field.choices = [SelectChoice(1, "One"), SelectChoice(2, '<x> & "y"')]
                with contextlib.suppress(TypeError):  # a select whose view sets its choices
                    form.validate()
                for field in form:
                    for attrs in (
                        {"class_": "form-control"},
                        {"class_": "form-control is-invalid", "aria-invalid": "true",
                         "aria-describedby": f"{field.id}-help {field.id}-error"},
                    ):  # fmt: skip
                        try:
                            expected = str(field(**attrs))
                        except TypeError:  # a select whose choices its view sets
                            continue
                        assert str(write_field(field, **attrs)) == expected, (form_class, field)
                        plain += type(field.widget).__call__ in _WRITTEN_WIDGETS
    assert len(forms) > 40 and plain > 200  # most of the app's inputs are written plainly
