"""Insights' rows: one day's figures per team and agent, written by the daily rollup
(`heard.insights.rollup`), and which weekly digests went out.

Pages never scan messages: they read `DayFigures` rows for the days, teams and agents asked
for, and add them up. Every field below is additive over days, teams and agents (counts, sums,
lists of durations, counts per code), so a month for a team is the sum of its rows, and a
median over any range is taken from the durations themselves, never a median of medians.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from heard.desk.models import Agent, Team


class DayFigures(models.Model):
    """What happened on one day (in the console's time zone) on one team's tickets, for one
    agent. `agent` is who wrote a reply, or who held the ticket (see the rollup); None holds
    what belongs to nobody, such as unassigned tickets. Written only by the rollup, which
    replaces a day's rows whole."""

    day = models.DateField()
    team = models.ForeignKey(Team, models.CASCADE, related_name="+")
    agent = models.ForeignKey(Agent, models.CASCADE, null=True, blank=True, related_name="+")

    # Speed. Business seconds from the wait's start to each first (next) reply sent that day,
    # how many of them were within the team's target, the watchdog's breaches, and for each
    # first reply after an acknowledgement's promise, its lateness in seconds (negative: early).
    first_replies = models.JSONField(default=list)
    first_within = models.PositiveIntegerField(default=0)
    next_replies = models.JSONField(default=list)
    next_within = models.PositiveIntegerField(default=0)
    breaches = models.PositiveIntegerField(default=0)
    promise_gaps = models.JSONField(default=list)
    # The backlog at the end of the day (today: when it was rolled up): the age in seconds of
    # each active ticket, and how many of them had a promised first reply time already past.
    backlog_ages = models.JSONField(default=list)
    promises_overdue = models.PositiveIntegerField(default=0)

    # Empathy: the coach's judgement of the replies sent that day (sums, for means).
    coached = models.PositiveIntegerField(default=0)
    score_sum = models.PositiveIntegerField(default=0)
    empathy_sum = models.PositiveIntegerField(default=0)
    respect_sum = models.PositiveIntegerField(default=0)
    clarity_sum = models.PositiveIntegerField(default=0)
    findings = models.JSONField(default=dict)  # finding code -> replies that raised it
    sent_anyway = models.JSONField(default=list)  # [{"ticket", "codes", "at"}]

    # De-escalation: tickets solved that day whose first message was negative; of them, those
    # where the customer wrote again, and those whose last message before the solve was calmer.
    negative_start = models.PositiveIntegerField(default=0)
    wrote_again = models.PositiveIntegerField(default=0)
    calmer = models.PositiveIntegerField(default=0)
    calmed = models.JSONField(default=list)  # examples: [{"ticket", "from", "to", "drop"}]
    moods = models.JSONField(default=dict)  # emotion -> customer messages received that day

    # Satisfaction and care: survey answers ("1".."5" -> count) and follow-up answers given
    # that day, and both by the empathy band of the ticket's replies.
    ratings = models.JSONField(default=dict)
    follow_ups = models.JSONField(default=dict)
    by_empathy = models.JSONField(default=dict)  # band -> {"answers", "happy", "rating_sum", …}

    # Tickets worth a lead's look, with why: [{"ticket", "why", "weight"}].
    attention = models.JSONField(default=list)
    # Today's rows only (the rollup of the day in progress): the open tickets whose customers
    # are most at risk of leaving, as they stood then: [{"ticket", "customer", "churn", "mood",
    # "lately"}], at most ten per row (so any viewer's ten most at risk are among them).
    at_risk = models.JSONField(default=list)

    class Meta:
        verbose_name_plural = "day figures"
        indexes = [
            models.Index(fields=["day", "team"], name="insights_day_team"),
            models.Index(fields=["agent", "day"], name="insights_agent_day"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["day", "team", "agent"],
                condition=Q(agent__isnull=False),
                name="insights_one_row_per_agent",
            ),
            models.UniqueConstraint(
                fields=["day", "team"],
                condition=Q(agent__isnull=True),
                name="insights_one_row_for_nobody",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.team_id}/{self.agent_id}"


class RolledDay(models.Model):
    """A day the rollup has written, and when: the page says how fresh its figures are."""

    day = models.DateField(unique=True)
    rolled_at = models.DateTimeField(default=timezone.now)
    seconds = models.FloatField(default=0.0)  # how long the rollup took

    def __str__(self) -> str:
        return f"{self.day} rolled up at {self.rolled_at:%Y-%m-%d %H:%M}"


class DigestSent(models.Model):
    """The weekly digest for one lead and one week (its Monday): at most one, ever."""

    lead = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    week = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)
    email = models.ForeignKey(
        "mail.OutboundEmail",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty when the staff limit held it back (it then went in a digest).",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["lead", "week"], name="insights_one_digest_a_week")
        ]

    def __str__(self) -> str:
        return f"digest of {self.week} to {self.lead_id}"
