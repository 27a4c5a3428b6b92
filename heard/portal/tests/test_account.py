"""My account: export my data (theirs, not others', never internal notes), and being forgotten
from asking in the portal to a lead confirming in the console."""

from __future__ import annotations

import json
from pathlib import Path

from django.core import mail
from django.test import Client

from heard.console.tests.test_attachments import PDF, TempMedia
from heard.desk import actions
from heard.desk.models import (
    Attachment,
    ConsentKind,
    Customer,
    CustomerEmail,
    Direction,
    ForgetRequest,
    Message,
    Notification,
    Status,
    Ticket,
)
from heard.mail.models import OutboundEmail, RawEmail
from heard.portal.models import SignInLink
from heard.portal.tests.portal import PortalTestCase
from heard.test import make_customer


class ExportTestCase(PortalTestCase):
    def test_it_holds_their_data_and_nothing_else(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):  # read by the engine
            ticket = self.open_ticket()
        actions.add_internal_note(ticket, self.alice, "He is a VIP, refund quietly.")
        actions.post_agent_reply(ticket, self.alice, "I refunded the second charge.")
        actions.record_consent(self.customer, ConsentKind.SURVEYS, True, "portal")
        other = make_customer("Maja Novak", "maja@example.com")
        actions.open_ticket(customer=other, team=self.billing, subject="Pipe", text="Door 4711")
        self.sign_in()
        response = self.client.get("/portal/account/my-data.json")
        self.assertEqual(response["Content-Type"], "application/octet-stream")
        self.assertIn('filename="my-data.json"', response["Content-Disposition"])
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        self.assertIn("no-store", response["Cache-Control"])
        body = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
        data = json.loads(body)
        self.assertEqual(data["you"]["name"], "Aleksandar Petrović")
        self.assertEqual([a["address"] for a in data["addresses"]], ["aleks@example.com"])
        self.assertEqual([(c["kind"], c["given"]) for c in data["consents"]], [("Surveys", True)])
        [request] = data["requests"]
        self.assertEqual(request["reference"], ticket.reference)
        said = [(m["from"], m["text"]) for m in request["messages"]]
        ours = "I refunded the second charge."
        self.assertEqual(said, [("you", "I was charged twice for March."), ("our team", ours)])
        self.assertIn("feeling", request["messages"][0]["reading"])
        for never in ("VIP", "Maja", "maja@example.com", "4711"):
            self.assertNotIn(never, body)


class ForgettingTestCase(TempMedia, PortalTestCase):
    def setUp(self) -> None:
        super().setUp()
        with self.captureOnCommitCallbacks(execute=True):
            self.ticket = self.open_ticket(text="I was charged twice; my card ends in 4242.")
            actions.post_agent_reply(self.ticket, self.alice, "Sorry, Aleksandar, refunded.")
        first = self.ticket.messages.get(direction=Direction.CUSTOMER)
        self.file = actions.add_attachment(first, "card.pdf", "application/pdf", len(PDF), PDF)
        actions.change_status(self.ticket, self.alice, Status.SOLVED)
        self.sign_in()

    def ask_to_be_forgotten(self) -> ForgetRequest:
        refused = self.client.post("/portal/account/forget/", {})
        self.assertContains(refused, "Please tick the box", status_code=400)
        self.assertFalse(ForgetRequest.objects.exists())
        self.client.post("/portal/account/forget/", {"confirm": "on"})
        page = self.client.get("/portal/account/")
        self.assertContains(page, "A team lead will confirm it")
        return ForgetRequest.objects.get(customer=self.customer)

    def test_asking_waits_for_a_lead_and_tells_the_leads(self) -> None:
        asked = self.ask_to_be_forgotten()
        self.assertTrue(asked.is_waiting())
        self.client.post("/portal/account/forget/", {"confirm": "on"})  # asking twice
        self.assertEqual(ForgetRequest.objects.count(), 1)
        notice = Notification.objects.get(recipient=self.lead.user)
        self.assertNotIn("Aleksandar", notice.text)  # it would outlive the forgetting
        self.assertEqual(Message.objects.filter(text__contains="4242").count(), 1)

    def test_an_agent_who_does_not_lead_cannot_confirm(self) -> None:
        asked = self.ask_to_be_forgotten()
        self.login(self.alice)
        self.assertEqual(self.client.get("/forget-requests/").status_code, 404)
        self.assertEqual(self.client.post(f"/forget-requests/{asked.pk}/confirm/").status_code, 404)
        with self.assertRaises(actions.DeskError):
            actions.forget_customer(asked, self.alice)
        self.assertTrue(ForgetRequest.objects.get().is_waiting())

    def test_a_lead_confirms_and_the_customer_is_forgotten_but_the_tickets_stay(self) -> None:
        asked = self.ask_to_be_forgotten()
        stored = Path(self.file.file.path)
        before = Ticket.objects.get(pk=self.ticket.pk)
        mood, team = before.mood, before.team_id
        self.assertTrue(mood)
        lead = Client()
        lead.login(username="lena", password="correct horse battery")
        listed = lead.get("/lead/")
        self.assertContains(listed, 'href="/forget-requests/"')
        page = lead.get("/forget-requests/")
        self.assertContains(page, "Aleksandar Petrović")
        self.assertContains(page, "aleks@example.com")
        with self.captureOnCommitCallbacks(execute=True):
            done = lead.post(f"/forget-requests/{asked.pk}/confirm/", follow=True)
        self.assertContains(done, "Forgotten: their words, details and addresses are removed")

        customer = Customer.objects.get(pk=self.customer.pk)
        self.assertEqual((customer.name, customer.preferred_name, customer.notes), (
            "Forgotten customer", "", ""))  # fmt: skip
        self.assertFalse(CustomerEmail.objects.filter(customer=customer).exists())
        ticket = Ticket.objects.get(pk=self.ticket.pk)
        self.assertEqual((ticket.status, ticket.team_id, ticket.mood), (Status.SOLVED, team, mood))
        self.assertEqual(ticket.subject, actions.REMOVED)
        texts = set(ticket.messages.values_list("text", flat=True))
        self.assertEqual(texts, {actions.REMOVED})
        reading = ticket.messages.get(direction=Direction.CUSTOMER).reading or {}
        self.assertEqual(reading["cues"], [])
        self.assertIn("scores", reading)  # the mood's figures stay
        self.assertFalse(Attachment.objects.exists())
        self.assertFalse(stored.exists())
        for email in OutboundEmail.objects.all():
            self.assertNotIn("Aleksandar", email.text + email.subject)
            self.assertEqual(email.to_address, "")
        self.assertFalse(RawEmail.objects.exclude(data=b"").exists())
        self.assertFalse(SignInLink.objects.filter(customer=customer).exists())
        self.assertTrue(ticket.events.filter(what="forgotten").exists())
        self.assertFalse(ticket.events.filter(note__icontains="aleks@example.com").exists())

        self.assertRedirects(self.client.get("/portal/requests/"), "/portal/")  # signed out
        mail.outbox.clear()
        self.ask("aleks@example.com", Client())
        self.assertEqual(mail.outbox, [])  # the address is no longer known
        again = lead.post(f"/forget-requests/{asked.pk}/confirm/")
        self.assertEqual(again.status_code, 404)

    def test_email_they_sent_is_kept_raw_until_they_are_forgotten(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(f"/portal/requests/{self.ticket.pk}/", {"text": "Thanks, bye."})
        self.assertTrue(RawEmail.objects.exclude(data=b"").exists())
        asked = self.ask_to_be_forgotten()
        actions.forget_customer(asked, self.lead)
        raw = RawEmail.objects.get()
        self.assertEqual((bytes(raw.data), raw.envelope_from), (b"", None))
