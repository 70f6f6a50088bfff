"""Fanfold's settings, derived from the environment when the server starts.

``settings`` promises, with nothing set, an SQLite archive in ``./var/``
(WAL mode, foreign keys on) and a secret key generated there once, readable
by its owner only, and kept across restarts; ``FANFOLD_DATA_DIR`` moves
both; ``FANFOLD_SECRET_KEY`` replaces the generated key; ``DATABASE_URL``
moves the archive to PostgreSQL (kept-alive, health-checked connections,
no parallel query workers); ``FANFOLD_HTTPS`` turns on secure cookies, the
HTTPS redirect and HSTS; and a bad value stops start-up naming the variable.

Settings are read once, at import, so each case starts a fresh interpreter.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

# Prints what a case checks, as JSON, from a freshly imported settings module.
SHOW = """
import json
from fanfold.archive import settings as s
db = s.DATABASES["default"]
print(json.dumps({
    "data_dir": str(s.DATA_DIR),
    "secret_key": s.SECRET_KEY,
    "engine": db["ENGINE"],
    "name": str(db["NAME"]),
    "options": db.get("OPTIONS", {}),
    "conn_max_age": db.get("CONN_MAX_AGE"),
    "conn_health_checks": db.get("CONN_HEALTH_CHECKS"),
    "static_root": str(s.STATIC_ROOT),
    "debug": s.DEBUG,
    "allowed_hosts": s.ALLOWED_HOSTS,
    "csrf_trusted_origins": s.CSRF_TRUSTED_ORIGINS,
    "session_cookie_secure": s.SESSION_COOKIE_SECURE,
    "csrf_cookie_secure": s.CSRF_COOKIE_SECURE,
    "ssl_redirect": s.SECURE_SSL_REDIRECT,
    "hsts_seconds": s.SECURE_HSTS_SECONDS,
    "proxy_ssl_header": s.SECURE_PROXY_SSL_HEADER,
    "log_level": s.LOGGING["root"]["level"],
    "cache": s.CACHES["default"],
    "session_engine": s.SESSION_ENGINE,
    "databases": sorted(s.DATABASES),
    "routers": getattr(s, "DATABASE_ROUTERS", []),
    "middleware": s.MIDDLEWARE,
    "static_storage": s.STORAGES["staticfiles"]["BACKEND"],
    "email": [s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_HOST_USER,
              s.EMAIL_HOST_PASSWORD, s.EMAIL_USE_TLS, s.DEFAULT_FROM_EMAIL],
}))
"""


def start(cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """Import the settings in a new interpreter with only these FANFOLD_ variables set."""
    clean = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("FANFOLD_") and key not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    return subprocess.run(
        [sys.executable, "-c", SHOW],
        cwd=cwd,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def settings_of(cwd: Path, **env: str) -> dict[str, Any]:
    result = start(cwd, **env)
    assert result.returncode == 0, result.stderr
    return dict(json.loads(result.stdout))


def test_with_nothing_set_the_archive_is_an_sqlite_file_and_a_key_in_var_without_debug(
    tmp_path: Path,
) -> None:
    shown = settings_of(tmp_path)
    var = tmp_path / "var"
    assert shown["data_dir"] == str(var)
    assert shown["engine"] == "django.db.backends.sqlite3"
    assert shown["name"] == str(var / "fanfold.sqlite3")
    assert "PRAGMA journal_mode=WAL;" in shown["options"]["init_command"]
    assert "PRAGMA foreign_keys=ON;" in shown["options"]["init_command"]
    assert shown["options"]["transaction_mode"] == "IMMEDIATE"
    assert shown["static_root"] == str(var / "static")
    assert (var / "static").is_dir()
    key_file = var / "secret_key"
    assert shown["secret_key"] == key_file.read_text()
    assert len(shown["secret_key"]) >= 50
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    # and safe for a laptop
    assert shown["debug"] is False
    assert shown["allowed_hosts"] == ["127.0.0.1", "localhost", "[::1]"]
    assert shown["csrf_trusted_origins"] == []
    assert shown["log_level"] == "WARNING"


def test_the_generated_key_is_kept_across_restarts(tmp_path: Path) -> None:
    first = settings_of(tmp_path, FANFOLD_DATA_DIR=str(tmp_path / "data"))
    second = settings_of(tmp_path, FANFOLD_DATA_DIR=str(tmp_path / "data"))
    assert first["secret_key"] == second["secret_key"]


def test_the_data_dir_holds_the_database_and_the_static_files(tmp_path: Path) -> None:
    shown = settings_of(tmp_path, FANFOLD_DATA_DIR="archive-data")
    data = tmp_path / "archive-data"
    assert shown["data_dir"] == str(data)  # a relative path is taken from where it starts
    assert shown["name"] == str(data / "fanfold.sqlite3")
    assert shown["static_root"] == str(data / "static")
    assert not (tmp_path / "var").exists()


def test_a_configured_secret_key_is_used_and_none_is_written(tmp_path: Path) -> None:
    shown = settings_of(tmp_path, FANFOLD_DATA_DIR=str(tmp_path), FANFOLD_SECRET_KEY="s3cret")
    assert shown["secret_key"] == "s3cret"
    assert not (tmp_path / "secret_key").exists()


def test_database_url_moves_the_archive_to_postgresql_without_parallel_workers(
    tmp_path: Path,
) -> None:
    shown = settings_of(
        tmp_path,
        FANFOLD_DATA_DIR=str(tmp_path),
        FANFOLD_SECRET_KEY="x",
        DATABASE_URL="postgres://fan:fold@db.example:5433/archive",
    )
    assert shown["engine"] == "django.db.backends.postgresql"
    assert shown["name"] == "archive"
    assert shown["options"] == {
        "options": "-c max_parallel_workers_per_gather=0",
        "pool": {"min_size": 1, "max_size": 4, "timeout": 3},
    }
    # Connections come from the pool, health-checked; none is kept outside it.
    assert (shown["conn_max_age"], shown["conn_health_checks"]) == (0, True)
    assert not (tmp_path / "fanfold.sqlite3").exists()


def test_the_connection_pool_is_sized_by_the_environment_or_turned_off(tmp_path: Path) -> None:
    base = {
        "FANFOLD_DATA_DIR": str(tmp_path),
        "FANFOLD_SECRET_KEY": "x",
        "DATABASE_URL": "postgres://fan:fold@db.example/archive",
    }
    sized = settings_of(
        tmp_path,
        **base,
        FANFOLD_DB_POOL_MIN="2",
        FANFOLD_DB_POOL_MAX="8",
        FANFOLD_DB_POOL_TIMEOUT="5",
    )
    assert sized["options"]["pool"] == {"min_size": 2, "max_size": 8, "timeout": 5}
    # Behind pgbouncer: no pool of our own, persistent connections as before.
    unpooled = settings_of(tmp_path, **base, FANFOLD_DB_POOL="0")
    assert "pool" not in unpooled["options"]
    assert unpooled["conn_max_age"] == 60
    too_small = start(tmp_path, **base, FANFOLD_DB_POOL_MIN="5", FANFOLD_DB_POOL_MAX="2")
    assert "FANFOLD_DB_POOL_MAX=2 is below the minimum 5" in too_small.stderr


def test_sqlite_has_no_pool(tmp_path: Path) -> None:
    assert "pool" not in settings_of(tmp_path, FANFOLD_DB_POOL_MAX="8")["options"]


def test_without_https_cookies_are_not_secure_and_nothing_redirects(tmp_path: Path) -> None:
    shown = settings_of(
        tmp_path, FANFOLD_DATA_DIR=str(tmp_path), FANFOLD_SECRET_KEY="x", FANFOLD_HSTS_SECONDS="60"
    )
    assert (shown["session_cookie_secure"], shown["csrf_cookie_secure"]) == (False, False)
    assert (shown["ssl_redirect"], shown["hsts_seconds"], shown["proxy_ssl_header"]) == (
        False,
        0,  # HSTS over plain HTTP would lock browsers out
        None,
    )


def test_https_turns_on_secure_cookies_the_redirect_and_hsts(tmp_path: Path) -> None:
    shown = settings_of(
        tmp_path,
        FANFOLD_DATA_DIR=str(tmp_path),
        FANFOLD_SECRET_KEY="x",
        FANFOLD_HTTPS="yes",
        FANFOLD_HSTS_SECONDS="31536000",
    )
    assert (shown["session_cookie_secure"], shown["csrf_cookie_secure"]) == (True, True)
    assert shown["ssl_redirect"] is True
    assert shown["hsts_seconds"] == 31536000
    assert shown["proxy_ssl_header"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    behind_a_proxy = settings_of(
        tmp_path,
        FANFOLD_DATA_DIR=str(tmp_path),
        FANFOLD_SECRET_KEY="x",
        FANFOLD_HTTPS="1",
        FANFOLD_SSL_REDIRECT="0",
    )
    assert behind_a_proxy["ssl_redirect"] is False
    assert behind_a_proxy["session_cookie_secure"] is True


def test_hosts_origins_debug_and_logging_come_from_the_environment(tmp_path: Path) -> None:
    shown = settings_of(
        tmp_path,
        FANFOLD_DATA_DIR=str(tmp_path),
        FANFOLD_SECRET_KEY="x",
        FANFOLD_DEBUG="true",
        FANFOLD_ALLOWED_HOSTS="fanfold.example, www.fanfold.example",
        FANFOLD_CSRF_TRUSTED_ORIGINS="https://fanfold.example",
        FANFOLD_LOG_LEVEL="INFO",
    )
    assert shown["debug"] is True
    assert shown["allowed_hosts"] == ["fanfold.example", "www.fanfold.example"]
    assert shown["csrf_trusted_origins"] == ["https://fanfold.example"]
    assert shown["log_level"] == "INFO"


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("FANFOLD_DEBUG", "ture", "FANFOLD_DEBUG='ture' is not a boolean"),
        ("FANFOLD_HTTPS", "maybe", "FANFOLD_HTTPS='maybe' is not a boolean"),
        (
            "FANFOLD_REGISTRATION",
            "invites",
            "FANFOLD_REGISTRATION='invites' is not one of open, invite, closed",
        ),
    ],
)
def test_a_bad_value_stops_start_up_naming_the_variable(
    tmp_path: Path, variable: str, value: str, message: str
) -> None:
    result = start(
        tmp_path, FANFOLD_DATA_DIR=str(tmp_path), FANFOLD_SECRET_KEY="x", **{variable: value}
    )
    assert result.returncode != 0
    assert f"ImproperlyConfigured: {message}" in result.stderr


def test_a_negative_hsts_time_stops_start_up(tmp_path: Path) -> None:
    result = start(
        tmp_path,
        FANFOLD_DATA_DIR=str(tmp_path),
        FANFOLD_SECRET_KEY="x",
        FANFOLD_HTTPS="1",
        FANFOLD_HSTS_SECONDS="-1",
    )
    assert result.returncode != 0
    assert "FANFOLD_HSTS_SECONDS=-1 is below the minimum 0" in result.stderr


# In this interpreter, not a fresh one: the database the suite itself runs on,
# and the PostgreSQL options settings.py builds (no parallel query workers).


def test_the_suite_runs_on_the_database_that_database_url_names() -> None:
    """Guards the PostgreSQL pass against silently testing SQLite twice."""
    import os

    from django.db import connection

    expected = (
        "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    )
    assert connection.vendor == expected


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgresql_connections_run_queries_without_parallel_workers() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone() == ("0",)


def test_a_database_url_that_sets_parallel_workers_keeps_them() -> None:
    from fanfold.archive.settings import _serial_queries

    assert _serial_queries({}) == {"options": "-c max_parallel_workers_per_gather=0"}
    chosen = {"options": "-c max_parallel_workers_per_gather=4"}
    assert _serial_queries(dict(chosen)) == chosen
    assert _serial_queries({"options": "-c work_mem=64MB"}) == {
        "options": "-c work_mem=64MB -c max_parallel_workers_per_gather=0"
    }


def test_email_goes_to_the_console_until_an_smtp_server_is_named(tmp_path: Path) -> None:
    assert settings_of(tmp_path)["email"][0] == "django.core.mail.backends.console.EmailBackend"
    shown = settings_of(
        tmp_path,
        FANFOLD_EMAIL_HOST="smtp.example.org",
        FANFOLD_EMAIL_PORT="465",
        FANFOLD_EMAIL_USER="archive",
        FANFOLD_EMAIL_PASSWORD="s3cret",
        FANFOLD_EMAIL_TLS="no",
        FANFOLD_EMAIL_FROM="Tidewright Archive <help@example.org>",
    )
    assert shown["email"] == [
        "django.core.mail.backends.smtp.EmailBackend",
        "smtp.example.org",
        465,
        "archive",
        "s3cret",
        False,
        "Tidewright Archive <help@example.org>",
    ]


def test_the_cache_is_local_memory_and_sessions_the_database_until_redis_is_named(
    tmp_path: Path,
) -> None:
    shown = settings_of(tmp_path)
    assert shown["cache"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    # Every process and machine shares the database: a sign-in holds on all of them.
    assert shown["session_engine"] == "django.contrib.sessions.backends.db"
    shared = settings_of(tmp_path, REDIS_URL="redis://cache.example:6379/2")
    assert shared["cache"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert shared["cache"]["LOCATION"] == "redis://cache.example:6379/2"
    assert shared["session_engine"] == "django.contrib.sessions.backends.cached_db"


def test_static_files_are_stored_compressed_under_hashed_names(tmp_path: Path) -> None:
    shown = settings_of(tmp_path)
    assert shown["static_storage"] == "fanfold.archive.staticstorage.ArchiveStaticStorage"


def test_a_replica_url_adds_the_replica_its_router_and_its_middleware(tmp_path: Path) -> None:
    alone = settings_of(tmp_path, DATABASE_URL="postgres://fan@primary.example/archive")
    assert alone["databases"] == ["default"]
    assert alone["routers"] == []
    assert "fanfold.archive.dbrouting.ReadYourWritesMiddleware" not in alone["middleware"]
    shown = settings_of(
        tmp_path,
        DATABASE_URL="postgres://fan@primary.example/archive",
        DATABASE_REPLICA_URL="postgres://fan@replica.example/archive",
    )
    assert shown["databases"] == ["default", "replica"]
    assert shown["routers"] == ["fanfold.archive.dbrouting.PrimaryReplicaRouter"]
    middleware = shown["middleware"]
    # Right after static files, before sessions: a session is read from the chosen database.
    at = middleware.index("fanfold.archive.dbrouting.ReadYourWritesMiddleware")
    assert middleware[at - 1] == "whitenoise.middleware.WhiteNoiseMiddleware"
    assert middleware[at + 1] == "django.contrib.sessions.middleware.SessionMiddleware"


# The deploy checks, in a fresh `fanfold check --deploy` with only these variables.

PRODUCTION = {
    "FANFOLD_SECRET_KEY": "k3y-" + "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP",
    "FANFOLD_ALLOWED_HOSTS": "fanfold.example",
    "FANFOLD_HTTPS": "1",
    "FANFOLD_HSTS_SECONDS": "31536000",
    "FANFOLD_HSTS_SUBDOMAINS": "1",
    "FANFOLD_HSTS_PRELOAD": "1",
}


def deploy_check(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    # Without the suite's DJANGO_ALLOW_ASYNC_UNSAFE, which production must not set either.
    clean = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("FANFOLD_")
        and key not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return subprocess.run(
        [
            str(Path(sys.executable).with_name("fanfold")),
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
        ],
        cwd=tmp_path,
        env={**clean, "FANFOLD_DATA_DIR": str(tmp_path), **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_documented_production_variables_pass_the_deploy_checks(tmp_path: Path) -> None:
    result = deploy_check(tmp_path, **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_a_proxy_that_redirects_to_https_itself_passes_too(tmp_path: Path) -> None:
    result = deploy_check(tmp_path, **PRODUCTION, FANFOLD_SSL_REDIRECT="0")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("missing", "warnings"),
    [
        ("FANFOLD_HTTPS", ["security.W004", "security.W008", "security.W012", "security.W016"]),
        ("FANFOLD_HSTS_SECONDS", ["security.W004"]),
        ("FANFOLD_HSTS_PRELOAD", ["security.W021"]),
        ("FANFOLD_ALLOWED_HOSTS", []),  # the loopback default is a list, not a warning
    ],
)
def test_each_missing_production_variable_shows_its_warning(
    tmp_path: Path, missing: str, warnings: list[str]
) -> None:
    env = {key: value for key, value in PRODUCTION.items() if key != missing}
    result = deploy_check(tmp_path, **env)
    shown = sorted(set(re.findall(r"\((security\.\w+)\)", result.stdout + result.stderr)))
    assert shown == warnings
    assert (result.returncode != 0) == bool(warnings)


def test_a_weak_secret_key_is_named_by_the_deploy_checks(tmp_path: Path) -> None:
    result = deploy_check(tmp_path, **{**PRODUCTION, "FANFOLD_SECRET_KEY": "x"})
    assert "security.W009" in result.stderr + result.stdout


# Through a real Redis (Debian's redis-server), as every process of a deployment shares it.
THROUGH_REDIS = """
import json, django
django.setup()
from django.core.cache import cache, caches
from django.contrib.sessions.backends.cached_db import SessionStore
cache.set("shared", "by every process", 30)
session = SessionStore()
session["reader"] = "ada"
session.create()
print(json.dumps({
    "backend": type(caches["default"]).__name__,
    "shared": cache.get("shared"),
    "session_cached": cache.get(session.cache_key) == {"reader": "ada"},
}))
"""


@pytest.mark.slow
def test_with_redis_url_the_cache_and_sessions_live_in_redis(tmp_path: Path) -> None:
    from tests.conftest import missing

    redis_server = shutil.which("redis-server")
    if redis_server is None:
        missing("redis-server is not installed (apt-get install redis-server)")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [
            redis_server,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        stdout=subprocess.DEVNULL,
    )
    try:
        env = {
            **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
            "REDIS_URL": f"redis://127.0.0.1:{port}/0",
            "FANFOLD_DATA_DIR": str(tmp_path),
            "FANFOLD_SECRET_KEY": "x",
            "DJANGO_SETTINGS_MODULE": "fanfold.archive.settings",
        }
        fanfold = str(Path(sys.executable).with_name("fanfold"))
        subprocess.run([fanfold, "migrate", "--noinput", "-v", "0"], env=env, check=True)
        for _ in range(50):  # until redis-server listens
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        result = subprocess.run(
            [sys.executable, "-c", THROUGH_REDIS], env=env, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout) == {
            "backend": "RedisCache",
            "shared": "by every process",
            "session_cached": True,
        }
    finally:
        server.terminate()
        server.wait(timeout=30)
