"""The team lead view: escalations with their reasons, who is overloaded, missed reply targets."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils import timezone

from heard.desk import actions
from heard.desk.models import Ticket
from heard.test import BaseTestCase


class LeadViewTest(BaseTestCase):
    def test_a_lead_sees_escalations_load_and_breaches_of_their_teams(self) -> None:
        escalated = self.open_ticket("Third time writing!")
        actions.record_customer_message(escalated, "Hello?")
        actions.run_watchdog()
        breached = self.open_ticket("Still waiting")
        Ticket.objects.filter(pk=breached.pk).update(
            reply_due_at=timezone.now() - timedelta(minutes=5)
        )
        elsewhere = self.open_ticket("API down", team=self.tech)
        self.bob.max_open_tickets = 1
        self.bob.save()
        actions.assign(breached, self.lead, self.bob)
        self.login(self.lead)
        body = self.client.get(reverse("console:lead")).content.decode()
        self.assertIn(escalated.reference, body)
        self.assertIn("wrote 2 times without an answer", body)
        self.assertIn(breached.reference, body.split('id="breaches"')[1])
        self.assertNotIn(elsewhere.reference, body)
        load = body.split('id="load"')[1].split("</table>")[0]
        self.assertIn("overloaded", load.split(str(self.bob))[1].split("</tr>")[0])

    def test_an_agent_who_leads_nothing_gets_404_and_no_link(self) -> None:
        self.login(self.alice)
        self.assertEqual(self.client.get(reverse("console:lead")).status_code, 404)
        self.assertNotContains(self.client.get(reverse("console:queue")), "Team lead view")

    def test_the_lead_finds_it_from_the_queue(self) -> None:
        self.login(self.lead)
        self.assertContains(self.client.get(reverse("console:queue")), reverse("console:lead"))


class LeadOverdueTest(BaseTestCase):
    """The missed-targets section counts what it lists, and lists every ticket past its target."""

    def test_a_target_missed_yesterday_is_listed_and_counted(self) -> None:
        yesterday = self.open_ticket("Still waiting since yesterday")
        today = self.open_ticket("Waiting since this morning")
        on_time = self.open_ticket("Not due yet")
        now = timezone.now()
        Ticket.objects.filter(pk=yesterday.pk).update(reply_due_at=now - timedelta(days=2))
        Ticket.objects.filter(pk=today.pk).update(reply_due_at=now - timedelta(seconds=1))
        self.login(self.lead)
        body = self.client.get(reverse("console:lead")).content.decode()
        section = body.split('id="breaches"')[1].split("</section>")[0]
        self.assertIn("<small>2</small>", section)
        self.assertEqual(section.count("<li>"), 2)
        self.assertIn(yesterday.reference, section)
        self.assertIn(today.reference, section)
        self.assertNotIn(on_time.reference, section)
        self.assertIn("1 of 2 missed its target today", section)
        self.assertNotIn("No ticket is past its reply target", section)
        self.assertNotIn("missed today.", body)

    def test_nothing_overdue_says_so(self) -> None:
        self.open_ticket()
        self.login(self.lead)
        self.assertContains(self.client.get(reverse("console:lead")), "No ticket is past")

    def test_a_breach_reason_is_written_in_the_teams_time_zone(self) -> None:
        self.billing.time_zone = "Europe/Ljubljana"
        self.billing.save()
        ticket = self.open_ticket()
        due = timezone.now() - timedelta(minutes=5)
        Ticket.objects.filter(pk=ticket.pk).update(reply_due_at=due, sla_check_at=due)
        actions.run_watchdog()
        ticket.refresh_from_db()
        self.assertIn("target breached (was due", ticket.escalation_reason)
        self.assertNotIn("UTC", ticket.escalation_reason)
        local = timezone.localtime(due, ZoneInfo("Europe/Ljubljana"))
        self.assertIn(f"{local:%H:%M} {local.tzname()})", ticket.escalation_reason)

    def test_the_lead_view_shows_times_in_the_consoles_time_zone(self) -> None:
        ticket = self.open_ticket()
        due = datetime(2026, 12, 4, 16, 30, tzinfo=UTC)
        Ticket.objects.filter(pk=ticket.pk).update(reply_due_at=due)
        self.login(self.lead)
        with self.settings(TIME_ZONE="Europe/Ljubljana"):
            body = self.client.get(reverse("console:lead")).content.decode()
        self.assertIn("was due <time", body)
        self.assertIn(">Fri 4 Dec, 17:30</time>", body)
        self.assertIn("Times in Europe/Ljubljana", body)
