"""Follow-ups: the one "is it better now?" a customer who agreed gets some days after a solve.

Not to be confused with a follow-up ticket (`Ticket.follow_up_of`), which the desk opens when a
customer writes on a closed ticket.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from heard.care.models.window import AnswerWindow
from heard.desk.models import Ticket


class Answer(models.TextChoices):
    """The customer's answer, best first."""

    BETTER = "better", "Better now"
    NOT_YET = "not_yet", "Not yet"
    BROKEN = "broken", "Still broken"


class FollowUp(AnswerWindow, models.Model):
    """One check-in per solved ticket, emailed by `heard.care.follow_ups` and answered on a
    portal page; the answer is empty until the customer presses Send there."""

    days_open_setting = "HEARD_FOLLOW_UP_DAYS_OPEN"

    ticket = models.OneToOneField(Ticket, models.CASCADE, related_name="follow_up")
    created_at = models.DateTimeField(default=timezone.now)
    email = models.OneToOneField(
        "mail.OutboundEmail",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="follow_up",
        help_text="Empty when it was not sent (no address, or the caps on automatic mail).",
    )
    answer = models.CharField(max_length=8, choices=Answer.choices, blank=True)
    words = models.TextField(blank=True, help_text="What the customer added to their answer.")
    answered_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"follow-up of {self.ticket.reference}"


    def is_better(self) -> bool:
        return self.answer == Answer.BETTER
