"""Start-up settings: bad configuration stops the app with a one-line reason."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

import config

ROOT = Path(__file__).resolve().parent.parent


def _start(env_overrides: dict, tmp_path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOMET_")}
    env.update({"SOMET_INSTANCE_PATH": str(tmp_path)}, **env_overrides)
    return subprocess.run(
        [sys.executable, "-c", "import wsgi"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_malformed_database_url_stops_start_up_with_one_line(tmp_path):
    result = _start({"SOMET_DATABASE_URL": "not a url at all"}, tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "SOMET_DATABASE_URL is not a database URL" in lines[0]
    assert "Traceback" not in result.stderr


def test_unsupported_database_is_named(tmp_path):
    result = _start({"SOMET_DATABASE_URL": "mysql://root@localhost/somet"}, tmp_path)
    assert result.returncode == 2 and "supports sqlite and postgresql" in result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = _start({"SOMET_ENV": "production"}, tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "somet: configuration error: SOMET_SECRET_KEY is not set; "
        "production refuses to start without it"
    )


def test_production_starts_with_a_secret_key(tmp_path):
    result = _start({"SOMET_ENV": "production", "SOMET_SECRET_KEY": "x" * 40}, tmp_path)
    assert result.returncode == 0, result.stderr


def test_development_secret_is_generated_once_and_kept(tmp_path, monkeypatch):
    monkeypatch.delenv("SOMET_SECRET_KEY", raising=False)
    first = config.settings_for("development", str(tmp_path))["SECRET_KEY"]
    second = config.settings_for("development", str(tmp_path))["SECRET_KEY"]
    assert first == second and len(first) > 40
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_plain_postgresql_url_uses_psycopg(tmp_path, monkeypatch):
    monkeypatch.setenv("SOMET_DATABASE_URL", "postgresql://somet@db/somet")
    monkeypatch.setenv("SOMET_SECRET_KEY", "y" * 40)
    url = config.settings_for("production", str(tmp_path))["SQLALCHEMY_DATABASE_URI"]
    assert url == "postgresql+psycopg://somet@db/somet"


def test_unknown_environment_is_refused(tmp_path):
    with pytest.raises(config.ConfigError, match="SOMET_ENV"):
        config.settings_for("staging", str(tmp_path))


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(app):
    from sqlalchemy import text

    from somet.web.extensions import db

    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite only")
    with db.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 15000
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1


def _public_url(tmp_path, monkeypatch, name: str, **env) -> str:
    for key in ("SOMET_PUBLIC_URL", "SOMET_HOST", "SOMET_PORT"):
        monkeypatch.delenv(key, raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return config.settings_for(name, str(tmp_path))["SOMET_PUBLIC_URL"]


def test_development_links_point_where_make_run_serves(tmp_path, monkeypatch):
    assert _public_url(tmp_path, monkeypatch, "development") == "http://127.0.0.1:5000"
    assert (
        _public_url(tmp_path, monkeypatch, "development", SOMET_PORT="5077")
        == "http://127.0.0.1:5077"
    )
    assert (
        _public_url(tmp_path, monkeypatch, "development", SOMET_HOST="0.0.0.0", SOMET_PORT="8080")  # noqa: S104
        == "http://127.0.0.1:8080"
    )
    assert (
        _public_url(tmp_path, monkeypatch, "development", SOMET_PORT="5077",
                    SOMET_PUBLIC_URL="https://somet.example.org/")
        == "https://somet.example.org"
    )


def test_make_run_on_another_port_tells_the_app_that_port():
    done = subprocess.run(
        ["make", "-n", "run", "PORT=5077"], cwd=ROOT, capture_output=True, text=True,
        timeout=60, check=True,
    )
    assert "--port 5077" in done.stdout
    probe = subprocess.run(
        ["make", "-s", "--eval", "probe:\n\t@echo $$SOMET_PORT", "probe", "PORT=5077"],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=True,
    )
    assert probe.stdout.strip() == "5077"


def test_a_malformed_port_is_named(tmp_path, monkeypatch):
    with pytest.raises(config.ConfigError, match="SOMET_PORT"):
        _public_url(tmp_path, monkeypatch, "development", SOMET_PORT="five")
