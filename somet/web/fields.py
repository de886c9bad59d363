"""Form fields that several features' forms share."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from wtforms import SelectField
from wtforms.fields.choices import Choice
from wtforms.validators import ValidationError
from wtforms.widgets import (
    CheckboxInput,
    DateInput,
    ListWidget,
    NumberInput,
    Select,
    SubmitInput,
    TextArea,
    TextInput,
)
from wtforms.widgets.core import Input, clean_key


class _CheckboxList(ListWidget):
    """A list of check boxes without bullets, inside the form-control box the macro asks for.

    Each choice's <input> and <label> are written here, as WTForms would write them, instead
    of through a field object built per choice and WTForms' attribute formatter (most of a
    form page's time with a dozen hospitals to choose from)."""

    def __call__(self, field, **kwargs):
        # One class attribute: the macro's "class" and this list's own (two would be written,
        # and a browser reads only the first).
        classes = (kwargs.pop("class", ""), kwargs.pop("class_", ""), "list-unstyled mb-0")
        kwargs["class"] = " ".join(name for name in classes if name)
        choices = list(field._iter_choices_normalized())
        if field.render_kw or any(choice.render_kw for choice in choices):
            return super().__call__(field, **kwargs)
        kwargs.setdefault("id", field.id)
        shared = _with_flags(CheckboxInput, field, {}, call=True)  # each box's, as WTForms'
        html = [f"<ul {plain_html_params(**kwargs)}>"]
        for number, choice in enumerate(choices):
            option_id = f"{field.id}-{number}"
            label = choice.label or choice.value
            attributes = plain_html_params(
                checked=bool(choice.selected),
                id=option_id,
                name=field.name,
                type="checkbox",
                value=str(choice.value),
                **shared,
            )
            html.append(
                f'<li><input {attributes}> <label for="{escape(option_id)}">{escape(label)}'
                "</label></li>"
            )
        html.append("</ul>")
        return Markup("".join(html))  # noqa: S704 - each part escaped


class CheckboxesField(SelectField):
    """Several choices (SelectChoice) as check boxes (the values arrive as a list)."""

    widget = _CheckboxList(prefix_label=False)
    option_widget = CheckboxInput()

    def process_formdata(self, valuelist):
        self.data = valuelist

    def pre_validate(self, form):
        values = {choice.value for choice in self.choices}
        if any(item not in values for item in self.data or []):
            raise ValidationError(_l("Not a valid choice."))

    def iter_choices(self):
        selected = set(self.data or [])
        for choice in self.choices:
            yield Choice(
                value=choice.value,
                label=choice.label,
                selected=choice.value in selected,
                render_kw=choice.render_kw,
            )


class PlainSelect(Select):
    """WTForms' <select> with its options written by one format string each: the same HTML,
    about five times faster for long lists (WTForms builds each option's attributes through
    ``html_params`` and a Markup formatter; 518 time zones took ~6 ms)."""

    def __call__(self, field, **kwargs):
        if field.has_groups():
            return super().__call__(field, **kwargs)
        return _write_select(self, field, kwargs)

    @classmethod
    def render_option(cls, choice, **kwargs):
        if kwargs or choice.render_kw:
            return super().render_option(choice, **kwargs)
        return Markup(cls._option_html(choice))  # noqa: S704 - escaped

    @classmethod
    def _option_html(cls, choice) -> str:
        """One option as text (each part escaped): a Markup per option cost a third of a long
        list's time (518 time zones)."""
        if choice.render_kw:
            return str(cls.render_option(choice))
        value = str(choice.value) if isinstance(choice.value, bool) else choice.value
        selected = " selected" if choice.selected else ""
        if choice.label is choice.value and isinstance(value, str):  # a list of codes
            value = label = escape(value)
            return f'<option{selected} value="{value}">{label}</option>'
        # A lazily translated label is translated once (``label or value`` would do it twice).
        label = escape(choice.label) if choice.label is not None else ""
        value = escape(value)
        if not label:
            label = escape(choice.value)
        return f'<option{selected} value="{value}">{label}</option>'

    @classmethod
    def _dispatch_render_option(cls):
        # WTForms inspects render_option's signature on every render; ours is the new one.
        return cls.render_option


def _with_flags(widget, field, kwargs: dict, call: bool = False) -> dict:
    """``kwargs`` with the field's validation flags the widget writes (required, min ...) that
    the call did not set: read from the flags set, where WTForms lists every name of the
    flags object with ``dir()`` for each field. ``call``: an input calls a callable flag."""
    flags = getattr(getattr(field, "flags", None), "__dict__", {})
    for key in widget.validation_attrs:
        if key in flags and key not in kwargs:
            value = flags[key]
            kwargs[key] = value() if call and callable(value) else value
    return kwargs


def _write_select(widget, field, kwargs: dict) -> Markup:
    """WTForms' ``Select.__call__`` (choices without groups), its attributes written by
    ``plain_html_params`` and its options by ``PlainSelect``."""
    kwargs.setdefault("id", field.id)
    if widget.multiple:
        kwargs["multiple"] = True
    _with_flags(widget, field, kwargs)
    html = [f"<select {plain_html_params(name=field.name, **kwargs)}>"]
    html.extend(PlainSelect._option_html(choice) for choice in field._iter_choices_normalized())
    html.append("</select>")
    return Markup("".join(html))  # noqa: S704 - each part escaped


def _write_textarea(widget, field, kwargs: dict) -> Markup:
    """WTForms' ``TextArea.__call__`` with its attributes written by ``plain_html_params``."""
    kwargs.setdefault("id", field.id)
    attributes = plain_html_params(name=field.name, **_with_flags(widget, field, kwargs))
    return Markup(f"<textarea {attributes}>\r\n{escape(field._value())}</textarea>")  # noqa: S704 - escaped


def plain_html_params(**kwargs) -> Markup:
    """WTForms' ``html_params`` (sorted attributes, ``True`` bare, ``False`` left out, values
    escaped) with plain string formatting instead of a Markup formatter per attribute."""
    params = []
    for key, value in sorted(kwargs.items()):
        if value is True:
            params.append(clean_key(key))
        elif value is not False:
            params.append(f'{clean_key(key)}="{str(escape(value)).replace(chr(34), "&quot;")}"')
    return Markup(" ".join(params))  # noqa: S704 - escaped


def _write_input(widget, field, kwargs: dict) -> Markup:
    """WTForms' ``Input.__call__`` with the attributes written by ``plain_html_params``."""
    kwargs.setdefault("id", field.id)
    kwargs.setdefault("type", widget.input_type)
    if "value" not in kwargs:
        kwargs["value"] = field._value()
    _with_flags(widget, field, kwargs, call=True)
    return Markup(f"<input {plain_html_params(name=field.name, **kwargs)}>")  # noqa: S704 - escaped


class _PlainInput:
    """An input written by ``_write_input``: for forms with many fields."""

    def __call__(self, field, **kwargs):
        if getattr(field, "_datalist", None) is not None:
            return super().__call__(field, **kwargs)
        return _write_input(self, field, kwargs)


# The widgets ``write_field`` writes itself: WTForms' whose rendering is Input's own (text,
# e-mail, search, telephone, URL, hidden), a number's (its step, min and max), a date's (its
# min and max in the field's format), a text area's or a select's.
_WRITTEN_INPUTS = {Input.__call__, NumberInput.__call__, DateInput.__call__}
_WRITTEN_WIDGETS = _WRITTEN_INPUTS | {Select.__call__, TextArea.__call__}


def write_field(field, **kwargs) -> Markup:
    """``field(**kwargs)``, the same HTML: a plain <input>, <textarea> or <select> is written
    here rather than through WTForms' Markup formatter, which formats every attribute of
    every field through ``str.format`` (the bulk of a form page's time). Any other widget
    (check boxes, a select with groups, a field with a datalist) is WTForms' own."""
    widget = field.widget
    rendering = type(widget).__call__
    if rendering not in _WRITTEN_WIDGETS or getattr(field, "_datalist", None) is not None:
        return field(**kwargs)
    if field.render_kw:  # as WTForms' Meta.render_field: the call's own attributes win
        kwargs = dict(field.render_kw, **kwargs)
    if rendering is Select.__call__:
        return field(**kwargs) if field.has_groups() else _write_select(widget, field, kwargs)
    if rendering is TextArea.__call__:
        return _write_textarea(widget, field, kwargs)
    if rendering is NumberInput.__call__:
        for key in ("step", "min", "max"):
            if getattr(widget, key) is not None:
                kwargs.setdefault(key, getattr(widget, key))
    elif rendering is DateInput.__call__ and getattr(field, "format", None) is not None:
        date_format = field.format[0] if isinstance(field.format, list) else field.format
        for key in ("min", "max"):
            value = kwargs.get(key, getattr(field.flags, key, None))
            value = value() if callable(value) else value
            if hasattr(value, "strftime"):
                kwargs[key] = value.strftime(date_format)
    return _write_input(widget, field, kwargs)


class PlainTextInput(_PlainInput, TextInput):
    """A text input written through ``plain_html_params``: for forms with many fields."""

    html_params = staticmethod(plain_html_params)


class PlainNumberInput(_PlainInput, NumberInput):
    """A number input written through ``plain_html_params``: for forms with many fields."""

    html_params = staticmethod(plain_html_params)


class PlainDateInput(_PlainInput, DateInput):
    """A date input written through ``plain_html_params``: for forms with many fields."""

    html_params = staticmethod(plain_html_params)


class PlainSubmitInput(_PlainInput, SubmitInput):
    """A submit button (its label as the value) written through ``plain_html_params``."""

    html_params = staticmethod(plain_html_params)

    def __call__(self, field, **kwargs):
        kwargs.setdefault("value", field.label.text)
        return _PlainInput.__call__(self, field, **kwargs)
