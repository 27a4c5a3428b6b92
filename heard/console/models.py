"""The console's own rows: failed sign-ins, counted for login throttling (`heard.console.login`)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class LoginFailure(models.Model):
    """One failed sign-in: a wrong password, or a name that is nobody's. The name typed and the
    address it came from are kept only as keyed hashes (a name field often holds a password
    typed in the wrong box), one row each, so that every web process counts the same failures.
    Rows older than the throttling window are deleted as new ones come."""

    account = models.CharField(max_length=64)  # keyed hash of the name typed, in lower case
    address = models.CharField(max_length=64)  # keyed hash of the client's IP address
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["account", "at"]),
            models.Index(fields=["address", "at"]),
            models.Index(fields=["at"]),
        ]

    def __str__(self) -> str:
        return f"failed sign-in at {self.at:%Y-%m-%d %H:%M}"
