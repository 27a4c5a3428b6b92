"""Who is signed in to the portal: a customer, in the Django session under keys of its own.

The portal session is apart from the staff login: signing in here logs no user in (so it opens
nothing in the console or the admin), and a staff login sets no customer (so it opens nothing
here). The session key changes when a customer signs in or out; a session left unused for
`HEARD_PORTAL_IDLE_MINUTES` ends; and a customer who was forgotten is signed out everywhere at
their next page.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

from heard.desk.models import CONSENTS_IN_FORCE, Customer

R = TypeVar("R", bound=HttpResponseBase)
CUSTOMER_KEY = "heard.portal.customer"
SEEN_KEY = "heard.portal.seen"  # when the customer last opened a page (POSIX seconds)


class PortalRequest(HttpRequest):
    """A request from a signed-in customer (see `customer_required`)."""

    customer: Customer


def sign_in(request: HttpRequest, customer: Customer) -> None:
    request.session.cycle_key()  # a session id seen before signing in is worth nothing after
    request.session[CUSTOMER_KEY] = customer.pk
    request.session[SEEN_KEY] = int(timezone.now().timestamp())


def sign_out(request: HttpRequest) -> None:
    """End the portal session only (a staff login in the same browser stays)."""
    had = request.session.pop(CUSTOMER_KEY, None)
    request.session.pop(SEEN_KEY, None)
    if had is not None:
        request.session.cycle_key()


def signed_in(request: HttpRequest) -> Customer | None:
    """The customer signed in to this session, or None (and the session's portal part ends
    when it was idle too long or the customer was forgotten)."""
    pk = request.session.get(CUSTOMER_KEY)
    if pk is None:
        return None
    now = int(timezone.now().timestamp())
    seen = request.session.get(SEEN_KEY, 0)
    customer = None
    if now - seen <= settings.HEARD_PORTAL_IDLE_MINUTES * 60:
        customer = (
            Customer.objects.select_related(*CONSENTS_IN_FORCE)
            .exclude(forget_requests__forgotten_at__isnull=False)
            .filter(pk=pk)
            .first()
        )
    if customer is None:
        sign_out(request)
        return None
    request.session[SEEN_KEY] = now
    return customer


def customer_required(view: Callable[..., R]) -> Callable[..., R | HttpResponse]:
    """The view for a signed-in customer (as `request.customer`); anyone else goes to the
    sign-in page. Its pages are never cached: they hold the customer's own words."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> R | HttpResponse:
        customer = signed_in(request)
        if customer is None:
            return redirect("portal:sign_in")
        request.customer = customer  # type: ignore[attr-defined]
        response = view(request, *args, **kwargs)
        add_never_cache_headers(response)
        return response

    return wrapper
