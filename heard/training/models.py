"""The training studio's rows: cases, attempts (written-tone exercises and role-plays), live
role-plays, assignments, and the coaching of every reply an agent sent (for suggestions,
progress and "Why empathy pays").

Who sees what is decided here, once: an agent sees their own attempts; a lead (or an
administrator) also those of the agents in their teams (`agents_seen_by`).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from heard.desk.lead import is_lead
from heard.desk.models import Agent, Message, Team, Ticket
from heard.training.cases import CaseSpec


def agents_seen_by(agent: Agent) -> models.QuerySet[Agent]:
    """The agents whose practice `agent` may see: themselves; a lead also their teams' agents;
    an administrator everyone."""
    if agent.sees_all_teams():
        return Agent.objects.all()
    if is_lead(agent):
        teams = agent.teams.all()
        return Agent.objects.filter(Q(pk=agent.pk) | Q(teams__in=teams)).distinct()
    return Agent.objects.filter(pk=agent.pk)


class Source(models.TextChoices):
    SHIPPED = "shipped", "Written for Heard"
    TICKET = "ticket", "Made from a solved ticket"


class CaseQuerySet(models.QuerySet["Case"]):
    def available_to(self, agent: Agent) -> CaseQuerySet:
        """Shipped cases, and those made from the tickets of the agent's teams."""
        if agent.sees_all_teams():
            return self
        return self.filter(Q(team__isnull=True) | Q(team__in=agent.teams.all()))


class Case(models.Model):
    """A customer to practise on (see `heard.training.cases` for every field's meaning)."""

    slug = models.SlugField(max_length=100, unique=True)
    title = models.CharField(max_length=200)
    industry = models.CharField(max_length=40, blank=True)
    name = models.CharField(max_length=100)
    situation = models.TextField()
    tried = models.TextField(blank=True)
    resolution = models.TextField(blank=True)
    feeling = models.CharField(max_length=20)
    feelings = models.JSONField(default=list)
    feeling_why = models.TextField(blank=True)
    intensity = models.PositiveSmallIntegerField()
    offers = models.JSONField(default=list)
    practises = models.JSONField(default=list, blank=True)
    opening = models.TextField()
    exemplary = models.TextField()
    facts = models.JSONField(default=dict, blank=True)
    lines = models.JSONField(default=dict)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.SHIPPED)
    # A case made from a ticket belongs to that ticket's team; shipped cases to everyone.
    team = models.ForeignKey(Team, models.CASCADE, null=True, blank=True, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("training:case", args=[self.slug])

    def spec(self) -> CaseSpec:
        return CaseSpec(
            slug=self.slug,
            title=self.title,
            industry=self.industry,
            name=self.name,
            situation=self.situation,
            tried=self.tried,
            resolution=self.resolution,
            feeling=self.feeling,
            feelings=tuple(self.feelings),
            feeling_why=self.feeling_why,
            intensity=self.intensity,
            offers=tuple(self.offers),
            opening=self.opening,
            exemplary=self.exemplary,
            facts=dict(self.facts),
            lines={band: tuple(lines) for band, lines in self.lines.items()},
            practises=tuple(self.practises),
        )

    def opening_text(self) -> str:
        return self.spec().opening_text()

    def exemplary_text(self) -> str:
        return self.spec().exemplary_text()

    def situation_text(self) -> str:
        return self.spec().fill(self.situation)

    def resolution_text(self) -> str:
        return self.spec().fill(self.resolution)


class Kind(models.TextChoices):
    EXERCISE = "exercise", "Written-tone exercise"
    ROLE_PLAY = "roleplay", "Role-play"


class AssignmentQuerySet(models.QuerySet["Assignment"]):
    def open(self) -> AssignmentQuerySet:
        return self.filter(done_at__isnull=True)

    def visible_to(self, agent: Agent) -> AssignmentQuerySet:
        return self.filter(agent__in=agents_seen_by(agent))


class Assignment(models.Model):
    """Practice a lead gave an agent: a case, as an exercise or a role-play, by a day."""

    agent = models.ForeignKey(Agent, models.CASCADE, related_name="training_assignments")
    case = models.ForeignKey(Case, models.CASCADE, related_name="assignments")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    due_on = models.DateField()
    reason = models.CharField(max_length=300, blank=True)  # e.g. the suggestion's evidence
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["agent", "done_at", "due_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.case} for {self.agent}"

    def is_overdue(self, today: date | None = None) -> bool:
        return self.done_at is None and self.due_on < (today or timezone.localdate())


class AttemptQuerySet(models.QuerySet[Any]):
    def visible_to(self, agent: Agent) -> AttemptQuerySet:
        return self.filter(agent__in=agents_seen_by(agent))

    def finished(self) -> AttemptQuerySet:
        return self.filter(finished_at__isnull=False)


class Dimensions(models.Model):
    """The coach's score and dimensions of an attempt's final words, for progress queries."""

    score = models.PositiveSmallIntegerField(null=True, blank=True)
    empathy = models.PositiveSmallIntegerField(null=True, blank=True)
    respect = models.PositiveSmallIntegerField(null=True, blank=True)
    clarity = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        abstract = True

    def set_dimensions(self, score: int, dimensions: dict[str, int]) -> None:
        self.score = score
        self.empathy = dimensions.get("empathy")
        self.respect = dimensions.get("respect")
        self.clarity = dimensions.get("clarity")


class Exercise(Dimensions):
    """A written-tone exercise: name the feelings, reply as usual, rewrite with the coach."""

    agent = models.ForeignKey(Agent, models.CASCADE, related_name="training_exercises")
    case = models.ForeignKey(Case, models.CASCADE, related_name="exercises")
    assignment = models.ForeignKey(
        Assignment, models.SET_NULL, null=True, blank=True, related_name="exercises"
    )
    named_feelings = models.JSONField(default=list, blank=True)
    feelings_why = models.CharField(max_length=300, blank=True)
    engine_emotion = models.CharField(max_length=20, blank=True)  # the reading of the opening
    first_reply = models.TextField(blank=True)
    first_coaching = models.JSONField(null=True, blank=True)  # Coaching.as_dict()
    rewrite = models.TextField(blank=True)
    rewrite_coaching = models.JSONField(null=True, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = AttemptQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["agent", "finished_at"])]

    def __str__(self) -> str:
        return f"exercise on {self.case} by {self.agent}"

    def get_absolute_url(self) -> str:
        return reverse("training:exercise", args=[self.pk])

    def step(self) -> str:
        """Where the agent is: "feelings", "reply", "rewrite" or "done"."""
        if not self.named_feelings:
            return "feelings"
        if self.first_coaching is None:
            return "reply"
        return "rewrite" if self.finished_at is None else "done"

    def differences(self) -> dict[str, int]:
        """Each dimension (and the score) of the rewrite minus the first reply."""
        first, second = self.first_coaching or {}, self.rewrite_coaching or {}
        if not first or not second:
            return {}
        diff = {"score": second["score"] - first["score"]}
        for name, value in second["dimensions"].items():
            diff[name] = value - first["dimensions"].get(name, 0)
        return diff


class RolePlay(Dimensions):
    """A role-play with the simulated customer; the transcript is `simulation.Conversation`
    as stored by `heard.training.actions.transcript_of`."""

    agent = models.ForeignKey(Agent, models.CASCADE, related_name="training_role_plays")
    case = models.ForeignKey(Case, models.CASCADE, related_name="role_plays")
    assignment = models.ForeignKey(
        Assignment, models.SET_NULL, null=True, blank=True, related_name="role_plays"
    )
    seed = models.PositiveIntegerField(default=0)
    replies = models.JSONField(default=list)  # the agent's messages, in order
    transcript = models.JSONField(default=dict)
    outcome = models.CharField(max_length=10, blank=True)  # "", "resolved" or "lost"
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = AttemptQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["agent", "finished_at"])]

    def __str__(self) -> str:
        return f"role-play of {self.case} by {self.agent}"

    def get_absolute_url(self) -> str:
        return reverse("training:role_play", args=[self.pk])


class LiveSession(models.Model):
    """A role-play between two people: one plays the customer from the case card, the other
    the agent; `switch` swaps them and starts a new round."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="live_sessions")
    host = models.ForeignKey(Agent, models.CASCADE, related_name="+")
    guest = models.ForeignKey(Agent, models.CASCADE, related_name="+")
    customer_side = models.ForeignKey(Agent, models.CASCADE, related_name="+")
    round = models.PositiveSmallIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~Q(host=models.F("guest")), name="live_two_people"),
        ]

    def __str__(self) -> str:
        return f"live role-play of {self.case}"

    def get_absolute_url(self) -> str:
        return reverse("training:live", args=[self.pk])

    def has_player(self, agent: Agent) -> bool:
        return agent.pk in (self.host_id, self.guest_id)

    def side_of(self, agent: Agent) -> str:
        return "customer" if agent.pk == self.customer_side_id else "agent"

    def partner_of(self, agent: Agent) -> Agent:
        return self.guest if agent.pk == self.host_id else self.host


class LiveTurn(models.Model):
    session = models.ForeignKey(LiveSession, models.CASCADE, related_name="turns")
    round = models.PositiveSmallIntegerField()
    side = models.CharField(max_length=10)  # "customer" or "agent"
    author = models.ForeignKey(Agent, models.CASCADE, related_name="+")
    text = models.TextField()
    coaching = models.JSONField(null=True, blank=True)  # the agent side's, Coaching.as_dict()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["session", "round", "created_at"])]

    def __str__(self) -> str:
        return f"{self.side} turn in {self.session_id}"


class ReplyCoaching(models.Model):
    """The coach's judgement of one reply an agent sent to a customer (recorded by a job after
    the desk's `agent_replied`): what suggestions, progress and "Why empathy pays" count."""

    message = models.OneToOneField(Message, models.CASCADE, related_name="+")
    ticket = models.ForeignKey(Ticket, models.CASCADE, related_name="+")
    agent = models.ForeignKey(Agent, models.CASCADE, related_name="+")
    sent_at = models.DateTimeField()
    score = models.PositiveSmallIntegerField()
    empathy = models.PositiveSmallIntegerField()
    respect = models.PositiveSmallIntegerField()
    clarity = models.PositiveSmallIntegerField()
    codes = models.JSONField(default=list)  # every finding code raised, once each

    class Meta:
        indexes = [models.Index(fields=["agent", "sent_at"])]

    def __str__(self) -> str:
        return f"coaching of message {self.message_id}"
