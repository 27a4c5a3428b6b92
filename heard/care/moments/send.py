"""The sending job: each approved greeting whose morning has come, gift first, then the email.

A greeting is claimed (a conditional update that leases it for `LEASE`), then looked at again as
the planner would (consent, the customer's mood, the day not long past, the moment still on).
Its gift is delivered before the greeting is written, and the greeting says what was delivered:
a code only once one is assigned to this customer, credit or minutes only once the voucher that
claims them is assigned or the billing system confirmed them. A gift not delivered yet waits for
its retry; a gift that failed for good sends no greeting (and the lead is told, see `gifts`).

The email is `kinds.GREETING` through `queue_automatic`, which checks consent again and the caps,
and adds the reason line and the way to stop. Held back by the caps, the greeting tries again
later (`CAPPED_RETRY`, until its day is long past); refused for good (consent withdrawn, a
bouncing address), it is skipped with the reason. Safe to run twice at once: the claim, and a
row lock before the email is queued, let one worker send each greeting once.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.utils import timezone

from heard.care import kinds
from heard.care.models import GiftState, Greeting, GreetingState
from heard.care.moments import audit, gifts, holds, plan, wording
from heard.desk.models import CONSENTS_IN_FORCE, Customer
from heard.mail.sending import outbound

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=10)  # a claimed greeting is not claimed again before this passes
CAPPED_RETRY = timedelta(hours=1)
SEND_BATCH = 100


def send_due(now: datetime | None = None) -> int:
    """Send every approved greeting whose time has come; returns how many were sent."""
    now = now or timezone.now()
    sent = 0
    while claimed := _claim_due(now):
        for pk in claimed:
            try:
                sent += send_one(pk, now)
            except Exception:  # its lease runs out and the next run tries again
                log.exception("could not send the greeting %s", pk)
    return sent


def _claim_due(now: datetime) -> list[int]:
    due = Greeting.objects.due(now)
    with transaction.atomic():
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        candidates = list(due.order_by("send_at", "pk").values_list("pk", flat=True)[:SEND_BATCH])
        return [pk for pk in candidates if _claim(pk, now)]


def _claim(pk: int, now: datetime) -> bool:
    return Greeting.objects.due(now).filter(pk=pk).update(next_attempt_at=now + LEASE) == 1


def send_one(pk: int, now: datetime) -> bool:
    """Deliver a claimed greeting's gift and send it, if it may still go; True once sent."""
    greeting = Greeting.objects.select_related(
        "moment__team", "customer__birthday_consent"
    ).get(pk=pk)
    if greeting.state != GreetingState.APPROVED:
        return False
    upset = holds.holds([greeting.customer_id]).get(greeting.customer_id)
    if not plan.still(greeting, upset, now):
        return False
    address = greeting.customer.primary_email()
    refused = outbound.refusal(address) if address else "the customer has no email address"
    if refused:
        return _skip(greeting, refused, now)
    capped = outbound.over_cap(address, now)
    if capped:
        return _later(greeting, capped, now)
    undelivered = greeting.moment.has_gift() and greeting.gift_state != GiftState.DELIVERED
    if undelivered and gifts.deliver(greeting, now) is None:
        return False  # retrying, or failed for good: recorded by gifts.deliver
    return _greet(greeting, address, now)


def _greet(greeting: Greeting, address: str, now: datetime) -> bool:
    with transaction.atomic():
        mine = Greeting.objects.select_for_update().filter(
            pk=greeting.pk, state=GreetingState.APPROVED, email__isnull=True
        )
        if not mine.exists():
            return False  # another worker got here first
        email = outbound.queue_automatic(
            kinds.GREETING,
            customer=greeting.customer,
            to_address=address,
            subject=wording.subject(greeting),
            text=wording.text(greeting, greeting.gift_code),
        )
        if email is None:
            return _held_back(greeting, address, now)
        return audit.move(
            greeting,
            GreetingState.SENT,
            from_states=[GreetingState.APPROVED],
            at=now,
            what="sent",
            email=email,
            sent_at=now,
            next_attempt_at=None,
        )


def _held_back(greeting: Greeting, address: str, now: datetime) -> bool:
    """Why queue_automatic held it back: the caps wait, anything else is for good."""
    customer = Customer.objects.select_related(*CONSENTS_IN_FORCE).get(pk=greeting.customer_id)
    capped = outbound.over_cap(address, now)
    refused = outbound.refusal(address) or outbound.withheld(kinds.GREETING, address, customer)
    if refused is None and capped is not None:
        return _later(greeting, capped, now)
    return _skip(greeting, refused or "held back", now)


def _skip(greeting: Greeting, reason: str, now: datetime) -> bool:
    audit.move(
        greeting,
        GreetingState.SKIPPED,
        from_states=[GreetingState.APPROVED],
        at=now,
        why=f"not sent: {reason}",
        next_attempt_at=None,
    )
    return False


def _later(greeting: Greeting, reason: str, now: datetime) -> bool:
    """Try again after CAPPED_RETRY: the caps are sliding windows."""
    retry = now + CAPPED_RETRY
    Greeting.objects.filter(pk=greeting.pk, state=GreetingState.APPROVED).update(
        next_attempt_at=retry
    )
    audit.record(greeting, "waiting", f"{reason}; next try {retry:%d %b %H:%M %Z}", at=now)
    return False
