"""New emails reach the team their rules name, through real intake and processing."""

from __future__ import annotations

from django.test import override_settings

from heard.desk.models import RoutingKind, RoutingRule, Team
from heard.mail import filing
from heard.mail.models import Intake, RawEmail
from heard.mail.tests.test_processing import email
from heard.test import BaseTestCase, present


@override_settings(HEARD_SUPPORT_ADDRESS="support@heard.localhost")
class RoutingTest(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.delivery = Team.objects.create(name="Delivery", slug="delivery", auto_assign=False)
        self.triage = Team.objects.create(
            name="Triage", slug="triage", is_triage=True, email="support@heard.localhost"
        )
        for position, (team, words) in enumerate(
            [
                (self.tech, "broadband, router, outage, locked out, password"),
                (self.billing, "invoice, refund, charged"),
                (self.delivery, "delivery, parcel, courier"),
            ]
        ):
            RoutingRule.objects.create(
                team=team, kind=RoutingKind.WORDS, value=words, position=position
            )

    def receive(self, data: bytes) -> RawEmail:
        with self.captureOnCommitCallbacks(execute=True):
            raw = filing.receive(data, source="smtp", envelope_to=["support@heard.localhost"])
        raw.refresh_from_db()
        self.assertEqual(raw.intake, Intake.THREADED)
        return raw

    def test_three_kinds_of_email_land_in_three_teams(self) -> None:
        fault = self.receive(
            email("My broadband has been down since this morning.", subject="No internet")
        )
        locked = self.receive(
            email("I am locked out of my account.", sender="Ana <ana@example.net>",
                  subject="Cannot sign in")
        )  # fmt: skip
        parcel = self.receive(
            email("Where is my parcel? It was due on Friday.", sender="Tom <tom@example.com>",
                  subject="Order 1234")
        )  # fmt: skip
        invoice = self.receive(
            email("Why was I charged twice?", sender="Eva <eva@example.com>", subject="Invoice")
        )  # fmt: skip
        self.assertEqual(present(fault.ticket).team, self.tech)
        self.assertEqual(present(locked.ticket).team, self.tech)
        self.assertEqual(present(parcel.ticket).team, self.delivery)
        self.assertEqual(present(invoice.ticket).team, self.billing)
        routed = present(fault.ticket).events.get(what="routed")
        self.assertEqual(routed.after, "Tech")
        self.assertEqual(routed.note, "routed to Tech by rule 'words: broadband'")

    def test_unmatched_email_waits_in_triage(self) -> None:
        raw = self.receive(email("A quick question about your opening hours.", subject="Hours"))
        self.assertEqual(present(raw.ticket).team, self.triage)
        self.assertEqual(
            present(raw.ticket).events.get(what="routed").note,
            "routed to Triage as no rule matched",
        )

    def test_the_address_written_to_wins_as_before(self) -> None:
        self.billing.email = "billing@heard.localhost"
        self.billing.save()
        raw = self.receive(email("My router is broken.", to="billing@heard.localhost"))
        self.assertEqual(present(raw.ticket).team, self.billing)

    def test_a_reply_threads_into_its_ticket_whatever_it_says(self) -> None:
        first = self.receive(email("Where is my parcel?", subject="Parcel"))
        subject = f"Re: Parcel [{present(first.ticket).reference}]"
        again = self.receive(email("And my invoice is wrong too.", subject=subject))
        self.assertEqual(again.ticket, first.ticket)
        self.assertEqual(present(again.ticket).team, self.delivery)
