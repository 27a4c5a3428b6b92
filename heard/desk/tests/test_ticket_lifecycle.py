from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine
from django.test import override_settings

from heard.desk import actions
from heard.desk.models import (
    Direction,
    Priority,
    SlaPolicy,
    Status,
    Ticket,
    TicketEvent,
    format_reference,
    parse_reference,
)
from heard.test import BaseTestCase

# Monday 2026-11-23 10:00 UTC; the default calendar is Mon-Fri 09:00-17:00 UTC.
MONDAY_10 = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


class OpenTicketTestCase(BaseTestCase):
    def test_it_starts_the_first_response_clock_in_business_hours(self) -> None:
        ticket = self.open_ticket(at=MONDAY_10)
        # normal priority: 8 business hours -> Tuesday 10:00
        self.assertEqual(ticket.first_response_due_at, datetime(2026, 11, 24, 10, tzinfo=UTC))
        self.assertEqual(ticket.reply_due_at, ticket.first_response_due_at)
        # at risk when 20% is left: after 6.4 business hours -> Monday 16:24
        self.assertEqual(ticket.sla_warn_at, datetime(2026, 11, 23, 16, 24, tzinfo=UTC))
        self.assertEqual(ticket.status, Status.NEW)
        self.assertEqual(ticket.unanswered_count, 1)
        self.assertEqual(ticket.messages.get().direction, Direction.CUSTOMER)

    def test_it_uses_the_team_policy(self) -> None:
        SlaPolicy.objects.create(
            team=self.billing,
            priority=Priority.NORMAL,
            first_response_minutes=30,
            next_response_minutes=60,
        )
        ticket = self.open_ticket(at=MONDAY_10)
        self.assertEqual(ticket.reply_due_at, MONDAY_10 + timedelta(minutes=30))

    def test_it_has_a_human_reference(self) -> None:
        ticket = self.open_ticket()
        self.assertEqual(ticket.reference, f"HRD-{ticket.pk + 1000}")
        self.assertEqual(parse_reference(f"#hrd-{ticket.pk + 1000}"), ticket.pk)
        self.assertIsNone(parse_reference("ABC-1042"))
        self.assertIsNone(parse_reference("HRD-12x"))
        self.assertEqual(format_reference(42), "HRD-1042")

    def test_it_records_creation_in_the_audit_trail(self) -> None:
        ticket = self.open_ticket()
        self.assertEqual(list(ticket.events.values_list("what", flat=True)), ["created"])


class AgentReplyTestCase(BaseTestCase):
    def test_it_stops_the_clock_and_remembers_the_first_response(self) -> None:
        ticket = self.open_ticket(at=MONDAY_10)
        later = MONDAY_10 + timedelta(hours=1)
        actions.post_agent_reply(ticket, self.alice, "Hello Aleksandar, refunding now.", at=later)
        ticket.refresh_from_db()
        self.assertEqual(ticket.first_responded_at, later)
        self.assertIsNone(ticket.reply_due_at)
        self.assertIsNone(ticket.sla_check_at)
        self.assertEqual(ticket.unanswered_count, 0)
        self.assertEqual(ticket.status, Status.OPEN)
        self.assertEqual(ticket.assignee, self.alice)

    def test_it_refuses_an_empty_reply(self) -> None:
        ticket = self.open_ticket()
        with self.assertRaisesMessage(actions.DeskError, "The reply is empty"):
            actions.post_agent_reply(ticket, self.alice, "   ")
        self.assertEqual(ticket.messages.count(), 1)

    def test_it_starts_a_next_response_clock_when_the_customer_writes_back(self) -> None:
        ticket = self.open_ticket(at=MONDAY_10)
        actions.post_agent_reply(ticket, self.alice, "Refunded.", at=MONDAY_10 + timedelta(hours=1))
        actions.record_customer_message(
            ticket, "It is not there yet.", at=MONDAY_10 + timedelta(hours=2)
        )
        ticket.refresh_from_db()
        # next response for normal: 16 business hours from Monday 12:00 -> Wednesday 12:00
        self.assertEqual(ticket.next_response_due_at, datetime(2026, 11, 25, 12, tzinfo=UTC))
        self.assertEqual(ticket.reply_due_at, ticket.next_response_due_at)


class StatusTransitionTestCase(BaseTestCase):
    def test_a_customer_message_reopens_a_solved_ticket(self) -> None:
        ticket = self.open_ticket(at=MONDAY_10)
        actions.post_agent_reply(ticket, self.alice, "Fixed!", status=Status.SOLVED, at=MONDAY_10)
        actions.record_customer_message(ticket, "Still broken.", at=MONDAY_10 + timedelta(hours=1))
        ticket.refresh_from_db()
        self.assertEqual(ticket.status, Status.OPEN)
        self.assertIsNone(ticket.solved_at)
        self.assertIsNotNone(ticket.reply_due_at)

    def test_pending_pauses_the_clock_and_a_customer_reply_resumes_it(self) -> None:
        ticket = self.open_ticket(at=MONDAY_10)  # due Tuesday 10:00, 8 business hours
        actions.change_status(ticket, self.alice, Status.PENDING, at=MONDAY_10 + timedelta(hours=2))
        ticket.refresh_from_db()
        self.assertIsNone(ticket.reply_due_at)
        self.assertEqual(ticket.sla_paused_remaining, timedelta(hours=6))
        # The customer answers on Wednesday 09:00: 6 business hours remain -> Wednesday 15:00.
        wednesday = datetime(2026, 11, 25, 9, tzinfo=UTC)
        actions.record_customer_message(ticket, "Here is the invoice.", at=wednesday)
        ticket.refresh_from_db()
        self.assertEqual(ticket.status, Status.OPEN)
        self.assertEqual(ticket.reply_due_at, datetime(2026, 11, 25, 15, tzinfo=UTC))
        self.assertIsNone(ticket.sla_paused_remaining)

    def test_pending_back_to_open_by_hand_resumes_the_clock(self) -> None:
        ticket = self.open_ticket(at=MONDAY_10)
        actions.change_status(ticket, None, Status.PENDING, at=MONDAY_10 + timedelta(hours=1))
        actions.change_status(ticket, None, Status.OPEN, at=datetime(2026, 11, 24, 9, tzinfo=UTC))
        ticket.refresh_from_db()
        self.assertEqual(ticket.reply_due_at, datetime(2026, 11, 24, 16, tzinfo=UTC))

    def test_it_refuses_an_invalid_transition_with_a_clear_message(self) -> None:
        ticket = self.open_ticket()
        actions.change_status(ticket, None, Status.CLOSED)
        with self.assertRaisesMessage(actions.DeskError, "cannot go from closed to open"):
            actions.change_status(ticket, None, Status.OPEN)
        with self.assertRaisesMessage(actions.DeskError, "'lost' is not a ticket status"):
            actions.change_status(ticket, None, "lost")

    def test_a_message_on_a_closed_ticket_opens_a_follow_up(self) -> None:
        ticket = self.open_ticket()
        actions.change_status(ticket, None, Status.CLOSED)
        message = actions.record_customer_message(ticket, "It happened again!")
        follow_up = message.ticket
        self.assertNotEqual(follow_up.pk, ticket.pk)
        self.assertEqual(follow_up.follow_up_of, ticket)
        self.assertEqual(follow_up.messages.get().text, "It happened again!")
        ticket.refresh_from_db()
        self.assertEqual(ticket.status, Status.CLOSED)

    @override_settings(HEARD_AUTO_CLOSE_DAYS=4)
    def test_solved_tickets_close_after_the_configured_days(self) -> None:
        ticket = self.open_ticket(at=MONDAY_10)
        actions.change_status(ticket, None, Status.SOLVED, at=MONDAY_10)
        self.assertEqual(actions.close_solved_tickets(now=MONDAY_10 + timedelta(days=3)), 0)
        self.assertEqual(actions.close_solved_tickets(now=MONDAY_10 + timedelta(days=4)), 1)
        ticket.refresh_from_db()
        self.assertEqual(ticket.status, Status.CLOSED)
        self.assertEqual(actions.close_solved_tickets(now=MONDAY_10 + timedelta(days=5)), 0)

    def test_every_change_is_audited_with_before_and_after(self) -> None:
        ticket = self.open_ticket()
        actions.change_status(ticket, self.alice, Status.PENDING)
        actions.change_priority(ticket, self.alice, Priority.HIGH)
        actions.assign(ticket, self.alice, self.bob)
        rows = list(ticket.events.order_by("pk").values_list("what", "before", "after", "actor"))
        self.assertEqual(
            rows[1:],
            [
                ("status", "new", "pending", self.alice.user.pk),
                ("priority", "normal", "high", self.alice.user.pk),
                ("assignee", "", str(self.bob), self.alice.user.pk),
            ],
        )


class PriorityTestCase(BaseTestCase):
    def test_a_new_priority_recomputes_the_running_target(self) -> None:
        ticket = self.open_ticket(at=MONDAY_10)
        with time_machine.travel(MONDAY_10 + timedelta(minutes=5), tick=False):
            actions.change_priority(ticket, None, Priority.URGENT)
        ticket.refresh_from_db()
        self.assertEqual(ticket.reply_due_at, MONDAY_10 + timedelta(hours=1))
        self.assertEqual(ticket.first_response_due_at, ticket.reply_due_at)

    def test_raising_stops_at_urgent(self) -> None:
        self.assertEqual(Priority.LOW.raised(), Priority.NORMAL)
        self.assertEqual(Priority.URGENT.raised(), Priority.URGENT)


class UpdateTicketTestCase(BaseTestCase):
    def test_the_ticket_form_changes_all_of_it_or_nothing(self) -> None:
        ticket = self.open_ticket()
        with self.assertRaises(actions.DeskError):  # Olga is not in the Billing team
            actions.update_ticket(ticket, self.lead, Status.OPEN, Priority.HIGH, self.olga)
        ticket.refresh_from_db()
        self.assertEqual((ticket.status, ticket.priority), (Status.NEW, Priority.NORMAL))
        ticket = actions.update_ticket(ticket, self.lead, Status.OPEN, Priority.HIGH, self.bob)
        ticket.refresh_from_db()
        self.assertEqual(
            (ticket.status, ticket.priority, ticket.assignee),
            (Status.OPEN, Priority.HIGH, self.bob),
        )


class TicketClockTestCase(BaseTestCase):
    def test_reply_time_left_counts_business_hours(self) -> None:
        ticket = Ticket.objects.get(pk=self.open_ticket(at=MONDAY_10).pk)
        # Due Tuesday 10:00; at Monday 18:00 (after hours) one business hour is left.
        left = ticket.reply_time_left(datetime(2026, 11, 23, 18, tzinfo=UTC))
        self.assertEqual(left, timedelta(hours=1))
        overdue = ticket.reply_time_left(datetime(2026, 11, 24, 11, tzinfo=UTC))
        self.assertEqual(overdue, -timedelta(hours=1))


class ActorTestCase(BaseTestCase):
    """Every action that takes who acts takes the agent (`actions.Actor`) and records its user."""

    def test_each_action_records_the_agents_user(self) -> None:
        ticket = self.open_ticket()
        duplicate = self.open_ticket()
        actions.record_event(ticket, self.lead, "looked")
        actions.change_status(ticket, self.lead, Status.PENDING)
        actions.change_priority(ticket, self.lead, Priority.HIGH)
        actions.assign(ticket, self.lead, self.alice)
        actions.update_ticket(ticket, self.lead, Status.OPEN, Priority.LOW, self.bob)
        actions.correct_emotion(ticket.messages.get(), self.lead, "anger")
        actions.merge_tickets(duplicate, ticket, self.lead)
        actions.move_ticket(ticket, self.tech, self.lead, "a broadband fault")
        whats = {"looked", "status", "priority", "assignee", "mood corrected", "merged", "team"}
        rows = TicketEvent.objects.filter(ticket__in=[ticket, duplicate], what__in=whats)
        self.assertEqual({what for what, _ in rows.values_list("what", "actor")}, whats)
        self.assertEqual(
            {actor for _, actor in rows.values_list("what", "actor")}, {self.lead.user.pk}
        )

    def test_none_is_heard_itself(self) -> None:
        ticket = actions.change_status(self.open_ticket(), None, Status.PENDING)
        event = ticket.events.get(what="status")
        self.assertIsNone(event.actor)
        self.assertEqual(event.actor_name(), "Heard")
