"""The new team's first hour, replayed in a real browser (issue 14, evidence): three emails of
different kinds come in through real intake and land in three teams by their routing rules; the
customers write again unanswered and one asks for a manager; the lead gets every escalation
notice in the app and by email (or in a digest); an agent's internal note typed after clicking
its label lands in the note box, never the reply box; and no acknowledgement promises a time
later than its ticket's reply target without saying so."""

from __future__ import annotations

from datetime import datetime
from unittest import mock
from zoneinfo import ZoneInfo

from django.core import mail
from django.test import override_settings
from django.utils import timezone

from heard.console.tests.browser import LiveBrowserTestCase
from heard.desk import actions, forecast
from heard.desk.models import (
    Direction,
    Notification,
    Role,
    RoutingKind,
    RoutingRule,
    Team,
    Ticket,
)
from heard.mail import filing
from heard.mail.models import Intake, RawEmail
from heard.mail.tests.test_processing import email
from heard.test import make_agent, present

SUPPORT = "support@heard.localhost"
LATE = "That is later than we aim to reply to you"


@override_settings(HEARD_SUPPORT_ADDRESS=SUPPORT)
class FirstHourBrowserTestCase(LiveBrowserTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.triage = Team.objects.create(
            name="Triage", slug="triage", is_triage=True, email=SUPPORT
        )
        self.tech = Team.objects.create(name="Technical support", slug="tech")
        self.billing = Team.objects.create(name="Billing", slug="billing")
        self.delivery = Team.objects.create(name="Orders", slug="orders")
        teams = [self.triage, self.tech, self.billing, self.delivery]
        self.lead = make_agent("lena", teams, Role.LEAD)
        self.maya = make_agent("maya", [self.tech])
        make_agent("ivo", [self.billing])
        make_agent("tom", [self.delivery])
        for position, (team, words) in enumerate(
            [
                (self.tech, "broadband, router, outage, locked out, password"),
                (self.billing, "invoice, refund, charged"),
                (self.delivery, "delivery, parcel, courier"),
            ]
        ):
            team.lead = self.lead.user
            team.save()
            RoutingRule.objects.create(
                team=team, kind=RoutingKind.WORDS, value=words, position=position
            )
        # every forecast an email is written from: (ticket, when, the forecast, its target then)
        self.forecasts: list[tuple[int, datetime, forecast.Forecast, datetime | None]] = []

    def receive(self, data: bytes) -> RawEmail:
        raw = filing.receive(data, source="smtp", envelope_to=[SUPPORT])  # files it at commit
        raw.refresh_from_db()
        self.assertEqual(raw.intake, Intake.THREADED, raw.error)
        return raw

    def recorded(self, ticket: Ticket, now: datetime | None = None) -> forecast.Forecast:
        made = self.real_forecast(ticket, now)
        self.forecasts.append((ticket.pk, timezone.now(), made, ticket.reply_due_at))
        return made

    def test_the_first_hour(self) -> None:
        self.real_forecast = forecast.expected_first_reply
        with mock.patch("heard.desk.forecast.expected_first_reply", side_effect=self.recorded):
            tickets = self.emails_land_in_three_teams()
            self.customers_write_again(tickets)
        self.the_lead_gets_every_escalation_notice()
        self.an_internal_note_never_goes_in_the_reply_box(tickets[0])
        self.no_acknowledgement_promises_later_than_the_target_unsaid(tickets)

    def emails_land_in_three_teams(self) -> list[Ticket]:
        fault = self.receive(
            email("My broadband has been down since this morning and I work from home.",
                  sender="Rok Zupan <rok@example.net>", subject="No internet")
        )  # fmt: skip
        invoice = self.receive(
            email("Why was I charged twice for March? Please refund one of them.",
                  sender="Eva Kos <eva@example.com>", subject="Invoice")
        )  # fmt: skip
        parcel = self.receive(
            email("Where is my parcel? The delivery was due on Friday.",
                  sender="Tom Bizjak <tbizjak@example.org>", subject="Order 1234")
        )  # fmt: skip
        tickets = [present(raw.ticket) for raw in (fault, invoice, parcel)]
        teams = [Ticket.objects.get(pk=t.pk).team for t in tickets]
        self.assertEqual(teams, [self.tech, self.billing, self.delivery])
        return tickets

    def customers_write_again(self, tickets: list[Ticket]) -> None:
        """Each writes again unanswered (their reply threads by the reference in the subject);
        Rok asks for a manager, which escalates at once; the watchdog escalates the rest."""
        again = [
            "It is still down. Let me speak to a manager.",
            "Hello? I am still waiting about the double charge.",
            "Any news on my parcel?",
        ]
        for ticket, text in zip(tickets, again, strict=True):
            address = present(ticket.customer.primary_email())
            raw = self.receive(
                email(text, sender=address, subject=f"Re: {ticket.subject} [{ticket.reference}]")
            )
            self.assertEqual(raw.ticket_id, ticket.pk)  # threaded, not a new ticket
        actions.run_watchdog()
        for ticket in tickets:
            self.assertTrue(Ticket.objects.get(pk=ticket.pk).escalated)

    def the_lead_gets_every_escalation_notice(self) -> None:
        notices = list(
            Notification.objects.filter(recipient=self.lead.user).select_related("ticket")
        )
        self.assertGreaterEqual(len(notices), 3)
        to_lead = [m for m in mail.outbox if self.lead.user.email in m.to]
        for notice in notices:
            ticket = present(notice.ticket)
            by_email = [m for m in to_lead if ticket.reference in f"{m.subject} {m.body}"]
            self.assertTrue(by_email, f"no email (nor digest) to the lead about {notice.text}")
        page = self.browser.new_page()
        self.login(page, "lena")
        page.goto(f"{self.live_server_url}/notifications/")
        shown = page.locator("ul.notices").inner_text()
        for notice in notices:
            self.assertIn(notice.text, shown)
        page.close()

    def an_internal_note_never_goes_in_the_reply_box(self, ticket: Ticket) -> None:
        page = self.browser.new_page()
        self.login(page, "maya")
        page.goto(f"{self.live_server_url}/tickets/{ticket.pk}/")
        page.get_by_text("Internal — the customer never sees this.").wait_for()
        page.locator("#note label").click()  # "Internal note (agents only)"
        page.keyboard.type("Rok works from home: check the line test first.")
        self.assertEqual(page.evaluate("document.activeElement.id"), "note-text")
        self.assertEqual(page.locator("#reply-text").input_value(), "")
        page.get_by_role("button", name="Add internal note").click()
        page.get_by_text("Note added.").wait_for()
        page.close()
        self.assertTrue(ticket.messages.filter(direction=Direction.NOTE).exists())
        self.assertFalse(ticket.messages.filter(direction=Direction.AGENT).exists())
        customer = present(ticket.customer.primary_email())
        self.assertFalse(
            [m for m in mail.outbox if customer in m.to and "line test" in m.body],
            "the note reached the customer",
        )

    def no_acknowledgement_promises_later_than_the_target_unsaid(
        self, tickets: list[Ticket]
    ) -> None:
        for ticket in tickets:
            customer = present(ticket.customer.primary_email())
            sent = [m.body for m in mail.outbox if customer in m.to]
            made = [f for f in self.forecasts if f[0] == ticket.pk]
            self.assertEqual(len(sent), len(made))  # the acknowledgement, then the update
            self.assertGreaterEqual(len(sent), 1)
            zone = ZoneInfo(ticket.customer.time_zone or "UTC")
            for body, (_, now, expected, due) in zip(sent, made, strict=True):
                self.assertIsNotNone(due)
                assert due is not None
                self.assertIn(forecast.describe(expected.at, now, zone), body)
                self.assertEqual(LATE in body, expected.at > due, body)
