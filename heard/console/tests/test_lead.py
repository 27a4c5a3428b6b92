"""The team lead view: escalations with their reasons, who is overloaded, breaches today."""

from __future__ import annotations

from datetime import timedelta

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
        actions.assign(breached, self.lead.user, self.bob)
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
