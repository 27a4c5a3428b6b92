"""Heard's settings: the only module that reads the environment.

With no environment at all, Heard runs on a SQLite file under var/ with jobs in-process, so one can
check out the code, run `make demo` and it works. DATABASE_URL and CELERY_BROKER_URL switch to the
scaled set-up (PostgreSQL, Celery with Redis).
"""

from __future__ import annotations

import os
from datetime import date
from ipaddress import ip_network
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("HEARD_VAR_DIR", BASE_DIR.parent / "var"))


def envstr(name: str, default: str = "") -> str:
    """A string from NAME, or from the file named by NAME_FILE (for container secrets)."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text().strip()
    return os.environ.get(name, default)


def envbool(name: str, default: bool) -> bool:
    raw = envstr(name, "")
    if not raw:
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use true or false)")


def envint(name: str, default: int) -> int:
    raw = envstr(name, "")
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number") from None


def envdate(name: str) -> date | None:
    raw = envstr(name, "")
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a date like 2026-11-23") from None


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in envstr(name, default).split(",") if item.strip()]


def database_from_url(url: str) -> dict[str, object]:
    """Django DATABASES entry for a postgres:// or sqlite:/// URL."""
    parts = urlsplit(url)
    if parts.scheme in {"postgres", "postgresql"}:
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path.lstrip("/")) or "heard",
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "OPTIONS": dict(parse_qsl(parts.query)),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
        }
    if parts.scheme == "sqlite":
        return sqlite_database(Path(unquote(parts.path)))
    raise ImproperlyConfigured(f"DATABASE_URL scheme {parts.scheme!r} is not supported")


def sqlite_database(path: Path) -> dict[str, object]:
    return {
        "ENGINE": "heard.lib.sqlite",  # Django's, with a write lock for threads
        "NAME": path,
        "OPTIONS": {
            # Background jobs and the web server write from several threads: wait for the lock
            # instead of failing, take it up front, and let readers proceed during writes.
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
    }


DEBUG = envbool("DEBUG", True)
SECRET_KEY = envstr("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Production (DEBUG=false) needs a long random SECRET_KEY "
            "(or SECRET_KEY_FILE); generate one with: python -c 'import secrets; "
            "print(secrets.token_urlsafe(50))'"
        )
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
SITE_URL = envstr("SITE_URL", "http://127.0.0.1:8000")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", SITE_URL)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "heard.desk",
    "heard.console",
    "heard.mail",
    "heard.care",
    "heard.portal",
    "heard.training",
    "heard.insights",
    "ninja",  # serves the API docs' scripts from our own static files, no CDN
    "heard.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "heard.lib.csp.ContentSecurityPolicyMiddleware",  # every page: scripts and styles from Heard
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "heard.urls"
WSGI_APPLICATION = "heard.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "heard.console.context_processors.unread_notifications",
            ],
        },
    }
]

DATABASE_URL = envstr("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": database_from_url(DATABASE_URL)}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)  # zero configuration: the database lives in var/
    DATABASES = {"default": sqlite_database(VAR_DIR / "heard.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "console:queue"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en"
TIME_ZONE = envstr("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "media/"

# Production (README: Running in production). WhiteNoise serves CSS and JavaScript from any WSGI
# server: the collected, compressed files once `heard collectstatic` has filled STATIC_ROOT, else
# the files where they lie (`heard serve` on a checkout). With HEARD_HTTPS (on when SITE_URL is
# https) plain http is redirected, browsers are told to keep to https (HSTS) and cookies are
# Secure. Behind a reverse proxy, HEARD_TRUSTED_PROXIES (addresses or networks) are the only
# peers whose X-Forwarded-Proto and X-Forwarded-For count (heard.lib.http).
MIDDLEWARE.insert(0, "heard.lib.http.TrustedProxyMiddleware")
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "heard.lib.static.StaticFilesMiddleware",  # WhiteNoise
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = not STATIC_ROOT.is_dir()
HEARD_HTTPS = envbool("HEARD_HTTPS", SITE_URL.startswith("https://"))
SECURE_SSL_REDIRECT = HEARD_HTTPS
SECURE_HSTS_SECONDS = envint("HEARD_HSTS_SECONDS", 365 * 24 * 3600 if HEARD_HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("HEARD_HSTS_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = envbool("HEARD_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HEARD_HTTPS or not DEBUG
try:
    HEARD_TRUSTED_PROXIES = [ip_network(net) for net in envlist("HEARD_TRUSTED_PROXIES", "")]
except ValueError as error:
    raise ImproperlyConfigured(f"HEARD_TRUSTED_PROXIES: {error}") from None
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HEARD_TRUSTED_PROXIES else None

# Background work. With no broker, jobs run in a thread of this process after the transaction
# commits and the in-process scheduler runs the periodic ones.
CELERY_BROKER_URL = envstr("CELERY_BROKER_URL")
HEARD_JOBS_EAGER = envbool("HEARD_JOBS_EAGER", False)  # run jobs synchronously (tests)

# Email.
EMAIL_HOST = envstr("EMAIL_HOST", "")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = envstr("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = envstr("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = envbool("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "Heard Support <support@heard.localhost>")
# With no SMTP host, outgoing mail is written to var/mail/ so nothing is lost in development.
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.filebased.EmailBackend"
)
EMAIL_FILE_PATH = VAR_DIR / "mail"

# The support mailbox: customers write to it, replies come from it, and its domain names
# Heard's Message-IDs and reply addresses ("support+HRD-1042.k3j9@acme.example").
HEARD_SUPPORT_ADDRESS = envstr("HEARD_SUPPORT_ADDRESS", "support@heard.localhost").lower()
HEARD_SUPPORT_NAME = envstr("HEARD_SUPPORT_NAME", "Heard Support")  # "Bojan at <this>"
HEARD_SMTPD_HOST = envstr("HEARD_SMTPD_HOST", "127.0.0.1")
HEARD_SMTPD_PORT = envint("HEARD_SMTPD_PORT", 2525)
HEARD_SMTPD_MAX_BYTES = envint("HEARD_SMTPD_MAX_BYTES", 40 * 1024 * 1024)
HEARD_MAX_ATTACHMENT_BYTES = envint("HEARD_MAX_ATTACHMENT_BYTES", 25 * 1024 * 1024)
HEARD_IMAP_HOST = envstr("HEARD_IMAP_HOST", "")  # IMAP polling is off while this is empty
HEARD_IMAP_PORT = envint("HEARD_IMAP_PORT", 993)
HEARD_IMAP_SSL = envbool("HEARD_IMAP_SSL", True)
HEARD_IMAP_USER = envstr("HEARD_IMAP_USER", "")
HEARD_IMAP_PASSWORD = envstr("HEARD_IMAP_PASSWORD", "")
HEARD_IMAP_MAILBOX = envstr("HEARD_IMAP_MAILBOX", "INBOX")
HEARD_IMAP_SECONDS = envint("HEARD_IMAP_SECONDS", 60)
# Only messages that reached the mailbox on or after this day (a mailbox with years of history).
HEARD_IMAP_SINCE = envdate("HEARD_IMAP_SINCE")
# Caps on automatic mail to a customer's address (acknowledgements, updates, surveys), in sliding
# windows; beyond them it is held back, and the ticket's history says so.
HEARD_AUTOMAIL_PER_HOUR = envint("HEARD_AUTOMAIL_PER_HOUR", 3)
HEARD_AUTOMAIL_PER_DAY = envint("HEARD_AUTOMAIL_PER_DAY", 8)
# Notices to staff (escalations to a lead) are not capped like customers' mail: this many go out
# one by one per address in an hour, the rest wait for one digest sent at most this often.
HEARD_STAFF_NOTICES_PER_HOUR = envint("HEARD_STAFF_NOTICES_PER_HOUR", 6)
HEARD_STAFF_DIGEST_MINUTES = envint("HEARD_STAFF_DIGEST_MINUTES", 15)
HEARD_SURVEY_AFTER_HOURS = envint("HEARD_SURVEY_AFTER_HOURS", 24)  # after a ticket is solved
HEARD_SURVEY_DAYS_OPEN = envint("HEARD_SURVEY_DAYS_OPEN", 30)  # how long its links can answer
# Follow-ups ("is it better now?", heard.care.follow_ups; the days after a solve are each team's
# follow_up_days): how long the answer links in one work.
HEARD_FOLLOW_UP_DAYS_OPEN = envint("HEARD_FOLLOW_UP_DAYS_OPEN", 30)
# Outgoing mail that fails is retried with exponential backoff from this delay, this often.
HEARD_MAIL_RETRY_SECONDS = envint("HEARD_MAIL_RETRY_SECONDS", 60)
HEARD_MAIL_ATTEMPTS = envint("HEARD_MAIL_ATTEMPTS", 6)
# The customer's portal (heard/portal). A sign-in link works this many minutes, once, in the
# browser that asked for it; links are limited per address (in the last 15 minutes) and per IP
# address (in the last hour); a portal session ends after this long without a page; the web
# forms take at most this many files, each of these types (and HEARD_MAX_ATTACHMENT_BYTES each).
HEARD_PORTAL_LINK_MINUTES = envint("HEARD_PORTAL_LINK_MINUTES", 15)
HEARD_PORTAL_LINKS_PER_ADDRESS = envint("HEARD_PORTAL_LINKS_PER_ADDRESS", 3)
HEARD_PORTAL_LINKS_PER_IP = envint("HEARD_PORTAL_LINKS_PER_IP", 10)
HEARD_PORTAL_IDLE_MINUTES = envint("HEARD_PORTAL_IDLE_MINUTES", 120)
HEARD_PORTAL_MAX_FILES = envint("HEARD_PORTAL_MAX_FILES", 5)
HEARD_PORTAL_FILE_TYPES = envlist(
    "HEARD_PORTAL_FILE_TYPES",
    "image/png,image/jpeg,image/gif,image/webp,application/pdf,text/plain,text/csv",
)

# Proactive moments (heard.care.moments): a greeting goes at this hour of the customer's own
# morning on their day, and is given up this many days after it. Gifts go through "vouchers"
# (codes from each moment's list, in the box) or "webhook" (a POST signed with the secret to a
# billing system, with this timeout in seconds); a failed delivery is retried with backoff from
# this delay, this many times, then the lead is told.
HEARD_MOMENTS_SEND_HOUR = envint("HEARD_MOMENTS_SEND_HOUR", 9)
HEARD_MOMENTS_LATE_DAYS = envint("HEARD_MOMENTS_LATE_DAYS", 3)
HEARD_GIFT_PROVIDER = envstr("HEARD_GIFT_PROVIDER", "vouchers")
HEARD_GIFT_WEBHOOK_URL = envstr("HEARD_GIFT_WEBHOOK_URL", "")
HEARD_GIFT_WEBHOOK_SECRET = envstr("HEARD_GIFT_WEBHOOK_SECRET", "")
HEARD_GIFT_WEBHOOK_TIMEOUT = envint("HEARD_GIFT_WEBHOOK_TIMEOUT", 10)
HEARD_GIFT_RETRY_SECONDS = envint("HEARD_GIFT_RETRY_SECONDS", 300)
HEARD_GIFT_ATTEMPTS = envint("HEARD_GIFT_ATTEMPTS", 6)
if HEARD_GIFT_PROVIDER not in {"vouchers", "webhook"}:
    raise ImproperlyConfigured(
        f"HEARD_GIFT_PROVIDER={HEARD_GIFT_PROVIDER!r}: use vouchers (the default) or webhook"
    )
if HEARD_GIFT_PROVIDER == "webhook" and not (
    HEARD_GIFT_WEBHOOK_URL.startswith(("https://", "http://")) and HEARD_GIFT_WEBHOOK_SECRET
):
    raise ImproperlyConfigured(
        "HEARD_GIFT_PROVIDER=webhook needs HEARD_GIFT_WEBHOOK_URL (an http or https address) "
        "and HEARD_GIFT_WEBHOOK_SECRET (or HEARD_GIFT_WEBHOOK_SECRET_FILE)"
    )

# Desk rules.
HEARD_TICKET_PREFIX = envstr("HEARD_TICKET_PREFIX", "HRD")
HEARD_AUTO_CLOSE_DAYS = envint("HEARD_AUTO_CLOSE_DAYS", 4)
HEARD_DEFAULT_MAX_OPEN_TICKETS = envint("HEARD_DEFAULT_MAX_OPEN_TICKETS", 25)
HEARD_WATCHDOG_SECONDS = envint("HEARD_WATCHDOG_SECONDS", 60)
HEARD_QUEUE_REFRESH_SECONDS = envint("HEARD_QUEUE_REFRESH_SECONDS", 15)  # the open queue page
HEARD_MAX_REPLY_CHARS = envint("HEARD_MAX_REPLY_CHARS", 20_000)  # longer replies are refused

# Insights (heard.insights): the daily rollup recomputes today and yesterday this often; pages
# show this many days unless a range is chosen; each lead's weekly digest goes on Monday from
# this hour (the console's time zone).
HEARD_INSIGHTS_ROLLUP_MINUTES = envint("HEARD_INSIGHTS_ROLLUP_MINUTES", 15)
HEARD_INSIGHTS_DAYS = envint("HEARD_INSIGHTS_DAYS", 28)
HEARD_INSIGHTS_DIGEST_HOUR = envint("HEARD_INSIGHTS_DIGEST_HOUR", 8)

# The REST API and webhooks (heard/api). Each token may make this many requests a minute (beyond
# it: 429 with Retry-After). A webhook delivery waits this many seconds for an answer, is retried
# with backoff from this delay, this many attempts in all; a subscription whose deliveries failed
# for good this many times in a row is disabled, and the people who manage it are told.
HEARD_API_RATE_PER_MINUTE = envint("HEARD_API_RATE_PER_MINUTE", 120)
HEARD_WEBHOOK_TIMEOUT = envint("HEARD_WEBHOOK_TIMEOUT", 10)
HEARD_WEBHOOK_RETRY_SECONDS = envint("HEARD_WEBHOOK_RETRY_SECONDS", 60)
HEARD_WEBHOOK_ATTEMPTS = envint("HEARD_WEBHOOK_ATTEMPTS", 6)
HEARD_WEBHOOK_DISABLE_AFTER = envint("HEARD_WEBHOOK_DISABLE_AFTER", 5)

# Hostile input (README: Hostile input). Password sign-ins are throttled per name typed and per
# client address (heard.console.login): this many failures in the window refuse every sign-in
# for that name or from that address until the oldest is older than the window. A text part of
# an email longer than HEARD_MAX_TEXT_BYTES is read truncated (the raw email keeps it whole).
AUTHENTICATION_BACKENDS = ["heard.console.login.ThrottledBackend"]
HEARD_LOGIN_FAILURES_PER_ACCOUNT = envint("HEARD_LOGIN_FAILURES_PER_ACCOUNT", 5)
HEARD_LOGIN_FAILURES_PER_ADDRESS = envint("HEARD_LOGIN_FAILURES_PER_ADDRESS", 20)
HEARD_LOGIN_WINDOW_MINUTES = envint("HEARD_LOGIN_WINDOW_MINUTES", 15)
HEARD_MAX_TEXT_BYTES = envint("HEARD_MAX_TEXT_BYTES", 1024 * 1024)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"heard": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "INFO")}},
}
