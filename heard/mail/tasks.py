"""The mail app's background jobs; each delegates to the module that does the work."""

from __future__ import annotations

from heard import jobs
from heard.jobs import job


@job
def process_email(raw_id: int) -> None:
    """Read, file, thread and answer one received email (and, in a burst, others waiting).

    What filing queues (the acknowledgement, sending it) runs right here after each commit
    rather than behind every other email waiting in the queue: in a burst the first customers
    are answered while the rest are still being filed.
    """
    from heard.mail.filing import processing

    with jobs.inline():
        processing.file_waiting(raw_id)


@job
def file_stranded_email() -> None:
    """File received emails whose job was lost (a safety net, like `send_due_email`)."""
    from heard.mail.filing import processing

    with jobs.inline():
        processing.file_stranded()


@job
def send_email(outbound_id: int) -> None:
    """Send one queued email; a failure schedules a retry with backoff."""
    from heard.mail.sending import outbound

    outbound.send(outbound_id)


@job
def send_due_email() -> None:
    """Send queued and retrying emails whose time has come (a safety net for lost jobs)."""
    from heard.mail.sending import outbound

    outbound.send_due()


@job
def send_staff_digests() -> None:
    """Email each member of staff the notices their hourly limit held back, in one digest."""
    from heard.mail.sending import digest

    digest.send_due_digests()


@job
def poll_imap() -> None:
    """Fetch new messages from the configured IMAP mailbox."""
    from heard.mail.transports import imap

    imap.poll_configured()


@job
def send_acknowledgement(ticket_id: int) -> None:
    """Tell the customer who opened this ticket that they were heard, and when to expect a reply."""
    from heard.mail.sending import acknowledge

    acknowledge.acknowledge(ticket_id)


@job
def send_update(ticket_id: int) -> None:
    """Tell a customer who wrote again unanswered what is happening and when to expect a reply."""
    from heard.mail.sending import acknowledge

    acknowledge.update(ticket_id)


@job
def email_escalation(ticket_id: int, lead_id: int, reason: str) -> None:
    """Email the team lead about an escalation: automatic mail, Auto-Submitted, under the staff
    limit (beyond it, it waits for the digest; the lead has the notification in the app)."""
    from django.conf import settings
    from django.contrib.auth.models import User

    from heard.desk.models import Ticket
    from heard.mail import kinds
    from heard.mail.sending import outbound

    ticket = Ticket.objects.select_related("customer", "team").get(pk=ticket_id)
    lead = User.objects.get(pk=lead_id)
    if not lead.email:
        return
    words = kinds.NOTICE.words()
    link = f"{settings.SITE_URL}/tickets/{ticket.pk}/"
    escalated = words["escalated"].format(
        customer=ticket.customer.name, reference=ticket.reference, reason=reason
    )
    outbound.queue_automatic(
        kinds.NOTICE,
        ticket=ticket,
        to_address=lead.email,
        subject=f"[{ticket.reference}] escalated: {ticket.subject}",
        text="\n\n".join(
            [
                words["greeting"].format(name=lead.first_name or lead.username),
                escalated,
                words["open"].format(link=link),
            ]
        ),
        summary=f"{ticket.subject}: escalated because {reason}",
    )
