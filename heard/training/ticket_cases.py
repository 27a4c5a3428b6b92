"""A solved ticket as a case to practise on, with nothing in it that identifies anyone.

Every text of the case comes from the ticket through one `Anonymiser` (names, emails, phone
numbers, IBANs, addresses, order ids and other numbers replaced, the same person always by the
same made-up person), and the case keeps no link back to the ticket: its slug and persona are
made up, and only the team it came from is kept (so that only that team sees it).

What goes where: the subject becomes the title; the customer's first message the opening; their
later messages become their lines, each in the band its reading puts it in (anger: hot;
frustration, anxiety, disappointment: upset; confusion: easing; neutral: calm; happiness:
resolved; a request for a manager: lost), and data/ticket_lines.toml fills the bands left
empty. The feeling is the first message's (or the strongest negative one read in the ticket);
the exemplary reply is the agents' best-coached reply, or the coach's suggestion for it when
the coach still found something; what would resolve it is the reply that solved the ticket.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from django.utils.text import slugify

from heard.desk.models import Direction, Message, Ticket
from heard.engine import coach
from heard.training.anonymise import Anonymiser, Replacement
from heard.training.cases import BANDS, CaseSpec

# Which feeling a case from a ticket carries first when several were read (as the guide ranks
# what an agent must answer first).
FEELING_ORDER = ("anger", "anxiety", "frustration", "disappointment", "confusion")
BAND_OF = {
    "anger": "hot",
    "frustration": "upset",
    "anxiety": "upset",
    "disappointment": "upset",
    "confusion": "easing",
    "neutral": "calm",
    "happiness": "resolved",
}
FALLBACK_OFFERS = ("refund", "replace", "fixed", "sent you", "I'll", "I have")
_COMMON = frozenset((
    "about", "after", "again", "also", "because", "before", "being", "could", "would", "should",
    "their", "there", "these", "those", "thank", "thanks", "which", "where", "while", "today",
    "tomorrow", "please", "really", "still", "hello", "regards",
))
_WORD = re.compile(r"[^\W\d_]{5,}")


@dataclass(frozen=True)
class TicketCase:
    """The case a ticket makes, and every replacement the anonymiser made to get there."""

    spec: CaseSpec
    replacements: tuple[Replacement, ...]


@cache
def generic_lines() -> dict[str, tuple[str, ...]]:
    text = resources.files("heard.training").joinpath("data", "ticket_lines.toml").read_text()
    return {band: tuple(lines) for band, lines in tomllib.loads(text).items()}


def from_ticket(ticket: Ticket) -> TicketCase:
    """The anonymised case for a solved ticket (nothing is saved here)."""
    conversation = list(
        ticket.messages.filter(direction__in=[Direction.CUSTOMER, Direction.AGENT])
        .select_related("author")
        .order_by("created_at", "pk")
    )
    customer = [m for m in conversation if m.direction == Direction.CUSTOMER]
    agents = [m for m in conversation if m.direction == Direction.AGENT]
    if not customer:
        raise ValueError("a ticket with no message from its customer makes no case")
    hide = Anonymiser(names=_known_names(ticket, conversation), seed=ticket.pk)
    feeling, feelings = _feelings(customer)
    spec = CaseSpec(
        slug=slugify(f"{hide.persona} {ticket.pk % 997}")[:90],
        title=hide.anonymise(ticket.subject)[:200] or "A customer's request",
        industry="",
        name=hide.persona,
        situation=_situation(ticket, customer, agents, hide),
        tried="",
        resolution=hide.anonymise(_solving_reply(ticket, agents)),
        feeling=feeling,
        feelings=feelings,
        feeling_why=_feeling_why(customer[0], feeling, hide),
        intensity=_intensity(customer[0]),
        offers=_offers(_solving_reply(ticket, agents), customer),
        opening=hide.anonymise(customer[0].text),
        exemplary=hide.anonymise(_exemplary(conversation)),
        lines=_lines(customer[1:], hide),
    )
    return TicketCase(spec, tuple(hide.replacements))


def _known_names(ticket: Ticket, conversation: list[Message]) -> list[str]:
    person = ticket.customer
    names = [person.name, person.preferred_name]
    names += [address.split("@")[0] for address in person.emails.values_list("address", flat=True)]
    for message in conversation:
        if message.author is not None:
            user = message.author
            names += [user.get_full_name(), user.first_name, user.last_name, user.username]
    return [name for name in names if name]


def _feelings(customer: list[Message]) -> tuple[str, tuple[str, ...]]:
    read = [m.emotion for m in customer if m.emotion in FEELING_ORDER]
    if not read:
        return "confusion", ("confusion",)
    first = customer[0].emotion
    feeling = first if first in FEELING_ORDER else min(read, key=FEELING_ORDER.index)
    others = sorted(set(read) - {feeling}, key=FEELING_ORDER.index)
    return feeling, (feeling, *others)


def _intensity(first: Message) -> int:
    reading = first.reading or {}
    confidence = first.emotion_confidence()
    urgency = float(reading.get("urgency", 0.0))
    return max(1, min(10, round(2 + 6 * confidence + 2 * urgency)))


def _feeling_why(first: Message, feeling: str, hide: Anonymiser) -> str:
    cues = [
        hide.anonymise(first.text[int(cue["start"]) : int(cue["end"])])
        for cue in (first.reading or {}).get("cues", [])
    ][:3]
    said = "; ".join(f"“{cue}”" for cue in cues if cue.strip())
    return f"Read as {feeling} in their first message" + (f": {said}" if said else ".")


def _situation(
    ticket: Ticket, customer: list[Message], agents: list[Message], hide: Anonymiser
) -> str:
    solved = ticket.solved_at or ticket.updated_at
    days = max((solved - ticket.created_at).days, 0)
    took = "the same day" if days == 0 else f"after {days} day{'s' if days != 1 else ''}"
    return (
        f"Made from a solved ticket of the {ticket.team.name} team, with every name, address, "
        f"number and id replaced. The customer wrote {len(customer)} "
        f"time{'s' if len(customer) != 1 else ''} and had {len(agents)} "
        f"repl{'ies' if len(agents) != 1 else 'y'}; it was solved {took}. Subject: "
        f"“{hide.anonymise(ticket.subject)}”."
    )


def _solving_reply(ticket: Ticket, agents: list[Message]) -> str:
    if not agents:
        return ""
    solved = ticket.solved_at
    before = [m for m in agents if solved is None or m.created_at <= solved]
    return (before or agents)[-1].text


def _exemplary(conversation: list[Message]) -> str:
    """The agents' reply the coach liked best (against the customer message before it), or the
    coach's suggestion for it when it still found something."""
    best: tuple[int, str] | None = None
    last_customer: Message | None = None
    for message in conversation:
        if message.direction == Direction.CUSTOMER:
            last_customer = message
            continue
        coaching = coach(
            message.text,
            customer_message=last_customer.text if last_customer else None,
            reading=last_customer if last_customer and last_customer.emotion else None,
        )
        text = message.text if not coaching.findings else coaching.suggestion
        if best is None or coaching.score > best[0]:
            best = (coaching.score, text)
    return best[1] if best else ""


def _offers(reply: str, customer: list[Message]) -> tuple[str, ...]:
    """Words of the solving reply the customer never used: what it offered them."""
    theirs = {w.casefold() for m in customer for w in _WORD.findall(m.text)}
    found: list[str] = []
    for word in _WORD.findall(reply):
        folded = word.casefold()
        if folded not in theirs and folded not in _COMMON and folded not in found:
            found.append(folded)
    return tuple(found[:4]) or FALLBACK_OFFERS


def _lines(later: list[Message], hide: Anonymiser) -> dict[str, tuple[str, ...]]:
    lines: dict[str, list[str]] = {band: [] for band in BANDS}
    for message in later:
        band = "lost" if message.asks_for_manager() else BAND_OF.get(message.emotion, "calm")
        text = hide.anonymise(message.text).strip()
        if text:
            lines[band].append(text)
    generic = generic_lines()
    return {band: tuple(lines[band] or generic[band]) for band in BANDS}
