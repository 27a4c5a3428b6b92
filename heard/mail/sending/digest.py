"""The digest: notices a member of staff's hourly limit held back, gathered into one email.

A notice to staff over HEARD_STAFF_NOTICES_PER_HOUR is kept as a `HeldNotice` (and its ticket's
history says so; an escalation is in the lead's notifications in the app at once). The periodic
job `heard.mail.tasks.send_staff_digests` calls `send_due_digests()`, which sends each address
one email listing every notice waiting for it, at most once per HEARD_STAFF_DIGEST_MINUTES.

Safe to run twice at once: a digest claims its notices with one conditional update, and a run
that claims none (another took them) rolls its email back; on PostgreSQL the recipient's advisory
lock also serialises the interval check, and SQLite lets one transaction write at a time.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from heard.desk import actions
from heard.mail import kinds
from heard.mail.models import HeldNotice, OutboundEmail
from heard.mail.sending import compose, outbound

__all__ = ["digest_text", "send_due_digests"]

log = logging.getLogger(__name__)


def send_due_digests(now: datetime | None = None) -> int:
    """Send every digest that is due; returns how many went."""
    now = now or timezone.now()
    waiting = (
        HeldNotice.objects.waiting()
        .filter(created_at__lte=now)
        .values_list("to_address", flat=True)
        .distinct()
        .order_by()
    )
    return sum(_send_digest(address, now) for address in list(waiting))


@transaction.atomic
def _send_digest(address: str, now: datetime) -> bool:
    """Claim the notices waiting for `address` into one digest, unless one went too recently."""
    outbound.lock_recipient(address)
    since = now - timedelta(minutes=settings.HEARD_STAFF_DIGEST_MINUTES)
    if OutboundEmail.objects.filter(
        to_address=address, kind=kinds.DIGEST.code, created_at__gt=since
    ).exists():
        return False
    email = outbound.create_automatic(
        kinds.DIGEST, ticket=None, to_address=address, subject="Digest", text="", at=now
    )  # sent after the commit, with the text set below
    claimed = (
        HeldNotice.objects.waiting()
        .filter(to_address=address, created_at__lte=now)
        .update(digest=email)
    )
    if not claimed:  # another run took them first
        transaction.set_rollback(True)
        return False
    held = list(email.held_notices.select_related("ticket").order_by("created_at", "pk"))
    email.subject = f"{len(held)} notices held back for this digest"
    email.text = digest_text(address, held)
    email.html = compose.text_to_html(email.text)
    email.save(update_fields=["subject", "text", "html"])
    for notice in held:
        if notice.ticket is not None:
            actions.record_event(
                notice.ticket,
                None,
                "email digest",
                note=f"notification to {address} sent in a digest of {len(held)} notices",
                at=now,
            )
    log.info("digest of %d notices to %s queued", len(held), address)
    return True


def digest_text(address: str, held: list[HeldNotice]) -> str:
    words = kinds.DIGEST.words()
    user = get_user_model().objects.filter(email__iexact=address, is_active=True).first()
    name = (user.first_name or user.get_username()) if user is not None else ""
    greeting = words["greeting_named"].format(name=name) if name else words["greeting_plain"]
    link = f"{settings.SITE_URL}{reverse('console:notifications')}"
    lines = [greeting, "", words["intro"].format(count=len(held), link=link), ""]
    for notice in held:
        at = timezone.localtime(notice.created_at).strftime("%a %d %b %H:%M %Z")
        reference = notice.ticket.reference if notice.ticket is not None else "(no ticket)"
        lines.append(f"- {reference}, {at}: {notice.summary or notice.subject}")
        if notice.ticket is not None:
            link = reverse("console:ticket", args=[notice.ticket.pk])
            lines.append(f"  {settings.SITE_URL}{link}")
    why = words["why"].format(limit=settings.HEARD_STAFF_NOTICES_PER_HOUR)
    return "\n".join([*lines, "", why]) + "\n"
