"""Customers, their addresses and consents, and requests to forget them."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from heard.desk.names import given_name


class Customer(models.Model):
    name = models.CharField(max_length=200)
    preferred_name = models.CharField(
        max_length=100, blank=True, help_text="What they like to be called, e.g. 'Sasha'."
    )
    language = models.CharField(max_length=16, default="en")
    time_zone = models.CharField(max_length=64, default="UTC")
    birthday = models.DateField(null=True, blank=True)
    # The change of each consent in force (its latest `Consent` row), None if never asked: off.
    # Set only by `actions.record_consent`, with the row, so pages and queries join it.
    follow_up_consent = models.ForeignKey(
        "Consent", models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    surveys_consent = models.ForeignKey(
        "Consent", models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    birthday_consent = models.ForeignKey(
        "Consent", models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    # Set when they stopped the automatic updates about their own requests (acknowledgements,
    # updates while waiting) from the link in one; None: they get them. Set by
    # `actions.set_automatic_updates`.
    updates_stopped_at = models.DateTimeField(null=True, blank=True, editable=False)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["name"])]

    def __str__(self) -> str:
        return self.name

    def address_name(self) -> str:
        """The name to greet them with: the preferred name, else the given name in their name
        ("John" for "Smith, John"), or "" when their name does not read as a person's."""
        return self.preferred_name or given_name(self.name)

    def zone(self) -> ZoneInfo:
        """Their time zone, for every time and day Heard tells them; UTC when theirs is not a
        zone we know."""
        try:
            return ZoneInfo(self.time_zone or "UTC")
        except (ValueError, ZoneInfoNotFoundError):
            return ZoneInfo("UTC")

    def primary_email(self) -> str:
        emails = sorted(self.emails.all(), key=lambda e: (not e.is_primary, e.pk))
        return emails[0].address if emails else ""

    def consent(self, kind: str) -> Consent | None:
        """The change of this consent in force (its latest), or None if it was never asked:
        off. Load it with `select_related(*Customer.CONSENTS_IN_FORCE)` to save queries."""
        return getattr(self, f"{ConsentKind(kind).value}_consent")  # type: ignore[no-any-return]

    def has_consent(self, kind: str) -> bool:
        """Given and not withdrawn since; never asked is no."""
        change = self.consent(kind)
        return change is not None and change.given

    def consents_in_force(self) -> list[tuple[str, Consent | None]]:
        """(label, change in force or None) for every kind, in ConsentKind's order."""
        return [(label, self.consent(kind)) for kind, label in ConsentKind.choices]


class CustomerEmail(models.Model):
    customer = models.ForeignKey(Customer, models.CASCADE, related_name="emails")
    address = models.EmailField(unique=True)
    is_primary = models.BooleanField(default=False)
    bouncing = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.address

    def save(self, *args: object, **kwargs: object) -> None:
        self.address = self.address.strip().lower()
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class ConsentKind(models.TextChoices):
    """What a customer may agree to. Each is off until they give it."""

    FOLLOW_UP = "follow_up", "Follow-ups"
    SURVEYS = "surveys", "Surveys"
    BIRTHDAY = "birthday", "Greetings and small gifts"  # birthdays, anniversaries, set days


CONSENT_SOURCES = {  # how a consent was given or withdrawn: source -> "by …" on the ticket page
    "portal": "by the portal",
    "email": "by email",
    "agent": "by an agent",
    "admin": "in the admin",
    "api": "through the API",  # by the agent whose token recorded it, when they still exist
    "demo": "by the demo data",
    "migration": "carried over from the setting before consents were recorded",
}


class Consent(models.Model):
    """One change of one consent: given or withdrawn, when and how. Rows are never changed or
    deleted; the latest per kind is the one in force, and a customer with none was never asked
    (off). Written only by `heard.desk.actions.record_consent`."""

    customer = models.ForeignKey(Customer, models.CASCADE, related_name="consents")
    kind = models.CharField(max_length=16, choices=ConsentKind.choices)
    given = models.BooleanField(help_text="Given (True) or withdrawn (False).")
    source = models.CharField(max_length=32, help_text="How: " + ", ".join(CONSENT_SOURCES))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The person at our end who recorded it, if any.",
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["customer", "kind", "at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.state()} ({self.source})"

    def state(self) -> str:
        return "agreed" if self.given else "withdrawn"

    def how(self) -> str:
        """'by the portal', 'by Alice Example' (an agent or admin who recorded it), 'by Alice
        Example through the API' (her token), …"""
        label = CONSENT_SOURCES.get(self.source, f"by {self.source}")
        if self.by is None or self.source not in ("agent", "admin", "api"):
            return label
        who = f"by {self.by.get_full_name() or self.by.get_username()}"
        return f"{who} {label}" if self.source == "api" else who


CONSENTS_IN_FORCE = tuple(  # select_related paths from a customer: each consent in force and who
    path for kind in ConsentKind.values for path in (f"{kind}_consent", f"{kind}_consent__by")
)


class ForgetRequest(models.Model):
    """A customer's request to be forgotten. A lead or administrator confirms it
    (`actions.forget_customer`): their words and details are removed, their tickets kept (status,
    times, team, mood) for the team's figures. At most one waits per customer."""

    customer = models.ForeignKey(Customer, models.CASCADE, related_name="forget_requests")
    source = models.CharField(max_length=32, help_text="How they asked: portal, email, …")
    requested_at = models.DateTimeField(default=timezone.now)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    forgotten_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["customer"],
                condition=Q(forgotten_at__isnull=True),
                name="one_waiting_forget_request",
            )
        ]

    def __str__(self) -> str:
        return f"forget {self.customer} ({'done' if self.forgotten_at else 'waiting'})"

    def is_waiting(self) -> bool:
        return self.forgotten_at is None
