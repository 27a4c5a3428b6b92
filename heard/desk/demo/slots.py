"""Slots: the details that make each ticket its own (names, orders, amounts, dates, devices),
filled into the text templates."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from heard.desk.demo import text as words
from heard.desk.demo.people import AGENTS, SEED, TEAMS, CustomerSpec, TeamSpec, customer_specs
from heard.desk.models import Role

PLAN_PRICED = {"double_charge", "card_declined", "price_increase", "charged_after_cancel",
               "currency", "annual_switch"}


def ticket_slots(rng: random.Random, spec: CustomerSpec, scenario: words.Scenario,
                 team: TeamSpec, created: datetime) -> dict[str, object]:
    lead, colleague = _team_people(rng, team)
    people = {"name": spec.address_name, "first_name": spec.address_name,
              "full_name": spec.name, "lead": lead, "colleague": colleague, "agent": ""}
    return {**people, **_order_slots(rng, spec, scenario), **_date_slots(rng, spec, created),
            **_tech_slots(rng)}


def _order_slots(rng: random.Random, spec: CustomerSpec,
                 scenario: words.Scenario) -> dict[str, object]:
    pool = spec.pool
    (product, price), (other, _) = rng.sample(words.PRODUCTS, 2)
    plan, plan_price = rng.choice(words.PLANS)
    if scenario.key in PLAN_PRICED:
        amount = plan_price * (10 if scenario.key == "annual_switch" else 1)
    else:
        amount = price * rng.choice((1, 1, 1, 2))
    qty = rng.randint(2, 4)
    return {
        "product": product, "other_product": other, "plan": plan,
        "order": rng.randint(104_000, 189_999), "amount": _money(pool, amount),
        "old_amount": _money(pool, amount * 0.8), "credit": _money(pool, max(2.0, amount * 0.15)),
        "last4": f"{rng.randint(0, 9999):04d}", "coupon": rng.choice(words.COUPONS),
        "percent": rng.choice((10, 15, 20, 25)), "invoice": rng.randint(200_000, 299_999),
        "vat": f"{pool.country}{rng.randint(10**7, 10**8 - 1)}",
        "company": rng.choice(words.COMPANIES), "postcode": rng.randint(1000, 99999),
        "city": rng.choice(pool.cities), "carrier": rng.choice(pool.carriers),
        "tracking": _tracking(rng, pool), "tracking2": _tracking(rng, pool),
        "qty": qty, "qty_less": qty - 1, "weight": f"{rng.uniform(1.2, 6.5):.1f}",
    }


def _date_slots(rng: random.Random, spec: CustomerSpec, created: datetime) -> dict[str, object]:
    def day(days: int) -> str:
        local = (created + timedelta(days=days)).astimezone(ZoneInfo(spec.time_zone))
        return f"{local:%B} {local.day}" if spec.pool.month_first else f"{local.day} {local:%B}"

    return {"date": day(-rng.randint(2, 20)), "due_date": day(rng.randint(6, 20)),
            "arrive_date": day(rng.randint(2, 4)), "days": rng.randint(8, 21),
            "years": rng.randint(2, 7)}


def _tech_slots(rng: random.Random) -> dict[str, object]:
    minor, patch, hour = rng.randint(2, 9), rng.randint(0, 3), rng.randint(6, 20)
    return {
        "device": rng.choice(words.DEVICES), "app_version": f"4.{minor}.{patch}",
        "app_version_next": f"4.{minor}.{patch + 1}", "bug": f"APP-{rng.randint(2100, 2999)}",
        "room": rng.choice(words.ROOMS), "time_from": f"{hour:02d}:{rng.randint(0, 29):02d}",
        "time_to": f"{hour + 1:02d}:{rng.randint(30, 59):02d}",
    }


def _money(pool: words.NamePool, value: float) -> str:
    return f"{pool.currency}{value:,.2f}"


def example_slots() -> dict[str, object]:
    """Every slot a template may use, filled for one customer, so tests can check templates."""
    created = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    slots = ticket_slots(random.Random(SEED), customer_specs()[0], words.SCENARIOS[0], TEAMS[0],
                         created)
    return {**slots, "first_when": "yesterday", "subject": "Charged twice"}


def _team_people(rng: random.Random, team: TeamSpec) -> tuple[str, str]:
    """The team lead's first name, and a colleague elsewhere who once helped the customer."""
    lead = next(a for a in AGENTS if team.slug in a.teams and a.role == Role.LEAD)
    others = [a for a in AGENTS if a.teams and team.slug not in a.teams]
    return lead.first, rng.choice(others).first


def _tracking(rng: random.Random, pool: words.NamePool) -> str:
    return f"{rng.choice(('JD', 'RR', 'CX', 'LX'))}{rng.randint(10**8, 10**9 - 1)}{pool.country}"


def when_phrase(moment: datetime, now: datetime, zone: str) -> str:
    """'earlier today', 'yesterday', 'on Monday' or 'on 3 March', as the customer would say."""
    local, today = moment.astimezone(ZoneInfo(zone)), now.astimezone(ZoneInfo(zone)).date()
    days = (today - local.date()).days
    if days <= 0:
        return "earlier today"
    if days == 1:
        return "yesterday"
    return f"on {local:%A}" if days < 6 else f"on {local.day} {local:%B}"

