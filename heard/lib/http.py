"""Typed requests for views, and who a request really came from behind a reverse proxy."""

from __future__ import annotations

from collections.abc import Callable
from ipaddress import ip_address

from django.conf import settings
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django_htmx.middleware import HtmxDetails

# Headers a reverse proxy sets; from any other peer they are whatever the client wrote.
FORWARDED_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST")


class AgentRequest(HttpRequest):
    user: User
    htmx: HtmxDetails


def is_trusted_proxy(address: str) -> bool:
    """Whether `address` is one of HEARD_TRUSTED_PROXIES (the reverse proxies in front)."""
    try:
        ip = ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in network for network in settings.HEARD_TRUSTED_PROXIES)


def client_ip(request: HttpRequest) -> str:
    """The address of the client, for per-address limits.

    REMOTE_ADDR, unless that is a trusted proxy: then X-Forwarded-For is read from the right
    (each proxy appends the peer it saw), skipping our own proxies; the first address left is
    the client's. Addresses further left were written by the client and prove nothing.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    if not is_trusted_proxy(remote):
        return remote
    hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    for hop in reversed([hop.strip() for hop in hops if hop.strip()]):
        if not is_trusted_proxy(hop):
            return hop if _is_address(hop) else remote
    return remote


def _is_address(value: str) -> bool:
    try:
        ip_address(value)
    except ValueError:
        return False
    return True


class TrustedProxyMiddleware:
    """Drop the X-Forwarded-* headers of requests that did not come through a trusted proxy,
    so that nobody can claim https (SECURE_PROXY_SSL_HEADER) or another address by writing them.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not is_trusted_proxy(request.META.get("REMOTE_ADDR", "")):
            for header in FORWARDED_HEADERS:
                request.META.pop(header, None)
        return self.get_response(request)
