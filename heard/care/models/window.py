"""How long an offer's answer links work (surveys, follow-ups)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import ClassVar

from django.conf import settings
from django.utils import timezone


class AnswerWindow:
    """An offer whose links answer for the number of days in its setting, from when it was
    made (mixed into a model with a `created_at` field)."""

    days_open_setting: ClassVar[str]
    created_at: datetime

    def open_until(self) -> datetime:
        return self.created_at + timedelta(days=getattr(settings, self.days_open_setting))

    def is_open(self, now: datetime | None = None) -> bool:
        return (now or timezone.now()) < self.open_until()
