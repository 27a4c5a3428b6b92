"""History rows recorded together: one insert, in order, announced as saved rows are."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save

from heard.desk import actions
from heard.desk.models import Ticket, TicketEvent
from heard.test import BaseTestCase


class EventsTogetherTestCase(BaseTestCase):
    def history(self, ticket: Ticket) -> list[str]:
        rows = TicketEvent.objects.filter(ticket=ticket, what__in=["a", "b", "c"])
        return list(rows.order_by("pk").values_list("what", flat=True))

    def test_it_writes_them_in_one_insert_in_order_and_announces_each(self) -> None:
        ticket = self.open_ticket()
        announced: list[str] = []

        def listen(sender: Any, instance: TicketEvent, created: bool, **kwargs: Any) -> None:
            announced.append(instance.what)

        post_save.connect(listen, sender=TicketEvent)
        try:
            with self.assertNumQueries(1), actions.events_together():
                for what in ("a", "b", "c"):
                    actions.record_event(ticket, None, what)
        finally:
            post_save.disconnect(listen, sender=TicketEvent)
        self.assertEqual(self.history(ticket), ["a", "b", "c"])
        self.assertEqual(announced, ["a", "b", "c"])

    def test_a_block_that_fails_takes_only_its_own_rows_with_it(self) -> None:
        ticket = self.open_ticket()
        with actions.events_together():
            actions.record_event(ticket, None, "a")
            try:
                with actions.events_together():
                    actions.record_event(ticket, None, "b")
                    raise RuntimeError("undone")
            except RuntimeError:
                pass
            actions.record_event(ticket, None, "c")
        self.assertEqual(self.history(ticket), ["a", "c"])

    def test_opening_a_ticket_writes_its_first_history_rows_at_once(self) -> None:
        self.billing.auto_assign = True
        self.billing.save()
        ticket = actions.open_ticket(
            customer=self.customer,
            team=self.billing,
            subject="Charged twice",
            text="I was charged twice.",
            route_note="routed to Billing by rule 'words: charged'",
        )
        rows = list(ticket.events.order_by("pk").values_list("what", "note"))
        self.assertEqual([what for what, _ in rows], ["created", "assignee", "routed"])
        self.assertEqual(rows[2][1], "routed to Billing by rule 'words: charged'")
        self.assertIsNotNone(Ticket.objects.get(pk=ticket.pk).assignee_id)
