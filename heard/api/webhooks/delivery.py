"""Sending one delivery: signed, logged, retried with backoff, and a failing webhook disabled.

An attempt is a JSON POST of the event (its id, name, time and payload) with
`X-Heard-Event`, `X-Heard-Delivery`, `X-Heard-Timestamp` and `X-Heard-Signature: sha256=<hex>`,
the HMAC-SHA256 of "timestamp.body" with the subscription's secret (verification snippet in
`heard.api.webhooks`). A 2xx answer delivers it; anything else (another status, no answer in
HEARD_WEBHOOK_TIMEOUT seconds, a redirect, which is never followed) is logged and retried after
HEARD_WEBHOOK_RETRY_SECONDS, doubling, at most `MAX_RETRY_DELAY` apart, HEARD_WEBHOOK_ATTEMPTS
attempts in all; then it has failed for good. A success resets the subscription's count of
deliveries failed for good; at HEARD_WEBHOOK_DISABLE_AFTER in a row the subscription is disabled
and whoever set it up and the team's lead are told, in the app and by email.

Each attempt first claims the delivery (a conditional update with a lease), so the job queued
when the event happened and the periodic sweep never send it twice at once.
"""

from __future__ import annotations

import json
import logging
import time
import urllib.error
import urllib.request
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import F, Q
from django.utils import timezone

from heard.api import kinds
from heard.api.models import (
    OPEN_DELIVERY_STATES,
    Attempt,
    Delivery,
    DeliveryState,
    Subscription,
)
from heard.desk import actions
from heard.jobs import enqueue
from heard.lib.signature import signature_headers
from heard.mail.sending import outbound

log = logging.getLogger(__name__)

MAX_RETRY_DELAY = timedelta(hours=6)
LEASE = timedelta(minutes=2)  # longer than any attempt may take
SWEEP_BATCH = 200


def body(delivery: Delivery) -> bytes:
    event = delivery.event
    sent = {"id": event.pk, "created_at": event.created_at.isoformat(), **event.payload}
    return json.dumps(sent, sort_keys=True).encode()


def headers(delivery: Delivery, data: bytes, now: datetime) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "User-Agent": "Heard webhooks",
        "X-Heard-Event": delivery.event.name,
        "X-Heard-Delivery": str(delivery.pk),
        **signature_headers(delivery.subscription.secret, data, now.timestamp()),
    }


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer we do not follow: the address given must take the POST."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def post(url: str, data: bytes, sent_headers: dict[str, str]) -> tuple[int | None, str]:
    """(the answer's status code, '' or why it is not a success)."""
    request = urllib.request.Request(  # noqa: S310 (http and https only: actions.check_webhook)
        url, data=data, method="POST", headers=sent_headers
    )
    opener = urllib.request.build_opener(_NoRedirects)
    try:
        with opener.open(request, timeout=settings.HEARD_WEBHOOK_TIMEOUT) as answer:
            return answer.status, ""
    except urllib.error.HTTPError as error:
        return error.code, f"answered {error.code} {error.reason}"[:300]
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        return None, f"could not be reached: {reason}"[:300]


def retry_delay(attempts: int) -> timedelta:
    seconds = settings.HEARD_WEBHOOK_RETRY_SECONDS * 2 ** max(attempts - 1, 0)
    return min(timedelta(seconds=seconds), MAX_RETRY_DELAY)


def claim(delivery_id: int, now: datetime) -> bool:
    """Take the delivery for one attempt if it is due and nobody holds it."""
    return bool(
        Delivery.objects.filter(pk=delivery_id, state__in=OPEN_DELIVERY_STATES)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .filter(Q(state=DeliveryState.PENDING) | Q(next_attempt_at__lte=now))
        .update(claimed_until=now + LEASE)
    )


def deliver(delivery_id: int, now: datetime | None = None) -> str | None:
    """One attempt at the delivery, if it is due; its state afterwards, or None if not tried."""
    now = now or timezone.now()
    if not claim(delivery_id, now):
        return None
    delivery = Delivery.objects.select_related("subscription__team", "event").get(pk=delivery_id)
    subscription = delivery.subscription
    if not subscription.active:
        _finish(delivery, DeliveryState.FAILED, error="not sent: the webhook is switched off")
        return DeliveryState.FAILED
    data = body(delivery)
    started = time.monotonic()
    code, error = post(subscription.url, data, headers(delivery, data, now))
    took = int((time.monotonic() - started) * 1000)
    if code is not None and 200 <= code < 300:
        error = ""
    Attempt.objects.create(
        delivery=delivery, at=now, response_code=code, error=error, duration_ms=took
    )
    attempts = delivery.attempts + 1
    if not error:
        _finish(delivery, DeliveryState.DELIVERED, attempts, code, delivered_at=now)
        Subscription.objects.filter(pk=subscription.pk, failures_in_a_row__gt=0).update(
            failures_in_a_row=0
        )
        return DeliveryState.DELIVERED
    if attempts < settings.HEARD_WEBHOOK_ATTEMPTS:
        retry_at = now + retry_delay(attempts)
        _finish(delivery, DeliveryState.RETRYING, attempts, code, error, retry_at)
        return DeliveryState.RETRYING
    _finish(delivery, DeliveryState.FAILED, attempts, code, error)
    _failed_for_good(subscription, error, now)
    return DeliveryState.FAILED


def _finish(
    delivery: Delivery,
    state: str,
    attempts: int | None = None,
    code: int | None = None,
    error: str = "",
    next_attempt_at: datetime | None = None,
    delivered_at: datetime | None = None,
) -> None:
    Delivery.objects.filter(pk=delivery.pk).update(
        state=state,
        attempts=delivery.attempts if attempts is None else attempts,
        response_code=code if code is not None else delivery.response_code,
        error=error[:300],
        next_attempt_at=next_attempt_at,
        delivered_at=delivered_at,
        claimed_until=None,
    )


def _failed_for_good(subscription: Subscription, error: str, now: datetime) -> None:
    Subscription.objects.filter(pk=subscription.pk).update(
        failures_in_a_row=F("failures_in_a_row") + 1
    )
    subscription.refresh_from_db(fields=["failures_in_a_row", "active"])
    limit = settings.HEARD_WEBHOOK_DISABLE_AFTER
    if subscription.active and subscription.failures_in_a_row >= limit:
        reason = f"{limit} deliveries in a row failed after every retry; the last: {error}"
        disable(subscription, reason[:300], now)


def disable(subscription: Subscription, reason: str, now: datetime) -> bool:
    """Switch the subscription off (once, whoever gets there first), give up its waiting
    deliveries, and tell the people who manage it. Returns whether this call did it."""
    switched = Subscription.objects.filter(pk=subscription.pk, active=True).update(
        active=False, disabled_at=now, disabled_reason=reason
    )
    if not switched:
        return False
    Delivery.objects.filter(subscription=subscription, state__in=OPEN_DELIVERY_STATES).update(
        state=DeliveryState.FAILED,
        error="not sent: the webhook was disabled",
        next_attempt_at=None,
        claimed_until=None,
    )
    _tell(subscription, reason)
    return True


def _tell(subscription: Subscription, reason: str) -> None:
    """Whoever set it up and the team's lead: a notice in the app, and an email (a staff
    notice, through the one door for automatic mail)."""
    team = subscription.team
    ids = {subscription.created_by_id, team.lead_id} - {None}
    people = User.objects.filter(pk__in=ids, is_active=True)
    words = kinds.WEBHOOK_DISABLED.words()
    said = words["notice"].format(url=subscription.url, team=team.name, reason=reason)
    actions.notify([person.pk for person in people], None, said)
    for person in people:
        if not person.email:
            continue
        outbound.queue_automatic(
            kinds.WEBHOOK_DISABLED,
            to_address=person.email,
            subject=words["subject"].format(team=team.name),
            text="\n\n".join(
                [
                    words["greeting"].format(name=person.first_name or person.get_username()),
                    said,
                    words["again"],
                ]
            ),
            why={"team": team.name},
            summary=said,
        )


def sweep(now: datetime | None = None) -> int:
    """Queue an attempt at every delivery that is due (a retry, or one whose job was lost);
    returns how many. Each attempt claims its delivery, so running this twice sends nothing
    twice."""
    now = now or timezone.now()
    due = (
        Delivery.objects.filter(state__in=OPEN_DELIVERY_STATES, next_attempt_at__lte=now)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    from heard.api.tasks import deliver_webhook  # tasks import this module

    found = list(due)
    for pk in found:
        enqueue(deliver_webhook, pk)
    return len(found)
