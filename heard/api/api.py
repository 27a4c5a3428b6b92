"""The API: one NinjaAPI under /api/v1/, its auth, its routers, and how refusals are answered.

Every operation answers its documented schema or an `Error` (`heard.api.errors`): validation
errors become 400 with each field's problem, desk refusals keep their code (`not_found` 404,
`severe_finding` 422 with the coaching, …), and a request over the token's rate limit gets 429
with Retry-After. The schema is at /api/v1/openapi.json and the interactive docs at /api/v1/docs.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from heard.api import outputs
from heard.api.auth import TokenAuth
from heard.api.errors import ApiCode, ApiError, RateLimited, from_desk, not_found
from heard.api.routers import care, customers, engine, me, messages, tickets, webhooks
from heard.desk.errors import DeskError, ErrorCode, SevereFinding

api = NinjaAPI(
    title="Heard API",
    version="1",
    description=(
        "Everything an agent does, for other systems, with the same rules: a token acts as its "
        "agent, with the same teams, and every write goes through the same checks as the "
        "console. Errors are `{code, message, fields}`; branch on `code`."
    ),
    urls_namespace="api:api-v1",
    auth=TokenAuth(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
api.add_router("/tickets", tickets.router)
api.add_router("/tickets", messages.router)
api.add_router("/customers", customers.router)
api.add_router("/", engine.router)
api.add_router("/", care.router)
api.add_router("/webhooks", webhooks.router)
api.add_router("/", me.router)


def _error(
    request: HttpRequest, status: int, code: str, message: str, **extra: Any
) -> HttpResponse:
    body = {"code": code, "message": message, "fields": [], **extra}
    return api.create_response(request, body, status=status)


@api.exception_handler(ApiError)
def _api_error(request: HttpRequest, error: ApiError) -> HttpResponse:
    response = _error(request, error.status, error.code, error.message)
    if isinstance(error, RateLimited):
        response["Retry-After"] = str(error.retry_after)
    return response


@api.exception_handler(DeskError)
def _desk_error(request: HttpRequest, error: DeskError) -> HttpResponse:
    answer = from_desk(error)
    if isinstance(error, SevereFinding):
        coaching = outputs.coaching(error.coaching)
        return _error(request, answer.status, answer.code, answer.message, coaching=coaching)
    return _error(request, answer.status, answer.code, answer.message)


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, error: ValidationError) -> HttpResponse:
    fields = [_field_error(e) for e in error.errors]
    code = ErrorCode.TOO_LONG if any(_too_long(e) for e in error.errors) else ErrorCode.INVALID
    said = "; ".join(f"{f['field']}: {f['message']}" for f in fields[:5])
    return _error(request, 400, code, f"Not accepted: {said}.", fields=fields)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, error: Http404) -> HttpResponse:
    answer = not_found("object")
    return _error(request, 404, answer.code, answer.message)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
    if isinstance(error, AuthenticationError):
        message = "Send a valid token: Authorization: Bearer …"
        return _error(request, 401, ApiCode.UNAUTHORIZED, message)
    code = {405: ApiCode.NOT_ALLOWED_METHOD}.get(error.status_code, ErrorCode.INVALID)
    return _error(request, error.status_code, code, str(error))


@api.exception_handler(RequestDataTooBig)
def _too_large(request: HttpRequest, error: RequestDataTooBig) -> HttpResponse:
    return _error(request, 413, ApiCode.TOO_LARGE, "The request is too large.")


# Short, stable words for pydantic's error types; others keep pydantic's message.
_MESSAGES = {
    "missing": "required",
    "string_type": "must be a string",
    "int_parsing": "must be a whole number",
    "int_type": "must be a whole number",
    "bool_parsing": "must be true or false",
    "bool_type": "must be true or false",
    "float_parsing": "must be a number",
    "datetime_parsing": "must be a date and time like 2026-12-03T09:30:00Z",
    "datetime_from_date_parsing": "must be a date and time like 2026-12-03T09:30:00Z",
    "date_parsing": "must be a date like 2026-12-03",
    "date_from_datetime_parsing": "must be a date like 2026-12-03",
    "json_invalid": "is not valid JSON",
    "model_attributes_type": "must be a JSON object",
    "dict_type": "must be a JSON object",
    "list_type": "must be a list",
    "extra_forbidden": "is not a field this takes",
    "string_pattern_mismatch": "is not in the expected form",
}


def _field_error(error: dict[str, Any]) -> dict[str, str]:
    where = ".".join(str(part) for part in error.get("loc", ()) if part != "payload")
    kind, context = error.get("type", ""), error.get("ctx") or {}
    if kind == "string_too_long":
        message = f"at most {context.get('max_length')} characters"
    elif kind == "string_too_short":
        message = f"at least {context.get('min_length')} characters"
    elif kind in ("too_long", "too_short"):
        message = str(error.get("msg", "the wrong length")).lower()
    elif kind in ("greater_than_equal", "greater_than"):
        message = f"at least {context.get('ge', context.get('gt'))}"
    elif kind in ("less_than_equal", "less_than"):
        message = f"at most {context.get('le', context.get('lt'))}"
    elif kind in ("literal_error", "enum"):
        message = f"one of {context.get('expected', '')}"
    else:
        message = _MESSAGES.get(kind, str(error.get("msg", "not accepted")))
    return {"field": where or "body", "message": message}


def _too_long(error: dict[str, Any]) -> bool:
    return error.get("type") == "string_too_long" and "text" in error.get("loc", ())
