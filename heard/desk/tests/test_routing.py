"""Routing a new email to a team, and moving a ticket to another team."""

from __future__ import annotations

from datetime import UTC, datetime

from heard.desk import actions, routing
from heard.desk.models import Agent, RoutingKind, RoutingRule, SlaPolicy, Status, Team
from heard.test import BaseTestCase, make_agent, make_customer, present


class RouteTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.delivery = Team.objects.create(name="Delivery", slug="delivery")
        self.billing.email = "billing@acme.example"
        self.billing.save()
        self.rule(self.tech, RoutingKind.WORDS, "broadband, router, locked out", 10)
        self.rule(self.billing, RoutingKind.WORDS, "invoice, refund, charged", 20)
        self.rule(self.delivery, RoutingKind.WORDS, "delivery, parcel, courier", 30)

    def rule(self, team: Team, kind: str, value: str = "", position: int = 100) -> RoutingRule:
        return RoutingRule.objects.create(team=team, kind=kind, value=value, position=position)

    def route(
        self,
        subject: str = "Hello",
        text: str = "",
        to: str = "support@acme.example",
        sender: str = "maja@example.org",
        customer: object = None,
    ) -> routing.Route:
        return routing.route([to], sender, subject, text, customer)  # type: ignore[arg-type]

    def test_words_in_the_subject_or_text_choose_the_team(self) -> None:
        broadband = self.route("No internet", "My BROADBAND has been down since Monday.")
        self.assertEqual(broadband.team, self.tech)
        self.assertEqual(broadband.why, "by rule 'words: broadband'")
        self.assertEqual(broadband.event_note(), "routed to Tech by rule 'words: broadband'")
        self.assertEqual(self.route("Refund please").team, self.billing)
        self.assertEqual(self.route("Where is it?", "The courier never came.").team, self.delivery)

    def test_words_match_whole_words_and_phrases_only(self) -> None:
        self.assertFalse(self.route("Invoices", "my recharged card").matched)  # not "invoice"
        locked = self.route("Help", "I am   Locked\nout of my account")
        self.assertEqual((locked.team, locked.why), (self.tech, "by rule 'words: locked out'"))
        self.rule(self.tech, RoutingKind.WORDS, "c++ (beta)", 1)
        self.assertEqual(self.route("The C++ (beta) app").team, self.tech)  # escaped, not regex

    def test_the_first_matching_rule_wins_in_position_order(self) -> None:
        both = self.route("Refund for my broken router")
        self.assertEqual(both.team, self.tech)  # position 10 before 20
        RoutingRule.objects.filter(team=self.billing).update(position=5)
        self.assertEqual(self.route("Refund for my broken router").team, self.billing)

    def test_the_address_written_to_comes_before_every_other_rule(self) -> None:
        written = self.route("My router is broken", to="Billing@Acme.example")
        self.assertEqual((written.team, written.rule), (self.billing, None))
        self.assertEqual(written.why, "as written to billing@acme.example")
        self.rule(self.delivery, RoutingKind.RECIPIENT, "parcels@acme.example", 99)
        by_rule = self.route("My router is broken", to="parcels@acme.example")
        self.assertEqual(by_rule.team, self.delivery)
        self.assertEqual(by_rule.why, "by rule 'recipient: parcels@acme.example'")

    def test_the_sender_domain(self) -> None:
        self.rule(self.delivery, RoutingKind.SENDER_DOMAIN, "@Shop.example", 1)
        self.assertEqual(self.route(sender="orders@shop.example").team, self.delivery)
        self.assertEqual(self.route(sender="a@mail.shop.example").team, self.delivery)
        self.assertFalse(self.route(sender="a@notshop.example").matched)

    def test_the_customers_earlier_team(self) -> None:
        self.rule(self.delivery, RoutingKind.EARLIER_TEAM, position=50)
        self.open_ticket(team=self.tech)
        self.open_ticket(team=self.delivery)  # the most recent one
        earlier = self.route("Still waiting", customer=self.customer)
        self.assertEqual((earlier.team, earlier.why), (self.delivery, "by rule 'earlier team'"))
        self.assertFalse(
            self.route("Still waiting", customer=make_customer("N", "n@x.org")).matched
        )

    def test_an_inactive_rule_is_skipped(self) -> None:
        RoutingRule.objects.filter(team=self.tech).update(active=False)
        self.assertFalse(self.route("My router").matched)

    def test_unmatched_email_waits_in_the_triage_team_else_goes_to_the_first_team(self) -> None:
        fallback = self.route("Question", "Just a question.")
        self.assertEqual((fallback.team, fallback.matched), (self.billing, False))
        triage = Team.objects.create(
            name="Triage", slug="triage", is_triage=True, email="support@acme.example"
        )
        waiting = self.route("Question", "Just a question.")  # its own address is no rule
        self.assertEqual(waiting.team, triage)
        self.assertEqual(waiting.why, "as no rule matched")
        self.assertEqual(self.route("Question about my invoice").team, self.billing)

    def test_the_table_is_one_query(self) -> None:
        self.rule(self.tech, RoutingKind.WORDS, "inactive", 1).delete()
        RoutingRule.objects.create(team=self.tech, kind="words", value="off", active=False)
        with self.assertNumQueries(1):
            table = routing.routing_table()
        self.assertEqual([t.name for t in table.teams], ["Billing", "Tech", "Delivery"])
        self.assertEqual([r.describe() for r in table.rules], [
            "words: broadband, router, locked out",
            "words: invoice, refund, charged",
            "words: delivery, parcel, courier",
        ])  # fmt: skip

    def test_the_pure_choice_needs_no_database(self) -> None:
        tech, billing = Team(pk=1, name="Tech"), Team(pk=2, name="Billing")
        rules = [RoutingRule(pk=1, team=billing, kind=RoutingKind.WORDS, value="refund")]
        table = routing.RoutingTable([tech, billing], rules)
        with self.assertNumQueries(0):
            self.assertEqual(routing.choose(table, routing.Email(text="A refund?")).team, billing)
            self.assertEqual(routing.choose(table, routing.Email(text="Hi")).team, tech)


class MoveTicketTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        SlaPolicy.objects.create(
            team=self.tech, priority="normal", first_response_minutes=60, next_response_minutes=120
        )
        self.tech.time_zone = "America/New_York"
        self.tech.save()
        self.monday_9 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # 04:00 in New York
        self.ticket = self.open_ticket("My router is broken", at=self.monday_9)
        actions.assign(self.ticket, self.alice, self.alice)

    def test_it_recomputes_the_clock_with_the_new_teams_calendar_and_targets(self) -> None:
        self.assertEqual(self.ticket.reply_due_at, datetime(2026, 11, 23, 17, 0, tzinfo=UTC))
        moved = actions.move_ticket(self.ticket, self.tech, self.alice, "a broadband fault")
        # From when the wait began: New York opens at 09:00 (14:00 UTC), plus one hour.
        due = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
        self.assertEqual((moved.team, moved.reply_due_at), (self.tech, due))
        self.assertEqual(moved.first_response_due_at, due)
        moved.refresh_from_db()
        self.assertEqual(moved.reply_due_at, due)
        self.assertLessEqual(present(moved.care_at), due)  # the care order follows the new clock

    def test_it_drops_an_assignee_not_in_the_new_team_and_audits(self) -> None:
        moved = actions.move_ticket(self.ticket, self.tech, self.alice, "a broadband fault")
        self.assertIsNone(moved.assignee)  # tech does not assign automatically
        moved.refresh_from_db()
        self.assertIsNone(moved.assignee_id)
        team = moved.events.get(what="team")
        self.assertEqual(
            (team.actor, team.before, team.after, team.note),
            (self.alice.user, "Billing", "Tech", "a broadband fault"),
        )
        dropped = moved.events.filter(what="assignee").latest("pk")
        self.assertEqual(
            (dropped.before, dropped.after, dropped.note), (str(self.alice), "", "not in Tech")
        )

    def test_the_new_team_assigns_round_robin_when_it_assigns_automatically(self) -> None:
        self.tech.auto_assign = True
        self.tech.save()
        moved = actions.move_ticket(self.ticket, self.tech, self.lead)
        self.assertEqual(moved.assignee, self.olga)
        moved.refresh_from_db()
        self.assertEqual(moved.assignee, self.olga)

    def test_an_assignee_in_both_teams_stays(self) -> None:
        self.alice.teams.add(self.tech)
        moved = actions.move_ticket(self.ticket, self.tech, self.alice)
        self.assertEqual(moved.assignee, self.alice)

    def test_who_may_move_it(self) -> None:
        stranger = make_agent("sam", [Team.objects.create(name="Sales", slug="sales")])
        with self.assertRaisesMessage(actions.DeskError, "Only an agent of Billing or Tech"):
            actions.move_ticket(self.ticket, self.tech, stranger)
        self.assertEqual(actions.move_ticket(self.ticket, self.tech, self.olga).team, self.tech)
        lead = make_agent("lou", [], role="lead")
        self.assertEqual(actions.move_ticket(self.ticket, self.billing, lead).team, self.billing)

    def test_it_refuses_the_same_team_and_closed_tickets(self) -> None:
        with self.assertRaisesMessage(actions.DeskError, "in the Billing team already"):
            actions.move_ticket(self.ticket, self.billing, self.alice)
        actions.change_status(self.ticket, None, Status.CLOSED)
        with self.assertRaisesMessage(actions.DeskError, "is closed"):
            actions.move_ticket(self.ticket, self.tech, self.alice)
        self.assertFalse(self.ticket.events.filter(what="team").exists())
        self.assertEqual(Agent.objects.count(), 4)
