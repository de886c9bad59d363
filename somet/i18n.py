"""Languages: English, Russian and Kazakh, chosen per request.

The user's own setting wins, then the browser's Accept-Language, then English. Templates get
``_()``/``ngettext()`` from Flask-Babel's Jinja extension; Python code uses ``gettext`` (or
``lazy_gettext`` for texts defined at import time, such as form labels).
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, request
from flask_login import current_user

from somet.extensions import babel

LANGUAGES = ("en", "ru", "kk")
TRANSLATIONS_DIR = Path(__file__).resolve().parent / "translations"


def select_locale() -> str:
    """The language of this request: the user's setting, else the browser's, else English."""
    if current_user and current_user.is_authenticated:
        return current_user.language.value
    return request.accept_languages.best_match(LANGUAGES) or "en"


def init_i18n(app: Flask) -> None:
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=str(TRANSLATIONS_DIR),
    )
