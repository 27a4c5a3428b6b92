"""The webhook gift provider against a real HTTP server on the loopback: signed, idempotent,
retried with backoff, failed for good on a refusal retrying cannot fix."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

from django.test import override_settings

from heard.care import kinds
from heard.care.models import GiftState, GreetingState
from heard.care.moments import approve, gifts, plan, send
from heard.care.tests.moment_helpers import NOW, MomentTestCase
from heard.desk.models import Notification
from heard.mail.models import OutboundEmail

MORNING = datetime(2026, 11, 26, 9, 1, tzinfo=UTC)
SECRET = "billing-shared-secret"


class Billing(BaseHTTPRequestHandler):
    """A billing system: answers each POST with the next of `answers` and keeps what it got."""

    answers: ClassVar[list[tuple[int, dict[str, Any]]]] = []
    received: ClassVar[list[tuple[dict[str, str], bytes]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.received.append((dict(self.headers.items()), body))
        status, answer = self.answers.pop(0) if self.answers else (200, {})
        if status == 0:  # too slow: the client's timeout gives up first
            time.sleep(2)
            status = 200
        data = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def billing_system() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Billing)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/gifts"
    finally:
        server.shutdown()
        server.server_close()


class WebhookTestCase(MomentTestCase):
    def setUp(self) -> None:
        super().setUp()
        Billing.answers, Billing.received = [], []
        plan.plan_moment(self.moment, NOW)
        approve.approve_batch(self.moment, self.lead, now=NOW)
        self.server = billing_system()
        url = self.server.__enter__()
        self.addCleanup(self.server.__exit__, None, None, None)
        settings = override_settings(
            HEARD_GIFT_PROVIDER="webhook",
            HEARD_GIFT_WEBHOOK_URL=url,
            HEARD_GIFT_WEBHOOK_SECRET=SECRET,
            HEARD_GIFT_WEBHOOK_TIMEOUT=1,
            HEARD_GIFT_ATTEMPTS=3,
            HEARD_GIFT_RETRY_SECONDS=60,
        )
        settings.enable()
        self.addCleanup(settings.disable)

    def send(self, now: datetime = MORNING) -> int:
        with self.captureOnCommitCallbacks(execute=True):
            return send.send_due(now)

    def test_a_signed_request_the_billing_system_can_check(self) -> None:
        Billing.answers = [(201, {"reference": "CR-7781"})]
        self.assertEqual(self.send(), 1)
        headers, body = Billing.received[0]
        stamp = headers["X-Heard-Timestamp"]
        expected = hmac.new(SECRET.encode(), f"{stamp}.".encode() + body, hashlib.sha256)
        self.assertEqual(headers["X-Heard-Signature"], f"sha256={expected.hexdigest()}")
        self.assertLess(abs(int(stamp) - time.time()), 60)
        greeting = self.greeting()
        self.assertEqual(headers["Idempotency-Key"], f"heard-greeting-{greeting.pk}")
        sent = json.loads(body)
        self.assertEqual(
            sent["gift"],
            {
                "kind": "minutes",
                "text": "50 free minutes, 50 SMS and 300 MB",
                "cost_cents": 300,
                "currency": "EUR",
            },
        )
        self.assertEqual(sent["customer"]["email"], "aleks@example.com")
        self.assertEqual(sent["occasion_date"], "2026-11-26")
        self.assertEqual(greeting.gift_state, GiftState.DELIVERED)
        self.assertEqual(greeting.gift_reference, "CR-7781")
        text = OutboundEmail.objects.get(kind=kinds.GREETING.code).text
        self.assertIn("50 free minutes, 50 SMS and 300 MB are on us", text)
        self.assertNotIn("code", text, "the billing system applied it: nothing to claim")

    def test_an_altered_body_fails_the_signature(self) -> None:
        self.send()
        headers, body = Billing.received[0]
        stamp = headers["X-Heard-Timestamp"]
        forged = body.replace(b"300", b"900")
        check = hmac.new(SECRET.encode(), f"{stamp}.".encode() + forged, hashlib.sha256)
        self.assertNotEqual(headers["X-Heard-Signature"], f"sha256={check.hexdigest()}")

    def test_a_code_from_the_billing_system_is_in_the_greeting(self) -> None:
        Billing.answers = [(200, {"reference": "V-1", "code": "GORDANA-50"})]
        self.send()
        text = OutboundEmail.objects.get(kind=kinds.GREETING.code).text
        self.assertIn("Your code to claim it: GORDANA-50", text)

    def test_a_failure_is_retried_with_backoff_under_the_same_key(self) -> None:
        Billing.answers = [(503, {}), (0, {}), (200, {"reference": "CR-1"})]
        self.assertEqual(self.send(), 0)
        greeting = self.greeting()
        self.assertEqual(greeting.state, GreetingState.APPROVED)
        self.assertEqual(greeting.gift_state, GiftState.RETRYING)
        self.assertIn("503", greeting.gift_error)
        self.assertEqual(greeting.next_attempt_at, MORNING + timedelta(seconds=60))
        self.assertEqual(self.send(MORNING + timedelta(seconds=30)), 0, "not before its retry")
        self.assertEqual(self.send(MORNING + timedelta(seconds=61)), 0)  # timed out
        self.assertIn("could not be reached", self.greeting().gift_error)
        self.assertEqual(self.send(MORNING + timedelta(seconds=300)), 1)
        keys = {headers["Idempotency-Key"] for headers, _ in Billing.received}
        self.assertEqual(keys, {f"heard-greeting-{greeting.pk}"}, "one key: credited once")
        self.assertEqual(self.greeting().gift_attempts, 3)

    def test_after_the_last_attempt_it_fails_shows_and_tells_the_lead(self) -> None:
        Billing.answers = [(500, {})] * 3
        for seconds in (0, 61, 182):
            self.send(MORNING + timedelta(seconds=seconds))
        greeting = self.greeting()
        self.assertEqual(greeting.state, GreetingState.FAILED)
        self.assertEqual(greeting.gift_state, GiftState.FAILED)
        self.assertEqual(OutboundEmail.objects.filter(kind=kinds.GREETING.code).count(), 0)
        self.assertTrue(Notification.objects.filter(recipient=self.lead.user).exists())

    def test_a_refusal_that_retrying_cannot_fix_fails_at_once(self) -> None:
        Billing.answers = [(422, {"error": "unknown customer"})]
        self.send()
        greeting = self.greeting()
        self.assertEqual((greeting.state, greeting.gift_attempts), (GreetingState.FAILED, 1))
        self.assertEqual(greeting.why, "the gift could not be delivered: the billing system "
                         "answered 422 Unprocessable Entity")  # fmt: skip

    def test_a_voucher_gift_still_comes_from_the_list(self) -> None:
        self.moment.gift_kind = "voucher"
        self.moment.save()
        self.send()
        self.assertEqual(Billing.received, [])
        self.assertEqual(self.greeting().gift_code, "BDAY-0001")

    def test_the_provider_follows_the_setting(self) -> None:
        greeting = self.greeting()
        self.assertIsInstance(gifts.provider(greeting), gifts.Webhook)
        with override_settings(HEARD_GIFT_PROVIDER="vouchers"):
            self.assertIsInstance(gifts.provider(greeting), gifts.VoucherList)
