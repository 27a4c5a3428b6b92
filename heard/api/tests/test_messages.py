"""The conversation through the API: a reply passes the same checks as one typed in the console,
and "send anyway" is recorded exactly as the console records it."""

from __future__ import annotations

from django.test import override_settings

from heard.api.tests.api_helpers import ApiTestCase
from heard.desk.models import Direction, Message, Status, Ticket, TicketEvent
from heard.mail.models import OutboundEmail

HURTFUL = "As I already said, you should have read the FAQ. There is nothing we can do."
KIND = (
    "Hi Aleksandar, I'm sorry you were charged twice. I've refunded the second payment today; "
    "it reaches your card within 3 days. If anything else comes up, just reply."
)


class ReplyTestCase(ApiTestCase):
    def test_a_kind_reply_goes_to_the_customer(self) -> None:
        ticket = self.open_ticket()
        body = self.ok(self.api("POST", f"/tickets/{ticket.pk}/replies", {"text": KIND}), 201)
        self.assertEqual(body["message"]["kind"], "agent")
        self.assertEqual(body["message"]["author"], "Alice Example")
        self.assertEqual(body["sent_despite"], [])
        self.assertGreaterEqual(body["coaching"]["score"], 0)
        self.assertFalse(body["ticket"]["waiting_on_us"])
        email = OutboundEmail.objects.get(message_id=body["message"]["id"])
        self.assertEqual(email.to_address, "aleks@example.com")

    def test_a_severe_finding_is_refused_and_nothing_is_sent(self) -> None:
        ticket = self.open_ticket()
        body = self.refused(
            self.api("POST", f"/tickets/{ticket.pk}/replies", {"text": HURTFUL}),
            422,
            "severe_finding",
        )
        codes = {f["code"] for f in body["coaching"]["findings"] if f["severity"] == "high"}
        self.assertTrue(codes)
        self.assertTrue(body["coaching"]["suggestion"])
        self.assertFalse(Message.objects.filter(ticket=ticket, direction=Direction.AGENT).exists())
        self.assertFalse(OutboundEmail.objects.exists())

    def test_send_anyway_is_recorded_exactly_as_in_the_console(self) -> None:
        by_api, by_console = self.open_ticket(), self.open_ticket()
        payload = {"text": HURTFUL, "send_anyway": True}
        body = self.ok(self.api("POST", f"/tickets/{by_api.pk}/replies", payload), 201)
        self.login(self.alice)
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(f"/tickets/{by_console.pk}/reply/", {"text": HURTFUL})
            self.client.post(
                f"/tickets/{by_console.pk}/reply/", {"text": HURTFUL, "send_anyway": "1"}
            )

        def history(ticket: Ticket) -> list[tuple[str, str, str, str, int | None]]:
            rows = TicketEvent.objects.filter(ticket=ticket).exclude(what="created")
            rows = rows.order_by("created_at", "pk")
            return [(e.what, e.before, e.after, e.note, e.actor_id) for e in rows]

        self.assertEqual(history(by_api), history(by_console))
        coach_note = TicketEvent.objects.get(ticket=by_api, what="coach").note
        self.assertEqual(coach_note, "sent anyway, despite: " + ", ".join(body["sent_despite"]))

    def test_the_desk_refuses_with_its_own_codes(self) -> None:
        ticket = self.open_ticket()
        path = f"/tickets/{ticket.pk}/replies"
        self.refused(self.api("POST", path, {"text": "   "}), 400, "empty")
        with override_settings(HEARD_MAX_REPLY_CHARS=50):
            self.refused(self.api("POST", path, {"text": KIND}), 400, "too_long")
        self.ok(self.api("PATCH", f"/tickets/{ticket.pk}", {"status": "closed"}))
        self.refused(self.api("POST", path, {"text": KIND}), 409, "closed")

    def test_it_leaves_the_status_asked_for(self) -> None:
        ticket = self.open_ticket()
        payload = {"text": KIND, "status": "solved"}
        body = self.ok(self.api("POST", f"/tickets/{ticket.pk}/replies", payload), 201)
        self.assertEqual(body["ticket"]["status"], Status.SOLVED)


class ConversationTestCase(ApiTestCase):
    def test_it_lists_the_conversation_with_readings_and_notes(self) -> None:
        ticket = self.open_ticket("I'm furious: charged twice and nobody answers!")
        note = self.ok(self.api("POST", f"/tickets/{ticket.pk}/notes", {"text": "Refunded."}), 201)
        self.assertEqual(note["kind"], "note")
        items = self.ok(self.api("GET", f"/tickets/{ticket.pk}/messages"))["items"]
        self.assertEqual([m["kind"] for m in items], ["customer", "note"])
        public = self.ok(self.api("GET", f"/tickets/{ticket.pk}/messages", public="true"))
        self.assertEqual([m["kind"] for m in public["items"]], ["customer"])

    def test_a_customer_message_carries_its_reading(self) -> None:
        payload = {
            "team": "billing",
            "subject": "Angry",
            "text": "This is the third time I write! I am furious, fix it now!",
            "customer": {"email": "angry@example.com"},
        }
        made = self.ok(self.api("POST", "/tickets", payload), 201)
        items = self.ok(self.api("GET", f"/tickets/{made['id']}/messages"))["items"]
        reading = items[0]["reading"]
        self.assertIn(reading["emotion"], {"anger", "frustration"})
        self.assertFalse(reading["corrected"])
        self.assertTrue(reading["cues"])
        ticket = self.ok(self.api("GET", f"/tickets/{made['id']}"))
        self.assertEqual(ticket["mood"], reading["emotion"])
