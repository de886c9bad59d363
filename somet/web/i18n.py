"""Languages: English, Russian and Kazakh, chosen per request.

The user's own setting wins, then the choice an anonymous visitor made with the switcher
(kept in the session), then the browser's Accept-Language, then English. Templates get
``_()``/``ngettext()`` from Flask-Babel's Jinja extension; Python code uses ``gettext`` (or
``lazy_gettext`` for texts defined at import time, such as form labels).
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, has_request_context, request, session
from flask_babel import get_locale, get_translations
from flask_login import current_user
from jinja2 import pass_context
from markupsafe import Markup

from somet.core import localisation
from somet.core.localisation import LANGUAGES
from somet.web.extensions import babel

TRANSLATIONS_DIR = Path(__file__).resolve().parent.parent / "translations"
SESSION_KEY = "language"  # an anonymous visitor's choice from the switcher


def select_locale() -> str:
    """The language of this request: the user's, else the switcher's, the browser's, English."""
    if not has_request_context():  # CLI and jobs: English unless force_locale() says otherwise
        return "en"
    if current_user and current_user.is_authenticated:
        return current_user.language.value
    if session.get(SESSION_KEY) in LANGUAGES:
        return session[SESSION_KEY]
    return request.accept_languages.best_match(LANGUAGES) or "en"


def page_language() -> str:
    """``en``, ``ru`` or ``kk``: the language this page (or message) is rendered in."""
    locale = get_locale()
    return localisation.language_or_default(locale.language if locale else None)


def language_choices() -> list[tuple[str, str]]:
    """(code, name) of each language for the switcher, each named in itself."""
    from somet.web.labels import LANGUAGE_NAMES

    return [(code, LANGUAGE_NAMES[code]) for code in LANGUAGES]


def init_i18n(app: Flask) -> None:
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=str(TRANSLATIONS_DIR),
    )

    install_template_gettext(app)

    @app.after_request
    def vary_on_language(response):
        response.vary.add("Accept-Language")  # the same URL answers in the browser's language
        return response


# Templates call _() dozens of times a page. Flask-Babel's callables find the catalogue anew on
# every call (three context lookups); these take it from the page's own context, where one
# context processor puts it once per render. Templates rendered without it (a macro imported
# without context) fall back to Flask-Babel, so the result is the same either way.
PAGE_TRANSLATIONS = "_page_translations"


def _catalogue(context):
    return context.get(PAGE_TRANSLATIONS) or get_translations()


@pass_context
def _page_gettext(context, string, **variables):
    """``_()`` and ``gettext()`` in templates, called directly (Jinja's own route goes through
    an alias and a wrapper: three calls a text). Same result as Jinja's newstyle gettext:
    escaped, and always a format string ("%%" is a percent sign), only not formatted when the
    text has no "%" at all, as most of a page's texts."""
    text = _catalogue(context).ugettext(string)
    if context.eval_ctx.autoescape:
        text = Markup(text)  # noqa: S704  (our own catalogue, as Jinja itself does)
    return text % variables if variables or "%" in text else text


@pass_context
def _template_ngettext(context, singular, plural, n):
    return _catalogue(context).ungettext(singular, plural, n)


@pass_context
def _template_pgettext(context, message_context, string):
    return _catalogue(context).upgettext(message_context, string)


@pass_context
def _template_npgettext(context, message_context, singular, plural, n):
    return _catalogue(context).unpgettext(message_context, singular, plural, n)


def install_template_gettext(app: Flask) -> None:
    # ngettext and the p- forms go through Jinja's newstyle wrappers; _() and gettext() are
    # installed as they are (they already behave as newstyle gettext).
    app.jinja_env.install_gettext_callables(
        gettext=_page_gettext,
        ngettext=_template_ngettext,
        newstyle=True,
        pgettext=_template_pgettext,
        npgettext=_template_npgettext,
    )
    app.jinja_env.globals.update(gettext=_page_gettext, _=_page_gettext)

    @app.context_processor
    def page_translations():
        return {PAGE_TRANSLATIONS: get_translations()}
