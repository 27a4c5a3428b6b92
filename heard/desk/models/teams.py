"""Teams, their routing and calendars, agents, SLA policies and macros."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from heard.desk.sla import DEFAULT_WEEKLY_HOURS, BusinessCalendar

if TYPE_CHECKING:
    from django.contrib.auth.models import User


_calendars: dict[tuple[object, ...], BusinessCalendar] = {}  # see Team.calendar
_CALENDARS_KEPT = 256


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
        """The business-time target for a first (or next) response (from the team's policies
        when they were prefetched, `prefetch_related("sla_policies")`, else one query)."""
        if "sla_policies" in getattr(team, "_prefetched_objects_cache", {}):
            policy = next((p for p in team.sla_policies.all() if p.priority == priority), None)
        else:
            policy = cls.objects.filter(team=team, priority=priority).first()
        if policy:
            minutes = policy.first_response_minutes if first else policy.next_response_minutes
        else:
            minutes = cls.DEFAULT_MINUTES[Priority(priority)][0 if first else 1]
        return timedelta(minutes=minutes)


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
