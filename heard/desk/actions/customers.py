"""What customers choose for themselves, what they are called, and forgetting a customer who
asks for it."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import CharField, Q

from heard.desk import signals
from heard.desk.actions.base import Actor, _now, record_event
from heard.desk.actions.consent import record_consent, set_automatic_updates
from heard.desk.actions.for_apps import notify
from heard.desk.errors import DeskError, ErrorCode
from heard.desk.models import (
    CONSENTS_IN_FORCE,
    Agent,
    Attachment,
    ConsentKind,
    Customer,
    CustomerEmail,
    ForgetRequest,
    Message,
    Notification,
    Role,
    Ticket,
    TicketEvent,
)

#: What stands where a forgotten customer's words were.
REMOVED = "[removed at the customer's request]"
FORGOTTEN_NAME = "Forgotten customer"
_LEADING = (Role.LEAD, Role.ADMIN)

# --- preferences -----------------------------------------------------------------------------


def check_time_zone(name: str) -> str:
    """`name` if it is an IANA time zone ("Europe/Ljubljana"), else a DeskError."""
    try:
        ZoneInfo(name)
    except (ValueError, ZoneInfoNotFoundError):
        raise DeskError(f"{name!r} is not a time zone we know.", ErrorCode.INVALID) from None
    return name


@transaction.atomic
def update_customer_preferences(
    customer: Customer,
    *,
    consents: Mapping[str, bool],
    automatic_updates: bool,
    birthday: date | None,
    language: str,
    time_zone: str,
    source: str,
    by: User | None = None,
    at: datetime | None = None,
) -> list[str]:
    """Record what the customer chose (in the portal, or an agent for them: `source`, `by`):
    each consent that changed as a new `Consent` row, the automatic updates on their requests,
    their birthday, language and time zone. Returns what changed, in words, for the page."""
    at = _now(at)
    language = language.strip()
    if not language or len(language) > 16:
        raise DeskError("Choose a language.", ErrorCode.INVALID)
    check_time_zone(time_zone)
    fresh = Customer.objects.select_related(*CONSENTS_IN_FORCE).get(pk=customer.pk)
    fields = {"birthday": birthday, "language": language, "time_zone": time_zone}
    changed = [name.replace("_", " ") for name, v in fields.items() if getattr(fresh, name) != v]
    Customer.objects.filter(pk=customer.pk).update(**fields)
    for name, value in fields.items():
        setattr(customer, name, value)
    for kind, given in consents.items():
        if fresh.has_consent(kind) != given:
            record_consent(customer, kind, given, source, by=by, at=at)
            changed.append(ConsentKind(kind).label.lower())
    if (fresh.updates_stopped_at is None) != automatic_updates:
        set_automatic_updates(customer, automatic_updates, at=at)
        changed.append("automatic updates")
    return changed


@transaction.atomic
def rename_customer(
    customer: Customer, name: str | None = None, preferred_name: str | None = None
) -> list[str]:
    """Correct what the customer is called: their `name`, and what they like to be called
    (`preferred_name`, "" for nothing); None keeps either as it is. Whitespace is tidied. A
    forgotten customer keeps `FORGOTTEN_NAME`: their name was removed at their request. Returns
    what changed, in words."""
    fields: dict[str, str] = {}
    if name is not None:
        fields["name"] = " ".join(name.split())
        if not fields["name"]:
            raise DeskError("Give the customer's name.", ErrorCode.EMPTY)
    if preferred_name is not None:
        fields["preferred_name"] = " ".join(preferred_name.split())
    for field, value in fields.items():
        column = Customer._meta.get_field(field)
        limit = column.max_length if isinstance(column, CharField) else None
        if limit is not None and len(value) > limit:
            raise DeskError(f"A {field.replace('_', ' ')} has at most {limit} characters.")
    fresh = Customer.objects.select_for_update().get(pk=customer.pk)
    if ForgetRequest.objects.filter(customer=customer, forgotten_at__isnull=False).exists():
        raise DeskError("This customer was forgotten at their request.", ErrorCode.NOT_ALLOWED)
    changed = {field: value for field, value in fields.items() if getattr(fresh, field) != value}
    if changed:
        Customer.objects.filter(pk=customer.pk).update(**changed)
        for field, value in changed.items():
            setattr(customer, field, value)
    return [field.replace("_", " ") for field in changed]


# --- forgetting ------------------------------------------------------------------------------


def request_forgetting(
    customer: Customer, source: str = "portal", at: datetime | None = None
) -> ForgetRequest:
    """The customer asks to be forgotten: a request waits for a lead or administrator to
    confirm it, and they are told in the app. Asking again while one waits changes nothing."""
    with transaction.atomic():
        Customer.objects.select_for_update().filter(pk=customer.pk).first()  # one at a time
        waiting = ForgetRequest.objects.filter(customer=customer, forgotten_at=None).first()
        if waiting is not None:
            return waiting
        request = ForgetRequest.objects.create(
            customer=customer, source=source.strip()[:32] or "portal", requested_at=_now(at)
        )
        leads = Agent.objects.filter(role__in=_LEADING, user__is_active=True)
        # No name in the notice: it would outlive the forgetting.
        text = f"A customer asked to be forgotten (request {request.pk}): see Forget requests."
        notify(leads.values_list("user_id", flat=True), None, text, at=at)
    return request


def check_can_forget(actor: Actor) -> None:
    if actor.role not in _LEADING:
        raise DeskError(
            "Only a team lead or an administrator can confirm a forget request.",
            ErrorCode.NOT_ALLOWED,
        )


@transaction.atomic
def forget_customer(
    forget_request: ForgetRequest, actor: Actor, at: datetime | None = None
) -> ForgetRequest:
    """Forget the customer of a waiting request, as they asked: every message on their tickets
    says `REMOVED` (its reading keeps the emotion but no longer points at words), attachments
    are deleted, their name, preferred name, birthday and notes are cleared, their addresses
    deleted, and the subjects of their tickets removed. The tickets stay, with their status,
    times, team and mood, for the team's figures. `signals.customer_forgotten` then lets the
    other apps remove what they keep (raw and sent emails, sessions)."""
    check_can_forget(actor)
    at = _now(at)
    waiting = ForgetRequest.objects.select_for_update().select_related("customer")
    forget_request = waiting.get(pk=forget_request.pk)
    if not forget_request.is_waiting():
        raise DeskError("This customer was forgotten already.", ErrorCode.INVALID)
    customer = forget_request.customer
    addresses = list(customer.emails.values_list("address", flat=True))
    ticket_ids = list(Ticket.objects.filter(customer=customer).values_list("pk", flat=True))
    _remove_words(ticket_ids, [customer.name, *addresses])
    Customer.objects.filter(pk=customer.pk).update(
        name=FORGOTTEN_NAME, preferred_name="", birthday=None, notes="", language="en"
    )
    CustomerEmail.objects.filter(customer=customer).delete()
    forget_request.forgotten_at, forget_request.confirmed_by = at, actor.user
    forget_request.save(update_fields=["forgotten_at", "confirmed_by"])
    note = "the customer's words and details were removed at their request"
    for ticket in Ticket.objects.filter(pk__in=ticket_ids):
        record_event(ticket, actor, "forgotten", note=note, at=at)
    signals.customer_forgotten.send(
        sender=Customer, customer_id=customer.pk, ticket_ids=ticket_ids, addresses=addresses
    )
    return forget_request


def _remove_words(ticket_ids: list[int], identifying: list[str]) -> None:
    """What the tickets say, gone: messages, attachments (their files once the change commits),
    subjects, and history notes and notices that name the customer or an address of theirs."""
    messages = Message.objects.filter(ticket__in=ticket_ids)
    for message in messages.exclude(reading=None).only("pk", "reading"):
        reading = {**(message.reading or {}), "cues": []}  # they marked words that are gone
        Message.objects.filter(pk=message.pk).update(reading=reading)
    messages.update(text=REMOVED, html="")
    attachments = Attachment.objects.filter(message__ticket__in=ticket_ids)
    files = [(a.file.storage, a.file.name) for a in attachments if a.file]
    attachments.delete()

    def delete_files() -> None:
        for storage, name in files:
            storage.delete(name)

    transaction.on_commit(delete_files)
    Ticket.objects.filter(pk__in=ticket_ids).update(subject=REMOVED)
    words = [w for w in identifying if w.strip()]
    if words:
        TicketEvent.objects.filter(_naming("note", words), ticket__in=ticket_ids).update(
            note=REMOVED
        )
        Notification.objects.filter(_naming("text", words), ticket__in=ticket_ids).update(
            text=REMOVED
        )


def _naming(field: str, words: list[str]) -> Q:
    """Rows whose `field` holds any of `words`, in any case."""
    found = Q()
    for word in words:
        found |= Q(**{f"{field}__icontains": word})
    return found
