"""What the API's tests share: tokens for the personas, and a client that sends them."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.test import override_settings

from heard.api import actions as api_actions
from heard.api.models import ApiToken, Event, Scope, Subscription
from heard.api.webhooks import events
from heard.care.models import FollowUp, Moment, Occasion, Survey
from heard.desk import actions
from heard.desk.models import Agent, Customer, Status, Team, Ticket
from heard.test import BaseTestCase, make_customer

# Webhooks in tests post to the loopback, on a port of ours where nothing listens: refused at
# once, never a lookup or a packet beyond this machine.
NOWHERE = "http://127.0.0.1:18189"


@override_settings(HEARD_API_RATE_PER_MINUTE=10_000, SITE_URL="https://help.example")
class ApiTestCase(BaseTestCase):
    """BaseTestCase's personas, and a write token acting as Alice (Billing)."""

    def setUp(self) -> None:
        super().setUp()
        self.token_row, self.token = self.make_token(self.alice, Scope.WRITE)
        # Webhooks made here roll back with the test: no other test may hear of them.
        self.addCleanup(events.forget_subscribers)

    def make_token(
        self, agent: Agent, scope: str = Scope.READ, team: Team | None = None, **extra: Any
    ) -> tuple[ApiToken, str]:
        return api_actions.create_token(agent, name="tests", scope=scope, team=team, **extra)

    def api(
        self,
        method: str,
        path: str,
        data: Any = None,
        token: str | None = None,
        **params: Any,
    ) -> Any:
        """`method` /api/v1`path` with the token (Alice's unless given), JSON in and out; jobs
        queued by the change run after it commits, as they would."""
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token or self.token}"}
        url = f"/api/v1{path}"
        call = getattr(self.client, method.lower())
        with self.captureOnCommitCallbacks(execute=True):
            if method.upper() == "GET":
                response = call(url, params, **headers)
            else:
                body = json.dumps(data if data is not None else {})
                response = call(url, body, content_type="application/json", **headers)
        return response

    def ok(self, response: Any, status: int = 200) -> Any:
        self.assertEqual(response.status_code, status, response.content[:2000])
        return response.json() if response.content else None

    def refused(self, response: Any, status: int, code: str) -> dict[str, Any]:
        self.assertEqual(response.status_code, status, response.content[:2000])
        body: dict[str, Any] = response.json()
        self.assertEqual(body["code"], code, body)
        self.assertTrue(body["message"])
        return body


@dataclass
class Side:
    """One team's objects, each marked with `secret` so a leak shows in any response."""

    secret: str
    team: Team
    customer: Customer
    ticket: Ticket
    survey: Survey
    follow_up: FollowUp
    moment: Moment
    webhook: Subscription


def build_side(team: Team, agent: Agent, secret: str, email: str) -> Side:
    """A customer of the team with a solved ticket (answered by `agent`), its survey and
    follow-up, a moment and a webhook of the team: every kind of object the API reaches."""
    customer = make_customer(f"{secret.title()} Customer", email)
    ticket = actions.open_ticket(
        customer=customer,
        team=team,
        subject=f"{secret} invoice",
        text=f"My {secret} invoice is wrong, please help.",
    )
    actions.post_agent_reply(
        ticket,
        agent,
        f"Hi, I'm sorry about the {secret} invoice: I've corrected it today. If anything else "
        "comes up, just reply and I'll pick it up.",
        status=Status.SOLVED,
    )
    survey = Survey.objects.create(ticket=ticket)
    follow_up = FollowUp.objects.create(ticket=ticket)
    moment = Moment.objects.create(
        name=f"{secret} birthday",
        team=team,
        occasion=Occasion.BIRTHDAY,
        subject="Happy birthday",
        greeting="Happy birthday, {name}!",
    )
    webhook = api_actions.create_subscription(
        team, url=f"{NOWHERE}/{secret.lower()}", events=[Event.TICKET_CREATED]
    )
    return Side(secret, team, customer, Ticket.objects.get(pk=ticket.pk), survey, follow_up,
                moment, webhook)
