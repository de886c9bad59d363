"""Settings for SOMET. This is the only module that reads the environment.

Every setting comes from a ``SOMET_*`` variable; README lists them all. ``settings_for``
is called by the factory at start-up (not at import), so tests can change the
environment between apps.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

SUPPORTED_DRIVERS = ("sqlite", "postgresql", "postgresql+psycopg")


class ConfigError(RuntimeError):
    """A setting is missing or malformed; the message is one line a person can act on."""


class BaseConfig:
    """Defaults shared by every environment."""

    DEBUG = False
    TESTING = False
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    WTF_CSRF_TIME_LIMIT = None  # the session bounds the form's life, not a timer
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = False
    MAX_CONTENT_LENGTH = 12 * 1024 * 1024  # uploads and imports are bounded (10 MB + form)
    SOMET_INVITATION_TTL_DAYS = 7
    SOMET_CONFIRMATION_LINK_TTL_DAYS = 7
    SOMET_EVALUATION_LINK_TTL_DAYS = 30  # how long an evaluation's one-tap link is answered
    # A completed cohort whose every completed doctor holds a certificate is archived (settled)
    # this many days after its end; the director may archive it sooner.
    SOMET_ARCHIVE_AFTER_DAYS = 90
    SOMET_FOLLOW_UP_LINK_TTL_DAYS = 60  # a follow-up survey's one-tap link (alumni answer late)
    SOMET_RUN_JOBS_IN_PROCESS = False
    SOMET_RATELIMIT_STORAGE_URI = "memory://"
    SOMET_API_RATE_LIMIT = "120 per minute"  # per integration token (Flask-Limiter notation)
    SOMET_SESSION_IDLE_MINUTES = 120
    SOMET_SESSION_MAX_HOURS = 12
    REMEMBER_COOKIE_DURATION = 14 * 24 * 3600


class DevelopmentConfig(BaseConfig):
    DEBUG = True
    SOMET_RUN_JOBS_IN_PROCESS = True


class TestingConfig(BaseConfig):
    TESTING = True
    SOMET_INVITATION_TTL_DAYS = 7


class ProductionConfig(BaseConfig):
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def settings_for(name: str | None, instance_path: str) -> dict:
    """Resolve the settings of environment ``name`` from its class and ``SOMET_*`` variables."""
    name = name or os.environ.get("SOMET_ENV", "development")
    if name not in CONFIGS:
        raise ConfigError(f"SOMET_ENV={name!r} is not one of {', '.join(CONFIGS)}")
    cls = CONFIGS[name]
    settings = {key: getattr(cls, key) for key in dir(cls) if key.isupper()}
    settings["SOMET_ENV"] = name
    settings["SQLALCHEMY_DATABASE_URI"] = _database_url(name, instance_path)
    settings["SECRET_KEY"] = _secret_key(name, instance_path)
    settings.update(_optional_settings(instance_path))
    settings["SOMET_PUBLIC_URL"] = _public_url(name)
    return settings


def _public_url(name: str) -> str:
    """Where links in e-mails, feeds and one-tap requests point. In development, unless set,
    where ``make run`` serves (``SOMET_HOST``/``SOMET_PORT``, which it sets from HOST/PORT)."""
    url = os.environ.get("SOMET_PUBLIC_URL", "")
    if not url and name == "development":
        host = os.environ.get("SOMET_HOST", "127.0.0.1")
        port = os.environ.get("SOMET_PORT", "5000")
        if not port.isdigit():
            raise ConfigError(f"SOMET_PORT must be a port number, not {port!r}")
        # a server listening on every interface is still reached here through 127.0.0.1
        host = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host  # noqa: S104
        url = f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"
    return (url or "http://127.0.0.1:5000").rstrip("/")


def _database_url(name: str, instance_path: str) -> str:
    default = f"sqlite:///{Path(instance_path) / 'somet.sqlite3'}"
    if name == "testing":
        default = os.environ.get("SOMET_TEST_DATABASE_URL") or "sqlite://"
    url = os.environ.get("SOMET_DATABASE_URL") or default
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ConfigError(
            f"SOMET_DATABASE_URL is not a database URL: {url!r} "
            "(expected e.g. postgresql+psycopg://user@host/dbname)"
        ) from None
    if parsed.drivername not in SUPPORTED_DRIVERS:
        raise ConfigError(
            f"SOMET_DATABASE_URL uses {parsed.drivername!r}; "
            "SOMET supports sqlite and postgresql+psycopg"
        )
    if parsed.drivername == "postgresql":
        url = parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    return url


def _secret_key(name: str, instance_path: str) -> str:
    key = os.environ.get("SOMET_SECRET_KEY")
    if key:
        if name == "production" and len(key) < 32:
            raise ConfigError("SOMET_SECRET_KEY must be at least 32 characters in production")
        return key
    if name == "production":
        raise ConfigError("SOMET_SECRET_KEY is not set; production refuses to start without it")
    if name == "testing":
        return "testing-secret-key"
    # Development: a random secret kept in instance/ so sessions survive restarts.
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def _optional_settings(instance_path: str) -> dict:
    env = os.environ
    smtp_port = env.get("SOMET_SMTP_PORT", "25")
    if not smtp_port.isdigit():
        raise ConfigError(f"SOMET_SMTP_PORT must be a port number, not {smtp_port!r}")
    return {
        "SOMET_STORAGE_DIR": env.get("SOMET_STORAGE_DIR", str(Path(instance_path) / "storage")),
        "SOMET_SMTP_HOST": env.get("SOMET_SMTP_HOST", ""),
        "SOMET_SMTP_PORT": int(smtp_port),
        "SOMET_SMTP_USERNAME": env.get("SOMET_SMTP_USERNAME", ""),
        "SOMET_SMTP_PASSWORD": env.get("SOMET_SMTP_PASSWORD", ""),
        "SOMET_SMTP_STARTTLS": env.get("SOMET_SMTP_STARTTLS", "0") == "1",
        "SOMET_MAIL_FROM": env.get("SOMET_MAIL_FROM", "SOMET <no-reply@somet.example.org>"),
        "SOMET_REDIS_URL": env.get("SOMET_REDIS_URL", ""),
        "SOMET_SESSION_IDLE_MINUTES": _whole_number(env, "SOMET_SESSION_IDLE_MINUTES", 120),
        "SOMET_SESSION_MAX_HOURS": _whole_number(env, "SOMET_SESSION_MAX_HOURS", 12),
        "SOMET_EVALUATION_LINK_TTL_DAYS": _whole_number(env, "SOMET_EVALUATION_LINK_TTL_DAYS", 30),
        "SOMET_FOLLOW_UP_LINK_TTL_DAYS": _whole_number(env, "SOMET_FOLLOW_UP_LINK_TTL_DAYS", 60),
        "SOMET_RATELIMIT_STORAGE_URI": env.get("SOMET_REDIS_URL") or "memory://",
        "SOMET_API_RATE_LIMIT": env.get("SOMET_API_RATE_LIMIT", BaseConfig.SOMET_API_RATE_LIMIT),
    }


def _whole_number(env, name: str, default: int) -> int:
    value = env.get(name, str(default))
    if not value.isdigit() or int(value) < 1:
        raise ConfigError(f"{name} must be a whole number of at least 1, not {value!r}")
    return int(value)
