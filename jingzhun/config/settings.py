"""Settings read from the environment.

Every value comes from an environment variable (or a `.env` file beside the project);
a value that cannot be parsed stops start-up with a message naming the variable. The
embedded default (no variables at all) is a development set-up on an SQLite file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PACKAGE_DIR = BASE_DIR / "jingzhun"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)


def _setting(name: str, cast: Any, default: Any) -> Any:
    """Read one variable, turning any parse failure into a start-up error that names it."""
    try:
        return env.get_value(name, cast=cast, default=default)
    except (ValueError, TypeError, ImproperlyConfigured) as exc:
        raise ImproperlyConfigured(f"Environment variable {name} is invalid: {exc}") from exc


def _bool(name: str, default: bool) -> bool:
    raw = env.str(name, default="")
    if raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"Environment variable {name} must be true or false, not {raw!r}")


DEBUG = _bool("DEBUG", default=False)
SECRET_KEY = _setting("SECRET_KEY", str, "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "Environment variable SECRET_KEY is required when DEBUG is off "
            "(generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105
elif not DEBUG and len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("Environment variable SECRET_KEY must be at least 50 characters.")

ALLOWED_HOSTS: list[str] = _setting(
    "ALLOWED_HOSTS", list, ["127.0.0.1", "localhost"] if DEBUG else []
)
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Environment variable ALLOWED_HOSTS is required when DEBUG is off.")
CSRF_TRUSTED_ORIGINS: list[str] = _setting("CSRF_TRUSTED_ORIGINS", list, [])

DATA_DIR = Path(_setting("JINGZHUN_DATA_DIR", str, str(BASE_DIR / "var")))
DATABASE_URL = _setting("DATABASE_URL", str, f"sqlite:///{DATA_DIR / 'jingzhun.sqlite3'}")
try:
    _db = environ.Env.db_url_config(DATABASE_URL)
except (ValueError, KeyError, ImproperlyConfigured) as exc:
    raise ImproperlyConfigured(f"Environment variable DATABASE_URL is invalid: {exc}") from exc
if not _db.get("ENGINE"):
    raise ImproperlyConfigured(
        f"Environment variable DATABASE_URL has an unknown scheme: {DATABASE_URL}"
    )
if _db["ENGINE"] not in {"django.db.backends.sqlite3", "django.db.backends.postgresql"}:
    raise ImproperlyConfigured("DATABASE_URL must point at SQLite or PostgreSQL.")
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process and the task worker share one file; the timeout waits for
    # the other writer instead of failing with "database is locked".
    if _db["NAME"] != ":memory:":
        Path(_db["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    _db.setdefault("OPTIONS", {})
    _db["OPTIONS"].update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
else:
    _db["CONN_MAX_AGE"] = _setting("DB_CONN_MAX_AGE", int, 60)
    _db["CONN_HEALTH_CHECKS"] = True
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "django_filters",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "ninja",  # serves /api/docs from its bundled Swagger UI; without it the page uses a CDN
    "jingzhun.core",
    "jingzhun.org",
    "jingzhun.notifications",
    "jingzhun.students",
    "jingzhun.behaviour",
    "jingzhun.identification",
    "jingzhun.assistance",
    "jingzhun.jobs",
    "jingzhun.tracking",
    "jingzhun.casefile",
    "jingzhun.analytics",
    "jingzhun.portal",
    "jingzhun.api",
]

MIDDLEWARE = [
    "jingzhun.core.middleware.ContentSecurityPolicyMiddleware",  # outermost: on every response
    "jingzhun.core.uploads.RequestBodyLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "jingzhun.core.middleware.IdleAwareSessionMiddleware",
    "jingzhun.core.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "jingzhun.org.middleware.ActiveRoleMiddleware",
    "jingzhun.org.middleware.PasswordChangeRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "jingzhun.config.urls"
WSGI_APPLICATION = "jingzhun.config.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "jingzhun.config.navigation.navigation",
            ],
        },
    }
]

AUTH_USER_MODEL = "org.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "jingzhun.core.passwords.CharacterClassValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lockout: five failures for one username from one address lock it for 30 minutes.
AXES_FAILURE_LIMIT = _setting("AXES_FAILURE_LIMIT", int, 5)
AXES_COOLOFF_TIME = _setting("AXES_COOLOFF_MINUTES", int, 30) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# The lockout counts attempts by the same client address as the audit log (TRUSTED_PROXY_COUNT).
AXES_CLIENT_IP_CALLABLE = "jingzhun.core.audit.client_ip"

SESSION_COOKIE_AGE = _setting("SESSION_MINUTES", int, 120) * 60
SESSION_SAVE_EVERY_REQUEST = True  # idle timeout, not a fixed lifetime
# Every page load saves the session (the idle timeout). In the database that is a write, and
# on SQLite a write waits for any long import or run holding the write lock: by default the
# SQLite installation keeps sessions in files instead, so pages never need that lock.
_SESSION_STORES = {"db": "django.contrib.sessions.backends.db",
                   "file": "django.contrib.sessions.backends.file"}  # fmt: skip
SESSION_STORE = _setting(
    "SESSION_STORE", str, "file" if _db["ENGINE"] == "django.db.backends.sqlite3" else "db"
)
if SESSION_STORE not in _SESSION_STORES:
    raise ImproperlyConfigured("Environment variable SESSION_STORE must be db or file.")
SESSION_ENGINE = _SESSION_STORES[SESSION_STORE]
SESSION_FILE_PATH = str(DATA_DIR / "sessions")
if SESSION_STORE == "file":
    Path(SESSION_FILE_PATH).mkdir(parents=True, exist_ok=True)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = _setting("TIME_ZONE", str, "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_ROOT = Path(_setting("MEDIA_ROOT", str, str(DATA_DIR / "media")))
MEDIA_URL = "media/"
# The Parquet event lake (card, library, job-platform events): written by imports and the
# events API, read by the feature pipeline.
EVENT_LAKE_DIR = Path(_setting("JINGZHUN_EVENT_LAKE_DIR", str, str(DATA_DIR / "lake")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

EMAIL_CONFIG = environ.Env.email_url_config(
    _setting("EMAIL_URL", str, "consolemail://" if DEBUG else "smtp://localhost:25")
)
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = _setting("DEFAULT_FROM_EMAIL", str, "jingzhun@localhost")

# Notifications (jingzhun.notifications): e-mail goes through EMAIL_URL; a group robot is off
# while its webhook is empty. Every call to an outside channel gives up after the timeout.
USE_EMAIL_NOTIFICATIONS = _bool("USE_EMAIL_NOTIFICATIONS", default=True)
WECOM_WEBHOOK_URL = _setting("WECOM_WEBHOOK_URL", str, "")
DINGTALK_WEBHOOK_URL = _setting("DINGTALK_WEBHOOK_URL", str, "")
DINGTALK_SECRET = _setting("DINGTALK_SECRET", str, "")
for _name, _url in (("WECOM_WEBHOOK_URL", WECOM_WEBHOOK_URL),
                    ("DINGTALK_WEBHOOK_URL", DINGTALK_WEBHOOK_URL)):  # fmt: skip
    if _url and not _url.startswith(("https://", "http://")):
        raise ImproperlyConfigured(f"Environment variable {_name} must be an http(s) URL.")
NOTIFICATION_TIMEOUT_SECONDS = _setting("NOTIFICATION_TIMEOUT_SECONDS", int, 5)
if not 1 <= NOTIFICATION_TIMEOUT_SECONDS <= 60:
    raise ImproperlyConfigured("Environment variable NOTIFICATION_TIMEOUT_SECONDS must be 1 to 60.")
# The address people open the site at (https://jiuye.example.edu.cn): links in e-mails and
# group-robot messages are made absolute with it; empty, they carry the path only.
SITE_URL = _setting("SITE_URL", str, "")
if SITE_URL and not SITE_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured("Environment variable SITE_URL must be an http(s) URL.")

USE_TASK_WORKER = _bool("USE_TASK_WORKER", default=True)
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks_db.DatabaseBackend"
            if USE_TASK_WORKER
            else "django_tasks.backends.immediate.ImmediateBackend"
        ),
        "QUEUES": ["default"],
    }
}

USE_SECURE_COOKIES = _bool("USE_SECURE_COOKIES", default=not DEBUG)
USE_HSTS = _bool("USE_HSTS", default=not DEBUG)
SESSION_COOKIE_SECURE = USE_SECURE_COOKIES
CSRF_COOKIE_SECURE = USE_SECURE_COOKIES
SECURE_SSL_REDIRECT = _bool("USE_SSL_REDIRECT", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if _bool("USE_PROXY_SSL_HEADER", default=False) else None
)
# Reverse proxies in front of the application, each appending the address it received the
# request from to X-Forwarded-For. The client is that many entries from the right; anything
# further left was sent by the client and proves nothing. 0: no proxy, REMOTE_ADDR is the client.
TRUSTED_PROXY_COUNT = _setting("TRUSTED_PROXY_COUNT", int, 0)
if not 0 <= TRUSTED_PROXY_COUNT <= 5:
    raise ImproperlyConfigured(
        "Environment variable TRUSTED_PROXY_COUNT must be a whole number from 0 to 5 "
        f"(the reverse proxies in front of the application), not {TRUSTED_PROXY_COUNT}."
    )
SECURE_HSTS_SECONDS = 31536000 if USE_HSTS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = USE_HSTS
SECURE_HSTS_PRELOAD = USE_HSTS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# The pages load everything from this site: no inline script, no on…= handler, no style
# attribute or <style> element (htmx's indicator style is turned off in base.html), so neither
# scripts nor styles need 'unsafe-inline'. Bootstrap's CSS draws form controls with data: SVGs.
# The API documentation (django-ninja's bundled Swagger UI) keeps to the same policy: its
# scripts and styles are files, and React sets styles through the DOM, which CSP allows.
CONTENT_SECURITY_POLICY: dict[str, str] = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}

LIST_PAGE_SIZE = 50
# API bulk bodies carry up to 5,000 records and event batches up to 50,000 events (about 10 MB);
# uploads are files and are capped by the importer.
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
# One import file: bodies beyond this are refused before they are read; the rows limit is
# checked by the worker before the file is parsed (split larger files).
IMPORT_MAX_UPLOAD_MB = _setting("IMPORT_MAX_UPLOAD_MB", int, 50)
IMPORT_MAX_ROWS = _setting("IMPORT_MAX_ROWS", int, 200_000)

# Targeted job pushes (jingzhun.jobs): each difficult graduate should receive at least this
# many (national rule: 3; some provinces ask 5). An institution may set its own (`PushPolicy`).
PUSH_THRESHOLD = _setting("JINGZHUN_PUSH_THRESHOLD", int, 3)
if not 1 <= PUSH_THRESHOLD <= 50:
    raise ImproperlyConfigured("Environment variable JINGZHUN_PUSH_THRESHOLD must be 1 to 50.")

# Long jobs (jingzhun.core.jobs): a working job writes a sign of life this often; one silent
# for longer than the stale limit has lost its worker and is shown as interrupted.
JOB_HEARTBEAT_SECONDS = _setting("JOB_HEARTBEAT_SECONDS", int, 5)
JOB_STALE_SECONDS = _setting("JOB_STALE_SECONDS", int, 90)

# After graduation (tracking): the monitoring window in months, and the follow-up intervals in
# days — every N days for graduates without a destination, and these days after a placement.
JINGZHUN_FOLLOWUP_WINDOW_MONTHS = _setting("JINGZHUN_FOLLOWUP_WINDOW_MONTHS", int, 6)
JINGZHUN_FOLLOWUP_UNPLACED_DAYS = _setting("JINGZHUN_FOLLOWUP_UNPLACED_DAYS", int, 30)
try:
    JINGZHUN_FOLLOWUP_PLACED_DAYS = tuple(
        int(d) for d in _setting("JINGZHUN_FOLLOWUP_PLACED_DAYS", list, ["30", "90"])
    )
except ValueError as _exc:
    raise ImproperlyConfigured(
        "Environment variable JINGZHUN_FOLLOWUP_PLACED_DAYS must be whole days, e.g. 30,90."
    ) from _exc
if not 1 <= JINGZHUN_FOLLOWUP_WINDOW_MONTHS <= 36 or JINGZHUN_FOLLOWUP_UNPLACED_DAYS < 1:
    raise ImproperlyConfigured(
        "JINGZHUN_FOLLOWUP_WINDOW_MONTHS must be 1–36 and JINGZHUN_FOLLOWUP_UNPLACED_DAYS at least 1."
    )
if any(d < 1 for d in JINGZHUN_FOLLOWUP_PLACED_DAYS):
    raise ImproperlyConfigured("JINGZHUN_FOLLOWUP_PLACED_DAYS must be positive days, e.g. 30,90.")
# Alerts (jingzhun.tracking.alerts): no recorded contact for this many days; graduates without
# a destination from this many days before 31 August; an approved plan the student has not
# acknowledged after this many days.
ALERT_NO_CONTACT_DAYS = _setting("ALERT_NO_CONTACT_DAYS", int, 30)
ALERT_DESTINATION_WINDOW_DAYS = _setting("ALERT_DESTINATION_WINDOW_DAYS", int, 60)
ALERT_PLAN_ACK_DAYS = _setting("ALERT_PLAN_ACK_DAYS", int, 7)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": _setting("LOG_LEVEL", str, "INFO")},
}


# Graduate destinations (jingzhun.tracking.destinations). Registrations and changes close on
# this month-day of the graduation year; staff may record a not-placed outcome only after
# "before,after" contact attempts around the graduation day; minimum wages by region override
# the built-in table ("41=1800,4101=2100").
def _destination_settings() -> tuple[
    tuple[int, int], tuple[int, int], tuple[int, int], dict[str, int]
]:
    from jingzhun.tracking.destinations.rules import parse_month_day
    from jingzhun.tracking.destinations.wages import parse_overrides

    values: list[Any] = []
    for name, default, parse in (
        ("JINGZHUN_DESTINATION_DEADLINE", "08-31", parse_month_day),
        ("JINGZHUN_GRADUATION_DAY", "06-30", parse_month_day),
        ("JINGZHUN_UNKNOWN_OUTCOME_CONTACTS", "2,2", _two_counts),
        ("JINGZHUN_MINIMUM_WAGES", "", parse_overrides),
    ):
        try:
            values.append(parse(_setting(name, str, default)))
        except ValueError as exc:
            raise ImproperlyConfigured(f"Environment variable {name} is invalid: {exc}") from exc
    return values[0], values[1], values[2], values[3]


def _two_counts(raw: str) -> tuple[int, int]:
    parts = [p.strip() for p in raw.split(",")]
    if len(parts) != 2 or not all(p.isdigit() and int(p) <= 20 for p in parts):
        raise ValueError(f"{raw!r} is not two counts from 0 to 20, before,after")
    return int(parts[0]), int(parts[1])


(
    DESTINATION_DEADLINE,
    GRADUATION_DAY,
    UNKNOWN_OUTCOME_CONTACTS,
    MINIMUM_WAGE_OVERRIDES,
) = _destination_settings()
