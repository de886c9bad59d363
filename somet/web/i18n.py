"""Languages: English, Russian and Kazakh, chosen per request.

The user's own setting wins, then the choice an anonymous visitor made with the switcher
(kept in the session), then the browser's Accept-Language, then English. Templates get
``_()``, ``ngettext()`` and ``pgettext()`` as Flask-Babel installs them (Jinja's i18n
extension); Python code uses ``gettext`` (or ``lazy_gettext`` for texts defined at import
time, such as form labels).
"""

from __future__ import annotations

from pathlib import Path

from babel import Locale, support
from flask import Flask, g, has_app_context, has_request_context, request, session
from flask_babel import Domain, get_locale
from flask_login import current_user
from jinja2 import pass_context
from markupsafe import Markup
from wtforms.i18n import messages_path

from somet.core import localisation
from somet.core.localisation import LANGUAGES
from somet.web.extensions import babel

TRANSLATIONS_DIR = Path(__file__).resolve().parent.parent / "translations"
SESSION_KEY = "language"  # an anonymous visitor's choice from the switcher


# Each language's locale, parsed once: Flask-Babel parses the selector's answer on every
# request, and takes a Locale as it is.
_LOCALES = {code: Locale.parse(code) for code in LANGUAGES}


def select_locale() -> Locale:
    """The language of this request: the user's, else the switcher's, the browser's, English."""
    if not has_request_context():  # CLI and jobs: English unless force_locale() says otherwise
        return _LOCALES["en"]
    if current_user and current_user.is_authenticated:
        return _LOCALES[current_user.language.value]
    if session.get(SESSION_KEY) in LANGUAGES:
        return _LOCALES[session[SESSION_KEY]]
    return _LOCALES[request.accept_languages.best_match(LANGUAGES) or "en"]


def page_language() -> str:
    """``en``, ``ru`` or ``kk``: the language this page (or message) is rendered in."""
    locale = get_locale()
    return localisation.language_or_default(locale.language if locale else None)


def name_parts(person) -> tuple[str | None, str | None, str | None]:
    """(first, last, native) of a doctor-like object, or of a stored PersonName (a list once
    read back from JSON); a plain text (anyone's full name, a name stored as text) is taken
    whole as the "first" part, so it is shown as written."""
    if isinstance(person, str):
        return person, None, None
    if isinstance(person, list | tuple) and len(person) == 3:
        return tuple(person)
    first = getattr(person, "first_name", None)
    last = getattr(person, "last_name", None)
    if first is None and last is None:
        first = getattr(person, "latin_name", None) or getattr(person, "full_name", "")
    return first, last, getattr(person, "native_name", None)


def name_of(person, language: str | None = None) -> str:
    """A person's name as pages in ``language`` (default: this page's) show it; for views'
    messages, so a flash names people as the lists around it do."""
    if person is None:
        return ""
    return localisation.person_name(*name_parts(person), language or page_language())


# Short names for the bar on a phone, as Kazakh sites write them (egov.kz: ҚАЗ РУС ENG).
LANGUAGE_SHORT_NAMES = {"en": "ENG", "ru": "РУС", "kk": "ҚАЗ"}


def language_switch_choices() -> list[tuple[str, str, str]]:
    """(code, name in itself, short name) of each language, for the switcher in the bar."""
    return [(code, name, LANGUAGE_SHORT_NAMES[code]) for code, name in language_choices()]


def language_choices() -> list[tuple[str, str]]:
    """(code, name) of each language for the switcher, each named in itself."""
    from somet.web.labels import LANGUAGE_NAMES

    return [(code, LANGUAGE_NAMES[code]) for code in LANGUAGES]


class _PageDomain(Domain):
    """Flask-Babel's message domain, its catalogue looked up once per request and locale.

    Flask-Babel finds the catalogue again for every text (the locale's identifier is rebuilt
    each time): in Python's ``gettext`` and in every lazy text a page shows (form labels,
    status names), dozens a page. The locale object is the key, so ``force_locale`` and
    ``refresh`` still change the language at once."""

    def get_translations(self):
        if not has_app_context():
            return super().get_translations()
        locale = get_locale()
        found = g.get(_CATALOGUE)
        if found is None or found[0] is not locale:
            found = (locale, super().get_translations())
            setattr(g, _CATALOGUE, found)
        return found[1]


_CATALOGUE = "_somet_catalogue"
_DOMAIN = _PageDomain()


def catalogue():
    """The translations of the current locale (``_PageDomain``: once per request and locale)."""
    return _DOMAIN.get_translations()


class _FormMessages:
    """WTForms' own messages ("Not a valid choice.") in this request's language, from a
    catalogue read once per language: Flask-WTF reads WTForms' file from disk again on every
    request that builds a form (each form's CSRF field asks for its label), and takes the
    catalogue it finds from ``request.wtforms_translations`` first."""

    def __init__(self):
        self._loaded: dict[str, support.Translations] = {}

    def _catalogue(self):
        locale = get_locale()
        key = str(locale)
        found = self._loaded.get(key)
        if found is None:
            found = self._loaded[key] = support.Translations.load(
                messages_path(), [locale], domain="wtforms"
            )
        return found

    def ugettext(self, string):
        return self._catalogue().ugettext(string)

    def ungettext(self, singular, plural, n):
        return self._catalogue().ungettext(singular, plural, n)


_FORM_MESSAGES = _FormMessages()
PAGE_CATALOGUE = "page_catalogue"  # put into every page's context by templating.languages


def _catalogue_of(context):
    found = context.get(PAGE_CATALOGUE)
    return found if found is not None else catalogue()


# What Jinja's i18n extension calls for _(), ngettext() and pgettext() (its own wrappers then
# escape and format the text): the page's catalogue from the template's context.
@pass_context
def _template_gettext(context, text):
    return _catalogue_of(context).ugettext(text)


@pass_context
def _page_gettext(context, text, /, **variables):
    """The templates' _() and gettext(): Jinja's own (newstyle) wrapper of ``_template_gettext``
    written out, escaped and formatted as it does. Its wrapper calls the lookup through
    ``Context.call``, which inspects the callee again on every text; a page has hundreds."""
    translated = _catalogue_of(context).ugettext(text)
    if context.eval_ctx.autoescape:
        translated = Markup(translated)  # noqa: S704 - our catalogue, as Jinja trusts it
    return translated % variables  # always a format string, as Jinja's: "%%" is "%"


@pass_context
def _template_ngettext(context, singular, plural, n):
    return _catalogue_of(context).ungettext(singular, plural, n)


@pass_context
def _template_pgettext(context, message_context, text):
    return _catalogue_of(context).upgettext(message_context, text)


@pass_context
def _template_npgettext(context, message_context, singular, plural, n):
    return _catalogue_of(context).unpgettext(message_context, singular, plural, n)


def init_i18n(app: Flask) -> None:
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=str(TRANSLATIONS_DIR),
    )
    # Flask-Babel's gettext, pgettext and lazy texts use this domain (its default, which it
    # builds once and keeps on the extension) and so the catalogue found once per page.
    babel.domain_instance = _DOMAIN
    # Templates' _(), ngettext() and pgettext() as Flask-Babel installs them, through the
    # catalogue found once per page instead of on every text.
    app.jinja_env.install_gettext_callables(
        gettext=_template_gettext,
        ngettext=_template_ngettext,
        pgettext=_template_pgettext,
        npgettext=_template_npgettext,
        newstyle=True,
    )
    # _() is Jinja's alias that looks gettext up in the context on each call: both are the
    # same function, called directly.
    app.jinja_env.globals["_"] = app.jinja_env.globals["gettext"] = _page_gettext

    @app.before_request
    def form_messages_read_once():
        request.wtforms_translations = _FORM_MESSAGES

    @app.after_request
    def vary_on_language(response):
        # The same URL answers in the browser's language. Set directly when the header is
        # not there yet (werkzeug's header set parses and writes it back on every change).
        if "Vary" in response.headers:
            response.vary.add("Accept-Language")
        else:
            response.headers["Vary"] = "Accept-Language"
        return response
