"""WSGI entry point: ``gunicorn wsgi:app`` and ``flask --app wsgi ...``."""

import sys

from config import ConfigError
from somet import create_app

try:
    app = create_app()
except ConfigError as error:  # a one-line reason, not a traceback
    print(f"somet: configuration error: {error}", file=sys.stderr)
    raise SystemExit(2) from None
