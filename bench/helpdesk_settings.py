"""Settings for django-helpdesk, the peer `bench.mail_bench --per-email` files the same emails
with: its own process, its own throwaway SQLite database, none of Heard's apps.

Only the benchmark uses this module (`DJANGO_SETTINGS_MODULE=bench.helpdesk_settings`); it is
as close to Heard's embedded default as the peer allows: SQLite in WAL mode with immediate
transactions, and mail written to files rather than handed to a server.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

_VAR = Path(os.environ.get("HEARD_VAR_DIR") or tempfile.mkdtemp(prefix="helpdesk-bench-"))

SECRET_KEY = "bench-only"  # noqa: S105  (a throwaway database, never served)
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
USE_TZ = True
TIME_ZONE = "UTC"
SITE_ID = 1
ROOT_URLCONF = "bench.helpdesk_urls"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    "rest_framework",
    "helpdesk",
]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": _VAR / "helpdesk.sqlite3",
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
    }
}
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = _VAR / "mail"
DEFAULT_FROM_EMAIL = "support@heard.localhost"
MEDIA_ROOT = _VAR / "media"
STATIC_URL = "/static/"
HELPDESK_TEAMS_MODE_ENABLED = False  # teams need pinax-teams, which Heard's peer set-up leaves out
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
