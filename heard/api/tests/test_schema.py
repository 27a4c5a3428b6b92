"""Schemathesis against the API's own OpenAPI schema, through Django's WSGI app with a valid
token: for every operation, generated requests never get a server error, and every response
matches the schema (its status code, content type, headers and body)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from heard.api import actions as api_actions
from heard.api.models import Event, Scope
from heard.api.tests.api_helpers import NOWHERE, build_side
from heard.api.webhooks import events
from heard.desk.models import Role, Team
from heard.test import make_agent

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture
def wsgi_keeps_the_test_connection() -> Iterator[None]:
    """Django's WSGI handler closes the database connection after each request; inside a test's
    transaction that would close it mid-test (PostgreSQL). Django's test client does the same."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)
    events.forget_subscribers()  # the test's webhooks rolled back with it


@pytest.fixture
def token(db: Any, settings: Any, wsgi_keeps_the_test_connection: None) -> str:
    """A lead's admin token (every operation may succeed), with a team's every kind of object,
    at the low ids the generated paths often hit."""
    settings.HEARD_API_RATE_PER_MINUTE = 1_000_000
    settings.SITE_URL = "https://help.example"
    team = Team.objects.create(name="Billing", slug="billing", auto_assign=False)
    lead = make_agent("lena", [team], Role.LEAD)
    team.lead = lead.user
    team.save()
    build_side(team, lead, "Zanzibarite", "bill@a.example")
    api_actions.create_subscription(team, url=f"{NOWHERE}/in", events=Event.values)
    return api_actions.create_token(lead, name="schemathesis", scope=Scope.ADMIN)[1]


@schema.parametrize()
@settings(
    max_examples=4,
    deadline=None,
    derandomize=True,  # the same cases every run: CI is never flaky on a new draw
    database=None,  # and nothing kept between runs in .hypothesis/
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_answers_as_its_schema_says(case: Any, token: str) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)
