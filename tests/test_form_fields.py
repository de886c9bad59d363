"""Shared form widgets write the same HTML as WTForms' own."""

from wtforms import Form, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import Select

from somet.web.fields import PlainSelect

CHOICES = [
    SelectChoice(0, "None (abroad)"),
    SelectChoice(7, 'Rambam "Health" <Care> & Campus'),
    SelectChoice('a"b&c', ""),  # no label: the value is shown
    SelectChoice(True, "Yes"),
    SelectChoice(9, "Marked", render_kw={"data_kind": "x"}),
]


def _html(widget, data) -> str:
    class PickForm(Form):
        pick = SelectField(choices=CHOICES, coerce=str, widget=widget)

    form = PickForm(data={"pick": data})
    return str(form.pick(class_="form-select", aria_describedby="help"))


def test_plain_select_writes_what_wtforms_select_writes():
    for selected in ("7", "0", 'a"b&c', "True", "9", "nothing"):
        assert _html(PlainSelect(), selected) == _html(Select(), selected), selected
    assert 'selected value="7">Rambam &#34;Health&#34; &lt;Care&gt; &amp; Campus<' in _html(
        PlainSelect(), "7"
    )
