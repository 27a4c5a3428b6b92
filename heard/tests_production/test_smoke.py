"""The production shape, booted from the README's commands, carries one customer's journey.

Two gunicorn web processes, two Celery workers, beat and `heard smtpd`, on PostgreSQL (database
heard_prod_smoke) and Redis (database 5), with deploy/heard.env.example's settings: an email in
over SMTP, its acknowledgement out through the SMTP relay, an agent's reply through the web (log
in on one web process, reply on the other), and the customer's answer threaded into the same
ticket. Runs where PostgreSQL and Redis are reachable (.ci/run); skipped elsewhere.
"""

from __future__ import annotations

import re
import tempfile
import time
import unittest
from email.message import EmailMessage
from pathlib import Path

from heard.tests_production.shape import (
    Browser,
    Shape,
    customer_email,
    production_available,
)

PASSWORD = "a long agent passphrase"  # noqa: S105
# What an administrator does in /admin/ after `heard createsuperuser`: a team and an agent.
SET_UP_DESK = f"""
from django.contrib.auth.models import User
from heard.desk.models import Agent, Team
team = Team.objects.create(name="Support", slug="support")
user = User.objects.create_user("ana", "ana@example.com", {PASSWORD!r}, first_name="Ana")
Agent.objects.create(user=user).teams.set([team])
"""


@unittest.skipUnless(production_available(), "needs PostgreSQL and Redis on 127.0.0.1 (.ci/run)")
class ProductionSmokeTestCase(unittest.TestCase):
    def test_it_carries_a_customer_from_email_to_threaded_reply(self) -> None:
        started = time.monotonic()
        with tempfile.TemporaryDirectory() as tmp, Shape(Path(tmp)) as shape:
            try:
                shape.run(["heard", "shell", "--no-imports", "-c", SET_UP_DESK])
                shape.start_services()
                self.assertEqual(
                    sorted(shape.processes),
                    ["beat", "smtpd", "web:18280", "web:18281", "worker:worker1", "worker:worker2"],
                )
                self.journey(shape)
            except BaseException:
                print(shape.tails())
                raise
        self.assertLess(time.monotonic() - started, 90, "the production smoke test grew slow")

    def journey(self, shape: Shape) -> None:
        assert shape.sink is not None
        first = customer_email(
            "My invoice shows the wrong address",
            "Hello, my invoice for May shows my old street address. Could you correct it?",
        )
        shape.send_email(first)
        ack = shape.sink.wait_for(lambda m: m["In-Reply-To"] == first["Message-ID"])
        self.assertEqual(ack["Auto-Submitted"], "auto-replied")
        self.assertIn("maja@customer.example", ack["To"])

        web1, web2 = shape.browser(shape.web_ports[0]), shape.browser(shape.web_ports[1])
        self.assertEqual(web1.log_in("ana", PASSWORD).status, 302)
        web2.cookies = dict(web1.cookies)  # the same browser, sent to the other web process
        queue = web2.get("/")
        self.assertEqual(queue.status, 200, queue.body[:500])
        ticket_ids = set(re.findall(r'href="/tickets/(\d+)/"', queue.body))
        self.assertEqual(len(ticket_ids), 1, "one email, one ticket in the queue")
        ticket = ticket_ids.pop()
        web2.get(f"/tickets/{ticket}/")
        sent = web2.post(
            f"/tickets/{ticket}/reply/",
            {"text": "Hello Maja, I have corrected the address; the new invoice is attached."},
        )
        self.assertEqual(sent.status, 302, sent.body[:2000])

        reply = shape.sink.wait_for(lambda m: "I have corrected the address" in _text(m))
        self.assertIsNone(reply["Auto-Submitted"])
        answer = customer_email(
            f"Re: {reply['Subject']}",
            "Thank you, the new invoice is right.",
            In_Reply_To=reply["Message-ID"],
            References=reply["Message-ID"],
        )
        shape.send_email(answer)
        self.assertTrue(
            self.shows(web1, f"/tickets/{ticket}/", "Thank you, the new invoice is right."),
            "the customer's answer never appeared on the ticket",
        )
        self.assertEqual(shape.query("SELECT count(*) FROM desk_ticket"), [(1,)])
        self.assert_production_web(shape)

    def shows(self, browser: Browser, path: str, text: str, timeout: float = 30) -> bool:
        deadline = time.monotonic() + timeout
        while text not in browser.get(path).body:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.3)
        return True

    def assert_production_web(self, shape: Shape) -> None:
        """Static files from gunicorn (WhiteNoise), https only, and HSTS."""
        browser = shape.browser()
        css = browser.get("/static/css/heard.css")
        self.assertEqual(css.status, 200)
        self.assertIn("text/css", css.headers["content-type"])
        plain = browser.get("/login/", https=False)
        self.assertEqual(plain.status, 301)
        self.assertEqual(plain.headers["location"], "https://support.example.com/login/")
        secure = browser.get("/login/")
        self.assertIn("max-age=31536000", secure.headers["strict-transport-security"])


def _text(message: EmailMessage) -> str:
    body = message.get_body(("plain",))
    return body.get_content() if body is not None else ""
