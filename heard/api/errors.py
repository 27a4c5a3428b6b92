"""What the API answers when it refuses: a stable `code`, a short message, and the HTTP status.

Every error body is `{"code": ..., "message": ..., "fields": [...]}`. Clients branch on `code`
(the desk's own codes, `heard.desk.errors.ErrorCode`, pass through unchanged); the message is for
a person and may change. `fields` names each field that failed validation and why.
"""

from __future__ import annotations

from enum import StrEnum

from heard.desk.errors import DeskError, ErrorCode


class ApiCode(StrEnum):
    """The API's own codes (the desk's are in `ErrorCode`); each stays as it is once released."""

    UNAUTHORIZED = "unauthorized"  # no token, or one Heard does not know
    TOKEN_EXPIRED = "token_expired"  # noqa: S105 (an error code, not a secret)
    TOKEN_REVOKED = "token_revoked"  # noqa: S105 (an error code, not a secret)
    SCOPE = "scope"  # the token's scope does not allow this (a read-only token writing)
    RATE_LIMITED = "rate_limited"  # too many requests this minute: see Retry-After
    TOO_LARGE = "too_large"  # a request body over Django's DATA_UPLOAD_MAX_MEMORY_SIZE
    NOT_ALLOWED_METHOD = "method_not_allowed"
    CONFLICT = "conflict"  # the object changed meanwhile (a survey already closed, …)


class ApiError(Exception):
    """A refusal with its HTTP status, code and a short message for the person reading it."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


class RateLimited(ApiError):
    def __init__(self, retry_after: int, limit: int) -> None:
        super().__init__(
            429,
            ApiCode.RATE_LIMITED,
            f"This token made its {limit} requests for this minute; try again in "
            f"{retry_after} s.",
        )
        self.retry_after = retry_after


# The HTTP status of each desk refusal; what is not listed is a 400.
DESK_STATUS = {
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.NOT_ALLOWED: 403,
    ErrorCode.CLOSED: 409,
    ErrorCode.TRANSITION: 409,
    ErrorCode.SEVERE_FINDING: 422,
}


def from_desk(error: DeskError) -> ApiError:
    return ApiError(DESK_STATUS.get(error.code, 400), error.code.value, str(error))


def not_found(what: str = "ticket") -> ApiError:
    """The same answer for another team's object as for none at all: nobody learns it exists."""
    return ApiError(404, ErrorCode.NOT_FOUND, f"No such {what} in your teams.")
