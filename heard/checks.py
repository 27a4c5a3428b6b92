"""Django system checks for Heard's configuration: each with a namespaced id and a hint."""

from __future__ import annotations

import importlib.util
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning, register
from django.db import connection


@register()
def settings_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    problems: list[CheckMessage] = []
    if settings.CELERY_BROKER_URL and importlib.util.find_spec("celery") is None:
        problems.append(Error(
            "CELERY_BROKER_URL is set but Celery is not installed.",
            hint="Install the scale extra: pip install 'heard[scale]', or unset CELERY_BROKER_URL "
            "to run jobs in-process.",
            id="heard.E001",
        ))
    if settings.EMAIL_HOST_USER and not settings.EMAIL_HOST_PASSWORD:
        problems.append(Error(
            "EMAIL_HOST_USER is set but EMAIL_HOST_PASSWORD is empty.",
            hint="Set EMAIL_HOST_PASSWORD (or EMAIL_HOST_PASSWORD_FILE).",
            id="heard.E002",
        ))
    if not settings.DEBUG and not settings.EMAIL_HOST:
        problems.append(Warning(
            "EMAIL_HOST is not set: outgoing mail is written to files under var/mail/.",
            hint="Set EMAIL_HOST (and EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD).",
            id="heard.W001",
        ))
    if not settings.DEBUG and connection.vendor == "sqlite":
        problems.append(Warning(
            "Production (DEBUG=false) is running on the embedded SQLite database.",
            hint="That is fine for a small team; set DATABASE_URL=postgres://… to scale.",
            id="heard.W002",
        ))
    return problems
