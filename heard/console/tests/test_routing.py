"""The ticket page suggests the team the routing rules choose, and moves the ticket."""

from __future__ import annotations

from django.urls import reverse

from heard.desk import actions
from heard.desk.models import RoutingKind, RoutingRule, Team
from heard.test import BaseTestCase, make_agent


class RoutingPageTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.triage = Team.objects.create(name="Triage", slug="triage", is_triage=True)
        self.triager = make_agent("tara", [self.triage])
        self.ticket = actions.open_ticket(
            customer=self.customer,
            team=self.triage,
            subject="No internet",
            text="My router blinks red since the outage.",
        )
        actions.assign(self.ticket, self.triager, self.triager)
        RoutingRule.objects.create(team=self.tech, kind=RoutingKind.WORDS, value="router, outage")
        self.url = reverse("console:ticket", args=[self.ticket.pk])
        self.move = reverse("console:move", args=[self.ticket.pk])

    def test_the_page_suggests_the_team_the_rules_choose_now(self) -> None:
        self.login(self.triager)
        page = self.client.get(self.url)
        self.assertContains(page, "(triage: waiting for a team)")
        self.assertContains(
            page,
            '<p class="suggestion" role="note">Suggested team: <strong>Tech</strong> '
            "<span class=\"meta\">(by rule 'words: router')</span></p>",
            html=True,
        )
        self.assertContains(
            page, f'<option value="{self.tech.pk}" selected>Tech</option>', html=True
        )

    def test_no_suggestion_when_the_rules_choose_the_tickets_own_team(self) -> None:
        RoutingRule.objects.update(team=self.triage)
        self.login(self.triager)
        self.assertNotContains(self.client.get(self.url), "Suggested team")

    def test_the_page_stays_within_its_query_budget_with_the_suggestion(self) -> None:
        self.login(self.triager)
        with self.assertNumQueries(10):
            self.client.get(self.url)

    def test_moving_the_ticket_recomputes_drops_the_assignee_and_audits(self) -> None:
        self.login(self.triager)
        response = self.client.post(self.move, {"team": self.tech.pk, "reason": "a fault"})
        self.assertRedirects(response, reverse("console:queue"))  # no longer in Tara's teams
        self.ticket.refresh_from_db()
        self.assertEqual((self.ticket.team, self.ticket.assignee), (self.tech, None))
        event = self.ticket.events.get(what="team")
        self.assertEqual((event.actor, event.before, event.after, event.note),
                         (self.triager.user, "Triage", "Tech", "a fault"))  # fmt: skip
        self.login(self.olga)
        page = self.client.get(self.url)
        self.assertContains(page, "Triage → Tech (a fault)")
        self.assertNotContains(page, "Suggested team")

    def test_an_agent_of_another_team_cannot_move_it(self) -> None:
        self.login(self.alice)  # Billing
        response = self.client.post(self.move, {"team": self.billing.pk})
        self.assertEqual(response.status_code, 404)
        self.ticket.refresh_from_db()
        self.assertEqual(self.ticket.team, self.triage)

    def test_a_refused_move_says_why(self) -> None:
        self.login(self.triager)
        response = self.client.post(self.move, {"team": self.triage.pk}, follow=True)
        self.assertContains(response, "Choose the team to move it to.")
        response = self.client.post(self.move, {}, follow=True)
        self.assertContains(response, "Choose the team to move it to.")
        self.ticket.refresh_from_db()
        self.assertEqual(self.ticket.team, self.triage)
