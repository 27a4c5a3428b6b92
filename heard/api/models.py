"""API tokens, their rate windows, and webhook subscriptions with their delivery log."""

from __future__ import annotations

import hashlib
from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from heard.desk.models import Agent, Team, Ticket

TOKEN_PREFIX = "hrd_"  # noqa: S105 (every token starts with it: a leaked one is recognised)


class Scope(models.TextChoices):
    """What a token may do; each includes the ones before it."""

    READ = "read", "Read"
    WRITE = "write", "Read and write"
    ADMIN = "admin", "Read, write and manage webhooks"


SCOPE_ORDER = [Scope.READ, Scope.WRITE, Scope.ADMIN]


def digest(token: str) -> str:
    """What is stored of a token: its SHA-256 (a token is 32 random bytes, so no salt or slow
    hash is needed to keep it from being guessed back)."""
    return hashlib.sha256(token.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def usable(self, now: datetime | None = None) -> ApiTokenQuerySet:
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=now)
        )


class ApiToken(models.Model):
    """A token an integration uses to act as one agent, with the same team boundaries. Only its
    digest is kept: the token itself is shown once, when it is created
    (`heard.api.actions.create_token`)."""

    name = models.CharField(max_length=100, help_text="What uses it, e.g. 'CRM sync'.")
    agent = models.ForeignKey(
        Agent, models.CASCADE, related_name="api_tokens", help_text="Whom it acts as."
    )
    scope = models.CharField(max_length=8, choices=Scope.choices, default=Scope.READ)
    team = models.ForeignKey(
        Team,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text="Only this team's tickets and customers (one of the agent's teams); empty: "
        "all of the agent's teams.",
    )
    prefix = models.CharField(max_length=12, editable=False, help_text="Its first characters.")
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField(null=True, blank=True, help_text="Empty: never expires.")
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "API token"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def allows(self, scope: str) -> bool:
        return SCOPE_ORDER.index(Scope(self.scope)) >= SCOPE_ORDER.index(Scope(scope))

    def state(self, now: datetime | None = None) -> str:
        """'active', 'expired' or 'revoked'."""
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and self.expires_at <= (now or timezone.now()):
            return "expired"
        return "active"


class RateWindow(models.Model):
    """How many requests one token made in one minute (`heard.api.auth.count_request`): one
    row per token and minute, counted with one atomic upsert, so every process and thread
    shares it. Old rows are deleted by a periodic job."""

    token = models.ForeignKey(ApiToken, models.CASCADE, related_name="+")
    minute = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["token", "minute"], name="one_window_a_minute")
        ]
        indexes = [models.Index(fields=["minute"])]

    def __str__(self) -> str:
        return f"{self.token_id} at {self.minute}: {self.count}"


class Event(models.TextChoices):
    """What a webhook can be told; the names stay as they are once released."""

    TICKET_CREATED = "ticket.created", "Ticket created"
    MESSAGE_RECEIVED = "message.received", "Message received (with its reading)"
    REPLY_SENT = "reply.sent", "Reply sent"
    TICKET_ESCALATED = "ticket.escalated", "Ticket escalated"
    TICKET_SOLVED = "ticket.solved", "Ticket solved"
    SURVEY_ANSWERED = "survey.answered", "Survey answered"
    FOLLOW_UP_ANSWERED = "follow_up.answered", "Follow-up answered"


class Subscription(models.Model):
    """A team's webhook: where to POST which events, and the secret that signs them."""

    team = models.ForeignKey(Team, models.CASCADE, related_name="webhooks")
    url = models.URLField(max_length=500, help_text="An http or https address.")
    events = models.JSONField(default=list, help_text="The event names it is told.")
    description = models.CharField(max_length=200, blank=True)
    secret = models.CharField(
        max_length=64, editable=False, help_text="Signs each delivery (HMAC-SHA256)."
    )
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # Deliveries that failed for good since the last success; at HEARD_WEBHOOK_DISABLE_AFTER the
    # subscription is disabled (`heard.api.webhooks.delivery`).
    failures_in_a_row = models.PositiveIntegerField(default=0, editable=False)
    disabled_at = models.DateTimeField(null=True, blank=True, editable=False)
    disabled_reason = models.CharField(max_length=300, blank=True, editable=False)

    class Meta:
        verbose_name = "webhook"
        ordering = ["team", "pk"]

    def __str__(self) -> str:
        return f"{self.team}: {self.url}"

    def listens_to(self, event: str) -> bool:
        return event in self.events


class WebhookEvent(models.Model):
    """One thing that happened, announced once: `key` names what it is about ("message:42"),
    so announcing it again (a job run twice) adds nothing. The payload is what every delivery
    of it sends."""

    name = models.CharField(max_length=32, choices=Event.choices)
    key = models.CharField(max_length=100)
    team = models.ForeignKey(Team, models.CASCADE, related_name="+")
    ticket = models.ForeignKey(Ticket, models.CASCADE, null=True, related_name="+")
    payload = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["name", "key"], name="one_event_a_key")]

    def __str__(self) -> str:
        return f"{self.name} {self.key}"


class DeliveryState(models.TextChoices):
    PENDING = "pending", "Pending"
    RETRYING = "retrying", "Retrying"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed"


OPEN_DELIVERY_STATES = (DeliveryState.PENDING, DeliveryState.RETRYING)


class Delivery(models.Model):
    """One event sent to one subscription, with what became of it (the delivery log)."""

    subscription = models.ForeignKey(Subscription, models.CASCADE, related_name="deliveries")
    event = models.ForeignKey(WebhookEvent, models.CASCADE, related_name="deliveries")
    state = models.CharField(
        max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    # When it is due: a pending one a little after it was made (its own job sends it at once;
    # this catches one whose job was lost), a retrying one after its backoff.
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)  # while one worker sends it
    response_code = models.PositiveSmallIntegerField(null=True, blank=True)  # the last answer's
    error = models.CharField(max_length=300, blank=True)  # the last attempt's, if it failed
    created_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(fields=["subscription", "event"], name="one_delivery_each")
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="delivery_due",
                condition=Q(state__in=OPEN_DELIVERY_STATES),
            ),
            models.Index(fields=["subscription", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.event} to {self.subscription_id}: {self.state}"


class Attempt(models.Model):
    """One try at a delivery: the answer's status code, or why there was none."""

    delivery = models.ForeignKey(Delivery, models.CASCADE, related_name="log")
    at = models.DateTimeField(default=timezone.now)
    response_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.delivery_id} at {self.at}: {self.response_code or self.error}"
