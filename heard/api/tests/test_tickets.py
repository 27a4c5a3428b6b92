"""Tickets through the API: listed with filters, search and cursor pages; read with the honest
expected reply; opened and changed through the desk's own actions."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from heard.api.tests.api_helpers import ApiTestCase
from heard.desk import actions
from heard.desk.models import Channel, Priority, Status, Ticket, TicketEvent
from heard.test import make_customer


class ListTestCase(ApiTestCase):
    def test_it_lists_the_tokens_teams_newest_first(self) -> None:
        first = self.open_ticket()
        second = self.open_ticket("The app logs me out.")
        self.open_ticket("Router blinks red.", team=self.tech)
        body = self.ok(self.api("GET", "/tickets"))
        self.assertEqual([t["id"] for t in body["items"]], [second.pk, first.pk])
        self.assertIsNone(body["next_cursor"])
        row = body["items"][0]
        self.assertEqual(row["reference"], second.reference)
        self.assertEqual(row["team"], {"id": self.billing.pk, "slug": "billing", "name": "Billing"})
        self.assertEqual(row["customer"]["email"], "aleks@example.com")
        self.assertEqual(row["url"], f"https://help.example/tickets/{second.pk}/")

    def test_it_pages_with_a_cursor_without_repeats_or_gaps(self) -> None:
        made = [self.open_ticket(f"Question {n}") for n in range(7)]
        seen, cursor = [], None
        while True:
            params: dict[str, Any] = {"limit": 3} | ({"cursor": cursor} if cursor else {})
            body = self.ok(self.api("GET", "/tickets", **params))
            seen += [t["id"] for t in body["items"]]
            if len(seen) == 3:  # a ticket opened between pages shows on no page already served
                self.open_ticket("Opened meanwhile")
            cursor = body["next_cursor"]
            if cursor is None:
                break
        self.assertEqual(seen, [t.pk for t in reversed(made)])

    def test_it_pages_in_care_order(self) -> None:
        calm = self.open_ticket("When is my invoice due?")
        angry = self.open_ticket("Third time writing! Charged twice and nobody answers!")
        for ticket, mood in ((calm, "neutral"), (angry, "anger")):
            message = ticket.messages.get()
            actions.correct_emotion(message, self.alice, mood)
        pages = [self.ok(self.api("GET", "/tickets", order="care", limit=1))]
        after = pages[0]["next_cursor"]
        pages.append(self.ok(self.api("GET", "/tickets", order="care", cursor=after)))
        order = [page["items"][0]["id"] for page in pages]
        expected = list(Ticket.objects.filter(pk__in=order).by_care().values_list("pk", flat=True))
        self.assertEqual(order, expected)
        self.assertEqual(order[0], angry.pk)

    def test_it_filters_and_searches_as_the_console_does(self) -> None:
        mine = self.open_ticket("Refund please")
        actions.assign(mine, self.alice, self.alice)
        other = actions.open_ticket(
            customer=make_customer("Gordana Novak", "gordana@example.com"),
            team=self.billing,
            subject="Broadband down",
            text="No internet since Monday.",
            priority=Priority.HIGH,
        )

        def ids(**params: Any) -> list[int]:
            return [t["id"] for t in self.ok(self.api("GET", "/tickets", **params))["items"]]

        self.assertEqual(ids(assignee="me"), [mine.pk])
        self.assertEqual(ids(assignee="none"), [other.pk])
        self.assertEqual(ids(priority="high"), [other.pk])
        self.assertEqual(ids(q="gordana@"), [other.pk])
        self.assertEqual(ids(q="internet"), [other.pk])
        self.assertEqual(ids(q=mine.reference), [mine.pk])
        self.assertEqual(ids(customer=self.customer.pk), [mine.pk])
        self.assertEqual(ids(team="billing"), [other.pk, mine.pk])
        self.refused(self.api("GET", "/tickets", team="tech"), 404, "not_found")

    def test_a_page_costs_the_same_queries_at_any_length(self) -> None:
        self.open_ticket()
        self.ok(self.api("GET", "/me"))  # the token's last use is written at most once a minute
        with CaptureQueriesContext(connection) as one:
            self.ok(self.api("GET", "/tickets"))
        for n in range(10):
            self.open_ticket(f"Question {n}")
        with CaptureQueriesContext(connection) as eleven:
            self.ok(self.api("GET", "/tickets"))
        self.assertEqual(len(one), len(eleven))
        self.assertLessEqual(len(eleven), 8, [q["sql"] for q in eleven.captured_queries])

    def test_a_forged_cursor_is_refused(self) -> None:
        self.refused(self.api("GET", "/tickets", cursor="not-ours"), 400, "invalid")


class GetTestCase(ApiTestCase):
    def test_it_says_when_a_person_is_expected_to_reply(self) -> None:
        ticket = self.open_ticket()
        self.assertIsNone(self.ok(self.api("GET", f"/tickets/{ticket.pk}"))["expected_reply"])
        body = self.ok(self.api("GET", f"/tickets/{ticket.pk}", expected_reply="true"))
        expected = body["expected_reply"]
        self.assertRegex(expected["said"], r"^(in about|later today|tomorrow|on )")
        self.assertEqual(expected["ahead"], 0)
        self.assertIn("ahead of you", expected["basis"])
        self.assertTrue(body["waiting_on_us"])

    def test_an_answered_ticket_has_no_expected_reply(self) -> None:
        ticket = self.open_ticket()
        actions.post_agent_reply(ticket, self.alice, "Hi Aleksandar, I've refunded it today.")
        answered = self.api("GET", f"/tickets/{ticket.pk}", expected_reply="true")
        self.assertIsNone(self.ok(answered)["expected_reply"])

    def test_it_validates_ownership(self) -> None:
        theirs = self.open_ticket(team=self.tech)
        self.refused(self.api("GET", f"/tickets/{theirs.pk}"), 404, "not_found")
        self.refused(self.api("GET", "/tickets/999999"), 404, "not_found")


class OpenTestCase(ApiTestCase):
    def test_it_opens_a_ticket_as_any_new_request(self) -> None:
        body = self.ok(
            self.api(
                "POST",
                "/tickets",
                {
                    "team": "billing",
                    "subject": "Double charge",
                    "text": "You charged my card twice this month.",
                    "customer": {"email": "Mira@Example.com", "name": "Mira Kos"},
                },
            ),
            201,
        )
        ticket = Ticket.objects.get(pk=body["id"])
        self.assertEqual(ticket.channel, Channel.API)
        self.assertEqual(ticket.customer.primary_email(), "mira@example.com")
        self.assertIsNotNone(ticket.reply_due_at)
        self.assertTrue(TicketEvent.objects.filter(ticket=ticket, what="created").exists())
        self.assertIsNotNone(body["expected_reply"])
        message = ticket.messages.get()
        self.assertTrue(message.emotion, "read by the engine once the ticket committed")

    def test_a_known_address_is_the_same_customer(self) -> None:
        payload = {
            "team": "billing",
            "subject": "Again",
            "text": "Still charged twice.",
            "customer": {"email": "aleks@example.com", "name": "Someone Else"},
        }
        body = self.ok(self.api("POST", "/tickets", payload), 201)
        self.assertEqual(body["customer"]["id"], self.customer.pk)

    def test_it_opens_only_in_the_tokens_teams(self) -> None:
        payload = {
            "team": "tech",
            "subject": "x",
            "text": "y",
            "customer": {"email": "a@b.example"},
        }
        self.refused(self.api("POST", "/tickets", payload), 404, "not_found")
        self.assertFalse(Ticket.objects.exists())

    def test_every_field_is_limited(self) -> None:
        payload = {
            "team": "billing",
            "subject": "x" * 301,
            "text": "",
            "customer": {"email": "not an address"},
        }
        body = self.refused(self.api("POST", "/tickets", payload), 400, "invalid")
        fields = {f["field"]: f["message"] for f in body["fields"]}
        self.assertEqual(fields["body.data.subject"], "at most 300 characters")
        self.assertEqual(fields["body.data.text"], "at least 1 characters")
        self.assertIn("body.data.customer.email", fields)


class UpdateTestCase(ApiTestCase):
    def test_it_changes_status_priority_and_assignee_through_the_desk(self) -> None:
        ticket = self.open_ticket()
        patch = {"status": "pending", "priority": "urgent", "assignee": self.bob.pk}
        body = self.ok(self.api("PATCH", f"/tickets/{ticket.pk}", patch))
        self.assertEqual((body["status"], body["priority"]), ("pending", "urgent"))
        self.assertEqual(body["assignee"]["id"], self.bob.pk)
        history = set(TicketEvent.objects.filter(ticket=ticket).values_list("what", "actor"))
        for what in ("status", "priority", "assignee"):
            self.assertIn((what, self.alice.user_id), history)

    def test_a_refused_change_changes_nothing(self) -> None:
        ticket = self.open_ticket()
        patch = {"priority": "urgent", "assignee": self.olga.pk}  # Olga is not in Billing
        self.refused(self.api("PATCH", f"/tickets/{ticket.pk}", patch), 400, "not_in_team")
        self.assertEqual(Ticket.objects.get(pk=ticket.pk).priority, Priority.NORMAL)

    def test_a_status_the_ticket_cannot_go_to_is_a_conflict(self) -> None:
        ticket = self.open_ticket()
        actions.change_status(ticket, self.alice, Status.CLOSED)
        reopen = self.api("PATCH", f"/tickets/{ticket.pk}", {"status": "open"})
        self.refused(reopen, 409, "transition")

    def test_it_moves_a_ticket_to_another_team_with_its_reason(self) -> None:
        self.alice.teams.add(self.tech)
        ticket = self.open_ticket()
        body = self.ok(
            self.api("PATCH", f"/tickets/{ticket.pk}", {"team": "tech", "reason": "a router"})
        )
        self.assertEqual(body["team"]["slug"], "tech")
        moved = TicketEvent.objects.get(ticket=ticket, what="team")
        self.assertEqual((moved.before, moved.after, moved.note), ("Billing", "Tech", "a router"))
