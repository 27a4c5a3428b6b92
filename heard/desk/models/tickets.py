"""Tickets: their status, priority, SLA stage and references."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from heard.desk import care_order
from heard.desk.models.customers import Customer
from heard.desk.models.teams import Agent, Priority, Team


class Status(models.TextChoices):
    NEW = "new", "New"
    OPEN = "open", "Open"
    PENDING = "pending", "Pending"
    SOLVED = "solved", "Solved"
    CLOSED = "closed", "Closed"


# Which status may follow which, when an agent changes it by hand.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.NEW: frozenset({Status.OPEN, Status.PENDING, Status.SOLVED, Status.CLOSED}),
    Status.OPEN: frozenset({Status.PENDING, Status.SOLVED, Status.CLOSED}),
    Status.PENDING: frozenset({Status.OPEN, Status.SOLVED, Status.CLOSED}),
    Status.SOLVED: frozenset({Status.OPEN, Status.CLOSED}),
    Status.CLOSED: frozenset(),
}
ACTIVE_STATUSES = (Status.NEW, Status.OPEN, Status.PENDING)


class Channel(models.TextChoices):
    EMAIL = "email", "Email"
    PORTAL = "portal", "Portal"
    API = "api", "API"
    PHONE = "phone", "Phone"
    CHAT = "chat", "Chat"


class SlaStage(models.IntegerChoices):
    """How far the watchdog has got with the running reply clock."""

    RUNNING = 0, "Running"
    AT_RISK = 1, "At risk (escalated)"
    BREACHED = 2, "Breached (escalated)"


class TicketQuerySet(models.QuerySet["Ticket"]):
    def active(self) -> TicketQuerySet:
        return self.filter(status__in=ACTIVE_STATUSES)

    def visible_to(self, agent: Agent) -> TicketQuerySet:
        if agent.sees_all_teams():
            return self
        return self.filter(team__in=agent.teams.all())

    def by_care(self) -> TicketQuerySet:
        """Who is waiting and hurting most first (see heard.desk.care_order); then the rest."""
        return self.order_by(models.F("care_at").asc(nulls_last=True), "created_at")

    def sla_due_for_check(self, now: datetime) -> TicketQuerySet:
        return self.filter(sla_check_at__lte=now)

    def written_again_unanswered(self) -> TicketQuerySet:
        return self.filter(unanswered_count__gte=2, repeat_escalated=False).active()


class Ticket(models.Model):
    subject = models.CharField(max_length=300)
    customer = models.ForeignKey(Customer, models.PROTECT, related_name="tickets")
    team = models.ForeignKey(Team, models.PROTECT, related_name="tickets")
    assignee = models.ForeignKey(
        Agent, models.SET_NULL, null=True, blank=True, related_name="tickets"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW)
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.EMAIL)
    follow_up_of = models.ForeignKey(
        "self", models.SET_NULL, null=True, blank=True, related_name="follow_ups"
    )
    merged_into = models.ForeignKey(
        "self", models.SET_NULL, null=True, blank=True, related_name="merged_tickets"
    )

    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    first_responded_at = models.DateTimeField(null=True, blank=True)
    # When the acknowledgement told the customer a person would first reply (the first such
    # email's time, kept for the honest-promise record; set by `actions.record_promise`).
    promised_reply_at = models.DateTimeField(null=True, blank=True, editable=False)
    solved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    # The reply clock. reply_due_at is the running target (first or next response) and is null
    # whenever the ticket is not waiting on us; the two named columns keep the targets for reports.
    first_response_due_at = models.DateTimeField(null=True, blank=True)
    next_response_due_at = models.DateTimeField(null=True, blank=True)
    reply_due_at = models.DateTimeField(null=True, blank=True)
    sla_warn_at = models.DateTimeField(null=True, blank=True)
    # When the watchdog must next look at the clock: warn time, then due time, then never.
    sla_check_at = models.DateTimeField(null=True, blank=True)
    sla_stage = models.PositiveSmallIntegerField(choices=SlaStage.choices, default=SlaStage.RUNNING)
    sla_paused_remaining = models.DurationField(null=True, blank=True)

    # Who is waiting: since when, and how many messages they sent without an answer.
    awaiting_since = models.DateTimeField(null=True, blank=True)
    unanswered_count = models.PositiveIntegerField(default=0)
    repeat_escalated = models.BooleanField(default=False)
    # A message still unanswered asks for a manager and the ticket was escalated for it (once
    # until an agent answers, like repeat_escalated).
    manager_escalated = models.BooleanField(default=False)

    escalated = models.BooleanField(default=False)
    escalation_reason = models.CharField(max_length=300, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)

    # How the customer feels now: the reading of their latest message (or an agent's correction).
    mood = models.CharField(max_length=20, blank=True)
    mood_confidence = models.FloatField(default=0.0)
    mood_trend = models.CharField(max_length=20, blank=True)
    urgency = models.FloatField(default=0.0)
    churn_risk = models.FloatField(default=0.0)
    care_cues = models.JSONField(default=list, blank=True)
    # Derived on every save from the clock and the mood (see heard.desk.care_order).
    care_at = models.DateTimeField(null=True, blank=True)
    care_reason = models.CharField(max_length=200, blank=True)

    objects = TicketQuerySet.as_manager()

    class Meta:
        indexes = [
            # A team's queue in care order (`active().by_care()`, the API's `order=care`) and
            # the forecast's count of who is ahead (heard.desk.forecast), each one range per
            # status. Not partial on the active statuses: SQLite uses a partial index for
            # `status IN (%s, %s, %s)` only when the values are written into the SQL, never as
            # bound parameters, so it sorted the team's whole queue instead. awaiting_since last:
            # the forecast's count reads nothing else from the rows.
            models.Index(
                fields=["team", "status", "care_at", "created_at", "awaiting_since"],
                name="ticket_care_queue",
            ),
            models.Index(
                fields=["sla_check_at"],
                name="ticket_sla_check",
                condition=Q(sla_check_at__isnull=False),
            ),
            models.Index(
                fields=["unanswered_count"],
                name="ticket_written_again",
                condition=Q(unanswered_count__gte=2, repeat_escalated=False),
            ),
            models.Index(
                fields=["solved_at"], name="ticket_solved", condition=Q(status=Status.SOLVED)
            ),
            models.Index(fields=["customer", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.subject}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.refresh_care()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "care_at", "care_reason"}
        super().save(*args, **kwargs)

    @property
    def reference(self) -> str:
        return format_reference(self.pk)

    def care_signals(self) -> care_order.CareSignals:
        return care_order.CareSignals(
            emotion=self.mood or "neutral",
            confidence=self.mood_confidence,
            urgency=self.urgency,
            churn_risk=self.churn_risk,
            unanswered=self.unanswered_count,
            cue_labels=tuple(
                cue for cue in self.care_cues if not cue.startswith(care_order.NEEDS_PERSON)
            ),
            asked_for_manager=self.manager_escalated,
            escalated_at=self.escalated_at if self.escalated else None,
            needs_person=self.needs_person(),
        )

    def needs_person(self) -> str:
        """The reason the ticket waits for an agent to look at it rather than on a reply clock
        ("needs a person: this email could not be read": no target, no round-robin, after every
        customer in care order), else ""."""
        return next((c for c in self.care_cues if c.startswith(care_order.NEEDS_PERSON)), "")

    def refresh_care(self) -> None:
        """Recompute the care order and its reason from the clock, the mood and the escalation."""
        signals = self.care_signals()
        self.care_at = care_order.care_at(self.reply_due_at, signals)
        self.care_reason = care_order.care_reason(signals)[:200]

    def may_escalate_for_manager(self) -> bool:
        """A request for a manager escalates while the customer waits on us, once until an
        agent answers."""
        return self.awaiting_since is not None and self.is_active() and not self.manager_escalated

    def is_waiting_on_us(self) -> bool:
        return self.reply_due_at is not None

    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    def can_move_to(self, status: str) -> bool:
        return status in TRANSITIONS[Status(self.status)]

    def reply_time_left(self, now: datetime | None = None) -> timedelta | None:
        """Business time left on the reply clock (negative when overdue), None if not waiting."""
        if self.reply_due_at is None:
            return None
        now = now or timezone.now()
        calendar = self.team.calendar()
        if now <= self.reply_due_at:
            return calendar.between(now, self.reply_due_at)
        return -calendar.between(self.reply_due_at, now)


REFERENCE_OFFSET = 1000  # HRD-1001 reads better than HRD-1


def format_reference(pk: int) -> str:
    return f"{settings.HEARD_TICKET_PREFIX}-{pk + REFERENCE_OFFSET}"


def parse_reference(text: str) -> int | None:
    """The ticket id behind 'HRD-1042' (any case, '#' or spaces allowed), else None."""
    prefix, _, number = text.strip().lstrip("#").upper().partition("-")
    if prefix != settings.HEARD_TICKET_PREFIX.upper() or not number.isdigit():
        return None
    pk = int(number) - REFERENCE_OFFSET
    return pk if pk > 0 else None
