"""What the portal keeps: each request for a sign-in link (see `heard.portal.signin`)."""

from __future__ import annotations

from datetime import datetime

from django.db import models
from django.utils import timezone

from heard.desk.models import Customer


class SignInLinkQuerySet(models.QuerySet["SignInLink"]):
    def asked_since(self, since: datetime) -> SignInLinkQuerySet:
        return self.filter(created_at__gt=since)


class SignInLink(models.Model):
    """One request for a sign-in link, for an address we know (`customer`) or not (None: kept
    only so that the limits count it, and never usable).

    Nothing here signs anyone in by itself: the token and the browser's cookie are kept only as
    SHA-256 hashes, and the address as a keyed hash. The link works once (`used_at`, set by a
    conditional update), until `expires_at`, and only with the cookie of the browser that asked.
    """

    token_hash = models.CharField(max_length=64, unique=True)
    customer = models.ForeignKey(
        Customer, models.CASCADE, null=True, blank=True, related_name="sign_in_links"
    )
    address_hash = models.CharField(max_length=64)
    ip = models.CharField(max_length=45, blank=True)  # where it was asked from (rate limits)
    browser_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    objects = SignInLinkQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["address_hash", "created_at"]),
            models.Index(fields=["ip", "created_at"]),
            models.Index(fields=["created_at"]),
        ]

    def __str__(self) -> str:
        return f"sign-in link {self.pk} ({self.state()})"

    def state(self, now: datetime | None = None) -> str:
        if self.used_at is not None:
            return "used"
        return "expired" if self.expires_at <= (now or timezone.now()) else "waiting"
