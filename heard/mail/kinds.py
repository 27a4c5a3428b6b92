"""Every kind of email Heard writes, declared once: who it is for and what makes it allowed.

A kind says its audience (a customer or a member of staff), the consent it needs, the caps it
counts against, its `Auto-Submitted` value (RFC 3834; empty for an email a person wrote), its
wording file, the key of its reason line in that file ("You get this because …") and how the
recipient stops it. `heard.mail.sending.outbound.queue_automatic` reads all of that from the
kind; nothing else keeps a map of kinds. Adding one is a `declare(...)` in the app that sends it
and a wording file beside it: the stored code is plain text, so no migration.

The mail app declares its own kinds here; other apps declare theirs in their own `kinds` module,
imported by their AppConfig.ready so that every process knows every kind before it sends.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any


class Audience(StrEnum):
    CUSTOMER = "customer"
    STAFF = "staff"


class Caps(StrEnum):
    """What limits how many of a kind one address gets."""

    NONE = "none"  # a person wrote it (an agent's reply): never capped
    CUSTOMER = "customer"  # HEARD_AUTOMAIL_PER_HOUR and _PER_DAY, shared by every such kind
    STAFF = "staff"  # HEARD_STAFF_NOTICES_PER_HOUR one by one, then the digest
    DIGEST = "digest"  # one per HEARD_STAFF_DIGEST_MINUTES (heard.mail.sending.digest)
    # Asked for by the recipient a moment ago (a sign-in link): rate-limited where it is asked
    # for, per address and per IP, and never held back by the caps of mail they did not ask for.
    REQUESTED = "requested"


class OptOut(StrEnum):
    """How the recipient stops a kind (every customer email carries the way)."""

    NONE = "none"  # staff mail (notices are part of the job), and what the recipient asked for
    CONSENT = "consent"  # withdraw the consent the kind needs
    UPDATES = "updates"  # stop the automatic updates on their requests (acknowledgements, …)


@dataclass(frozen=True)
class EmailKind:
    code: str  # stored on OutboundEmail.kind; at most 16 characters
    label: str
    audience: Audience
    auto_submitted: str  # "auto-replied" (answers their email), "auto-generated", "" (a person)
    caps: Caps
    wording: tuple[str, str] | None  # (package, file in its data/ folder); None: a person writes
    consent: str | None = None  # the ConsentKind value it needs, given and not withdrawn
    reason: str = "why"  # key of the reason line in the wording file
    opt_out: OptOut = OptOut.NONE
    # True: an answer in the customer's conversation ("Re: …", threaded into the ticket).
    answers: bool = False

    def __post_init__(self) -> None:
        if len(self.code) > 16 or not self.code.isidentifier():
            raise ValueError(f"an email kind's code is a short identifier, not {self.code!r}")
        if self.audience == Audience.CUSTOMER and self.auto_submitted:
            allowed = {OptOut.UPDATES, OptOut.CONSENT} | (
                {OptOut.NONE} if self.caps == Caps.REQUESTED else set()
            )
            if self.opt_out not in allowed:
                raise ValueError(f"automatic customer mail ({self.code}) needs a way to stop it")
        if self.opt_out == OptOut.CONSENT and self.consent is None:
            raise ValueError(f"{self.code}: an opt-out by consent needs the consent it withdraws")

    def __str__(self) -> str:
        return self.code

    @property
    def is_automatic(self) -> bool:
        return bool(self.auto_submitted)

    @property
    def one_click(self) -> bool:
        """RFC 8058 one-click unsubscribe (List-Unsubscribe-Post): for mail sent by consent,
        which is what mailbox providers expect it on; automatic updates keep a link in the body."""
        return self.opt_out == OptOut.CONSENT

    def words(self) -> dict[str, Any]:
        """The kind's wording file, parsed (cached)."""
        if self.wording is None:
            raise LookupError(f"{self.code} has no wording file: a person writes it")
        return _load(*self.wording)


@cache
def _load(package: str, name: str) -> dict[str, Any]:
    return tomllib.loads(resources.files(package).joinpath("data", name).read_text())


_declared: dict[str, EmailKind] = {}


def declare(**fields: Any) -> EmailKind:
    """Declare a kind (once per process; declaring the same one again returns it)."""
    kind = EmailKind(**fields)
    known = _declared.setdefault(kind.code, kind)
    if known != kind:
        raise ValueError(f"the email kind {kind.code!r} is declared twice, differently")
    return known


def get(code: str) -> EmailKind:
    """The kind stored as `code`; LookupError for a code no app declares."""
    try:
        return _declared[code]
    except KeyError:
        raise LookupError(f"no app declares an email kind {code!r}") from None


def declared() -> list[EmailKind]:
    return list(_declared.values())


def automatic() -> list[str]:
    """The codes of every kind no person wrote (marked Auto-Submitted)."""
    return [kind.code for kind in _declared.values() if kind.is_automatic]


def capped(caps: Caps) -> list[str]:
    """The codes of the kinds that count against these caps."""
    return [kind.code for kind in _declared.values() if kind.caps == caps]


# --- the mail app's own kinds ----------------------------------------------------------------

REPLY = declare(
    code="reply",
    label="Agent reply",
    audience=Audience.CUSTOMER,
    auto_submitted="",
    caps=Caps.NONE,
    wording=None,
    answers=True,
)
ACKNOWLEDGEMENT = declare(
    code="ack",
    label="Acknowledgement",
    audience=Audience.CUSTOMER,
    auto_submitted="auto-replied",
    caps=Caps.CUSTOMER,
    wording=("heard.mail", "acknowledgement.toml"),
    reason="automatic",
    opt_out=OptOut.UPDATES,
    answers=True,
)
UPDATE = declare(
    code="update",
    label="Update while waiting",
    audience=Audience.CUSTOMER,
    auto_submitted="auto-replied",
    caps=Caps.CUSTOMER,
    wording=("heard.mail", "acknowledgement.toml"),
    reason="update_why",
    opt_out=OptOut.UPDATES,
    answers=True,
)
NOTICE = declare(
    code="notice",
    label="Staff notice",
    audience=Audience.STAFF,
    auto_submitted="auto-generated",
    caps=Caps.STAFF,
    wording=("heard.mail", "notice.toml"),
)
DIGEST = declare(
    code="digest",
    label="Digest of notices",
    audience=Audience.STAFF,
    auto_submitted="auto-generated",
    caps=Caps.DIGEST,
    wording=("heard.mail", "digest.toml"),
)
