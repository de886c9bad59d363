"""Dates, times, durations, numbers and names per language: the pure core, no app needed."""

from datetime import UTC, date, datetime, timedelta

from somet.core.localisation import (
    collation_key,
    display_name,
    format_day,
    format_duration,
    format_moment,
    format_number,
    language_or_default,
    sorted_by_name,
    weekday_short,
)

KAZAKH_ORDER = "А Ә Б В Г Ғ Д Е Ё Ж З И Й К Қ Л М Н Ң О Ө П Р С Т У Ұ Ү Ф Х Һ Ц Ч Ш Щ Ъ Ы І Ь Э Ю Я"


def test_russian_dates_put_the_month_in_the_genitive():
    assert format_day(date(2027, 3, 12), "ru") == "12 марта 2027"
    assert format_day(date(2027, 5, 1), "ru") == "1 мая 2027"


def test_kazakh_dates_follow_kazakh_order_and_month_names():
    assert format_day(date(2027, 3, 12), "kk") == "2027 ж. 12 наурыз"


def test_english_dates_keep_the_short_month():
    assert format_day(date(2027, 3, 12), "en") == "12 Mar 2027"
    assert format_day(None, "en") == ""


def test_a_moment_is_shown_in_the_hospitals_zone_with_the_zone_named():
    moment = datetime(2027, 3, 12, 7, 0, tzinfo=UTC)  # 09:00 in Haifa (UTC+2 in March)
    assert format_moment(moment, "Asia/Jerusalem", "en") == "12 Mar 2027 09:00 (Jerusalem)"
    assert format_moment(moment, "Asia/Jerusalem", "ru") == "12 марта 2027, 09:00 (Иерусалим)"
    assert format_moment(moment, "Asia/Almaty", "kk") == "2027 ж. 12 наурыз, 12:00 (Алматы)"


def test_naive_moments_are_taken_as_utc():
    assert format_moment(datetime(2027, 3, 12, 7, 0), "UTC", "ru") == "12 марта 2027, 07:00 (UTC)"


def test_durations_are_in_words_with_the_right_plural():
    assert format_duration(timedelta(days=14), "en") == "2 weeks"
    assert format_duration(timedelta(days=14), "ru") == "2 недели"
    assert format_duration(timedelta(days=5), "ru") == "5 дней"
    assert format_duration(timedelta(hours=3), "kk") == "3 сағат"


def test_numbers_use_the_languages_separators():
    assert format_number(1234.5, "en") == "1,234.5"
    assert format_number(1234.5, "ru").replace("\xa0", " ") == "1 234,5"


def test_unknown_or_regional_language_codes_fall_back_sensibly():
    assert language_or_default("ru_RU") == "ru"
    assert language_or_default("kk-KZ") == "kk"
    assert language_or_default("fr") == "en"
    assert language_or_default(None) == "en"


def test_names_are_shown_in_the_script_of_the_page():
    assert display_name("Aigerim Nurlanova", "Әйгерім Нұрланова", "kk") == "Әйгерім Нұрланова"
    assert display_name("Aigerim Nurlanova", "Әйгерім Нұрланова", "ru") == "Әйгерім Нұрланова"
    assert display_name("Aigerim Nurlanova", "Әйгерім Нұрланова", "en") == "Aigerim Nurlanova"
    assert display_name("Aigerim Nurlanova", None, "kk") == "Aigerim Nurlanova"
    assert display_name("", "Әйгерім", "en") == "Әйгерім"


def test_kazakh_sorting_puts_kazakh_letters_in_their_place():
    letters = KAZAKH_ORDER.split()
    shuffled = sorted(letters)  # code-point order: Ә, Ғ, Қ... land after Я
    assert shuffled != letters
    assert sorted_by_name(shuffled, "kk") == letters


def test_kazakh_names_sort_by_the_kazakh_alphabet():
    names = ["Ұлан", "Қанат", "Әлия", "Кенес", "Абай", "Өмір", "Оспан", "Ілияс", "Ыбырай"]
    expected = ["Абай", "Әлия", "Кенес", "Қанат", "Оспан", "Өмір", "Ұлан", "Ыбырай", "Ілияс"]
    assert sorted_by_name(names, "kk") == expected


def test_russian_sorting_puts_yo_after_ye_and_ignores_case():
    names = ["ёлкин", "Жуков", "Егоров", "абаев"]
    assert sorted_by_name(names, "ru") == ["абаев", "Егоров", "ёлкин", "Жуков"]


def test_the_pages_own_script_sorts_first():
    names = ["Zhanna", "Абай", "Adam"]
    assert sorted_by_name(names, "en") == ["Adam", "Zhanna", "Абай"]
    assert sorted_by_name(names, "kk") == ["Абай", "Adam", "Zhanna"]
    assert collation_key("Émile", "en") < collation_key("Eve", "en")


def test_sorting_by_an_attribute():
    people = [{"name": "Қанат"}, {"name": "Кенес"}]
    assert sorted_by_name(people, "kk", key=lambda p: p["name"])[0]["name"] == "Кенес"


def test_calendar_columns_name_the_weekday_in_the_page_language():
    sunday = date(2027, 3, 7)
    assert [weekday_short(sunday, lang) for lang in ("en", "ru", "kk")] == [
        "Su",
        "вс",
        "жс",
    ]
    assert weekday_short(sunday + timedelta(days=1), "ru") == "пн"
