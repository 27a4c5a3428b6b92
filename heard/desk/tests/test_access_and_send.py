"""The desk's own rules for who reaches a ticket and which replies go out: every caller (a page,
the API, a command) passes the same checks and gets the same stable error codes."""

from __future__ import annotations

from django.test import override_settings

from heard.desk import actions
from heard.desk.errors import ErrorCode
from heard.desk.models import Direction, Role, Status, Ticket
from heard.test import BaseTestCase, make_agent

BLAMING = "This is user error, you must have misconfigured the router. Read the manual."
KIND = (
    "Hi Aleksandar, I'm sorry you were charged twice; that must be frustrating. I have refunded "
    "the second payment today, and you will see it within 3 days. If anything is still not "
    "right, just reply and I'll pick it up."
)


class ErrorCodeTestCase(BaseTestCase):
    def test_it_keeps_the_released_codes(self) -> None:
        # Callers branch on these: a code is never renamed or reused once released.
        self.assertEqual(
            sorted(ErrorCode),
            sorted(
                [
                    "bad_merge",
                    "closed",
                    "empty",
                    "invalid",
                    "not_allowed",
                    "not_found",
                    "not_in_team",
                    "same_team",
                    "severe_finding",
                    "too_long",
                    "transition",
                ]
            ),
        )

    def test_it_gives_every_refusal_a_code(self) -> None:
        ticket = self.open_ticket()
        refusals = {
            ErrorCode.INVALID: lambda: actions.change_priority(ticket, None, "whenever"),
            ErrorCode.NOT_IN_TEAM: lambda: actions.assign(ticket, None, self.olga),
            ErrorCode.SAME_TEAM: lambda: actions.move_ticket(ticket, self.billing, self.alice),
            ErrorCode.NOT_ALLOWED: lambda: actions.move_ticket(
                ticket, self.tech, make_agent("zoe", [])
            ),
            ErrorCode.BAD_MERGE: lambda: actions.merge_tickets(ticket, ticket, self.alice),
            ErrorCode.EMPTY: lambda: actions.add_internal_note(ticket, self.alice, "  "),
        }
        for code, refuse in refusals.items():
            with self.subTest(code=code), self.assertRaises(actions.DeskError) as caught:
                refuse()
            self.assertEqual(caught.exception.code, code)


class TicketAccessTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.ticket = self.open_ticket()

    def test_it_gives_the_ticket_to_its_teams_agents(self) -> None:
        for agent in (self.alice, self.bob, self.lead):
            self.assertEqual(actions.check_ticket_access(agent, self.ticket.pk), self.ticket)

    def test_it_validates_ownership(self) -> None:
        with self.assertRaises(actions.NotFound) as caught:
            actions.check_ticket_access(self.olga, self.ticket.pk)
        self.assertEqual(caught.exception.code, ErrorCode.NOT_FOUND)

    def test_it_answers_the_same_for_a_ticket_that_does_not_exist(self) -> None:
        with self.assertRaises(actions.DeskError) as missing:
            actions.check_ticket_access(self.alice, self.ticket.pk + 1000)
        with self.assertRaises(actions.DeskError) as foreign:
            actions.check_ticket_access(self.olga, self.ticket.pk)
        self.assertEqual(missing.exception.code, foreign.exception.code)
        self.assertEqual(str(missing.exception), str(foreign.exception))  # nothing revealed

    def test_it_lets_an_administrator_reach_every_team(self) -> None:
        admin = make_agent("ada", [], Role.ADMIN)
        self.assertEqual(actions.check_ticket_access(admin, self.ticket.pk), self.ticket)

    def test_it_narrows_the_callers_query_in_one_query(self) -> None:
        page = Ticket.objects.select_related("customer", "team")
        with self.assertNumQueries(1):
            found = actions.check_ticket_access(self.alice, self.ticket.pk, page)
            self.assertEqual(found.customer, self.customer)  # joined, no second query
        with self.assertRaises(actions.NotFound):
            actions.check_ticket_access(self.olga, self.ticket.pk, page)


class SendTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.ticket = self.open_ticket("I was charged twice and I am furious!")

    def agent_replies(self) -> int:
        return self.ticket.messages.filter(direction=Direction.AGENT).count()

    def test_it_holds_a_reply_with_a_severe_finding(self) -> None:
        with self.assertRaises(actions.SevereFinding) as caught:
            actions.check_send(self.ticket, self.alice, BLAMING)
        held = caught.exception
        self.assertEqual(held.code, ErrorCode.SEVERE_FINDING)
        self.assertEqual(sorted({f.code for f in held.findings}), ["blame", "rtfm"])
        self.assertEqual(held.coaching.suggestion[:3], "Hi ")  # the page shows the coaching

    def test_no_caller_can_skip_the_question(self) -> None:
        with self.assertRaises(actions.SevereFinding):
            actions.post_agent_reply(self.ticket, self.alice, BLAMING)
        self.assertEqual(self.agent_replies(), 0)
        self.assertFalse(self.ticket.events.filter(what="coach").exists())

    def test_sent_anyway_it_goes_out_and_the_choice_is_recorded(self) -> None:
        coaching = actions.check_send(self.ticket, self.alice, BLAMING, send_anyway=True)
        self.assertTrue(coaching.findings)
        actions.post_agent_reply(self.ticket, self.alice, BLAMING, send_anyway=True)
        self.assertEqual(self.agent_replies(), 1)
        event = self.ticket.events.get(what="coach")
        self.assertEqual(event.note, "sent anyway, despite: blame, rtfm")
        self.assertEqual(event.actor, self.alice.user)

    def test_a_kind_reply_goes_out_with_nothing_recorded(self) -> None:
        actions.post_agent_reply(self.ticket, self.alice, KIND)
        self.assertEqual(self.agent_replies(), 1)
        self.assertFalse(self.ticket.events.filter(what="coach").exists())

    @override_settings(HEARD_MAX_REPLY_CHARS=100)
    def test_it_refuses_before_the_coach_reads_it(self) -> None:
        actions.change_status(self.ticket, None, Status.SOLVED)
        refusals = {ErrorCode.EMPTY: "   ", ErrorCode.TOO_LONG: BLAMING * 2}
        for code, text in refusals.items():
            with self.subTest(code=code), self.assertRaises(actions.DeskError) as caught:
                actions.check_send(self.ticket, self.alice, text, send_anyway=True)
            self.assertEqual(caught.exception.code, code)
        closed_ticket = actions.change_status(self.ticket, None, Status.CLOSED)
        with self.assertRaises(actions.DeskError) as closed:
            actions.check_send(closed_ticket, self.alice, BLAMING)  # closed wins over the coach
        self.assertEqual(closed.exception.code, ErrorCode.CLOSED)
