"""Who is in the demo: the teams with their hours, holidays and SLAs, the agents, and the
customers, generated from a fixed seed."""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass
from datetime import date

from heard.desk.demo import text as words
from heard.desk.models import Role

DEMO_PASSWORD = "heard-demo"  # noqa: S105 - every demo login uses it; documented in the output
SEED = 2026  # customers are drawn from SEED, tickets from SEED + 1
CUSTOMER_COUNT = 230
AGENT_DOMAIN = "northlight.example"
CUSTOMER_DOMAINS = ("example.com", "example.net", "example.org")


# --- teams and agents -------------------------------------------------------------------------

@dataclass(frozen=True)
class TeamSpec:
    slug: str
    name: str
    time_zone: str
    weekly_hours: dict[str, list[list[str]]]
    holidays: tuple[tuple[int, int, str], ...]  # (month, day, name), every year
    closed_day: tuple[int, str]  # a one-off closed weekday, this many days before now
    sla: dict[str, tuple[int, int]]  # priority: (first, next) response in business minutes
    email: str = ""  # the team's own address: email written to it goes to the team
    words: tuple[str, ...] = ()  # a routing rule: email saying one of these goes to the team


Shifts = list[list[str]]


def _week(weekdays: Shifts, fri: Shifts, sat: Shifts) -> dict[str, Shifts]:
    days = dict.fromkeys(("mon", "tue", "wed", "thu"), weekdays)
    return {**days, "fri": fri, "sat": sat, "sun": []}


TEAMS = (
    TeamSpec(
        "billing", "Billing", "Europe/Ljubljana",
        _week([["08:00", "12:00"], ["13:00", "17:00"]], [["08:00", "12:00"], ["13:00", "15:00"]],
              []),
        ((1, 1, "New Year's Day"), (2, 8, "Prešeren Day"), (6, 25, "Statehood Day"),
         (12, 25, "Christmas Day")),
        (9, "Team training day"),
        {"urgent": (60, 120), "high": (240, 480), "normal": (480, 960), "low": (1440, 2880)},
        "billing@heard.localhost",
        ("invoice", "refund", "charged", "charge", "payment", "billing", "bill", "subscription",
         "price", "coupon", "discount", "VAT", "card", "currency", "annual", "cancelled"),
    ),
    TeamSpec(
        "technical-support", "Technical support", "America/New_York",
        _week([["08:00", "20:00"]], [["08:00", "20:00"]], [["10:00", "16:00"]]),
        ((1, 1, "New Year's Day"), (7, 4, "Independence Day"), (11, 11, "Veterans Day"),
         (12, 25, "Christmas Day")),
        (12, "Company offsite"),
        {"urgent": (30, 60), "high": (120, 240), "normal": (240, 480), "low": (960, 1920)},
        "technical@heard.localhost",
        ("broadband", "router", "outage", "password", "log in", "login", "locked out",
         "two-factor", "2FA", "crash", "crashes", "crashing", "app", "pairing", "pair", "connect",
         "export", "webhook", "webhooks", "API", "dark mode", "slow", "delay", "error",
         "account", "personal data", "GDPR", "notification", "notifications", "schedules",
         "voice", "holiday mode", "vacation mode", "access", "user"),
    ),
    TeamSpec(
        "orders-delivery", "Orders & delivery", "Asia/Singapore",
        _week([["09:00", "18:00"]], [["09:00", "18:00"]], [["09:00", "13:00"]]),
        ((1, 1, "New Year's Day"), (5, 1, "Labour Day"), (8, 9, "National Day"),
         (12, 25, "Christmas Day")),
        (16, "Warehouse stock-take"),
        {"urgent": (60, 120), "high": (180, 360), "normal": (360, 720), "low": (1440, 2880)},
        "orders@heard.localhost",
        ("delivery", "delivered", "parcel", "courier", "tracking", "order", "arrived", "arrive",
         "ordered", "shipping", "return", "customs", "duties", "import", "damaged", "missing",
         "wrong item"),
    ),
)
TEAM_SLUGS = tuple(team.slug for team in TEAMS)


@dataclass(frozen=True)
class AgentSpec:
    username: str
    first: str
    last: str
    role: str
    teams: tuple[str, ...]
    styles: tuple[float, float, float]  # how often they write warm, curt, robotic replies
    max_open: int = 25
    accepts: bool = True


AGENTS = (
    AgentSpec("nina", "Nina", "Kranjc", Role.LEAD, ("billing",), (0.9, 0.1, 0), 12),
    AgentSpec("maya", "Maya", "Horvat", Role.AGENT, ("billing",), (0.85, 0.15, 0)),
    AgentSpec("luka", "Luka", "Petek", Role.AGENT, ("billing", "orders-delivery"),
              (0.4, 0.45, 0.15)),
    AgentSpec("marcus", "Marcus", "Bell", Role.LEAD, ("technical-support",), (0.7, 0.3, 0), 12),
    AgentSpec("priya", "Priya", "Natarajan", Role.AGENT, ("technical-support",), (0.9, 0.1, 0)),
    AgentSpec("diego", "Diego", "Ferreira", Role.AGENT, ("technical-support",), (0.3, 0.25, 0.45)),
    AgentSpec("hannah", "Hannah", "Brooks", Role.AGENT, ("technical-support",), (0.75, 0.25, 0),
              accepts=False),  # on leave: no new assignments
    AgentSpec("sam", "Sam", "Okafor", Role.AGENT, ("technical-support", "orders-delivery"),
              (0.5, 0.5, 0)),
    AgentSpec("weiling", "Wei Ling", "Tan", Role.LEAD, ("orders-delivery",), (0.8, 0.2, 0), 12),
    AgentSpec("arjun", "Arjun", "Mehta", Role.AGENT, ("orders-delivery",), (0.6, 0.2, 0.2)),
    AgentSpec("sofia", "Sofia", "Reyes", Role.AGENT, ("orders-delivery",), (0.85, 0.15, 0)),
    AgentSpec("ines", "Ines", "Kovač", Role.ADMIN, (), (1, 0, 0), accepts=False),
)
STYLES = {agent.username: agent.styles for agent in AGENTS}
LOGINS = (("Agent", "maya"), ("Team lead", "nina"), ("Admin", "ines"))


# --- customers --------------------------------------------------------------------------------

@dataclass(frozen=True)
class CustomerSpec:
    name: str
    preferred: str
    pool: words.NamePool
    language: str
    time_zone: str
    emails: tuple[tuple[str, bool], ...]  # (address, bouncing); the first is primary
    birthday: date | None
    consents: tuple[bool, bool, bool]  # follow-up, surveys, birthday
    notes: str
    days_known: int

    @property
    def address_name(self) -> str:
        return self.preferred or self.name.split()[0]


_ASCII = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ß": "ss",
                        "ı": "i", "æ": "ae", "'": "", " ": "", "-": ""})  # noqa: RUF001


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.translate(_ASCII))
    return folded.encode("ascii", "ignore").decode().lower()


def customer_specs() -> list[CustomerSpec]:
    """The demo customers; the same on every call (they do not depend on the time)."""
    rng = random.Random(SEED)
    pools = [pool for pool in words.POOLS for _ in range(pool.weight)]
    specs: list[CustomerSpec] = []
    names: set[str] = set()
    addresses: set[str] = set()
    notes = list(words.CUSTOMER_NOTES)
    while len(specs) < CUSTOMER_COUNT:
        pool = rng.choice(pools)
        name, preferred = _person(rng, pool)
        if name in names:
            continue
        names.add(name)
        note = notes.pop() if notes and rng.random() < 0.08 else ""
        specs.append(_customer_spec(rng, pool, name, preferred, addresses, note))
    return specs


def _person(rng: random.Random, pool: words.NamePool) -> tuple[str, str]:
    if pool.full and (not pool.first or rng.random() < 0.6):
        return rng.choice(pool.full)
    first, last = rng.choice(pool.first), rng.choice(pool.last)
    nickname = words.PREFERRED_NAMES.get(first, "")
    return f"{first} {last}", nickname if rng.random() < 0.5 else ""


def _customer_spec(
    rng: random.Random, pool: words.NamePool, name: str, preferred: str, taken: set[str],
    note: str,
) -> CustomerSpec:
    emails = [(_email(rng, name, taken), rng.random() < 0.03)]
    if rng.random() < 0.12:
        company = _ascii(rng.choice(words.COMPANIES)).replace("&", "")
        emails.append((_unique(f"{_ascii(name.split()[0])}@{company}.example", taken), False))
    has_birthday = rng.random() < 0.45
    birthday = date(rng.randint(1952, 2004), rng.randint(1, 12), rng.randint(1, 28))
    return CustomerSpec(
        name=name, preferred=preferred, pool=pool,
        language="en" if pool.language == "en" or rng.random() < 0.75 else pool.language,
        time_zone=rng.choice(pool.zones), emails=tuple(emails),
        birthday=birthday if has_birthday else None,
        consents=(rng.random() < 0.85, rng.random() < 0.6, has_birthday and rng.random() < 0.5),
        notes=note, days_known=rng.randint(35, 1400),
    )


def _email(rng: random.Random, name: str, taken: set[str]) -> str:
    parts = [_ascii(part) for part in name.split()]
    first, last = parts[0], parts[-1]
    number = rng.randint(1, 99)
    local = rng.choice([f"{first}.{last}", f"{first}{last}", f"{first[0]}{last}",
                        f"{first}.{last}{number}", f"{first}_{number}", f"{last}.{first}"])
    return _unique(f"{local}@{rng.choice(CUSTOMER_DOMAINS)}", taken)


def _unique(address: str, taken: set[str]) -> str:
    local, _, domain = address.partition("@")
    candidate, number = address, 1
    while candidate in taken:
        number += 1
        candidate = f"{local}{number}@{domain}"
    taken.add(candidate)
    return candidate


def demo_customer_addresses() -> list[str]:
    return [address for spec in customer_specs() for address, _ in spec.emails]
