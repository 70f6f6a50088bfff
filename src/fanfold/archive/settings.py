"""Fanfold's one settings module, configured by environment variables.

With nothing set, Fanfold runs on an SQLite file under ``./var/`` (WAL mode)
with a secret key generated once into ``./var/secret_key``.
``DATABASE_URL=postgres://...`` moves it to PostgreSQL, which is how an
archive grows past one machine. Every variable is read by a typed helper in
:mod:`fanfold.archive.env` that stops start-up on a bad value.

Production (issue 16; every variable in docs/deploy.md, the choices in
docs/decisions/0015-production-configuration.md):

- PostgreSQL connections come from a psycopg pool per process
  (``FANFOLD_DB_POOL_MIN``/``MAX``/``TIMEOUT``; ``FANFOLD_DB_POOL=0`` keeps
  persistent connections instead, for pgbouncer).
- ``DATABASE_REPLICA_URL`` names a streaming replica: safe requests of visitors
  who have not just written read from it (:mod:`fanfold.archive.dbrouting`).
- The cache is local memory per process; ``REDIS_URL`` shares one Redis among
  every process and machine, and sessions are then read through it (``cached_db``).
- Static files are compressed and, once ``fanfold collectstatic`` has run,
  served under content-hashed names cached for a year
  (:mod:`fanfold.archive.staticstorage`).
- ``FANFOLD_HTTPS=1`` with ``FANFOLD_HSTS_SECONDS`` (and the two HSTS flags)
  makes ``fanfold check --deploy`` clean.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured

from fanfold.archive.env import env_bool, env_int, env_list, env_str

# Lets admin.ModelAdmin[Tag] and friends be subscripted at run time, as the stubs type them.
django_stubs_ext.monkeypatch()

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env_str("FANFOLD_DATA_DIR", default=str(Path.cwd() / "var"))).resolve()


def _secret_key() -> str:
    configured = env_str("FANFOLD_SECRET_KEY", default="")
    if configured:
        return configured
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SQLITE_MMAP_BYTES = 4 * 1024**3  # address space, not memory: the OS pages it in and out


def _serial_queries(options: dict[str, Any]) -> dict[str, Any]:
    """PostgreSQL connection options with parallel query off, unless the URL chose.

    Every listing query is short; starting parallel workers for one costs
    ~50 ms, more than the query (bench.discovery: a whole listing page at a
    million works, p95 112 ms with them). ``?options=-c max_parallel_workers_per_gather=2``
    in DATABASE_URL turns them back on.
    """
    chosen = str(options.get("options", ""))
    if "max_parallel_workers_per_gather" not in chosen:
        options["options"] = f"{chosen} -c max_parallel_workers_per_gather=0".strip()
    return options


def _pooled(config: dict[str, Any]) -> dict[str, Any]:
    """A PostgreSQL configuration drawing connections from psycopg's pool, per process.

    A sync gunicorn worker needs one connection at a time; the pool keeps
    ``FANFOLD_DB_POOL_MIN`` open, opens up to ``FANFOLD_DB_POOL_MAX`` (at least
    ``--threads``), hands out only connections that answer, and makes a request
    wait at most ``FANFOLD_DB_POOL_TIMEOUT`` seconds for one (then the 503 page,
    not a hung worker). A sync worker serves one request at a time, so it only
    ever waits when the database is away: 3 s, not longer, or an outage ties
    every worker up (tests/archive/test_server.py stops PostgreSQL under a
    server). ``FANFOLD_DB_POOL=0`` keeps Django's persistent connections
    instead (behind pgbouncer, which pools for every machine).
    """
    if not env_bool("FANFOLD_DB_POOL", default=True):
        return config
    smallest = env_int("FANFOLD_DB_POOL_MIN", default=1, minimum=0)
    config["CONN_MAX_AGE"] = 0  # Django refuses persistent connections beside a pool
    config["OPTIONS"]["pool"] = {
        "min_size": smallest,
        "max_size": env_int("FANFOLD_DB_POOL_MAX", default=4, minimum=max(smallest, 1)),
        "timeout": env_int("FANFOLD_DB_POOL_TIMEOUT", default=3, minimum=1),
    }
    return config


def _server_database(url: str) -> dict[str, Any]:
    """A database named by URL: PostgreSQL gets serial queries and the pool."""
    config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=60))
    config["CONN_HEALTH_CHECKS"] = True
    if config["ENGINE"] == "django.db.backends.postgresql":
        config["OPTIONS"] = _serial_queries(dict(config.get("OPTIONS", {})))
        config = _pooled(config)
    return config


def _database() -> dict[str, Any]:
    url = env_str("DATABASE_URL", default="")
    if url:
        return _server_database(url)
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": DATA_DIR / "fanfold.sqlite3",
        "OPTIONS": {
            # WAL lets readers and one writer work at once; IMMEDIATE makes a
            # writing transaction take its lock up front instead of failing
            # half way with "database is locked". Reads go through a memory map
            # and a 64 MB page cache per connection (SQLite's default is 2 MB,
            # too small for a listing's index ranges once an archive is large).
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                f" PRAGMA mmap_size={SQLITE_MMAP_BYTES}; PRAGMA cache_size=-65536;"
            ),
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
    }


SECRET_KEY = _secret_key()
DEBUG = env_bool("FANFOLD_DEBUG", default=False)
ALLOWED_HOSTS = env_list("FANFOLD_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("FANFOLD_CSRF_TRUSTED_ORIGINS", default=[])
HTTPS = env_bool("FANFOLD_HTTPS", default=False)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Two-factor sign-in (TOTP and recovery codes) and login throttling: issue 15.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "fanfold.archive.people",
    "fanfold.archive.tags",
    "fanfold.archive.works",
    "fanfold.archive.inbox",
    "fanfold.archive.reading",
    "fanfold.archive.comments",
    "fanfold.archive.insights",
    "fanfold.archive.search",
    "fanfold.archive.moderation",
    "fanfold.archive.personal_data",
    "fanfold.archive.backups",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Outside WhiteNoise, so static files carry the policy and refuse framing too.
    "fanfold.archive.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified(): the second step
    "fanfold.archive.people.middleware.SignInSessionMiddleware",
    "fanfold.archive.moderation.middleware.SuspensionMiddleware",
    "fanfold.archive.people.middleware.TimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # a locked-out login gets the page saying until when
]

ROOT_URLCONF = "fanfold.archive.urls"
WSGI_APPLICATION = "fanfold.archive.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "fanfold.archive.works.context_processors.reading_preferences",
                "fanfold.archive.people.context_processors.appearance",
                "fanfold.archive.inbox.context_processors.inbox",
            ],
            # {% url %} remembering each address it reversed (issue 16: pages link the same ones)
            "builtins": ["fanfold.archive.reversal"],
        },
    }
]

DATABASES = {"default": _database()}

# A PostgreSQL streaming replica (issue 16): reads of safe requests go there
# unless the visitor wrote in the last FANFOLD_READ_YOUR_WRITES_SECONDS; writes,
# transactions, migrations, commands and workers use the primary. Unset, nothing changes.
REPLICA_URL = env_str("DATABASE_REPLICA_URL", default="")
READ_YOUR_WRITES_SECONDS = env_int("FANFOLD_READ_YOUR_WRITES_SECONDS", default=10, minimum=1)
if REPLICA_URL:
    DATABASES["replica"] = _server_database(REPLICA_URL)
    DATABASE_ROUTERS = ["fanfold.archive.dbrouting.PrimaryReplicaRouter"]
    MIDDLEWARE.insert(
        MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1,
        "fanfold.archive.dbrouting.ReadYourWritesMiddleware",
    )

# The cache (rate limits, resend guards, fragments): local memory in each process,
# or one Redis shared by every process and machine (REDIS_URL=redis://host:6379/0).
# Sessions stay in the database, which every process shares; with Redis they are
# read through it (cached_db) and still written to the database, so a Redis
# restart signs nobody out. Short socket timeouts: a dead Redis fails a request
# in a second instead of holding a worker.
REDIS_URL = env_str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "fanfold",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Background work (reading each work's text) goes through django-tasks' queue,
# kept in the database itself: nothing else to run or configure, and any number
# of `fanfold worker` processes on any machine that reaches the database.
ANALYSIS_QUEUE = "analysis"
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", ANALYSIS_QUEUE],
    }
}
# The longest one work's reading may take before it is stopped and recorded as failed.
ANALYSIS_TIME_LIMIT = env_int("FANFOLD_ANALYSIS_TIME_LIMIT", default=120, minimum=1)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "people.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sign-in security (issue 15; docs/decisions/0010-sign-in-security.md). django-axes
# counts failed logins (site and admin) per account and per address; after
# FANFOLD_LOGIN_FAILURE_LIMIT of either, logins from there wait out the cool-off.
AUTHENTICATION_BACKENDS = [
    "fanfold.archive.people.backends.ThrottledLogin",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("FANFOLD_LOGIN_FAILURE_LIMIT", default=5, minimum=1)
AXES_COOLOFF_TIME = timedelta(
    minutes=env_int("FANFOLD_LOGIN_COOLOFF_MINUTES", default=15, minimum=1)
)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # either one reaching the limit locks
AXES_CLIENT_IP_CALLABLE = "fanfold.archive.security.client_address"  # honours PROXY_COUNT
AXES_LOCKOUT_CALLABLE = "fanfold.archive.people.signin_views.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Sign-ups per address, password resets per address and per email, and
# two-factor code guesses per account, in FANFOLD_THROTTLE_WINDOW_MINUTES.
SIGNUP_LIMIT = env_int("FANFOLD_SIGNUP_LIMIT", default=10, minimum=1)
PASSWORD_RESET_LIMIT = env_int("FANFOLD_PASSWORD_RESET_LIMIT", default=5, minimum=1)
OTP_CODE_LIMIT = env_int("FANFOLD_OTP_CODE_LIMIT", default=5, minimum=1)
THROTTLE_WINDOW = timedelta(
    minutes=env_int("FANFOLD_THROTTLE_WINDOW_MINUTES", default=60, minimum=1)
)
OTP_TOTP_ISSUER = env_str("FANFOLD_OTP_ISSUER", default="Fanfold")
# django-otp's own per-device delay (1 s, 2 s, 4 s... after each wrong code) is off:
# OTP_CODE_LIMIT above counts wrong codes per account and says until when.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0

LOGIN_URL = "people:login"
LOGIN_REDIRECT_URL = "search:home"
LOGOUT_REDIRECT_URL = "search:home"
# A reset link works once (its token hashes the password it replaces) and for a day.
PASSWORD_RESET_TIMEOUT = 24 * 60 * 60

# Email (password resets). Printed to the server's console until an operator
# names an SMTP server; see the README.
EMAIL_HOST = env_str("FANFOLD_EMAIL_HOST", default="")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env_int("FANFOLD_EMAIL_PORT", default=587, minimum=1)
EMAIL_HOST_USER = env_str("FANFOLD_EMAIL_USER", default="")
EMAIL_HOST_PASSWORD = env_str("FANFOLD_EMAIL_PASSWORD", default="")
EMAIL_USE_TLS = env_bool("FANFOLD_EMAIL_TLS", default=True)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = env_str("FANFOLD_EMAIL_FROM", default="Fanfold <noreply@localhost>")
# Who may create an account: anyone ("open"), whoever holds an invitation
# ("invite": visitors join a queue, the operator sends invitations), or nobody.
REGISTRATION = env_str("FANFOLD_REGISTRATION", default="open").strip().lower()
if REGISTRATION not in {"open", "invite", "closed"}:
    raise ImproperlyConfigured(
        f"FANFOLD_REGISTRATION={REGISTRATION!r} is not one of open, invite, closed"
    )
# Where emails sent without a request (subscriptions, digests) point their links.
SITE_URL = env_str("FANFOLD_SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on every request otherwise
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Compressed (gzip, and brotli when installed) and, once collectstatic has
    # written its manifest, content-hashed names that WhiteNoise (or nginx)
    # serves with a year's Cache-Control; plain names before (tests, a checkout).
    "staticfiles": {"BACKEND": "fanfold.archive.staticstorage.ArchiveStaticStorage"},
}
WHITENOISE_USE_FINDERS = True  # serve app static files even before collectstatic
# Strangers' work pages are also written as files under FANFOLD_DATA_DIR/pages for
# nginx to serve (decision 0016). A change removes them on the machine that made
# it: with several app machines, share that directory between them, or turn the
# files off (the pages are still cached, in Redis) with FANFOLD_PAGE_FILES=0.
PAGE_FILES = env_bool("FANFOLD_PAGE_FILES", default=True)
# Without Redis, whole pages and the per-version parts of pages are kept in files
# under FANFOLD_DATA_DIR/cache, shared by every process of the machine (a page
# rendered by one worker serves them all; decision 0018). "memory": in each
# process's memory instead (a few hundred pages each).
PAGE_STORE = env_str("FANFOLD_PAGE_STORE", default="files")
if PAGE_STORE not in ("files", "memory"):
    raise ImproperlyConfigured(f"FANFOLD_PAGE_STORE must be files or memory, not {PAGE_STORE!r}")

# A chapter may hold 510,000 characters (AO3's limit). A browser sends a
# form URL-encoded: a character of 4 bytes in UTF-8 becomes 12 ("%F0%9F..."),
# so the chapter form alone may need 6.2 MB.
DATA_UPLOAD_MAX_MEMORY_SIZE = 8 * 1024 * 1024
# Files in one import (the upload form reads the same number).
DATA_UPLOAD_MAX_NUMBER_FILES = 100

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "fanfold.archive.errors.csrf_failure"  # the site's own page, saying why
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and env_bool("FANFOLD_SSL_REDIRECT", default=True)
# FANFOLD_SSL_REDIRECT=0 says the TLS proxy redirects plain HTTP itself
# (deploy/nginx.conf.example does), so the deploy check need not ask for it.
SILENCED_SYSTEM_CHECKS = ["security.W008"] if HTTPS and not SECURE_SSL_REDIRECT else []
SECURE_HSTS_SECONDS = env_int("FANFOLD_HSTS_SECONDS", default=0, minimum=0) if HTTPS else 0
# Only when every subdomain is HTTPS too, and (preload) the domain is submitted to browsers' lists.
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS and env_bool("FANFOLD_HSTS_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = HTTPS and env_bool("FANFOLD_HSTS_PRELOAD", default=False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
# How many proxies of the operator's stand in front (nginx, a load balancer): a
# visitor's address is then read from X-Forwarded-For, counting from its right
# end, where the trusted proxies appended it (fanfold.archive.security.client_address).
PROXY_COUNT = env_int("FANFOLD_PROXY_COUNT", default=0, minimum=0)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("FANFOLD_LOG_LEVEL", default="WARNING")},
}
