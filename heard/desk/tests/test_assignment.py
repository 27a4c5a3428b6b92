from __future__ import annotations

from heard.desk import actions
from heard.desk.models import Agent
from heard.test import BaseTestCase


class RoundRobinTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.billing.auto_assign = True
        self.billing.save()
        Agent.objects.filter(pk=self.lead.pk).update(accepts_assignments=False)

    def test_it_takes_turns_within_the_team(self) -> None:
        owners = [self.open_ticket().assignee for _ in range(4)]
        self.assertEqual(owners, [self.alice, self.bob, self.alice, self.bob])

    def test_it_respects_the_open_ticket_cap(self) -> None:
        Agent.objects.filter(pk=self.alice.pk).update(max_open_tickets=1)
        owners = [self.open_ticket().assignee for _ in range(3)]
        self.assertEqual(owners, [self.alice, self.bob, self.bob])

    def test_it_leaves_the_ticket_unassigned_when_everyone_is_full(self) -> None:
        Agent.objects.filter(teams=self.billing).update(max_open_tickets=0)
        self.assertIsNone(self.open_ticket().assignee)

    def test_it_never_assigns_outside_the_team(self) -> None:
        owners = {self.open_ticket().assignee for _ in range(5)}
        self.assertNotIn(self.olga, owners)


class ManualAssignmentTestCase(BaseTestCase):
    def test_it_reassigns_and_audits(self) -> None:
        ticket = self.open_ticket()
        actions.assign(ticket, self.lead, self.alice)
        actions.assign(ticket, self.lead, self.bob)
        ticket.refresh_from_db()
        self.assertEqual(ticket.assignee, self.bob)
        self.assertEqual(ticket.events.filter(what="assignee").count(), 2)

    def test_it_refuses_an_agent_from_another_team(self) -> None:
        ticket = self.open_ticket()
        with self.assertRaisesMessage(actions.DeskError, "is not in the Billing team"):
            actions.assign(ticket, self.lead, self.olga)
