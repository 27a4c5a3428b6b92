"""One ticket's life through the API only (opened, read, a reply refused then sent anyway,
solved, surveyed and answered), and the console shows the same history."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import time_machine
from django.utils import timezone

from heard.api.tests.api_helpers import ApiTestCase
from heard.care.tasks import send_due_surveys
from heard.desk.models import Ticket, TicketEvent
from heard.mail.models import OutboundEmail

CUSTOMER = "You charged my card twice for March and I'm really upset about it."
HURTFUL = "As I already said, you should have read the FAQ. There is nothing we can do."


class ReplayTestCase(ApiTestCase):
    def test_one_tickets_life_through_the_api_shows_the_same_in_the_console(self) -> None:
        start = timezone.now()
        made = self.ok(
            self.api(
                "POST",
                "/tickets",
                {
                    "team": "billing",
                    "subject": "Charged twice for March",
                    "text": CUSTOMER,
                    "customer": {"email": "mira@example.com", "name": "Mira Kos"},
                },
            ),
            201,
        )
        pk, customer = made["id"], made["customer"]["id"]
        self.ok(self.api("PUT", f"/customers/{customer}/consents/surveys", {"given": True}))
        ticket = self.ok(self.api("GET", f"/tickets/{pk}", expected_reply="true"))
        self.assertIsNotNone(ticket["expected_reply"])
        first = self.ok(self.api("GET", f"/tickets/{pk}/messages"))["items"][0]
        self.assertEqual((first["text"], first["reading"] is not None), (CUSTOMER, True))

        refused = self.api("POST", f"/tickets/{pk}/replies", {"text": HURTFUL})
        held = self.refused(refused, 422, "severe_finding")
        sent = self.ok(
            self.api("POST", f"/tickets/{pk}/replies", {"text": HURTFUL, "send_anyway": True}),
            201,
        )
        self.assertTrue(sent["sent_despite"])
        high = {f["code"] for f in held["coaching"]["findings"] if f["severity"] == "high"}
        self.assertEqual(set(sent["sent_despite"]), high)
        self.ok(self.api("PATCH", f"/tickets/{pk}", {"status": "solved"}))

        with time_machine.travel(start + timedelta(hours=25)):
            with self.captureOnCommitCallbacks(execute=True):
                self.assertEqual(send_due_surveys(), 1)  # Heard's own job, as scheduled
            survey = self.ok(self.api("GET", "/surveys", ticket=pk))["items"][0]
            self.assertTrue(survey["emailed"])
            answer = {"rating": 4, "comment": "Fixed, thanks."}
            self.ok(self.api("POST", f"/surveys/{survey['id']}/answer", answer))

        conversation = self.ok(self.api("GET", f"/tickets/{pk}/messages"))["items"]
        self.login(self.alice)
        page = self.client.get(f"/tickets/{pk}/")
        self.assertEqual(page.status_code, 200)
        html = unescape(re.sub(r"<[^>]+>", "", page.content.decode()))  # the words, unmarked
        shown = [m.pk for m in page.context["conversation"]]
        self.assertEqual(shown, [m["id"] for m in conversation])
        for message in conversation:
            self.assertIn(message["text"].split("\n")[0][:60], html)
        history = list(page.context["events"])
        recorded = TicketEvent.objects.filter(ticket=pk).values_list("pk", flat=True)
        self.assertEqual({e.pk for e in history}, set(recorded))
        said = {(e.what, e.after, e.note) for e in history}
        despite = "sent anyway, despite: " + ", ".join(sent["sent_despite"])
        self.assertIn(("coach", "", despite), said)
        self.assertIn(("status", "solved", ""), said)
        self.assertIn(("satisfaction", "Happy", "Fixed, thanks."), said)
        self.assertIn("sent anyway, despite: " + ", ".join(sent["sent_despite"]), html)
        self.assertIn("Happy", html)
        self.assertEqual(page.context["satisfaction"].average, 4.0)
        self.assertEqual(Ticket.objects.get(pk=pk).status, "solved")
        reply_email = OutboundEmail.objects.get(message_id=sent["message"]["id"])
        self.assertEqual(reply_email.to_address, "mira@example.com")
