"""The anonymiser: a solved ticket's words with everything that identifies someone replaced.

What it replaces, in this order (an earlier kind's replacement is never read again as a later
kind):

1. email addresses;
2. web addresses (they carry ids and names);
3. IBANs (two letters, two check digits, 11 to 30 letters and digits, spaces allowed);
4. card and other long grouped numbers ("4111 1111 1111 1111");
5. phone numbers (a "+" or "00" or a leading 0, then at least 7 more digits, with spaces,
   dots, dashes or brackets between);
6. order ids and references: words that mix capitals and digits around dashes ("PO-5531",
   "HRD-1042", "A1B2-C3"), "#" followed by three or more digits, and the number after "order",
   "invoice", "account", "customer", "reference", "booking", "claim" or "policy";
7. street addresses ("12 Elm Street", "Slovenska cesta 12", "Rue de la Paix 5") and postcodes
   (British ones, and four or five digits followed by a town);
8. other numbers of four digits or more (a year after a month, "March 2026", is kept);
9. names: every name the ticket knows (the customer's, their preferred name, the agents' who
   wrote on it, each whole and each part), then the names that follow a greeting ("Hi Marko"),
   a sign-off ("Kind regards,\\nJana") or "my name is".

Each original gets one made-up replacement of the same kind (the same person is the same
made-up person everywhere), drawn from fixed lists with a seed, so the same ticket always gives
the same case. `Anonymiser.replacements` lists what was replaced, for the lead to see before
saving. No Django here.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

FIRST_NAMES = (
    "Alex", "Bea", "Cyril", "Dana", "Emil", "Freya", "Gus", "Hedda", "Ivo", "Jana", "Kit",
    "Lotte", "Milo", "Nell", "Otto", "Pia", "Quinn", "Rosa", "Silas", "Tove", "Ugo", "Vera",
    "Wim", "Xenia", "Yann", "Zora",
)
LAST_NAMES = (
    "Arden", "Brook", "Calder", "Dunmore", "Ellery", "Fenwick", "Garland", "Hollis", "Ingram",
    "Jessop", "Kerridge", "Linley", "Marlow", "Norbury", "Oakes", "Pryor", "Quarry", "Rowe",
    "Sellick", "Thorne", "Upton", "Vane", "Whitlow", "Yardley",
)
STREETS = ("Elm Street", "Mill Lane", "Harbour Road", "Linden Way", "Orchard Close")

_EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
_URL = re.compile(r"\b(?:https?://|www\.)\S+?(?=[.,;:!?)]*(?:\s|$))", re.IGNORECASE)
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]){11,30}\b")
_GROUPED = re.compile(r"\b\d{4}(?:[ -]\d{4}){2,4}\b")
_PHONE = re.compile(r"(?<![\w+])(?:\+|00|0)\d(?:[ .()/-]{0,2}\d){6,14}\b")
_REFERENCE = re.compile(
    r"#\d{3,}\b"
    r"|\b(?=[A-Z0-9-]*\d)(?=[A-Z0-9-]*[A-Z])[A-Z0-9]+(?:-[A-Z0-9]+)+\b"
    r"|(?<=\border )[A-Z0-9-]*\d{3,}[A-Z0-9-]*"
)
_LABELLED = re.compile(
    r"\b((?:order|invoice|account|customer|reference|ref|booking|claim|policy|contract|"
    r"membership|tracking)(?:\s+(?:number|no\.?|id|nr\.?|#))?[:\s#]*)"
    r"([A-Z0-9][A-Z0-9-]*\d[A-Z0-9-]*)",
    re.IGNORECASE,
)
_STREET_TYPES = (
    r"Street|St\.?|Road|Rd\.?|Avenue|Ave\.?|Lane|Ln\.?|Drive|Dr\.?|Way|Close|Court|Place|"
    r"Square|Boulevard|Blvd\.?|Terrace|Gardens|Crescent|Row|Hill"
)
_ADDRESS = re.compile(
    rf"\b\d{{1,4}}[a-zA-Z]?,?\s+(?:[A-Z][\w'\u2019.-]*\s+){{1,3}}(?:{_STREET_TYPES})\b"
    r"|\b(?:[A-ZÀ-Ž][\w'\u2019-]*\s+){0,2}[\wÀ-ž'\u2019-]*(?:straße|strasse|weg|gasse|platz|allee|"
    r"ulica|cesta|ulice|gata|gatan|vej|laan|straat)\s+\d{1,4}[a-z]?\b"
    r"|\b(?:Rue|Via|Calle|Avenida|Piazza|Plaza|Ulica)\s+(?:[\w'\u2019-]+\s+){1,4}?\d{1,4}[a-z]?\b"
    r"|\b[A-Z]{1,2}\d[A-Z\d]?\s\d[A-Z]{2}\b"
    r"|\b\d{4,5}\s+[A-ZÀ-Ž][a-zà-ž]+(?:[ -][A-ZÀ-Ž][a-zà-ž]+)?\b"
)
_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_NUMBER = re.compile(rf"(\b(?:{_MONTHS})\.?\s+)?(?<![\d-])(\d{{4,}})(?!\d)", re.IGNORECASE)
_YEAR = re.compile(r"(?:19|20)\d\d")
# Replaced words wait as private-use characters (no letter, digit or \w) until the end.
_TOKEN_BASE = 0xE100
_TOKEN = re.compile("\ue000([\ue100-\uf8fe])\ue001")
_NAME = r"[A-ZÀ-Ž][a-zà-žß'\u2019-]+(?:[ -][A-ZÀ-Ž][a-zà-žß'\u2019-]+)?"
_GREETED = re.compile(
    rf"\b(?:Hi|Hello|Hey|Dear|Morning|Good (?:morning|afternoon|evening))\s+({_NAME})"
)
_SIGNED = re.compile(
    r"(?:regards|thanks|thank you|best|cheers|sincerely|best wishes|warm wishes|yours|"
    rf"faithfully|many thanks|kind regards)[,.!]?[ \t]*\n+[ \t]*({_NAME})\b",
    re.IGNORECASE,
)
_INTRODUCED = re.compile(rf"\b(?:[Mm]y name is|[Tt]his is|I am|I'm)\s+({_NAME})\b(?=[,.]| from)")


@dataclass(frozen=True)
class Replacement:
    kind: str  # "email", "name", "phone", ...
    original: str
    replacement: str


@dataclass
class Anonymiser:
    """Replaces what identifies people in one ticket's texts, consistently across them."""

    names: Iterable[str] = ()  # every name the ticket knows (customer's first)
    seed: int = 0
    persona: str = ""  # the customer's made-up name; drawn from the lists when empty
    _map: dict[tuple[str, str], str] = field(default_factory=dict)
    _order: list[Replacement] = field(default_factory=list)
    _fakes: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)
        self._names = [n.strip() for n in self.names if n and len(n.strip()) >= 2]
        if not self.persona:
            self.persona = f"{self._rng.choice(FIRST_NAMES)} {self._rng.choice(LAST_NAMES)}"
        if self._names:
            self._bind_person(self._names[0], self.persona)

    @property
    def replacements(self) -> list[Replacement]:
        return list(self._order)

    def anonymise(self, text: str) -> str:
        """`text` with every email, link, IBAN, number, phone, reference, address and name
        replaced (see the module's docstring for the order and the rules)."""
        steps: list[tuple[re.Pattern[str], str, Callable[[str], str]]] = [
            (_EMAIL, "email", self._fake_email),
            (_URL, "link", lambda _: "https://example.com/…"),
            (_IBAN, "IBAN", self._fake_iban),
            (_GROUPED, "number", self._fake_digits),
            (_PHONE, "phone", self._fake_phone),
            (_REFERENCE, "reference", self._fake_reference),
        ]
        for pattern, kind, make in steps:
            text = self._sub(pattern, kind, make, text)
        text = _LABELLED.sub(
            lambda m: m.group(1) + self._replace("reference", m.group(2), self._fake_reference),
            text,
        )
        text = self._sub(_ADDRESS, "address", self._fake_address, text)
        text = _NUMBER.sub(self._number, text)
        text = self._names_out(text)
        return _TOKEN.sub(lambda m: self._fakes[ord(m.group(1)) - _TOKEN_BASE], text)

    def _number(self, match: re.Match[str]) -> str:
        month, digits = match.group(1), match.group(2)
        if month and _YEAR.fullmatch(digits):
            return match.group(0)  # "March 2026": a year identifies nobody
        return (month or "") + self._replace("number", digits, self._fake_digits)

    # --- names -----------------------------------------------------------------------------

    def _names_out(self, text: str) -> str:
        for name in sorted(self._known_names(), key=len, reverse=True):
            pattern = re.compile(rf"(?<![\w@]){re.escape(name)}(?!\w)", re.IGNORECASE)
            text = pattern.sub(lambda m: self._replace("name", m.group(0), self._fake_name), text)
        for pattern in (_GREETED, _SIGNED, _INTRODUCED):
            text = pattern.sub(self._name_in_group, text)
        return text

    def _known_names(self) -> set[str]:
        found: set[str] = set()
        for name in self._names:
            found.add(name)
            found.update(part for part in re.split(r"[\s-]+", name) if len(part) >= 2)
        return found

    def _name_in_group(self, match: re.Match[str]) -> str:
        """A name after a greeting, sign-off or introduction; a short form of a known name
        ("Aleks" for "Aleksandar") stands for the same made-up person."""
        start, end = match.span(1)
        name = match.group(1)
        known = next(
            (part for part in sorted(self._known_names(), key=lambda n: (" " in n, len(n)))
             if len(name) >= 3 and part.casefold().startswith(name.casefold())),
            None,
        )
        if known is not None and ("name", name.casefold()) not in self._map:
            self._map[("name", name.casefold())] = self._map.get(
                ("name", known.casefold()), self._fake_name(name)
            )
        fake = self._replace("name", name, self._fake_name)
        whole, offset = match.group(0), start - match.start()
        return whole[:offset] + fake + whole[offset + (end - start):]

    def _bind_person(self, name: str, fake: str) -> None:
        """`name` becomes `fake`, whole and part by part (first to first, last to last)."""
        self._map[("name", name.casefold())] = fake
        real, made = name.split(), fake.split()
        if len(real) >= 2 and len(made) >= 2:
            self._map[("name", real[0].casefold())] = made[0]
            self._map[("name", " ".join(real[1:]).casefold())] = " ".join(made[1:])
            for part in real[1:]:
                self._map.setdefault(("name", part.casefold()), made[-1])

    # --- replacing ---------------------------------------------------------------------------

    def _sub(
        self, pattern: re.Pattern[str], kind: str, make: Callable[[str], str], text: str
    ) -> str:
        return pattern.sub(lambda m: self._replace(kind, m.group(0), make), text)

    def _replace(self, kind: str, original: str, make: Callable[[str], str]) -> str:
        """A token standing for the made-up value (swapped in at the very end, so that no
        later pattern reads a replacement as something to replace)."""
        key = (kind, original.casefold())
        if key not in self._map:
            self._map[key] = make(original)
        fake = self._map[key]
        if not any(r.original == original and r.kind == kind for r in self._order):
            self._order.append(Replacement(kind, original, fake))
        if fake not in self._fakes:
            self._fakes.append(fake)
        return f"\ue000{chr(_TOKEN_BASE + self._fakes.index(fake))}\ue001"

    def _fake_name(self, original: str) -> str:
        if " " in original.strip():
            return f"{self._rng.choice(FIRST_NAMES)} {self._rng.choice(LAST_NAMES)}"
        return self._rng.choice(FIRST_NAMES)

    def _fake_email(self, original: str) -> str:
        first, last = self.persona.split()[0], self.persona.split()[-1]
        number = len([k for k in self._map if k[0] == "email"])
        suffix = str(number + 1) if number else ""
        return f"{first}.{last}{suffix}@example.com".lower()

    def _fake_iban(self, original: str) -> str:
        return "XX00 0000 0000 0000 0000 00"

    def _fake_phone(self, original: str) -> str:
        return f"+44 20 7946 0{self._rng.randrange(100, 999)}"

    def _fake_reference(self, original: str) -> str:
        letters = re.sub(r"[^A-Z]", "", original.split("-")[0].upper())[:3] or "REF"
        return f"{letters}-{self._rng.randrange(10000, 99999)}"

    def _fake_digits(self, original: str) -> str:
        return re.sub(r"\d", lambda _: str(self._rng.randrange(10)), original)

    def _fake_address(self, original: str) -> str:
        return f"{self._rng.randrange(2, 99)} {self._rng.choice(STREETS)}"
