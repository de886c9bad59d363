"""English, Russian and Kazakh: complete catalogues, marked templates, pages in each language."""

from __future__ import annotations

import functools
import os
import re
import tempfile
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import render_template_string
from flask_babel import force_locale
from sqlalchemy import select

from somet.accounts import operations as accounts
from somet.models import AuditEvent, Doctor, Language, Notification, Role, User
from somet.web.extensions import db
from somet.web.navigation import nav_items_for, nav_label
from tests.conftest import login_as
from tests.factories import make_doctor, make_user
from tests.i18n_scan import unmarked_text, unmarked_text_in_templates

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "somet" / "translations"
TRANSLATED = ("ru", "kk")
# Keywords beyond Babel's defaults (gettext, _, ngettext, pgettext...): keep in step with
# the Makefile's `messages` target (``_word``: the status words of web/labels.py).
EXTRACT_KEYWORDS = ["-k", "_l", "-k", "lazy_gettext", "-k", "lazy_pgettext:1c,2"]
EXTRACT_KEYWORDS += ["-k", "_word:1c,2"]

# Templates whose fixed text is deliberately not per-reader, each with the reason.
NOT_TRANSLATED_BY_DESIGN: dict[str, str] = {
    # English and Russian side by side on every certificate (Russian is an official language in
    # Kazakhstan too), rendered by its own Jinja environment, the same whoever downloads it.
    "certificates/certificate.html": "bilingual English | Russian certificate",
    # A letter to a consulate in the host country, written in English whoever prints it.
    "documents/invitation_letter.html": "English visa invitation letter",
}
# Templates whose visible text is not marked yet: to be done, listed so the gap is visible.
NOT_YET_TRANSLATED: dict[str, str] = {}

# A phrase of each role's home page (and of the navigation) in each language.
HOME_PHRASES = {
    "ru": ["Выйти", "Сменить пароль"],
    "kk": ["Шығу", "Құпиясөзді өзгерту"],
}


@pytest.fixture(scope="module", autouse=True)
def compiled_catalogues():
    """Compile each .po into its .mo when missing or older (what `make translations` does)."""
    for language in TRANSLATED:
        folder = TRANSLATIONS / language / "LC_MESSAGES"
        po, mo = folder / "messages.po", folder / "messages.mo"
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as source:
            catalog = read_po(source, locale=language)
        handle, temporary = tempfile.mkstemp(dir=folder, suffix=".mo.tmp")
        with os.fdopen(handle, "wb") as target:
            write_mo(target, catalog)
        os.replace(temporary, mo)  # atomic: a parallel worker never reads half a file


def extract_messages(target: Path):
    """Extract every marked string of the code and templates, as the Makefile does.

    Babel's walk skips folders starting with "_", so templates in them are named one by one.
    """
    hidden = sorted(p.relative_to(ROOT).as_posix() for p in ROOT.glob("templates/**/_*/*.html"))
    current = os.getcwd()
    os.chdir(ROOT)  # babel.cfg's patterns are relative to the project root
    try:
        CommandLineInterface().run(
            ["pybabel", "-q", "extract", "-F", "babel.cfg", *EXTRACT_KEYWORDS,
             "-o", str(target), ".", *hidden]
        )  # fmt: skip
    finally:
        os.chdir(current)
    with target.open("rb") as source:
        return read_po(source)


def _key(message):
    return (message.context, message.id)


def test_every_marked_string_is_translated_into_russian_and_kazakh(tmp_path):
    template = extract_messages(tmp_path / "messages.pot")
    assert len(template) > 50  # the extraction really ran over code and templates
    problems = []
    for language in TRANSLATED:
        with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as source:
            catalog = read_po(source, locale=language)
        for message in template:
            if not message.id:
                continue
            translated = catalog.get(message.id, context=message.context)
            strings = translated.string if translated else ""
            strings = strings if isinstance(strings, tuple) else (strings,)
            if translated is None or translated.fuzzy or not all(strings):
                problems.append(f"{language}: {_key(message)!r} ({message.locations[0][0]})")
    assert not problems, "untranslated:\n" + "\n".join(problems)


def test_translations_keep_the_placeholders_of_the_english_text():
    problems = []
    for language in TRANSLATED:
        with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as source:
            catalog = read_po(source, locale=language)
        for message, errors in catalog.check():
            problems += [f"{language}: {message.id!r}: {error}" for error in errors]
    assert not problems, "\n".join(problems)


def test_the_template_scan_finds_unmarked_text_and_accepts_marked_text():
    assert unmarked_text("<p>Hello there</p>") == ["Hello there"]
    assert unmarked_text('<input placeholder="Search">') == ['placeholder="Search"']
    assert unmarked_text("{% block title %}Users{% endblock %}") == ["Users"]
    assert unmarked_text("<p>{{ _('Hello') }} · 12 {{ name }}</p>") == []
    assert unmarked_text("{% trans %}Hello{% endtrans %}<b>SOMET</b>") == []
    assert unmarked_text("<script>var x = 'text';</script>") == []
    assert unmarked_text("{{ post_button(url_for('a.b'), 'Remove it') }}") == ["'Remove it'"]
    assert unmarked_text("{{ post_button(url, _('Remove'), css='btn') }}") == []
    assert unmarked_text("{{ ngettext('%(num)d day', '%(num)d days', n) }}") == []
    assert unmarked_text("{{ 'Draft' if x else pgettext('role', 'Doctor') }}") == ["'Draft'"]
    assert unmarked_text("Dear {{ name }},\n{{ url }}/my/page", html=False) == ["Dear ,"]


def test_every_template_marks_its_visible_text_for_translation():
    found = unmarked_text_in_templates(ROOT / "templates")
    exempt = NOT_TRANSLATED_BY_DESIGN.keys() | NOT_YET_TRANSLATED.keys()
    unexpected = {path: texts for path, texts in found.items() if path not in exempt}
    report = "\n".join(f"{path}: {texts[:5]}" for path, texts in unexpected.items())
    assert not unexpected, "visible text not marked with _():\n" + report


class _VisibleText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("script", "style")

    def handle_endtag(self, tag):
        self._skip -= tag in ("script", "style")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(" ".join(data.split()))


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    return " ".join(part for part in parser.parts if part)


@functools.cache
def english_phrases() -> frozenset[str]:
    """Every marked English text of two words or more, without placeholders."""
    with tempfile.TemporaryDirectory() as folder:
        template = extract_messages(Path(folder) / "messages.pot")
    return frozenset(
        message.id
        for message in template
        if isinstance(message.id, str)
        and " " in message.id.strip()
        and "%" not in message.id
        and "<" not in message.id
    )


def _set_language(user: User, language: Language) -> None:
    user.language = language
    db.session.commit()


@pytest.mark.parametrize("language", TRANSLATED)
@pytest.mark.parametrize("role", ["admin", "director", "coordinator", "doctor"])
def test_each_roles_home_page_is_in_the_users_language(client, users, role, language):
    user = users[role]
    _set_language(user, Language(language))
    login_as(client, user)
    html = client.get("/").get_data(as_text=True)
    assert f'<html lang="{language}">' in html
    text = visible_text(html)
    for phrase in HOME_PHRASES[language]:
        assert phrase in text
    leftovers = sorted(p for p in english_phrases() if p in text)
    assert not leftovers, f"English left on the {language} home page of a {role}: {leftovers}"


def test_wtforms_own_messages_follow_each_users_language(client, users):
    # WTForms' messages come from its own catalogue, read once per language and kept: a
    # Russian page after a Kazakh one (and back) must not keep the first language's texts.
    director = users["director"]
    login_as(client, director)
    for language, message in [
        ("kk", "Жарамды бүтін сан мәні емес."),
        ("ru", "Неверное целое число."),
        ("en", "Not a valid integer value."),
        ("kk", "Жарамды бүтін сан мәні емес."),
    ]:
        _set_language(director, Language(language))
        response = client.get("/alumni?page=abc")
        assert response.status_code == 400 and message in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("accept", "title"),
    [("ru-RU,ru;q=0.9,en;q=0.5", "Вход в SOMET"), ("kk", "SOMET жүйесіне кіру"),
     ("fr-FR", "Log in to SOMET")],
)  # fmt: skip
def test_anonymous_pages_follow_the_browsers_language(client, accept, title):
    html = client.get("/login", headers={"Accept-Language": accept}).get_data(as_text=True)
    assert title in html


def test_an_anonymous_visitor_can_switch_language_over_the_browsers(client):
    response = client.submit("/language", {"language": "kk", "next": "/login"}, page="/login")
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")
    html = client.get("/login", headers={"Accept-Language": "ru"}).get_data(as_text=True)
    assert '<html lang="kk">' in html and "SOMET жүйесіне кіру" in html


def test_a_user_switching_language_keeps_it_on_the_account(client, users):
    doctor = users["doctor"]
    login_as(client, doctor)
    client.submit("/language", {"language": "ru", "next": "/"}, page="/")
    assert db.session.get(User, doctor.id).language == Language.RU
    assert db.session.get(Doctor, doctor.doctor_id).preferred_language == Language.RU
    assert "Выйти" in client.get("/").get_data(as_text=True)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action.like("%language%")))
    assert event is not None and event.actor_id == doctor.id
    client.submit("/logout", {}, page="/")
    assert "Вход в SOMET" in client.get("/login").get_data(as_text=True)


def test_an_unknown_language_is_refused(client, users):
    login_as(client, users["director"])
    response = client.submit("/language", {"language": "xx"}, page="/")
    assert response.status_code == 400
    assert db.session.get(User, users["director"].id).language == Language.EN


def test_the_switcher_never_redirects_to_another_site(client):
    response = client.submit("/language", {"language": "ru", "next": "//evil.example"}, "/login")
    assert urlsplit_path(response.headers["Location"]) == "/"


def urlsplit_path(location: str) -> str:
    return re.sub(r"^https?://[^/]+", "", location)


def test_form_errors_and_flashes_are_translated(client, users):
    response = client.submit(
        "/login", {"email": users["director"].email, "password": "wrong-password"},
        headers={"Accept-Language": "ru"},
    )  # fmt: skip
    assert "Неверный адрес электронной почты или пароль" in response.get_data(as_text=True)


def test_an_invitation_is_written_in_the_recipients_language(app, users):
    doctor = make_doctor(preferred_language=Language.KK)
    accounts.invite_user(
        users["director"], email="new.doctor@example.org", full_name="Әйгерім Нұрланова",
        role=Role.DOCTOR, doctor=doctor, link_for=lambda token: f"https://somet.test/i/{token}",
    )  # fmt: skip
    message = db.session.scalar(select(Notification).where(Notification.kind == "invitation"))
    assert message.language == "kk"
    assert message.subject == "Сіз SOMET жүйесіне шақырылдыңыз"
    assert "Сәлеметсіз бе, Әйгерім Нұрланова" in message.body
    assert "7 күн" in message.body
    assert db.session.scalar(select(User.language).where(User.doctor_id == doctor.id)) == "kk"


def test_a_director_chooses_the_language_of_an_invitation(client, users):
    login_as(client, users["director"])
    coordinator_hospital = users["coordinator"].hospital_id
    client.submit("/admin/users/invite", {
        "email": "host@example.org", "full_name": "Host Person", "role": "coordinator",
        "hospital_id": str(coordinator_hospital), "doctor_id": "0", "language": "ru",
    })  # fmt: skip
    message = db.session.scalar(select(Notification).where(Notification.kind == "invitation"))
    assert message.subject == "Вас пригласили в SOMET" and message.language == "ru"


def test_dates_and_times_on_pages_follow_the_language(app):
    moment = datetime(2027, 3, 12, 7, 0, tzinfo=UTC)
    page = "{{ day|date }} | {{ moment|datetime_in('Asia/Jerusalem') }} | {{ 1234.5|number }}"
    with app.test_request_context("/"):
        expected = {
            "en": "12 Mar 2027 | 12 Mar 2027 09:00 (Jerusalem) | 1,234.5",
            "ru": "12 марта 2027 | 12 марта 2027, 09:00 (Иерусалим) | 1\xa0234,5",
            "kk": "2027 ж. 12 наурыз | 2027 ж. 12 наурыз, 09:00 (Иерусалим) | 1\xa0234,5",
        }
        for language, text in expected.items():
            with force_locale(language):
                assert render_template_string(page, day=date(2027, 3, 12), moment=moment) == text


def test_doctors_names_follow_the_script_of_the_page(app):
    doctor = make_doctor(first_name="Aigerim", last_name="Nurlanova", native_name="Әйгерім")
    with app.test_request_context("/"):
        with force_locale("kk"):
            assert render_template_string("{{ d|person_name }}", d=doctor) == "Әйгерім"
        with force_locale("en"):
            assert render_template_string("{{ d|person_name }}", d=doctor) == "Aigerim Nurlanova"


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_navigation_link_is_translated(app, language):
    untranslated = []
    with app.test_request_context("/"):
        for role in Role:
            for item in nav_items_for(role):
                with force_locale("en"):
                    english = nav_label(item)
                with force_locale(language):
                    if nav_label(item) == english:
                        untranslated.append(f"{role.value}: {english}")
    assert not untranslated, untranslated


def test_lists_sort_by_the_alphabet_of_the_page(app):
    names = ["Қанат", "Кенес", "Zhanna", "Әлия", "Абай"]
    with app.test_request_context("/"), force_locale("kk"):
        sorted_kk = render_template_string("{{ names|sort_by_name|join(',') }}", names=names)
    with app.test_request_context("/"), force_locale("en"):
        sorted_en = render_template_string("{{ names|sort_by_name|join(',') }}", names=names)
    assert sorted_kk == "Абай,Әлия,Кенес,Қанат,Zhanna"
    assert sorted_en == "Zhanna,Абай,Әлия,Кенес,Қанат"


def test_statuses_and_roles_are_shown_in_words_of_the_language(client, users):
    admin = users["admin"]
    _set_language(admin, Language.RU)
    make_user(Role.COORDINATOR, hospital_id=users["coordinator"].hospital_id, active=False)
    login_as(client, admin)
    text = visible_text(client.get("/admin/users").get_data(as_text=True))
    assert "координатор" in text and "отключена" in text and "Пользователи" in text


def test_specialty_choices_are_named_in_the_directors_language(client, users):
    from somet.models import Language
    from tests.factories import make_cohort

    cohort = make_cohort()
    users["director"].language = Language.RU
    db.session.commit()
    login_as(client, users["director"])
    page = client.get(f"/cohorts/{cohort.id}/roster/add").get_data(as_text=True)
    assert ">Анестезиология</option>" in page and ">Anaesthesiology</option>" not in page


def test_a_refusal_from_the_service_layer_reads_in_the_directors_language(client, users):
    """Service messages (not only form labels) follow the user's language."""
    from somet.models import Language
    from tests.factories import make_hospital

    make_hospital(name="Rambam Health Care Campus")
    users["director"].language = Language.RU
    db.session.commit()
    login_as(client, users["director"])
    form = {
        "name": "Rambam Health Care Campus",
        "city": "Haifa",
        "country": "Israel",
        "timezone": "Asia/Jerusalem",
        "working_weekdays": ["6", "0", "1", "2", "3"],
    }
    response = client.submit("/hospitals/new", form)
    assert response.status_code in (200, 400)
    text = response.get_data(as_text=True)
    assert "Больница с названием «Rambam Health Care Campus» уже есть." in text


def test_the_stored_language_choices_are_the_languages_pages_are_served_in():
    from somet.core.localisation import LANGUAGES
    from somet.models import Language

    assert tuple(language.value for language in Language) == LANGUAGES


def test_texts_in_templates_are_translated_escaped_and_formatted_as_jinja_does(app):
    """The templates' _() is Jinja's own wrapper written out (web/i18n.py): the same text in
    each language, its variables escaped, "%%" read as "%", for texts with and without
    variables, known to the catalogue or not."""
    from jinja2.ext import _make_new_gettext

    from somet.web import i18n

    page = (
        "{{ _('Remind') }} | {{ _('%(months)d months', months=3) }} | "
        "{{ _('answered %(date)s', date='<b>') }} | {{ gettext('100%% <sure>') }}"
    )
    jinjas = _make_new_gettext(i18n._template_gettext)
    with app.test_request_context("/"):
        with force_locale("ru"):
            shown = render_template_string(page)
            assert shown == "Напомнить | 3 мес. | ответ &lt;b&gt; | 100% <sure>"
        for language in ("en", "ru", "kk"):
            with force_locale(language):
                ours = render_template_string(page)
                app.jinja_env.globals["_"] = app.jinja_env.globals["gettext"] = jinjas
                try:
                    assert render_template_string(page) == ours
                finally:
                    app.jinja_env.globals["_"] = app.jinja_env.globals["gettext"] = (
                        i18n._page_gettext
                    )
