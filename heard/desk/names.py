"""The name a customer is greeted by, read from the name their email was signed with.

A From header's display name is written every way: "Smith, John", "JOHN SMITH", "Dr. Jane
Doe", "anna", "Mr Patel", "The Miller Family", "Acme Ltd Accounts", "j.doe". Each greeting
Heard writes ("Hi John,") takes the given name from it, or nothing when the name does not read
as a person's, so that the greeting falls back to one without a name rather than "Hi Smith,,",
"Hi Dr.," or "Hi The,".
"""

from __future__ import annotations

import re

# "Dr. Jane Doe" is Jane; "Mr Patel" stays "Mr Patel"
TITLES = frozenset(["mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame", "rev", "fr"])
# "John Smith, PhD" is John
SUFFIXES = frozenset(["jr", "sr", "ii", "iii", "iv", "phd", "md", "mba", "esq", "dds", "cpa"])
# A word that makes a name an organisation's, a group's or a mailbox's
NOT_A_PERSON = frozenset(
    [
        "the", "team", "family", "ltd", "limited", "inc", "llc", "llp", "gmbh", "plc", "corp",
        "co", "company", "accounts", "account", "billing", "sales", "support", "info", "admin",
        "office", "department", "dept", "service", "services", "noreply", "no-reply",
        "reception", "hr", "finance", "payroll", "unknown", "sender",
    ]
)
# A given name: letters, with inner apostrophes or hyphens ("O'Neil", "Jean-Luc"); no dots,
# digits or underscores, which make a handle ("j.doe") or an initial ("J."), not a name.
_NAME = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*")


def given_name(full_name: str) -> str:
    """The name to greet someone by ("John" for "Smith, John"), or "" when there is none."""
    words = _ordered(" ".join(full_name.split()))
    if not words or "@" in full_name or any(_bare(w) in NOT_A_PERSON for w in words):
        return ""
    titles = []
    while words and _bare(words[0]) in TITLES:
        titles.append(words.pop(0))
    if not words or not _NAME.fullmatch(words[0]):
        return ""
    if titles and len(words) == 1:  # "Mr Patel": their surname is all there is
        return f"{titles[-1].rstrip('.').capitalize()} {_cased(words[0])}"
    return _cased(words[0])


def _ordered(name: str) -> list[str]:
    """The words of the name in the order they are said: "Smith, John" -> John Smith; a
    suffix after the comma ("John Smith, PhD") is left out."""
    surname, comma, rest = name.partition(",")
    if not comma:
        return name.split()
    if rest.strip() and all(_bare(w) in SUFFIXES for w in rest.split()):
        return surname.split()
    return [*rest.split(), *surname.split()]


def _bare(word: str) -> str:
    return word.lower().strip(".,")


def _cased(word: str) -> str:
    """A name in its usual case: as written, unless written all in capitals or all in lower
    case ("JOHN", "anna" -> "John", "Anna"; "McKenzie" stays)."""
    if not (word.isupper() or word.islower()):
        return word
    return re.sub(r"[^\W\d_]+", lambda m: m.group().capitalize(), word.lower())
