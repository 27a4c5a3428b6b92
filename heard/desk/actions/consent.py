"""Customers' consent, as they gave or withdrew it."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction

from heard.desk.actions.base import _now
from heard.desk.errors import DeskError, ErrorCode
from heard.desk.models import (
    Consent,
    ConsentKind,
    Customer,
)

# --- customers' consent ----------------------------------------------------------------------


def record_consent(
    customer: Customer,
    kind: str,
    given: bool,
    source: str,
    by: User | None = None,
    at: datetime | None = None,
) -> Consent:
    """Record that the customer gave (`given=True`) or withdrew one consent, and how (`source`:
    "portal", "email", "agent", "admin", "demo", …; `by` the person at our end who recorded it).
    The one way any app changes a consent: each change is a new row, so the history stays. The
    state already in force is not recorded again (the date it was first given stays true);
    the row in force is returned."""
    if kind not in ConsentKind.values:
        raise DeskError(f"There is no consent called {kind!r}.", ErrorCode.INVALID)
    source = source.strip()
    if not source:
        raise DeskError("Say how the consent was given or withdrawn (its source).", ErrorCode.EMPTY)
    with transaction.atomic():
        Customer.objects.select_for_update().filter(pk=customer.pk).first()  # one change at a time
        current = (
            Consent.objects.filter(customer=customer, kind=kind).order_by("-at", "-pk").first()
        )
        if current is not None and current.given == given:
            return current
        change = Consent.objects.create(
            customer=customer, kind=kind, given=given, source=source[:32], by=by, at=_now(at)
        )
        in_force = f"{kind}_consent"
        if current is None or (change.at, change.pk) > (current.at, current.pk):
            setattr(customer, in_force, change)
        else:  # a change recorded late, dated before the one in force: history only
            setattr(customer, in_force, current)
        Customer.objects.filter(pk=customer.pk).update(**{in_force: getattr(customer, in_force)})
    return change


def set_automatic_updates(customer: Customer, on: bool, at: datetime | None = None) -> Customer:
    """Start (`on`) or stop the automatic updates about the customer's own requests
    (acknowledgements, updates while waiting): what the link in one of them does. Replies from
    people, and what they asked for (a sign-in link), are not automatic updates."""
    stopped = None if on else (customer.updates_stopped_at or _now(at))
    Customer.objects.filter(pk=customer.pk).update(updates_stopped_at=stopped)
    customer.updates_stopped_at = stopped
    return customer
