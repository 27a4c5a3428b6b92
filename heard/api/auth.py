"""Who calls: the one auth class of the API, with its scope check and the per-token rate limit.

`TokenAuth()` on the API lets a token read with GET and write with any other method when its
scope allows it; `TokenAuth(Scope.READ)` marks an operation that reads although it is a POST (a
reading, the coach, a forecast), `TokenAuth(Scope.ADMIN)` one that manages webhooks. A token
acts as its agent (`heard.api.access.Caller`): the same teams, narrowed to the token's team when
it has one.

Rate limit: each request counts in its token's row for the current minute (`RateWindow`), in
one atomic upsert (INSERT … ON CONFLICT DO UPDATE … RETURNING, on SQLite and PostgreSQL alike),
so every process and worker shares the count. Past HEARD_API_RATE_PER_MINUTE the answer is 429
with Retry-After: the seconds until the minute ends.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from heard.api.access import Caller
from heard.api.errors import ApiCode, ApiError, RateLimited
from heard.api.models import ApiToken, RateWindow, Scope, digest

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
LAST_USED_EVERY = timedelta(minutes=1)  # last_used_at is written at most this often


class TokenAuth(HttpBearer):
    """`Authorization: Bearer hrd_…`: the token, its scope for this request, its rate limit."""

    def __init__(self, scope: Scope | None = None) -> None:
        super().__init__()
        self.scope = scope

    def needed(self, method: str) -> Scope:
        """The scope a request needs: this operation's own, else read for GET, write for the
        rest."""
        if self.scope is not None:
            return self.scope
        return Scope.READ if method.upper() in SAFE_METHODS else Scope.WRITE

    def authenticate(self, request: HttpRequest, token: str) -> Caller:
        now = timezone.now()
        found = identify(token, now)
        count_request(found, now)
        needed = self.needed(request.method or "GET")
        if not found.allows(needed):
            raise ApiError(
                403,
                ApiCode.SCOPE,
                f"This token's scope is {found.scope}; this needs {needed.value}.",
            )
        return Caller(found)


def identify(raw: str, now: datetime) -> ApiToken:
    """The token, if it works now; ApiError 401 (unknown, expired or revoked) otherwise."""
    found = (
        ApiToken.objects.select_related("agent__user", "team")
        .filter(digest=digest(raw.strip()))
        .first()
    )
    if found is None or not found.agent.user.is_active:
        raise ApiError(401, ApiCode.UNAUTHORIZED, "Send a valid token: Authorization: Bearer …")
    state = found.state(now)
    if state == "revoked":
        raise ApiError(401, ApiCode.TOKEN_REVOKED, "This token was revoked.")
    if state == "expired":
        raise ApiError(401, ApiCode.TOKEN_EXPIRED, "This token has expired.")
    if found.last_used_at is None or found.last_used_at < now - LAST_USED_EVERY:
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        found.last_used_at = now
    return found


def count_request(token: ApiToken, now: datetime) -> int:
    """Count one request in the token's window for this minute; RateLimited past the limit."""
    minute = now.replace(second=0, microsecond=0)
    table = connection.ops.quote_name(RateWindow._meta.db_table)
    # The table name is our own model's, never input.
    sql = (
        f"INSERT INTO {table} (token_id, minute, count) VALUES (%s, %s, 1) "  # noqa: S608
        f"ON CONFLICT (token_id, minute) DO UPDATE SET count = {table}.count + 1 "
        "RETURNING count"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [token.pk, connection.ops.adapt_datetimefield_value(minute)])
        count = int(cursor.fetchone()[0])
    limit = settings.HEARD_API_RATE_PER_MINUTE
    if count > limit:
        left = (minute + timedelta(minutes=1) - now).total_seconds()
        raise RateLimited(max(1, math.ceil(left)), limit)
    return count


def forget_old_windows(now: datetime | None = None) -> int:
    """Delete rate windows more than an hour old (a periodic job); returns how many."""
    cutoff = (now or timezone.now()) - timedelta(hours=1)
    return RateWindow.objects.filter(minute__lt=cutoff).delete()[0]
