"""The demo's moment: the Billing team greets customers on their birthday with minutes on us.

A mobile operator's story: "Happy birthday, Gordana — this month 50 free minutes, 50 SMS and
300 MB are on us", a gift that costs it about 3 euros, claimed with a code from the moment's
voucher list. The demo plans it far enough ahead to hold the next few birthdays of Billing's
customers, so Nina (the Billing lead) finds a batch awaiting approval with its budget, and one
greeting held because its customer has an open, angry ticket. The customers in the batch agreed
to greetings and gifts (recorded with the source "demo", on the day they became customers).
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Exists, OuterRef

from heard.care.models import GiftKind, Moment, Occasion
from heard.care.moments import gifts, occasions, plan, wording
from heard.desk import actions
from heard.desk.models import ConsentKind, Customer, CustomerEmail, Team, Ticket
from heard.engine import read

SEED = 2029
TEAM = "billing"
BATCH = 6  # the next birthdays planned: one held, the rest awaiting approval
VOUCHERS = 40
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread
GREETING = (
    "Happy birthday, {name} — this month {gift} are on us. We hope the day brings you good "
    "company and a little time for yourself."
)
UPSET = (
    "This is the third time I write about the double charge on my bill and still nobody has "
    "fixed it. I am really angry now!"
)


def seed_moments(now: datetime, **_: Any) -> None:
    team = Team.objects.filter(slug=TEAM).first()
    if team is None:
        return
    nearest = _next_birthdays(team, now)[:BATCH]
    if not nearest:
        return
    for customer, _day in nearest:
        if not customer.has_consent(ConsentKind.BIRTHDAY):
            at = customer.created_at
            actions.record_consent(customer, ConsentKind.BIRTHDAY, True, "demo", at=at)
    upset = nearest[min(1, len(nearest) - 1)][0]
    actions.open_ticket(
        customer=upset,
        team=team,
        subject="Charged twice, again",
        text=UPSET,
        at=now - timedelta(hours=3),
        reading=read(UPSET),
    )
    ahead = max((day - occasions.local_today(c, now)).days for c, day in nearest)
    moment = birthday_moment(team, plan_days=min(max(ahead, 3), 60))
    gifts.add_vouchers(moment, voucher_codes(random.Random(SEED), VOUCHERS))
    plan.plan_moment(moment, now)


def birthday_moment(team: Team, plan_days: int = 3) -> Moment:
    moment = Moment(
        name="Birthday minutes",
        team=team,
        occasion=Occasion.BIRTHDAY,
        plan_days=plan_days,
        gift_kind=GiftKind.MINUTES,
        gift_text="50 free minutes, 50 SMS and 300 MB",
        gift_cost_cents=300,
        currency="EUR",
        subject="Happy birthday, {name}",
        greeting=GREETING,
        monthly_budget_cents=4500,
        per_customer_per_year=1,
    )
    moment.full_clean()  # the greeting is coached like any rule's
    moment.save()
    return moment


def voucher_codes(rng: random.Random, count: int) -> list[str]:
    codes: set[str] = set()
    while len(codes) < count:
        part = "".join(rng.choice(ALPHABET) for _ in range(8))
        codes.add(f"BDAY-{part[:4]}-{part[4:]}")
    return sorted(codes)


def _next_birthdays(team: Team, now: datetime) -> list[tuple[Customer, date]]:
    """The team's active customers with a name and an address, by their next birthday."""
    since = plan.months_before(now, 24)
    customers = Customer.objects.filter(
        Exists(Ticket.objects.filter(customer=OuterRef("pk"), team=team, created_at__gte=since)),
        Exists(CustomerEmail.objects.filter(customer=OuterRef("pk"), bouncing=False)),
        birthday__isnull=False,
    ).select_related("birthday_consent")
    found = []
    for customer in customers:
        if not wording.has_name(customer.address_name()):
            continue
        today = occasions.local_today(customer, now)
        born = customer.birthday
        assert born is not None
        day = occasions.same_day(today.year, born.month, born.day)
        if day < today:
            day = occasions.same_day(today.year + 1, born.month, born.day)
        found.append((customer, day))
    return sorted(found, key=lambda pair: (pair[1], pair[0].pk))
