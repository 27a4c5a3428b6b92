"""Stopping an automatic email from the email itself: a signed link per recipient and kind.

Every automatic email to a customer ends with a link that stops its kind for them: withdrawing
the consent it was sent by (surveys, follow-ups, greetings) or stopping the automatic updates on
their requests (acknowledgements, updates while waiting). The same address is the email's
List-Unsubscribe; mail sent by consent also carries RFC 8058's List-Unsubscribe-Post, so a
mailbox provider's "unsubscribe" button stops it with one POST. Opening the link shows a page
with a button (mail scanners follow links; they must not unsubscribe anyone).

The link never expires: it names a customer and a kind, signed under the SECRET_KEY, and the
worst it can do is stop mail, which the customer can start again in the portal.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any

from django.conf import settings
from django.core import signing
from django.urls import reverse

from heard.desk import actions
from heard.desk.models import Customer
from heard.mail import kinds
from heard.mail.kinds import EmailKind, OptOut

_SALT = "heard.mail.unsubscribe"


@cache
def wording() -> dict[str, Any]:
    """The last lines of a customer's automatic email: the portal and how to stop its kind
    (data/footer.toml)."""
    text = resources.files("heard.mail").joinpath("data", "footer.toml").read_text()
    return tomllib.loads(text)


def link(customer: Customer, kind: EmailKind) -> str:
    """The address that stops this kind for this customer; "" for a kind with no way to stop."""
    if kind.opt_out == OptOut.NONE:
        return ""
    token = signing.dumps([customer.pk, kind.code], salt=_SALT, compress=True)
    path = reverse("portal:unsubscribe", args=[token])
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def from_token(token: str) -> tuple[Customer, EmailKind] | None:
    """The customer and kind a link names, or None for an altered link or a kind no longer
    declared (or one that cannot be stopped)."""
    try:
        customer_id, code = signing.loads(token, salt=_SALT)
        kind = kinds.get(code)
    except (signing.BadSignature, LookupError, TypeError, ValueError):
        return None
    customer = Customer.objects.filter(pk=customer_id).first()
    if customer is None or kind.opt_out == OptOut.NONE:
        return None
    return customer, kind


def what_stops(kind: EmailKind) -> str:
    """'surveys', 'automatic updates on your requests': what the page offers to stop."""
    return str(wording()["what"][kind.opt_out.value]).format(label=kind.label.lower())


def stop(customer: Customer, kind: EmailKind) -> None:
    """Stop this kind for this customer, as they asked from the email (idempotent)."""
    if kind.opt_out == OptOut.CONSENT:
        actions.record_consent(customer, kind.consent or "", False, source="email")
    elif kind.opt_out == OptOut.UPDATES:
        actions.set_automatic_updates(customer, False)
