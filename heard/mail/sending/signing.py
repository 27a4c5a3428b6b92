"""Heard's own Message-IDs and reply addresses, signed so that nobody can forge one.

A reply threads into a ticket when it names one of them: in In-Reply-To or References
(`<7f3a9c1e5b2d4f60.HRD-1042.Qm9vYmFy0a1b@acme.example>`) or as the address it was sent to
(`support+HRD-1042.k3j9x2mq@acme.example`). Each carries an HMAC of the ticket reference under the
SECRET_KEY, so guessing a ticket number is not enough to write into someone else's ticket.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets

from django.conf import settings

from heard.desk.models import format_reference, parse_reference

_ID_SIGNATURE = 16  # characters of base32 HMAC in a Message-ID
_ADDRESS_SIGNATURE = 10  # and in a reply address, which people may see


def domain() -> str:
    return settings.HEARD_SUPPORT_ADDRESS.rpartition("@")[2] or "heard.localhost"


def _sign(purpose: str, value: str, length: int) -> str:
    key = f"heard.mail.{purpose}:{settings.SECRET_KEY}".encode()
    digest = hmac.new(key, value.encode(), hashlib.sha256).digest()
    return base64.b32encode(digest).decode().lower()[:length]


def new_message_id(ticket_id: int | None = None) -> str:
    """A fresh Message-ID (without angle brackets), bound to the ticket when there is one."""
    token = secrets.token_hex(8)
    if ticket_id is None:
        return f"{token}@{domain()}"
    local = f"{token}.{format_reference(ticket_id)}"
    return f"{local}.{_sign('message-id', local, _ID_SIGNATURE)}@{domain()}"


def ticket_from_message_id(message_id: str) -> int | None:
    """The ticket a Message-ID of ours was made for, if its signature holds."""
    local, _, host = message_id.strip("<> ").rpartition("@")
    if host.lower() != domain().lower():
        return None
    body, _, signature = local.rpartition(".")
    token, _, reference = body.partition(".")
    if not token or not hmac.compare_digest(signature, _sign("message-id", body, _ID_SIGNATURE)):
        return None
    return parse_reference(reference)


def reply_address(ticket_id: int) -> str:
    """The address a reply on this ticket goes to: the support address with a signed tag."""
    local, _, host = settings.HEARD_SUPPORT_ADDRESS.partition("@")
    reference = format_reference(ticket_id)
    return f"{local}+{reference}.{_sign('address', reference, _ADDRESS_SIGNATURE)}@{host}"


_TAGGED = re.compile(r"^(?P<local>[^+@]+)\+(?P<reference>[^.@]+)\.(?P<signature>[a-z2-7]+)@")


def ticket_from_address(address: str) -> int | None:
    """The ticket a tagged support address stands for, if its signature holds."""
    match = _TAGGED.match(address.strip().lower())
    support_local, _, support_host = settings.HEARD_SUPPORT_ADDRESS.partition("@")
    if (
        not match
        or match["local"] != support_local
        or address.strip().lower().rpartition("@")[2] != support_host
    ):
        return None
    reference = match["reference"].upper()
    if not hmac.compare_digest(match["signature"], _sign("address", reference, _ADDRESS_SIGNATURE)):
        return None
    return parse_reference(reference)
