"""The WSGI app that bench/web.py serves (``gunicorn 'bench.web_app:build_app()'``): SOMET
from its factory, plus a hello-world route.

The hello route is the baseline: the same factory, the same gunicorn workers and the same
request hooks, but no query and no template.
"""

import os

from flask import Flask

from somet import create_app


def build_app(config_name: str | None = None, overrides: dict | None = None) -> Flask:
    if os.environ.get("BENCH_RATELIMIT_OFF"):
        # All of wrk's load comes from one address: the per-address limits (logins, the
        # verification page) would answer 429 to most of it instead of drawing the page.
        overrides = {**(overrides or {}), "RATELIMIT_ENABLED": False}
    app = create_app(config_name, overrides)

    @app.route("/bench/hello")
    def hello_world():
        return "Hello, world!"

    return app
