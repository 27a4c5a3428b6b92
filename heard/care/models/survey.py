"""Satisfaction surveys: what customers told us about the help they got."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from heard.care.models.window import AnswerWindow
from heard.desk.models import Ticket


class Rating(models.IntegerChoices):
    VERY_UNHAPPY = 1, "Very unhappy"
    UNHAPPY = 2, "Unhappy"
    OKAY = 3, "Okay"
    HAPPY = 4, "Happy"
    VERY_HAPPY = 5, "Very happy"


class Survey(AnswerWindow, models.Model):
    """One short satisfaction question per solved ticket, offered by email to a customer who
    agreed to surveys (`heard.care.surveys`)."""

    days_open_setting = "HEARD_SURVEY_DAYS_OPEN"

    ticket = models.OneToOneField(Ticket, models.CASCADE, related_name="survey")
    created_at = models.DateTimeField(default=timezone.now)
    email = models.OneToOneField(
        "mail.OutboundEmail",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="survey",
        help_text="Empty when it was not sent (no address, or the caps on automatic mail).",
    )
    rating = models.PositiveSmallIntegerField(choices=Rating.choices, null=True, blank=True)
    comment = models.TextField(blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"survey of {self.ticket.reference}"

