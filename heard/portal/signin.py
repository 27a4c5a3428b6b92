"""Signing in to the portal with a link sent by email.

Threat model, and what each rule is for:

- Someone types another person's address to learn whether they are a customer: the sign-in
  page gives the same answer, with the same status, whatever the address (known, unknown or
  over its limit), and the work (the limits, the row, the email) happens in a job after the
  answer, so its timing tells nothing either.
- Someone floods an address (or our mail server) with links: links are limited per address
  (`HEARD_PORTAL_LINKS_PER_ADDRESS` in `ADDRESS_WINDOW`) and per IP address
  (`HEARD_PORTAL_LINKS_PER_IP` in `IP_WINDOW`), counted from rows in the database, so every
  process and worker counts the same.
- A mail scanner opens every link in an email: opening the link (GET) shows a page with a
  "Sign in" button and uses nothing; only pressing it (POST, with CSRF) signs in.
- A link is forwarded, leaked or read from the database (the email's text is kept with the
  other emails we send): it works only in the browser that asked for it, which holds a random
  cookie (`BROWSER_COOKIE`, HttpOnly, SameSite=Lax, Secure on https) whose hash the link row
  keeps; it works once (a conditional update marks it used) and for
  `HEARD_PORTAL_LINK_MINUTES` only. The row keeps only SHA-256 hashes of the token and the
  cookie, and a keyed hash of the address.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from heard.desk.models import Customer, CustomerEmail
from heard.mail.sending import outbound
from heard.portal import kinds
from heard.portal.models import SignInLink

log = logging.getLogger(__name__)

BROWSER_COOKIE = "heard_portal_browser"
ADDRESS_WINDOW = timedelta(minutes=15)
IP_WINDOW = timedelta(hours=1)
KEPT_FOR = timedelta(days=1)  # longer than any window: older rows are deleted when asking
_NONCE_BYTES = 32


class Problem(StrEnum):
    """Why a link does not sign in; each has its own page."""

    UNKNOWN = "unknown"  # no such link (altered, or cut short when copied)
    USED = "used"
    EXPIRED = "expired"
    OTHER_BROWSER = "other_browser"


@dataclass(frozen=True)
class Checked:
    """A link that would sign its customer in from this browser now."""

    link: SignInLink
    customer: Customer


def digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def address_digest(address: str) -> str:
    """A keyed hash of the address: the rows count per address without holding it."""
    key = f"heard.portal.address:{settings.SECRET_KEY}".encode()
    return hmac.new(key, address.strip().lower().encode(), hashlib.sha256).hexdigest()


def browser_nonce(existing: str | None) -> str:
    """This browser's nonce: the one its cookie holds already (so that an earlier link keeps
    working when they ask again), else a new one."""
    if existing and len(existing) == 43 and existing.replace("-", "").replace("_", "").isalnum():
        return existing
    return secrets.token_urlsafe(_NONCE_BYTES)


def link_url(token: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{reverse('portal:link', args=[token])}"


# --- asking for a link -----------------------------------------------------------------------


def ask(address: str, ip: str, browser_hash: str, now: datetime | None = None) -> bool:
    """Send a sign-in link to `address` if it is a customer's and the limits allow; True if one
    was queued. Called by a job, after the sign-in page has answered (the same for everyone)."""
    now = now or timezone.now()
    address = address.strip().lower()
    hashed = address_digest(address)
    with transaction.atomic():
        outbound.lock_recipient(f"portal:{hashed}")  # one count per address at a time
        limit = over_limit(hashed, ip, now)
        if limit is not None:
            log.info("sign-in link not sent: %s", limit)
            return False
        known = CustomerEmail.objects.select_related("customer").filter(address=address).first()
        customer = known.customer if known is not None else None
        token = secrets.token_urlsafe(_NONCE_BYTES)
        SignInLink.objects.create(
            token_hash=digest(token),
            customer=customer,
            address_hash=hashed,
            ip=ip[:45],
            browser_hash=browser_hash,
            created_at=now,
            expires_at=now + timedelta(minutes=settings.HEARD_PORTAL_LINK_MINUTES),
        )
        SignInLink.objects.filter(created_at__lt=now - KEPT_FOR).delete()
        if customer is None:
            return False
        return _send(customer, address, token)


def over_limit(address_hash: str, ip: str, now: datetime) -> str | None:
    """Why one more link must not be sent now, or None."""
    recent = SignInLink.objects.asked_since(now - ADDRESS_WINDOW)
    per_address = settings.HEARD_PORTAL_LINKS_PER_ADDRESS
    if recent.filter(address_hash=address_hash).count() >= per_address:
        return f"{per_address} links for this address in {ADDRESS_WINDOW}"
    per_ip = settings.HEARD_PORTAL_LINKS_PER_IP
    if ip and SignInLink.objects.asked_since(now - IP_WINDOW).filter(ip=ip).count() >= per_ip:
        return f"{per_ip} links asked from {ip} in {IP_WINDOW}"
    return None


def _send(customer: Customer, address: str, token: str) -> bool:
    words = kinds.SIGN_IN.words()
    company = settings.HEARD_SUPPORT_NAME
    minutes = settings.HEARD_PORTAL_LINK_MINUTES
    name = customer.address_name()
    text = "\n\n".join(
        [
            words["greeting_named"].format(name=name) if name else words["greeting_plain"],
            words["body"].format(company=company),
            link_url(token),
            words["how"].format(minutes=minutes),
            words["not_you"],
            words["signoff"].format(company=company),
        ]
    )
    email = outbound.queue_automatic(
        kinds.SIGN_IN,
        to_address=address,
        subject=words["subject"],
        text=text,
        customer=customer,
        why={"company": company},
    )
    return email is not None


# --- using a link ----------------------------------------------------------------------------


def check(token: str, nonce: str | None, now: datetime | None = None) -> Checked | Problem:
    """What pressing "Sign in" with this link in this browser would do; changes nothing."""
    now = now or timezone.now()
    link = (
        SignInLink.objects.select_related("customer")
        .filter(token_hash=digest(token), customer__isnull=False)
        .first()
    )
    if link is None or link.customer is None:
        return Problem.UNKNOWN
    if link.used_at is not None:
        return Problem.USED
    if link.expires_at <= now:
        return Problem.EXPIRED
    if not nonce or not hmac.compare_digest(link.browser_hash, digest(nonce)):
        return Problem.OTHER_BROWSER
    return Checked(link, link.customer)


def use(token: str, nonce: str | None, now: datetime | None = None) -> Customer | Problem:
    """Use the link: the customer it signs in, once; a second use (even at the same moment,
    from two tabs) gets `Problem.USED`."""
    now = now or timezone.now()
    found = check(token, nonce, now)
    if isinstance(found, Problem):
        return found
    unused = SignInLink.objects.filter(pk=found.link.pk, used_at=None, expires_at__gt=now)
    if unused.update(used_at=now) != 1:
        return Problem.USED
    return found.customer
