"""Forms of evaluations: the director's form builder, and the answer form of an evaluation."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from somet.evaluations import rules

BUILDER_ROWS = 8  # question rows on the builder's page; blank ones are ignored
ANSWER_REQUIRED = _l("Please answer this question.")
PROMPT_LENGTH = Length(max=500, message=_l("At most 500 characters."))


def kind_choices():
    return [
        SelectChoice("scale", _l("Scale 1–5")),
        SelectChoice("yes_no", _l("Yes / no")),
        SelectChoice("text", _l("Free text")),
    ]


def direction_choices():
    return [
        SelectChoice("of_doctor", _l("Supervisor rates the doctor")),
        SelectChoice("of_department", _l("Doctor rates the department")),
    ]


class QuestionRowForm(Form):
    """One question of the builder (a row left blank is no question)."""

    kind = SelectField(_l("Kind"), choices=kind_choices, validators=[Optional()])
    prompt_en = StringField(_l("Question (English)"), validators=[PROMPT_LENGTH])
    prompt_ru = StringField(_l("Question (Russian)"), validators=[PROMPT_LENGTH])
    prompt_kk = StringField(_l("Question (Kazakh)"), validators=[PROMPT_LENGTH])
    required = BooleanField(_l("Answer required"), default=True)

    def draft(self) -> rules.DraftQuestion:
        return rules.DraftQuestion(
            self.kind.data or "",
            self.prompt_en.data or "",
            self.prompt_ru.data or "",
            self.prompt_kk.data or "",
            bool(self.required.data),
        )


class EvaluationFormForm(FlaskForm):
    """A form's name, direction and questions."""

    name = StringField(
        _l("Name"),
        validators=[InputRequired(message=_l("Give the form a name.")), Length(max=200)],
    )
    direction = SelectField(_l("Who answers it"), choices=direction_choices)
    questions = FieldList(FormField(QuestionRowForm), min_entries=BUILDER_ROWS)

    def drafts(self) -> list[rules.DraftQuestion]:
        return [row.form.draft() for row in self.questions]

    def validate(self, extra_validators=None) -> bool:
        """The fields' own checks, then the rules' (every problem shown at once)."""
        valid = super().validate(extra_validators)
        _kept, problems = rules.check_draft(self.name.data or "-", self.drafts())
        self.show_problems(problems)
        return valid and not problems

    def show_problems(self, problems: dict) -> None:
        """Put the rules' problems (``rules.check_draft``) on the fields they concern."""
        texts = {
            "none": _l("Add at least one question."),
            "too_many": _l("A form has at most %(count)d questions.", count=rules.MAX_QUESTIONS),
            "prompt_en": _l("Write the question in English (the other languages may follow)."),
            "kind": _l("Choose the kind of question."),
        }
        if "name" in problems:
            self.name.errors = [*self.name.errors, _l("Give the form a name.")]
        if "questions" in problems:
            self.questions.errors = [texts[problems["questions"]]]
        for index, code in problems.items():
            if isinstance(index, int):
                row = self.questions.entries[index].form
                field = row.kind if code == "kind" else row.prompt_en
                field.errors = [*field.errors, texts[code]]


def load_form_rows(builder: EvaluationFormForm, questions) -> None:
    """Fill the builder's rows with ``questions`` (editing or copying a form)."""
    while len(builder.questions.entries) < max(BUILDER_ROWS, len(questions) + 2):
        builder.questions.append_entry()
    for entry, question in zip(builder.questions.entries, questions, strict=False):
        row = entry.form
        row.kind.data = question.kind.value
        row.prompt_en.data = question.prompt_en
        row.prompt_ru.data = question.prompt_ru or ""
        row.prompt_kk.data = question.prompt_kk or ""
        row.required.data = question.required


def answer_form_for(questions, language: str):
    """The answer form of an evaluation: a field ``q<id>`` per question, worded in
    ``language``: 1–5 radios, yes/no radios, or a text box."""

    class AnswerForm(FlaskForm):
        pass

    for question in questions:
        checks = [InputRequired(message=ANSWER_REQUIRED) if question.required else Optional()]
        label = question.prompt(language)
        if question.kind.value == rules.SCALE:
            field = RadioField(
                label,
                choices=[SelectChoice(str(n), str(n)) for n in range(1, 6)],
                validators=checks,
            )
        elif question.kind.value == rules.YES_NO:
            field = RadioField(
                label,
                choices=[SelectChoice("yes", _l("Yes")), SelectChoice("no", _l("No"))],
                validators=checks,
            )
        else:
            field = TextAreaField(label, validators=[*checks, Length(max=rules.MAX_TEXT)])
        setattr(AnswerForm, f"q{question.id}", field)
    return AnswerForm()


def raw_answers(form, questions) -> dict[int, str | None]:
    """The form's values by question id, for ``operations.answer_evaluation``."""
    return {q.id: getattr(form, f"q{q.id}").data for q in questions}


def show_answer_problems(form, problems: dict[int, str]) -> None:
    for question_id, _code in problems.items():
        field = getattr(form, f"q{question_id}")
        field.errors = [*field.errors, ANSWER_REQUIRED]
