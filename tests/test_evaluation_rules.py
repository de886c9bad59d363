"""The evaluations' pure rules: link states, reminder stages, the anonymity threshold, the
checks of an answer and of a form builder's rows. No app needed."""

from datetime import UTC, datetime, timedelta

from somet.evaluations import rules
from somet.evaluations.rules import DraftQuestion, QuestionSpec

SENT = datetime(2027, 3, 10, 1, 0, tzinfo=UTC)
QUESTIONS = [
    QuestionSpec(1, "scale", True),
    QuestionSpec(2, "yes_no", True),
    QuestionSpec(3, "text", False),
]


def test_a_link_is_open_until_it_expires_and_answered_wins_over_expired():
    expires = SENT + timedelta(days=30)
    assert rules.link_state(None, expires, expires - timedelta(seconds=1)) == rules.OPEN
    assert rules.link_state(None, expires, expires) == rules.EXPIRED
    assert rules.link_state(SENT, expires, expires + timedelta(days=1)) == rules.ANSWERED


def test_reminders_come_at_three_then_seven_days():
    assert rules.reminder_stage(SENT, SENT + timedelta(days=2, hours=23)) is None
    assert rules.reminder_stage(SENT, SENT + timedelta(days=3)) == "3d"
    assert rules.reminder_stage(SENT, SENT + timedelta(days=6, hours=23)) == "3d"
    assert rules.reminder_stage(SENT, SENT + timedelta(days=7)) == "7d"


def test_a_host_sees_details_from_three_respondents():
    assert [rules.host_sees_details(n) for n in range(5)] == [False, False, False, True, True]


def test_answers_are_checked_per_kind_and_blank_optional_text_is_no_answer():
    values, problems = rules.check_answers(QUESTIONS, {1: "5", 2: "no", 3: "  "})
    assert values == {1: (5, None), 2: (0, None)} and problems == {}
    values, problems = rules.check_answers(QUESTIONS, {1: "6", 2: "maybe", 3: "x" * 4001})
    assert problems == {1: "scale", 2: "yes_no", 3: "too_long"} and values == {}
    _, problems = rules.check_answers(QUESTIONS, {})
    assert problems == {1: "required", 2: "required"}


def test_a_builder_draft_needs_a_name_a_question_and_english_wording():
    rows = [DraftQuestion("scale", "", "Вопрос"), DraftQuestion("text", "", "", "")]
    kept, problems = rules.check_draft(" ", rows)
    assert problems == {"name": "required", 0: "prompt_en"} and len(kept) == 1
    _, problems = rules.check_draft("Form", [DraftQuestion("text", "")])
    assert problems == {"questions": "none"}
    _, problems = rules.check_draft("Form", [DraftQuestion("stars", "Rate")])
    assert problems == {0: "kind"}
    too_many = [DraftQuestion("scale", f"Q{n}") for n in range(rules.MAX_QUESTIONS + 1)]
    assert rules.check_draft("Form", too_many)[1] == {"questions": "too_many"}


def test_average_rounds_to_one_decimal():
    assert rules.average([4, 5, 5]) == 4.7 and rules.average([]) is None
