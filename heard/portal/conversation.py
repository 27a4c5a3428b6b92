"""What a customer sees of a request's conversation: their messages, our replies and our
automatic messages, never the notes our team writes for each other."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch

from heard.desk.models import Attachment, Direction, Message, Ticket

PUBLIC = (Direction.CUSTOMER, Direction.AGENT, Direction.SYSTEM)


def public_messages() -> Prefetch[Any]:
    """The public messages in order, with their authors and files (two more queries)."""
    messages = Message.objects.filter(direction__in=PUBLIC).order_by("created_at", "pk")
    files = Prefetch("attachments", Attachment.objects.order_by("pk"))
    return Prefetch("messages", messages.select_related("author").prefetch_related(files))


def conversation(ticket: Ticket) -> list[Message]:
    return list(
        ticket.messages.filter(direction__in=PUBLIC)
        .select_related("author")
        .prefetch_related(Prefetch("attachments", Attachment.objects.order_by("pk")))
        .order_by("created_at", "pk")
    )
