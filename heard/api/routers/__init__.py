"""The API's routers, one per resource; each calls the same actions as the console.

`ERRORS` documents the error answer on every operation, so the schema says what each may
answer and Schemathesis can hold every response to it.
"""

from __future__ import annotations

from django.http import HttpRequest

from heard.api.access import Caller
from heard.api.schemas import Error

# What an operation may refuse with: bad input, no or a bad token, the scope, another team's or
# no object, a state conflict, too large, the coach's severe findings, the rate limit.
ERROR_STATUSES = frozenset({400, 401, 403, 404, 405, 409, 413, 422, 429})
ERRORS = {ERROR_STATUSES: Error}


def caller(request: HttpRequest) -> Caller:
    """Who calls (set by `TokenAuth`)."""
    found = request.auth  # type: ignore[attr-defined]  # ninja sets it after authentication
    assert isinstance(found, Caller)
    return found
