"""Proactive moments: a rule that greets customers on an occasion, with a gift and a budget.

A `Moment` is the rule (a birthday, the N-th anniversary of becoming a customer, or a day the
team sets), a `Greeting` one customer's greeting for one occasion and the audit of what became
of it (each change of state also a `GreetingEvent`), and a `Voucher` one code of a moment's list.
The workflows live in `heard.care.moments`.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from heard.desk.models import Agent, Customer, Role, Ticket

PLACEHOLDER = re.compile(r"\{(\w*)\}")
CURRENCY_SIGNS = {"EUR": "€", "USD": "$", "GBP": "£"}


def money(cents: int, currency: str) -> str:
    """'€3.00', '12.50 CHF'."""
    amount = f"{cents / 100:,.2f}"
    sign = CURRENCY_SIGNS.get(currency.upper())
    return f"{sign}{amount}" if sign else f"{amount} {currency.upper()}"


class Occasion(models.TextChoices):
    BIRTHDAY = "birthday", "Birthday"
    ANNIVERSARY = "anniversary", "Anniversary of becoming a customer"
    DATE = "date", "A day the team sets"


class GiftKind(models.TextChoices):
    NONE = "none", "No gift: the greeting alone"
    CREDIT = "credit", "Free credit"
    MINUTES = "minutes", "Free minutes, messages or data"
    VOUCHER = "voucher", "A voucher code from the moment's list"


class MomentQuerySet(models.QuerySet["Moment"]):
    def led_by(self, agent: Agent) -> MomentQuerySet:
        """The moments this agent may approve: an administrator's all, a lead's their teams'."""
        if agent.role == Role.ADMIN:
            return self
        if agent.role != Role.LEAD:
            return self.none()
        return self.filter(Q(team__in=agent.teams.all()) | Q(team__lead=agent.user_id))


class Moment(models.Model):
    """A rule: whom to greet on which occasion, with which gift, within which budget.

    The audience is always customers who agreed to greetings and gifts (consent "birthday",
    given and not withdrawn) and are active: they opened a ticket within `active_months`, with
    the moment's team when it has one (else with any team). Only a lead of that team, or an
    administrator, approves its greetings; a moment without a team, only an administrator.
    """

    name = models.CharField(max_length=100)
    team = models.ForeignKey(
        "desk.Team",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="moments",
        help_text="Whose customers: those with a ticket in this team. Empty: every team's "
        "(then only an administrator approves).",
    )
    occasion = models.CharField(max_length=12, choices=Occasion.choices)
    years = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Anniversary: how many years as a customer (e.g. 10)."
    )
    date = models.DateField(
        null=True,
        blank=True,
        help_text="A day the team sets: the day (its year ignored if yearly).",
    )
    yearly = models.BooleanField(default=True, help_text="A day the team sets: every year.")
    plan_days = models.PositiveSmallIntegerField(
        default=3,
        validators=[MaxValueValidator(60)],
        help_text="Greetings are planned this many days before the day, so a lead can approve.",
    )
    active_months = models.PositiveSmallIntegerField(
        default=24,
        validators=[MinValueValidator(1)],
        help_text="An active customer opened a ticket within this many months.",
    )
    gift_kind = models.CharField(max_length=8, choices=GiftKind.choices, default=GiftKind.NONE)
    gift_text = models.CharField(
        max_length=200,
        blank=True,
        help_text="The gift as the greeting names it, e.g. '50 free minutes, 50 SMS and 300 MB'.",
    )
    gift_cost_cents = models.PositiveIntegerField(default=0, help_text="What one gift costs us.")
    currency = models.CharField(max_length=3, default="EUR")
    subject = models.CharField(max_length=200, help_text="The email's subject; may use {name}.")
    greeting = models.TextField(
        help_text="The greeting, with {name} (how they like to be called) and {gift} (the gift "
        "as named above). Coached: wording that would hurt is refused."
    )
    monthly_budget_cents = models.PositiveIntegerField(
        default=0, help_text="The most the gifts of one month may cost, in cents."
    )
    per_customer_per_year = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1)]
    )
    auto_approve_under = models.PositiveSmallIntegerField(
        default=0,
        help_text="A batch of at most this many greetings that fits the budget is approved "
        "without a lead; 0: a lead always approves.",
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = MomentQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    def occasion_label(self) -> str:
        """'Birthday', '10 years with us', or the moment's own name for a day it sets."""
        if self.occasion == Occasion.BIRTHDAY:
            return "Birthday"
        if self.occasion == Occasion.ANNIVERSARY:
            years = self.years or 0
            return f"{years} year{'s' if years != 1 else ''} with us"
        return self.name

    def has_gift(self) -> bool:
        return self.gift_kind != GiftKind.NONE

    def cost(self) -> int:
        """What one greeting of this moment costs, in cents (nothing without a gift)."""
        return self.gift_cost_cents if self.has_gift() else 0

    def fill(self, template: str, name: str) -> str:
        return template.replace("{name}", name).replace("{gift}", self.gift_text.strip())

    def clean(self) -> None:
        from heard.care.moments.wording import check_rule

        errors = check_rule(self)
        if errors:
            raise ValidationError(errors)


class GreetingState(models.TextChoices):
    HELD = "held", "Held"
    AWAITING = "awaiting", "Awaiting approval"
    APPROVED = "approved", "Approved"
    SENT = "sent", "Sent"
    SKIPPED = "skipped", "Skipped"
    FAILED = "failed", "Failed"


OPEN_STATES = (GreetingState.HELD, GreetingState.AWAITING, GreetingState.APPROVED)
# What counts against the budget: approved or sent, and a failed gift (a billing system that
# timed out may have applied it, so its share stays spent); and any gift delivered, whatever
# became of its greeting since (see `GreetingQuerySet.committed`).
COMMITTED_STATES = (GreetingState.APPROVED, GreetingState.SENT, GreetingState.FAILED)


class GiftState(models.TextChoices):
    NONE = "none", "No gift"
    PENDING = "pending", "Pending"
    DELIVERED = "delivered", "Delivered"
    RETRYING = "retrying", "Retrying"
    FAILED = "failed", "Failed"


class GreetingQuerySet(models.QuerySet["Greeting"]):
    def open(self) -> GreetingQuerySet:
        return self.filter(state__in=OPEN_STATES)

    def awaiting(self) -> GreetingQuerySet:
        return self.filter(state=GreetingState.AWAITING)

    def committed(self) -> GreetingQuerySet:
        """What counts against the budget and the yearly limit."""
        return self.filter(Q(state__in=COMMITTED_STATES) | Q(gift_state=GiftState.DELIVERED))

    def in_month(self, day: date) -> GreetingQuerySet:
        return self.filter(occasion_date__year=day.year, occasion_date__month=day.month)

    def due(self, now: datetime) -> GreetingQuerySet:
        """Approved, its hour come, and not claimed or waiting for a retry."""
        return self.filter(state=GreetingState.APPROVED, send_at__lte=now).filter(
            Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
        )


class Greeting(models.Model):
    """One customer's greeting for one occasion of one moment, and what became of it."""

    moment = models.ForeignKey(Moment, models.CASCADE, related_name="greetings")
    customer = models.ForeignKey(Customer, models.CASCADE, related_name="greetings")
    occasion_date = models.DateField(help_text="The day, in the customer's time zone.")
    send_at = models.DateTimeField(help_text="When it goes: that day, in the morning, their time.")
    state = models.CharField(max_length=10, choices=GreetingState.choices)
    why = models.CharField(max_length=300, blank=True, help_text="Why it is held or skipped.")
    held_for = models.ForeignKey(
        Ticket,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The ticket it waits on, if that is why it is held.",
    )
    cost_cents = models.PositiveIntegerField(default=0)
    currency = models.CharField(max_length=3, default="EUR")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    email = models.OneToOneField(
        "mail.OutboundEmail", models.SET_NULL, null=True, blank=True, related_name="greeting"
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    gift_state = models.CharField(max_length=10, choices=GiftState.choices, default=GiftState.NONE)
    gift_attempts = models.PositiveSmallIntegerField(default=0)
    gift_error = models.TextField(blank=True)
    gift_reference = models.CharField(max_length=200, blank=True)
    gift_code = models.CharField(
        max_length=100, blank=True, help_text="What the customer uses to claim the gift, if any."
    )
    # A claim (while one worker sends it) or the next try (a gift to retry, capped mail).
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = GreetingQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["moment", "customer", "occasion_date"], name="one_greeting_an_occasion"
            )
        ]
        indexes = [
            models.Index(
                fields=["send_at"], name="greeting_due", condition=Q(state=GreetingState.APPROVED)
            ),
            models.Index(fields=["moment", "state", "occasion_date"]),
            models.Index(fields=["customer", "occasion_date"]),
        ]

    def __str__(self) -> str:
        return f"{self.moment}: {self.customer} on {self.occasion_date}"

    def cost(self) -> str:
        return money(self.cost_cents, self.currency)

    def is_open(self) -> bool:
        return self.state in OPEN_STATES


class Voucher(models.Model):
    """One code of a moment's list, given to at most one greeting, ever: a code once assigned
    stays used (`assigned_at`) even if its greeting is deleted."""

    moment = models.ForeignKey(Moment, models.CASCADE, related_name="vouchers")
    code = models.CharField(max_length=100, unique=True)
    greeting = models.OneToOneField(
        Greeting, models.SET_NULL, null=True, blank=True, related_name="voucher"
    )
    assigned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["moment", "id"],
                name="voucher_unused",
                condition=Q(assigned_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return self.code


class GreetingEvent(models.Model):
    """An audit row for every change to a greeting or its gift: who, when, what and why."""

    greeting = models.ForeignKey(Greeting, models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    what = models.CharField(max_length=40)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        indexes = [models.Index(fields=["greeting", "at"])]

    def __str__(self) -> str:
        return f"{self.what}: {self.note}"
