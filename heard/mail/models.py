"""What the mail app keeps: every email received, raw, and every email sent.

An inbound email is stored as a `RawEmail` (its exact bytes and their SHA-256) before anything
else happens to it; reading it, threading it and answering it come after, in a job, so a crash or
a bug never loses a customer's words. An outbound email is an `OutboundEmail` row first and is
sent by a job that retries with backoff; its state shows on the ticket.
"""

from __future__ import annotations

import hashlib

from django.db import models
from django.db.models import Q
from django.utils import timezone

from heard.desk.models import Message, Ticket
from heard.mail import kinds


class Source(models.TextChoices):
    SMTP = "smtp", "SMTP receiver"
    IMAP = "imap", "IMAP mailbox"
    FILE = "file", "Imported file"
    WEB = "web", "Portal form"


class Intake(models.TextChoices):
    """What became of a received email."""

    RECEIVED = "received", "Stored, not yet read"
    THREADED = "threaded", "Added to a ticket"
    AUTOMATED = "automated", "Automated mail, filed without a reply"
    DUPLICATE = "duplicate", "Already received"
    UNREADABLE = "unreadable", "Could not be read: ticket for an agent"
    FAILED = "failed", "Processing failed: kept for a retry"


class RawEmail(models.Model):
    data = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    source = models.CharField(max_length=8, choices=Source.choices)
    # The SMTP MAIL FROM: "" for the null sender, None where unknown (IMAP, files).
    envelope_from = models.CharField(max_length=320, null=True, blank=True)
    envelope_to = models.TextField(blank=True)  # one address per line
    origin = models.CharField(
        max_length=500, blank=True, help_text="Where it came from: peer, mailbox and UID, file."
    )
    received_at = models.DateTimeField(default=timezone.now)

    intake = models.CharField(max_length=12, choices=Intake.choices, default=Intake.RECEIVED)
    header_message_id = models.CharField(max_length=998, blank=True)  # no angle brackets
    automated = models.CharField(max_length=300, blank=True)  # why it needs no reply
    error = models.TextField(blank=True)
    ticket = models.ForeignKey(
        Ticket, models.SET_NULL, null=True, blank=True, related_name="raw_emails"
    )
    message = models.OneToOneField(
        Message, models.SET_NULL, null=True, blank=True, related_name="raw_email"
    )
    processed_at = models.DateTimeField(null=True, blank=True)
    # While a worker files it: another worker leaves it alone until then (a worker that died
    # holding it only delays it).
    claimed_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["sha256"]),
            models.Index(fields=["header_message_id"]),
            models.Index(fields=["origin"]),
            models.Index(fields=["intake", "received_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.source} email {self.pk} ({self.intake})"

    @staticmethod
    def checksum(data: bytes) -> str:
        return hashlib.sha256(data).hexdigest()

    def recipients(self) -> list[str]:
        return [line for line in self.envelope_to.splitlines() if line]


class Delivery(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENT = "sent", "Sent"
    RETRYING = "retrying", "Retrying"
    FAILED = "failed", "Failed"


class OutboundEmail(models.Model):
    ticket = models.ForeignKey(
        Ticket, models.CASCADE, null=True, blank=True, related_name="outbound_emails"
    )
    message = models.OneToOneField(
        Message, models.SET_NULL, null=True, blank=True, related_name="outbound_email"
    )
    kind = models.CharField(max_length=16, help_text="Its code in heard.mail.kinds.")
    from_header = models.CharField(max_length=400)
    to_address = models.CharField(max_length=320)
    reply_to = models.CharField(max_length=400, blank=True)
    subject = models.CharField(max_length=400)
    header_message_id = models.CharField(max_length=400, unique=True)  # no angle brackets
    in_reply_to = models.CharField(max_length=998, blank=True)
    references = models.TextField(blank=True)  # space-separated, without angle brackets
    text = models.TextField()
    html = models.TextField(blank=True)
    # Where one click stops this kind for this recipient (List-Unsubscribe); "" for none.
    unsubscribe_url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    delivery = models.CharField(max_length=8, choices=Delivery.choices, default=Delivery.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["to_address", "kind", "created_at"]),
            models.Index(
                fields=["next_attempt_at"],
                name="outbound_due",
                condition=Q(delivery__in=["queued", "retrying"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} to {self.to_address} ({self.delivery})"

    def email_kind(self) -> kinds.EmailKind:
        return kinds.get(self.kind)

    def kind_label(self) -> str:
        try:
            return self.email_kind().label
        except LookupError:  # a kind no app declares any more
            return self.kind

    def is_automatic(self) -> bool:
        return self.kind in kinds.automatic()


class HeldNoticeQuerySet(models.QuerySet["HeldNotice"]):
    def waiting(self) -> HeldNoticeQuerySet:
        """Notices no digest has taken yet."""
        return self.filter(digest__isnull=True)


class HeldNotice(models.Model):
    """A notice to a member of staff held back by their hourly limit, waiting for the digest.

    The person already has it in the app (a `Notification`); the digest job gathers every waiting
    notice to one address into one email (`heard.mail.sending.digest`) and marks the rows it took.
    """

    ticket = models.ForeignKey(
        Ticket, models.CASCADE, null=True, blank=True, related_name="held_notices"
    )
    to_address = models.CharField(max_length=320)
    subject = models.CharField(max_length=400)
    text = models.TextField()
    summary = models.CharField(max_length=300, blank=True)  # its line in the digest
    reason = models.CharField(max_length=300)  # why it was not sent at once
    created_at = models.DateTimeField(default=timezone.now)
    digest = models.ForeignKey(
        OutboundEmail, models.CASCADE, null=True, blank=True, related_name="held_notices"
    )

    objects = HeldNoticeQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(
                fields=["to_address", "created_at"],
                name="held_notice_waiting",
                condition=Q(digest__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"notice to {self.to_address} held back ({self.reason})"
