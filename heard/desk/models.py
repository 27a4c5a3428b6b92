"""The desk: customers, teams, agents, tickets and their conversation.

Rules about one object's state live here as small methods; workflows that touch several objects or
cause side effects live in the actions package.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from heard.desk import care_order
from heard.desk.sla import DEFAULT_WEEKLY_HOURS, BusinessCalendar
from heard.engine import Emotion as EngineEmotion
from heard.lib import downloads

_calendars: dict[tuple[object, ...], BusinessCalendar] = {}  # see Team.calendar
_CALENDARS_KEPT = 256

if TYPE_CHECKING:
    from django.contrib.auth.models import User


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
        """The name to greet them with: the preferred name, else the first name."""
        if self.preferred_name:
            return self.preferred_name
        return self.name.split()[0] if self.name.strip() else ""

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
        """'by the portal', 'by Alice Example' (an agent or admin who recorded it), …"""
        if self.by is not None and self.source in ("agent", "admin"):
            return f"by {self.by.get_full_name() or self.by.get_username()}"
        return CONSENT_SOURCES.get(self.source, f"by {self.source}")


CONSENTS_IN_FORCE = tuple(  # select_related paths from a customer: each consent in force and who
    path for kind in ConsentKind.values for path in (f"{kind}_consent", f"{kind}_consent__by")
)


class Team(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(unique=True)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="led_teams"
    )
    time_zone = models.CharField(max_length=64, default="UTC")
    weekly_hours = models.JSONField(
        default=dict,
        blank=True,
        help_text='Local shifts per weekday, e.g. {"mon": [["09:00", "12:30"], ["13:30", '
        '"17:00"]]}; empty means Monday to Friday 09:00-17:00.',
    )
    auto_assign = models.BooleanField(
        default=True, help_text="Assign new tickets round-robin to agents with capacity."
    )
    email = models.EmailField(
        blank=True, help_text="Email sent to this address opens tickets for this team."
    )
    is_triage = models.BooleanField(
        default=False,
        help_text="Email that no routing rule matches waits here for an agent to move it "
        "(at most one team). Its own address is not a rule: email written to it is routed.",
    )
    follow_up_days = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        default=3,
        help_text="Days after a ticket is solved to ask a customer who agreed to follow-ups "
        "whether it is better now; empty: no follow-ups for this team.",
    )
    # Counts changes to the team's holidays, so that a calendar built once can be reused until
    # they change, in every process (see `calendar`).
    holidays_version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["is_triage"], condition=Q(is_triage=True), name="one_triage_team"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def calendar(self) -> BusinessCalendar:
        """The team's business-hours calendar, holidays included.

        Built once per version of the team's hours and holidays and kept in this process: the
        SLA clock, the forecast and every console page need it, and the holidays cost a query.
        """
        hours = self.weekly_hours or DEFAULT_WEEKLY_HOURS
        if self.pk is None:  # a team being created has no holidays yet
            return BusinessCalendar.from_config(self.time_zone, hours)
        key = (self.pk, self.time_zone, json.dumps(hours, sort_keys=True), self.holidays_version)
        calendar = _calendars.get(key)
        if calendar is None:
            holidays = self.holidays.values_list("date", flat=True)
            calendar = BusinessCalendar.from_config(self.time_zone, hours, holidays)
            if len(_calendars) >= _CALENDARS_KEPT:
                _calendars.clear()  # old versions of edited teams; a few teams fill it again
            _calendars[key] = calendar
        return calendar

    def holidays_changed(self) -> None:
        """Make every process build this team's calendar again (called when holidays change;
        bulk inserts and updates of holidays must call it themselves)."""
        if Team.objects.filter(pk=self.pk).update(holidays_version=F("holidays_version") + 1):
            self.refresh_from_db(fields=["holidays_version"])

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        try:
            BusinessCalendar.from_config(self.time_zone, self.weekly_hours or DEFAULT_WEEKLY_HOURS)
        except ValueError as exc:
            raise ValidationError({"weekly_hours": str(exc)}) from None


class RoutingKind(models.TextChoices):
    """What a routing rule looks at in a new email (see heard.desk.routing)."""

    RECIPIENT = "recipient", "Address written to"
    SENDER_DOMAIN = "sender_domain", "Sender's domain"
    WORDS = "words", "Words in the subject or text"
    EARLIER_TEAM = "earlier_team", "The customer's earlier team"


class RoutingRule(models.Model):
    """One way a new email reaches a team. Addresses are tried first, then every other rule in
    position order across all teams; the first that matches wins (heard.desk.routing)."""

    team = models.ForeignKey(Team, models.CASCADE, related_name="routing_rules")
    position = models.PositiveIntegerField(
        default=100, help_text="Lower first, compared across all teams' rules."
    )
    kind = models.CharField(max_length=16, choices=RoutingKind.choices)
    value = models.CharField(
        max_length=500,
        blank=True,
        help_text="Comma-separated addresses, domains (example.com also matches "
        "mail.example.com) or words and phrases (whole words, any case); empty for "
        "the earlier team (the team of the customer's most recent ticket).",
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "team_id", "pk"]

    def __str__(self) -> str:
        return self.describe()

    def values(self) -> list[str]:
        """The value's comma-separated items, trimmed (addresses and domains lower-case)."""
        items = [item.strip() for item in self.value.split(",") if item.strip()]
        if self.kind == RoutingKind.WORDS:
            return items
        return [item.lower().lstrip("@") for item in items]

    def describe(self) -> str:
        """'words: broadband, router' as an agent reads it in the ticket's history."""
        if self.kind == RoutingKind.EARLIER_TEAM:
            return "earlier team"
        labels: dict[str, str] = {RoutingKind.SENDER_DOMAIN: "sender domain"}
        label = labels.get(self.kind, self.kind)
        return f"{label}: {', '.join(self.values())}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.kind != RoutingKind.EARLIER_TEAM and not self.values():
            raise ValidationError({"value": "Say what this rule looks for."})


class Holiday(models.Model):
    team = models.ForeignKey(Team, models.CASCADE, related_name="holidays")
    date = models.DateField()
    name = models.CharField(max_length=100, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["team", "date"], name="one_holiday_a_day")]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


@receiver([post_save, post_delete], sender=Holiday)
def _holiday_changed(sender: type[Holiday], instance: Holiday, **kwargs: Any) -> None:
    loaded = Holiday.team.is_cached(instance)  # then the caller's team object learns it too
    (instance.team if loaded else Team(pk=instance.team_id)).holidays_changed()


class Role(models.TextChoices):
    AGENT = "agent", "Agent"
    LEAD = "lead", "Team lead"
    ADMIN = "admin", "Administrator"


class Agent(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, models.CASCADE, related_name="agent")
    teams = models.ManyToManyField(Team, related_name="agents", blank=True)
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.AGENT)
    max_open_tickets = models.PositiveIntegerField(
        default=25, help_text="Round-robin assignment skips agents holding this many open tickets."
    )
    accepts_assignments = models.BooleanField(default=True)
    last_assigned_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.display_name()

    def display_name(self) -> str:
        return self.user.get_full_name() or self.user.get_username()

    def first_name(self) -> str:
        return self.user.first_name or self.display_name()

    def sees_all_teams(self) -> bool:
        return self.role == Role.ADMIN


class Priority(models.TextChoices):
    LOW = "low", "Low"
    NORMAL = "normal", "Normal"
    HIGH = "high", "High"
    URGENT = "urgent", "Urgent"

    def raised(self) -> Priority:
        """One step up; urgent stays urgent."""
        order = list(Priority)
        return order[min(order.index(self) + 1, len(order) - 1)]


class SlaPolicy(models.Model):
    """Response-time targets for one team and priority, in business minutes."""

    # Used when a team has no policy row for a priority: (first response, next response).
    DEFAULT_MINUTES = {
        Priority.URGENT: (60, 120),
        Priority.HIGH: (240, 480),
        Priority.NORMAL: (480, 960),
        Priority.LOW: (1440, 2880),
    }

    team = models.ForeignKey(Team, models.CASCADE, related_name="sla_policies")
    priority = models.CharField(max_length=10, choices=Priority.choices)
    first_response_minutes = models.PositiveIntegerField()
    next_response_minutes = models.PositiveIntegerField()

    class Meta:
        verbose_name_plural = "SLA policies"
        constraints = [
            models.UniqueConstraint(fields=["team", "priority"], name="one_policy_per_priority")
        ]

    def __str__(self) -> str:
        return f"{self.team} {self.priority}"

    @classmethod
    def targets(cls, team: Team, priority: str, *, first: bool) -> timedelta:
        """The business-time target for a first (or next) response."""
        policy = cls.objects.filter(team=team, priority=priority).first()
        if policy:
            minutes = policy.first_response_minutes if first else policy.next_response_minutes
        else:
            minutes = cls.DEFAULT_MINUTES[Priority(priority)][0 if first else 1]
        return timedelta(minutes=minutes)


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
            models.Index(
                fields=["team", "care_at", "created_at"],
                name="ticket_care_queue",
                condition=Q(status__in=ACTIVE_STATUSES),
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


class Direction(models.TextChoices):
    CUSTOMER = "customer", "Customer"
    AGENT = "agent", "Agent reply"
    NOTE = "note", "Internal note"
    SYSTEM = "system", "System"


# The engine's cue family for asking for a manager, someone in charge or a formal complaint.
MANAGER_CUE_KIND = "escalation"

# The engine names the emotions it tells apart; the desk stores and offers exactly those.
# django-stubs types neither this functional form nor its (value, label) pairs: hence the ignore
Emotion = models.TextChoices(  # type: ignore[misc,call-overload]
    "Emotion", [(e.name, (e.value, e.value.title())) for e in EngineEmotion]
)


class Message(models.Model):
    ticket = models.ForeignKey(Ticket, models.CASCADE, related_name="messages")
    direction = models.CharField(max_length=10, choices=Direction.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    text = models.TextField()
    html = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    # The engine's reading of a customer message (emotion scores, urgency, churn risk, cues);
    # `emotion` is what counts: the engine's, or an agent's correction of it.
    reading = models.JSONField(null=True, blank=True)
    emotion = models.CharField(max_length=20, choices=Emotion.choices, blank=True)
    emotion_corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    emotion_corrected_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["ticket", "created_at"])]

    def __str__(self) -> str:
        return f"{self.direction} on {self.ticket_id}"

    def is_public(self) -> bool:
        return self.direction in (Direction.CUSTOMER, Direction.AGENT)

    def emotion_scores(self) -> dict[str, float]:
        """Scores that reflect a correction: an agent's word counts as certainty."""
        if self.emotion_corrected_at is not None:
            return {self.emotion: 1.0}
        return dict((self.reading or {}).get("scores", {}))

    def emotion_confidence(self) -> float:
        return self.emotion_scores().get(self.emotion, 0.0)

    def asks_for_manager(self) -> bool:
        """The engine read a request for a manager (or a formal complaint) in it."""
        cues = (self.reading or {}).get("cues", [])
        return any(cue.get("kind") == MANAGER_CUE_KIND for cue in cues)


class Attachment(models.Model):
    message = models.ForeignKey(Message, models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="attachments/%Y/%m/")
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()  # as received, also when too large to keep

    def __str__(self) -> str:
        return self.filename

    def is_kept(self) -> bool:
        """False for one over `HEARD_MAX_ATTACHMENT_BYTES`: only the raw email holds it."""
        return bool(self.file)

    def can_preview(self) -> bool:
        """A kept raster image of a type no browser runs script in (never SVG or HTML)."""
        return self.is_kept() and downloads.is_safe_image(self.content_type)


class TicketEvent(models.Model):
    """An audit row for every change to a ticket: who, when, what, before and after."""

    ticket = models.ForeignKey(Ticket, models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    what = models.CharField(max_length=40)
    before = models.CharField(max_length=300, blank=True)
    after = models.CharField(max_length=300, blank=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        indexes = [models.Index(fields=["ticket", "created_at"])]

    def __str__(self) -> str:
        return f"{self.what}: {self.before} → {self.after}"

    def actor_name(self) -> str:
        if self.actor is None:
            return "Heard"
        return self.actor.get_full_name() or self.actor.get_username()


class Notification(models.Model):
    """An in-app notice for an agent, e.g. a team lead told about an escalation."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="notifications"
    )
    ticket = models.ForeignKey(Ticket, models.CASCADE, null=True, related_name="notifications")
    text = models.CharField(max_length=300)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["recipient", "created_at"],
                name="notification_unread",
                condition=Q(read_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return self.text


def agent_for(user: User) -> Agent | None:
    return getattr(user, "agent", None)


class Macro(models.Model):
    """A canned response. {customer_name} and {agent_name} are filled in when it is inserted;
    the result is coached like any draft."""

    name = models.CharField(max_length=100)
    text = models.TextField()
    team = models.ForeignKey(
        Team, models.CASCADE, null=True, blank=True, help_text="Empty: every team may use it."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def render(self, customer_name: str, agent_name: str) -> str:
        return self.text.replace("{customer_name}", customer_name).replace(
            "{agent_name}", agent_name
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
