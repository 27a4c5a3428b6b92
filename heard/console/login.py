"""Login throttling: per account and per address, counted in the database, with one message.

Every password sign-in goes through `authenticate()`, so the throttle lives in an authentication
backend (`ThrottledBackend`, Django's model backend with the count around it): the login page,
the admin's login and anything else that authenticates with a password are throttled alike.
A failure (wrong password, or a name that is nobody's) is a `LoginFailure` row. While a name has
`HEARD_LOGIN_FAILURES_PER_ACCOUNT` failures in the last `HEARD_LOGIN_WINDOW_MINUTES`, or an
address `HEARD_LOGIN_FAILURES_PER_ADDRESS`, every sign-in for that name or from that address is
refused, the right password included, and not counted (so a refused guess cannot lengthen the
wait), until the oldest of those failures is older than the window.

No account enumeration: names that are nobody's are counted and refused exactly like real ones,
and the page says the same thing in every case (`LoginForm`); a refused sign-in is answered 429.
A success clears its name's failures. Rows live as long as the window.
"""

from __future__ import annotations

import hashlib
import hmac
import math
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from heard.console.models import LoginFailure

THROTTLED = (
    "Too many failed sign-ins for this name or from this address. For your account's safety, "
    "sign-in is paused: please try again in {minutes} minutes, or ask an administrator to "
    "reset your password."
)
WRONG = "Your username and password didn't match. Please try again."


def wait_minutes(username: str, address: str, now: datetime | None = None) -> int:
    """How many more minutes sign-in stays refused for this name or address; 0 when it is
    allowed."""
    now = now or timezone.now()
    recent = LoginFailure.objects.filter(at__gt=now - _window())
    by_name = recent.filter(account=_key("name", username))
    by_address = recent.filter(address=_key("address", address))
    return max(
        _wait(by_name, settings.HEARD_LOGIN_FAILURES_PER_ACCOUNT, now),
        _wait(by_address, settings.HEARD_LOGIN_FAILURES_PER_ADDRESS, now),
    )


def record_failure(username: str, address: str, now: datetime | None = None) -> None:
    now = now or timezone.now()
    LoginFailure.objects.filter(at__lte=now - _window()).delete()
    LoginFailure.objects.create(
        account=_key("name", username), address=_key("address", address), at=now
    )


def clear(username: str) -> None:
    LoginFailure.objects.filter(account=_key("name", username)).delete()


def client_address(request: HttpRequest | None) -> str:
    """The client's IP address (behind a trusted proxy, the one it forwarded for)."""
    return str(request.META.get("REMOTE_ADDR", "")) if request is not None else ""


class ThrottledBackend(ModelBackend):
    """Django's model backend, refusing every password for a throttled name or address."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        name = username or ""
        address = client_address(request)
        if wait_minutes(name, address):
            raise PermissionDenied("throttled")  # stops authenticate() trying other backends
        user = super().authenticate(request, username, password, **kwargs)
        if user is None:
            record_failure(name, address)
        else:
            clear(name)
        return user


class LoginForm(AuthenticationForm):
    """Says why a sign-in is refused, the same way for every name."""

    error_messages = {**AuthenticationForm.error_messages, "invalid_login": WRONG}

    def clean(self) -> dict[str, Any]:
        minutes = wait_minutes(self.data.get("username", ""), client_address(self.request))
        if minutes:
            raise ValidationError(THROTTLED.format(minutes=minutes), code="throttled")
        return super().clean()


class LoginView(auth_views.LoginView):
    form_class = LoginForm

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_invalid(form)
        if form.has_error("__all__", "throttled"):
            response.status_code = 429  # Too Many Requests
        return response


def _wait(failures: QuerySet[LoginFailure], limit: int, now: datetime) -> int:
    """Whole minutes (rounded up) until fewer than `limit` of these recent `failures` are left
    in the window; 0 when there are fewer already."""
    latest = list(failures.order_by("-at").values_list("at", flat=True)[:limit])
    if len(latest) < limit:
        return 0
    seconds = (latest[-1] + _window() - now).total_seconds()
    return max(1, math.ceil(seconds / 60))


def _window() -> timedelta:
    return timedelta(minutes=settings.HEARD_LOGIN_WINDOW_MINUTES)


def _key(kind: str, value: str) -> str:
    """A keyed hash of `value`: rows that say nothing of who typed what without the key."""
    secret = f"heard.console.login.{kind}:{settings.SECRET_KEY}".encode()
    return hmac.new(secret, value.strip().lower().encode(), hashlib.sha256).hexdigest()
