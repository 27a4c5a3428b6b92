"""The planning job: run each active moment's rule for the days ahead, and look again at what
is planned.

For a moment, the audience is every customer who agreed to greetings and gifts (consent
"birthday", given and not withdrawn: never asked is no), has an address, and is active: opened a
ticket within the moment's `active_months` (with its team, if it has one). Those whose occasion
falls from their today to `plan_days` ahead (their time zone) get one greeting for it: held
(with the reason) when they are upset with us, skipped when there is no name to greet them by or
the yearly limit is reached, else awaiting approval. The unique constraint on moment, customer
and day means an occasion is never greeted twice, however often this runs.

Every run also looks again at each greeting still to be sent: a withdrawn consent or a day long
past skips it, a customer now upset holds it (an approved one too: it gives its budget back), and
one no longer held awaits approval again. Then the rule may approve the batch by itself.
Safe to run twice at once: creating takes the moment's lock, and every change is conditional.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from heard.care.models import (
    OPEN_STATES,
    GiftState,
    Greeting,
    GreetingEvent,
    GreetingState,
    Moment,
)
from heard.care.moments import approve, audit, budget, holds, occasions, wording
from heard.care.moments.holds import Hold
from heard.desk.models import ConsentKind, Customer, CustomerEmail, Ticket

log = logging.getLogger(__name__)
CHUNK = 500


@dataclass
class Planned:
    created: int = 0
    approved: int = 0


def plan_all(now: datetime | None = None) -> int:
    """Plan every active moment (and skip what waits of one turned off); returns how many
    greetings were planned. A moment that fails is logged and left for the next run, never
    holding back the others."""
    now = now or timezone.now()
    planned = 0
    turned_off = Q(active=False, greetings__state__in=OPEN_STATES)  # what waits is skipped
    for moment in Moment.objects.filter(Q(active=True) | turned_off).distinct():
        try:
            if moment.active:
                planned += plan_moment(moment, now).created
            else:
                recheck(moment, now)
        except Exception:
            log.exception("could not plan the moment %s", moment.pk)
    return planned


def plan_moment(moment: Moment, now: datetime | None = None) -> Planned:
    now = now or timezone.now()
    found = _occasions(moment, now)
    upset = holds.holds(found)
    with transaction.atomic():
        budget.lock(moment.pk)  # one planner per moment at a time
        created = _create(moment, found, upset, now)
    recheck(moment, now)
    return Planned(created, approve.auto_approve(moment, now))


def audience(moment: Moment, now: datetime) -> QuerySet[Customer]:
    """Customers the moment may greet: consent given (and not withdrawn), an address, active."""
    tickets = Ticket.objects.filter(
        customer=OuterRef("pk"), created_at__gte=months_before(now, moment.active_months)
    )
    if moment.team_id is not None:
        tickets = tickets.filter(team=moment.team_id)
    return Customer.objects.filter(
        Exists(tickets),
        Exists(CustomerEmail.objects.filter(customer=OuterRef("pk"))),
        birthday_consent__given=True,
    )


def months_before(now: datetime, months: int) -> datetime:
    year, month = divmod(now.year * 12 + now.month - 1 - months, 12)
    return now.replace(year=year, month=month + 1, day=min(now.day, 28))


def _occasions(moment: Moment, now: datetime) -> dict[int, tuple[Customer, date]]:
    """Customer id -> (customer, the day) for everyone with an occasion in the window."""
    customers = audience(moment, now).filter(occasions.candidates(moment, now))
    fields = ("pk", "name", "preferred_name", "time_zone", "birthday", "created_at")
    found = {}
    for customer in customers.only(*fields).order_by("pk").iterator(chunk_size=CHUNK):
        first, last = occasions.window(moment, customer, now)
        day = occasions.occasion_between(moment, customer, first, last)
        if day is not None:
            found[customer.pk] = (customer, day)
    return found


def _create(
    moment: Moment,
    found: dict[int, tuple[Customer, date]],
    upset: dict[int, Hold],
    now: datetime,
) -> int:
    ids = list(found)
    existing: set[tuple[int, date]] = set()
    for start in range(0, len(ids), CHUNK):
        mine = Greeting.objects.filter(moment=moment, customer__in=ids[start : start + CHUNK])
        existing |= set(mine.values_list("customer_id", "occasion_date"))
    greeted = budget.greeted(moment.pk, ids)
    rows = [
        _greeting(moment, customer, day, upset.get(pk), greeted.get((pk, day.year), 0), now)
        for pk, (customer, day) in found.items()
        if (pk, day) not in existing
    ]
    created = Greeting.objects.bulk_create(rows, batch_size=CHUNK)
    GreetingEvent.objects.bulk_create(
        (
            GreetingEvent(greeting=g, at=now, what=f"planned: {g.get_state_display()}", note=g.why)
            for g in created
        ),
        batch_size=CHUNK,
    )
    return len(created)


def _greeting(
    moment: Moment, customer: Customer, day: date, hold: Hold | None, greeted: int, now: datetime
) -> Greeting:
    state, why, held_for = GreetingState.AWAITING, "", None
    if not wording.has_name(customer.address_name()):
        state, why = GreetingState.SKIPPED, "there is no name to greet them by"
    elif greeted >= moment.per_customer_per_year:
        state = GreetingState.SKIPPED
        limit = moment.per_customer_per_year
        why = f"greeted {greeted} time(s) in {day.year} already (the limit is {limit})"
    elif hold is not None:
        state, why, held_for = GreetingState.HELD, hold.why, hold.ticket_id
    return Greeting(
        moment=moment,
        customer=customer,
        occasion_date=day,
        send_at=occasions.send_at(customer, day),
        state=state,
        why=why,
        held_for_id=held_for,
        cost_cents=moment.cost(),
        currency=moment.currency,
        gift_state=GiftState.PENDING if moment.has_gift() else GiftState.NONE,
        created_at=now,
    )


def recheck(moment: Moment, now: datetime) -> None:
    """Look again at every greeting of the moment still to be sent."""
    greetings = list(
        Greeting.objects.filter(moment=moment)
        .open()
        .select_related("moment", "customer__birthday_consent")
    )
    upset = holds.holds(g.customer_id for g in greetings)
    for greeting in greetings:
        still(greeting, upset.get(greeting.customer_id), now)


def still(greeting: Greeting, hold: Hold | None, now: datetime) -> bool:
    """Whether the greeting may still go as it stands; if not, it is skipped, held or put back
    to await approval, with the reason. Load it with its customer's birthday consent."""
    customer, state = greeting.customer, GreetingState(greeting.state)
    open_states = [GreetingState.HELD, GreetingState.AWAITING, GreetingState.APPROVED]
    why = None
    if not customer.has_consent(ConsentKind.BIRTHDAY):
        why = "the customer no longer agrees to greetings and gifts"
    elif not greeting.moment.active:
        why = "the moment was turned off"
    elif occasions.is_past(customer, greeting.occasion_date, now):
        why = f"its day passed while it was {state.label.lower()}"
    if why is not None:
        audit.move(greeting, GreetingState.SKIPPED, from_states=open_states, at=now, why=why)
        return False
    if hold is not None:
        if state != GreetingState.HELD or greeting.held_for_id != hold.ticket_id:
            audit.move(
                greeting,
                GreetingState.HELD,
                from_states=open_states,
                at=now,
                why=hold.why,
                held_for_id=hold.ticket_id,
            )
        return False
    if state == GreetingState.HELD:
        audit.move(
            greeting,
            GreetingState.AWAITING,
            from_states=[GreetingState.HELD],
            at=now,
            what="no longer held",
            held_for_id=None,
        )
        return False
    return True
