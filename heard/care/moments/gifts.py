"""Gift providers: how a greeting's gift reaches the customer, behind one interface.

- `VoucherList` (in the box, HEARD_GIFT_PROVIDER=vouchers): the next unused code of the moment's
  list, assigned atomically (a conditional update, and on PostgreSQL `SKIP LOCKED` so two senders
  take different codes), never the same code twice. A voucher gift always comes from the list;
  with this provider credit and minutes do too (a code that claims them).
- `Webhook` (HEARD_GIFT_PROVIDER=webhook): a JSON POST to a billing system at
  HEARD_GIFT_WEBHOOK_URL, signed with HMAC-SHA256 over "timestamp.body" with
  HEARD_GIFT_WEBHOOK_SECRET (`X-Heard-Timestamp`, `X-Heard-Signature: sha256=…`), with an
  `Idempotency-Key` naming the greeting (so a retry after a timeout credits once) and a timeout.
  A 2xx answer confirms it; its JSON may carry a "reference" and a "code" to claim the gift.

`deliver` records each attempt on the greeting: delivered, or retrying with backoff
(HEARD_GIFT_RETRY_SECONDS doubling, at most `MAX_RETRY_DELAY`), or after HEARD_GIFT_ATTEMPTS
attempts (or at once on a refusal retrying cannot fix) failed, with no greeting sent and the
lead told.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from heard.care.models import GiftKind, GiftState, Greeting, GreetingState, Moment, Voucher
from heard.care.moments import audit, notices
from heard.lib.signature import signature_headers

MAX_RETRY_DELAY = timedelta(hours=6)
MAX_ANSWER_BYTES = 64 * 1024
RETRYABLE_STATUSES = {408, 409, 425, 429}  # 4xx answers that may go through later


class GiftError(Exception):
    """A gift not delivered; `permanent` when trying again cannot help."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


@dataclass(frozen=True)
class Delivered:
    reference: str  # the provider's name for it ("voucher BDAY-7K2Q", a billing id)
    code: str = ""  # what the customer uses to claim it, if anything


class GiftProvider(Protocol):
    def deliver(self, greeting: Greeting) -> Delivered:
        """Deliver the greeting's gift, or raise GiftError. Safe to call again for the same
        greeting (it must never give twice)."""
        ...


class VoucherList:
    def deliver(self, greeting: Greeting) -> Delivered:
        while True:
            mine = Voucher.objects.filter(greeting=greeting).first()
            if mine is not None:  # assigned by an earlier attempt
                return Delivered(f"voucher {mine.code}", mine.code)
            unused = Voucher.objects.filter(moment=greeting.moment_id, assigned_at__isnull=True)
            with transaction.atomic():
                if connection.features.has_select_for_update_skip_locked:
                    unused = unused.select_for_update(skip_locked=True)
                candidate = unused.order_by("pk").first()
                if candidate is None:
                    raise GiftError(f"the voucher list of “{greeting.moment}” has no code left")
                Voucher.objects.filter(pk=candidate.pk, assigned_at__isnull=True).update(
                    greeting=greeting, assigned_at=timezone.now()
                )  # taken by someone else meanwhile: the loop tries the next one


class Webhook:
    def __init__(self, url: str, secret: str, timeout: float) -> None:
        self.url, self.secret, self.timeout = url, secret, timeout

    def deliver(self, greeting: Greeting) -> Delivered:
        body = json.dumps(payload(greeting), sort_keys=True).encode()
        request = urllib.request.Request(  # noqa: S310 (settings allow only http and https)
            self.url, data=body, method="POST", headers=self.headers(body, greeting)
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:  # noqa: S310
                raw = answer.read(MAX_ANSWER_BYTES)
        except urllib.error.HTTPError as error:
            permanent = 400 <= error.code < 500 and error.code not in RETRYABLE_STATUSES
            raise GiftError(
                f"the billing system answered {error.code} {error.reason}", permanent=permanent
            ) from None
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise GiftError(f"the billing system could not be reached: {reason}") from None
        found = _json(raw)
        return Delivered(str(found.get("reference") or ""), str(found.get("code") or ""))

    def headers(self, body: bytes, greeting: Greeting) -> dict[str, str]:
        return {
            "Content-Type": "application/json",
            "User-Agent": "Heard gifts",
            "Idempotency-Key": idempotency_key(greeting),
            **signature_headers(self.secret, body, time.time()),
        }


def idempotency_key(greeting: Greeting) -> str:
    return f"heard-greeting-{greeting.pk}"


def payload(greeting: Greeting) -> dict[str, object]:
    moment, customer = greeting.moment, greeting.customer
    return {
        "idempotency_key": idempotency_key(greeting),
        "greeting": greeting.pk,
        "moment": {"id": moment.pk, "name": moment.name, "occasion": moment.occasion},
        "occasion_date": greeting.occasion_date.isoformat(),
        "customer": {"id": customer.pk, "name": customer.name, "email": customer.primary_email()},
        "gift": {
            "kind": moment.gift_kind,
            "text": moment.gift_text,
            "cost_cents": greeting.cost_cents,
            "currency": greeting.currency,
        },
    }


def _json(raw: bytes) -> dict[str, object]:
    try:
        found = json.loads(raw or b"{}")
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def add_vouchers(moment: Moment, codes: Iterable[str]) -> int:
    """Add codes to the moment's list (blank lines and repeats ignored); returns how many were
    new. A code already on any list is refused: a code is only ever given once."""
    wanted = list(dict.fromkeys(code.strip() for code in codes if code.strip()))
    taken = set(Voucher.objects.filter(code__in=wanted).values_list("code", flat=True))
    if taken:
        raise GiftError(f"already on a list: {', '.join(sorted(taken)[:5])}", permanent=True)
    return len(Voucher.objects.bulk_create(Voucher(moment=moment, code=code) for code in wanted))


def provider(greeting: Greeting) -> GiftProvider:
    """Vouchers always from the list; credit and minutes by HEARD_GIFT_PROVIDER."""
    if greeting.moment.gift_kind == GiftKind.VOUCHER or settings.HEARD_GIFT_PROVIDER != "webhook":
        return VoucherList()
    return Webhook(
        settings.HEARD_GIFT_WEBHOOK_URL,
        settings.HEARD_GIFT_WEBHOOK_SECRET,
        settings.HEARD_GIFT_WEBHOOK_TIMEOUT,
    )


def retry_delay(attempts: int) -> timedelta:
    seconds = settings.HEARD_GIFT_RETRY_SECONDS * 2 ** max(attempts - 1, 0)
    return min(timedelta(seconds=seconds), MAX_RETRY_DELAY)


def deliver(greeting: Greeting, now: datetime) -> Delivered | None:
    """One attempt at the greeting's gift, recorded; what was delivered, or None."""
    Greeting.objects.filter(pk=greeting.pk).update(gift_attempts=F("gift_attempts") + 1)
    greeting.refresh_from_db(fields=["gift_attempts"])
    try:
        delivered = provider(greeting).deliver(greeting)
    except GiftError as error:
        _failed(greeting, error, now)
        return None
    fields = {
        "gift_state": GiftState.DELIVERED,
        "gift_reference": delivered.reference[:200],
        "gift_code": delivered.code[:100],
        "gift_error": "",
    }
    Greeting.objects.filter(pk=greeting.pk).update(**fields)
    for name, value in fields.items():
        setattr(greeting, name, value)
    audit.record(greeting, "gift delivered", delivered.reference, at=now)
    return delivered


def _failed(greeting: Greeting, error: GiftError, now: datetime) -> None:
    message = str(error)[:2000]
    final = error.permanent or greeting.gift_attempts >= settings.HEARD_GIFT_ATTEMPTS
    if not final:
        next_try = now + retry_delay(greeting.gift_attempts)
        Greeting.objects.filter(pk=greeting.pk).update(
            gift_state=GiftState.RETRYING, gift_error=message, next_attempt_at=next_try
        )
        greeting.gift_state, greeting.gift_error = GiftState.RETRYING, message
        note = f"attempt {greeting.gift_attempts}: {message}; next try {next_try:%d %b %H:%M %Z}"
        audit.record(greeting, "gift retrying", note, at=now)
        return
    why = f"the gift could not be delivered: {message}"
    moved = audit.move(
        greeting,
        GreetingState.FAILED,
        from_states=[GreetingState.APPROVED],
        at=now,
        why=why,
        what="gift failed",
        gift_state=GiftState.FAILED,
        gift_error=message,
        next_attempt_at=None,
    )
    if moved:
        notices.tell_leads(
            greeting.moment, f"{greeting.moment}: no greeting sent to {greeting.customer}, {why}"
        )
