"""Webhooks against a real HTTP server on the loopback: each event told once, signed as the
README says to verify it, logged, retried with backoff, and a failing webhook switched off with
its people told."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

import time_machine
from django.db import transaction
from django.test import override_settings

from heard.api import actions as api_actions
from heard.api.models import Attempt, Delivery, DeliveryState, Event, Subscription, WebhookEvent
from heard.api.tests.api_helpers import NOWHERE, ApiTestCase
from heard.api.webhooks import delivery
from heard.care import follow_ups, surveys
from heard.care.models import FollowUp, Survey
from heard.desk import actions
from heard.desk.models import Notification, Status
from heard.mail.models import OutboundEmail

KIND = "Hi Aleksandar, I've refunded the second payment today. If anything else comes up, reply."


class Receiver(BaseHTTPRequestHandler):
    """An integration: answers each POST with the next status of `answers` (else 204)."""

    answers: ClassVar[list[int]] = []
    received: ClassVar[list[tuple[dict[str, str], bytes]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.received.append((dict(self.headers.items()), body))
        self.send_response(self.answers.pop(0) if self.answers else 204)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def receiver() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/heard"
    finally:
        server.shutdown()
        server.server_close()


def verify(secret: str, headers: dict[str, str], body: bytes) -> bool:
    """The README's verification snippet, as an integration would run it."""
    stamp = headers["X-Heard-Timestamp"]
    signed = hmac.new(secret.encode(), stamp.encode() + b"." + body, hashlib.sha256)
    expected = "sha256=" + signed.hexdigest()
    return hmac.compare_digest(expected, headers["X-Heard-Signature"])


@override_settings(HEARD_WEBHOOK_TIMEOUT=2, HEARD_WEBHOOK_RETRY_SECONDS=60)
class WebhookTestCase(ApiTestCase):
    def setUp(self) -> None:
        super().setUp()
        Receiver.answers, Receiver.received = [], []
        server = receiver()
        self.url = server.__enter__()
        self.addCleanup(server.__exit__, None, None, None)
        self.hook = api_actions.create_subscription(
            self.billing, url=self.url, events=Event.values, created_by=self.lead.user
        )

    def told(self) -> list[dict[str, Any]]:
        return [json.loads(body) for _, body in Receiver.received]

    def test_a_reply_is_told_signed_once(self) -> None:
        ticket = self.open_ticket()
        self.ok(self.api("POST", f"/tickets/{ticket.pk}/replies", {"text": KIND}), 201)
        replies = [(h, b) for h, b in Receiver.received if h["X-Heard-Event"] == "reply.sent"]
        self.assertEqual(len(replies), 1)
        headers, body = replies[0]
        self.assertTrue(verify(self.hook.secret, headers, body))
        self.assertFalse(verify("another secret", headers, body))
        sent = json.loads(body)
        self.assertEqual(sent["event"], "reply.sent")
        self.assertEqual(sent["data"]["message"]["text"], KIND)
        self.assertEqual(sent["data"]["ticket"]["reference"], ticket.reference)
        row = Delivery.objects.get(pk=int(headers["X-Heard-Delivery"]))
        self.assertEqual((row.state, row.response_code, row.attempts), ("delivered", 204, 1))
        self.assertEqual(sent["id"], row.event_id)

    def test_a_new_ticket_and_its_read_message_are_told(self) -> None:
        payload = {
            "team": "billing",
            "subject": "Furious",
            "text": "Third time writing: I am furious, you charged me twice!",
            "customer": {"email": "mira@example.com", "name": "Mira Kos"},
        }
        made = self.ok(self.api("POST", "/tickets", payload), 201)
        events = {e["event"]: e for e in self.told()}
        self.assertEqual(events["ticket.created"]["data"]["ticket"]["id"], made["id"])
        message = events["message.received"]["data"]["message"]
        self.assertEqual(message["text"], payload["text"])
        self.assertIn(message["reading"]["emotion"], {"anger", "frustration"})
        # Saving the ticket again tells nothing new.
        self.ok(self.api("PATCH", f"/tickets/{made['id']}", {"priority": "high"}))
        kinds = [e["event"] for e in self.told()]
        self.assertEqual(kinds.count("message.received"), 1)

    def test_solved_escalated_and_the_answers_are_told(self) -> None:
        ticket = self.open_ticket()
        with self.captureOnCommitCallbacks(execute=True):
            actions.escalate(ticket, "the customer asked for a manager")
        solve = {"text": KIND, "status": "solved"}
        self.ok(self.api("POST", f"/tickets/{ticket.pk}/replies", solve), 201)
        survey = Survey.objects.create(ticket=ticket)
        follow_up = FollowUp.objects.create(ticket=ticket)
        with self.captureOnCommitCallbacks(execute=True):
            surveys.answer(survey, 2, "Slow")
        with self.captureOnCommitCallbacks(execute=True):
            follow_ups.answer(follow_up, "broken", "Charged again")
        told = self.told()
        events = {e["event"]: e for e in told}
        reasons = [e["data"]["reason"] for e in told if e["event"] == "ticket.escalated"]
        self.assertEqual(
            reasons,
            [
                "the customer asked for a manager",
                "the customer answered the follow-up “Still broken”",
            ],
        )
        self.assertEqual(events["ticket.solved"]["data"]["ticket"]["status"], Status.SOLVED)
        self.assertEqual(events["survey.answered"]["data"]["survey"]["rating"], 2)
        answered = events["follow_up.answered"]["data"]
        self.assertEqual(answered["follow_up"]["answer"], "broken")
        self.assertEqual(answered["goes_on_in"], ticket.pk)

    def test_an_escalation_in_a_team_with_no_lead_is_told_once(self) -> None:
        api_actions.create_subscription(
            self.tech, url=self.url, events=[Event.TICKET_ESCALATED], created_by=self.lead.user
        )
        ticket = self.open_ticket(team=self.tech)
        with self.captureOnCommitCallbacks(execute=True):
            actions.escalate(ticket, "the customer asked for a manager")
        told = [e for e in self.told() if e["event"] == "ticket.escalated"]
        self.assertEqual([e["data"]["ticket"]["id"] for e in told], [ticket.pk])
        self.assertEqual(told[0]["data"]["reason"], "the customer asked for a manager")

    def test_only_the_teams_webhooks_and_only_their_events_are_told(self) -> None:
        api_actions.update_subscription(self.hook, events=[Event.TICKET_SOLVED])
        self.open_ticket(team=self.tech)
        ticket = self.open_ticket()
        self.ok(self.api("POST", f"/tickets/{ticket.pk}/replies", {"text": KIND}), 201)
        self.assertEqual(self.told(), [])

    def test_a_change_that_rolls_back_tells_nothing(self) -> None:
        ticket = self.open_ticket()
        with self.captureOnCommitCallbacks(execute=True), transaction.atomic():
            actions.post_agent_reply(ticket, self.alice, KIND)
            transaction.set_rollback(True)
        self.assertFalse(WebhookEvent.objects.filter(name=Event.REPLY_SENT).exists())
        self.assertEqual(self.told(), [])

    def test_a_failure_is_retried_with_backoff_and_logged(self) -> None:
        Receiver.answers = [500, 503]
        ticket = self.open_ticket()
        self.ok(self.api("POST", f"/tickets/{ticket.pk}/replies", {"text": KIND}), 201)
        row = Delivery.objects.get(event__name=Event.REPLY_SENT)
        self.assertEqual((row.state, row.response_code, row.attempts), ("retrying", 500, 1))
        first_try = row.log.get().at
        self.assertEqual(row.next_attempt_at, first_try + timedelta(seconds=60))
        self.assertEqual(delivery.sweep(first_try + timedelta(seconds=30)), 0, "not due yet")
        due = first_try + timedelta(seconds=61)
        with time_machine.travel(due), self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(delivery.sweep(), 1)  # the retry, as the periodic job runs it
        row.refresh_from_db()
        self.assertEqual((row.state, row.response_code, row.attempts), ("retrying", 503, 2))
        second_try = row.log.order_by("at").last().at  # type: ignore[union-attr]
        self.assertEqual(row.next_attempt_at, second_try + timedelta(seconds=120), "doubled")
        self.assertIsNone(delivery.deliver(row.pk, second_try), "not due: not tried")
        self.assertEqual(delivery.deliver(row.pk, row.next_attempt_at), DeliveryState.DELIVERED)
        codes = list(Attempt.objects.filter(delivery=row).values_list("response_code", flat=True))
        self.assertEqual(codes, [500, 503, 204])
        log = self.ok(self.api("GET", f"/webhooks/{self.hook.pk}/deliveries", token=self.admin()))
        self.assertEqual(log["items"][0]["response_code"], 204)

    def admin(self) -> str:
        return self.make_token(self.lead, "admin")[1]

    @override_settings(HEARD_WEBHOOK_ATTEMPTS=1, HEARD_WEBHOOK_DISABLE_AFTER=2)
    def test_a_webhook_failing_for_good_is_switched_off_and_its_people_told(self) -> None:
        Receiver.answers = [500, 500, 500]
        first, second = self.open_ticket(), self.open_ticket("And again.")
        self.ok(self.api("POST", f"/tickets/{first.pk}/replies", {"text": KIND}), 201)
        self.hook.refresh_from_db()
        self.assertTrue(self.hook.active)
        self.ok(self.api("POST", f"/tickets/{second.pk}/replies", {"text": KIND}), 201)
        self.hook.refresh_from_db()
        self.assertFalse(self.hook.active)
        self.assertIn("2 deliveries in a row failed", self.hook.disabled_reason)
        notice = Notification.objects.get(recipient=self.lead.user)
        self.assertIn(self.url, notice.text)
        email = OutboundEmail.objects.get(kind="webhook_off", to_address=self.lead.user.email)
        self.assertIn("switched off", email.text)
        self.assertIn("You get this email as the person who added this webhook", email.text)
        before = len(Receiver.received)
        more = {"team": "billing", "subject": "x", "text": "y", "customer": {"email": "q@r.ex"}}
        self.ok(self.api("POST", "/tickets", more), 201)
        self.assertEqual(len(Receiver.received), before, "nothing more is sent")
        # Switched on again, it counts anew and is told again.
        api_actions.update_subscription(self.hook, active=True)
        self.hook.refresh_from_db()
        self.assertEqual((self.hook.failures_in_a_row, self.hook.disabled_at), (0, None))

    def test_a_forgotten_customers_words_leave_the_log(self) -> None:
        Receiver.answers = [500]
        ticket = self.open_ticket()
        self.ok(self.api("POST", f"/tickets/{ticket.pk}/replies", {"text": KIND}), 201)
        request = actions.request_forgetting(self.customer)
        with self.captureOnCommitCallbacks(execute=True):
            actions.forget_customer(request, self.lead)
        for event in WebhookEvent.objects.filter(ticket=ticket):
            self.assertNotIn("Aleksandar", json.dumps(event.payload))
        row = Delivery.objects.get(event__name=Event.REPLY_SENT)
        self.assertEqual(row.state, DeliveryState.FAILED)


class ManageTestCase(ApiTestCase):
    def test_a_lead_manages_the_teams_webhooks_with_an_admin_token(self) -> None:
        _, token = self.make_token(self.lead, "admin")
        made = self.ok(
            self.api(
                "POST",
                "/webhooks",
                {"team": "billing", "url": f"{NOWHERE}/crm", "events": ["ticket.solved"]},
                token=token,
            ),
            201,
        )
        self.assertEqual(len(made["secret"]), 64)
        self.assertEqual(Subscription.objects.get(pk=made["id"]).secret, made["secret"])
        shown = self.ok(self.api("GET", f"/webhooks/{made['id']}", token=token))
        self.assertNotIn("secret", shown)
        self.ok(self.api("DELETE", f"/webhooks/{made['id']}", token=token), 204)
        self.assertFalse(Subscription.objects.exists())

    def test_an_agent_may_not_even_with_an_admin_token(self) -> None:
        _, token = self.make_token(self.alice, "admin")
        payload = {"team": "billing", "url": f"{NOWHERE}/crm", "events": ["reply.sent"]}
        self.refused(self.api("POST", "/webhooks", payload, token=token), 403, "not_allowed")

    def test_an_address_must_be_http(self) -> None:
        _, token = self.make_token(self.lead, "admin")
        payload = {"team": "billing", "url": "file:///etc/passwd", "events": ["reply.sent"]}
        self.refused(self.api("POST", "/webhooks", payload, token=token), 400, "invalid")
