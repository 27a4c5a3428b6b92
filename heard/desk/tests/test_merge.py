"""Merging a duplicate: its conversation moves, it closes, and later words land in the other."""

from __future__ import annotations

from django.urls import reverse

from heard.desk import actions
from heard.desk.models import Direction, Status, Ticket
from heard.test import BaseTestCase, make_customer


class MergeTest(BaseTestCase):
    def test_the_duplicates_messages_move_and_it_closes(self) -> None:
        first = self.open_ticket("My invoice is wrong.")
        duplicate = self.open_ticket("Sent this again: my invoice is wrong!")
        into = actions.merge_tickets(duplicate, first, self.alice)
        duplicate.refresh_from_db()
        self.assertEqual(duplicate.status, Status.CLOSED)
        self.assertEqual(duplicate.merged_into, first)
        texts = list(into.messages.values_list("text", flat=True))
        self.assertEqual(len(texts), 2)
        self.assertEqual(into.unanswered_count, 2)
        self.assertEqual(into.events.filter(what="merged").count(), 1)

    def test_a_later_message_to_the_duplicate_lands_in_the_other(self) -> None:
        first, duplicate = self.open_ticket(), self.open_ticket("Again")
        actions.merge_tickets(duplicate, first, self.alice)
        message = actions.record_customer_message(duplicate, "Any news?")
        self.assertEqual(message.ticket, first)
        self.assertFalse(Ticket.objects.filter(follow_up_of=duplicate).exists())

    def test_only_open_tickets_of_one_customer_merge(self) -> None:
        first = self.open_ticket()
        other = actions.open_ticket(
            customer=make_customer("Someone Else", "else@example.com"),
            team=self.billing,
            subject="Hi",
            text="Hello",
        )
        with self.assertRaisesMessage(actions.DeskError, "same customer"):
            actions.merge_tickets(other, first, self.alice)
        with self.assertRaisesMessage(actions.DeskError, "itself"):
            actions.merge_tickets(first, first, self.alice)

    def test_the_console_merges_by_reference_within_the_agents_teams(self) -> None:
        first, duplicate = self.open_ticket(), self.open_ticket("Again")
        hidden = self.open_ticket(team=self.tech)
        self.login(self.alice)
        url = reverse("console:merge", args=[duplicate.pk])
        refused = self.client.post(url, {"into": hidden.reference}, follow=True)
        self.assertContains(refused, "No ticket with that reference in your teams.")
        done = self.client.post(url, {"into": first.reference.lower()}, follow=True)
        self.assertContains(done, f"{duplicate.reference} was merged into {first.reference}.")
        self.assertEqual(first.messages.filter(direction=Direction.CUSTOMER).count(), 2)
