"""A ticket's conversation: messages, attachments, events and agents' notifications."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from heard.desk.models.tickets import Ticket
from heard.engine import Emotion as EngineEmotion
from heard.lib import downloads


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
        indexes = [
            models.Index(fields=["ticket", "created_at"]),
            # The desk's recent messages by time (the forecast's replies in its window, and the
            # first message in it), without reading the rows for their kind or ticket.
            models.Index(fields=["created_at", "direction", "ticket"], name="message_recent"),
        ]

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
