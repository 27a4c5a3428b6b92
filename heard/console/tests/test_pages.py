from __future__ import annotations

import unittest.mock
from datetime import UTC, datetime

import time_machine
from django.urls import reverse

from heard.care import surveys
from heard.care.models import Rating, Survey
from heard.console.templatetags.clock import humanize_duration
from heard.desk import actions
from heard.desk.models import ConsentKind, Direction, Priority, SlaPolicy, Status, Team
from heard.test import BaseTestCase


class QueueTestCase(BaseTestCase):
    def test_it_requires_login(self) -> None:
        response = self.client.get(reverse("console:queue"))
        self.assertRedirects(response, "/login/?next=/")

    def test_it_lists_the_agents_teams_nearest_due_first(self) -> None:
        later = self.open_ticket("Slow one", priority=Priority.LOW)
        sooner = self.open_ticket("Fast one", priority=Priority.URGENT)
        other_team = self.open_ticket("Tech problem", team=self.tech)
        self.login(self.alice)
        body = self.client.get(reverse("console:queue")).content.decode()
        self.assertLess(body.index(sooner.reference), body.index(later.reference))
        self.assertNotIn(other_team.reference, body)

    def test_it_uses_a_fixed_number_of_queries(self) -> None:
        for _ in range(15):
            self.open_ticket()
        self.login(self.alice)
        # Calendars built when tickets opened; the team filter; the unread count with the agent.
        with self.assertNumQueries(7):
            self.client.get(reverse("console:queue"))

    def test_its_refresh_gets_the_rows_alone(self) -> None:
        ticket = self.open_ticket()
        self.login(self.alice)
        url = reverse("console:queue") + "?q=charged"
        page = self.client.get(url)
        with self.assertNumQueries(7):  # as the page
            rows = self.client.get(url, headers={"HX-Request": "true"})
        body = rows.content.decode()
        # The partial `queue.html#queue-rows`, exactly as the page has it: the rows, the same
        # URL to refresh from, and nothing of the page around them.
        self.assertTrue(body.lstrip().startswith('<div id="queue-rows"'), body[:200])
        self.assertTrue(body.rstrip().endswith("</div>"))
        self.assertIn(body.strip(), page.content.decode())
        self.assertIn(ticket.reference, body)
        self.assertIn('hx-get="/?q=charged"', body)
        self.assertNotIn("<html", body)
        self.assertNotIn('role="search"', body)
        self.assertEqual(rows["Vary"], page["Vary"])
        self.assertIn("HX-Request", rows["Vary"])


class TicketPageTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.ticket = self.open_ticket("I was charged twice for March.")
        self.url = reverse("console:ticket", args=[self.ticket.pk])

    def test_it_shows_the_conversation(self) -> None:
        self.login(self.alice)
        response = self.client.get(self.url)
        self.assertContains(response, "I was charged twice for March.")
        self.assertContains(response, self.ticket.reference)

    def test_the_reply_clock_counts_business_hours_as_the_queue_does(self) -> None:
        friday_4pm = datetime(2026, 11, 27, 16, 0, tzinfo=UTC)
        with time_machine.travel(friday_4pm, tick=False):
            ticket = self.open_ticket("Where is my refund?", at=friday_4pm)
            target = SlaPolicy.targets(self.billing, ticket.priority, first=True)
            self.login(self.alice)
            page = self.client.get(reverse("console:ticket", args=[ticket.pk])).content.decode()
            queue = self.client.get(reverse("console:queue")).content.decode()
        business = f"due in {humanize_duration(target)}"  # the weekend does not count
        self.assertIn('first reply, in business hours: <strong class="" title', page)
        self.assertIn(f">{business}</strong>", page)
        self.assertIn(f">{business}</td>", queue)

    def test_the_customer_profile_shows_what_they_said_in_surveys(self) -> None:
        earlier = self.open_ticket("Charged twice in February too.")
        surveys.answer(Survey.objects.create(ticket=earlier), Rating.OKAY, "Slow but fine.")
        surveys.answer(Survey.objects.create(ticket=self.ticket), Rating.VERY_HAPPY, "Thanks!")
        self.login(self.alice)
        page = self.client.get(self.url)
        self.assertContains(page, "Satisfaction: 4.0 of 5 from 2 survey answers")
        self.assertContains(page, "This ticket's survey: “Very happy”: Thanks!")
        self.assertContains(page, f"{earlier.reference}</a> Charged twice · New · rated “Okay”")

    def test_the_customer_profile_shows_consents_as_recorded(self) -> None:
        self.login(self.alice)
        response = self.client.get(self.url)
        self.assertContains(response, "<li>Surveys: not asked</li>", html=True)
        self.assertContains(response, "not asked: no consent to surveys")
        self.assertNotContains(response, "surveys: yes")
        given = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)
        actions.record_consent(self.customer, ConsentKind.SURVEYS, True, "portal", at=given)
        actions.record_consent(self.customer, ConsentKind.FOLLOW_UP, True, "portal", at=given)
        actions.record_consent(
            self.customer, ConsentKind.FOLLOW_UP, False, "agent", by=self.bob.user,
            at=datetime(2026, 12, 4, 9, 0, tzinfo=UTC),
        )  # fmt: skip
        page = self.client.get(self.url).content.decode()
        self.assertIn("Surveys: agreed on <time", page)
        self.assertIn(">3 Dec 2026</time> by the portal", page)
        self.assertIn("Follow-ups: withdrawn on <time", page)
        self.assertIn(">4 Dec 2026</time> by Bob Example", page)
        self.assertIn("Greetings and small gifts: not asked", page)
        self.assertIn("Satisfaction: no survey answered yet", page)

    def test_it_validates_ownership(self) -> None:
        self.login(self.olga)
        for name in ("console:ticket",):
            self.assertEqual(self.client.get(reverse(name, args=[self.ticket.pk])).status_code, 404)
        for name in ("console:reply", "console:note", "console:update"):
            response = self.client.post(reverse(name, args=[self.ticket.pk]), {"text": "hi"})
            self.assertEqual(response.status_code, 404)
        self.assertEqual(self.ticket.messages.count(), 1)

    def test_an_unknown_ticket_is_404(self) -> None:
        self.login(self.alice)
        self.assertEqual(self.client.get(reverse("console:ticket", args=[999999])).status_code, 404)

    def test_a_user_who_is_not_an_agent_gets_404(self) -> None:
        from django.contrib.auth.models import User

        User.objects.create_user("visitor", password="correct horse battery")
        self.client.login(username="visitor", password="correct horse battery")
        self.assertEqual(self.client.get(reverse("console:queue")).status_code, 404)

    def test_it_uses_a_fixed_number_of_queries(self) -> None:
        for i in range(10):
            actions.record_customer_message(self.ticket, f"Follow-up {i}")
        actions.add_internal_note(self.ticket, self.bob, "Checking the ledger")
        self.login(self.alice)
        with self.assertNumQueries(10):  # the target is at most 10
            self.client.get(self.url)


class ReplyTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.ticket = self.open_ticket()
        self.login(self.alice)

    def test_it_posts_a_reply(self) -> None:
        response = self.client.post(
            reverse("console:reply", args=[self.ticket.pk]),
            {"text": "Hello Aleksandar, I refunded the second charge.", "status": "pending"},
        )
        self.assertRedirects(response, reverse("console:ticket", args=[self.ticket.pk]))
        reply = self.ticket.messages.get(direction=Direction.AGENT)
        self.assertEqual(reply.author, self.alice.user)
        self.ticket.refresh_from_db()
        self.assertEqual(self.ticket.status, Status.PENDING)

    def test_a_refused_reply_keeps_the_agents_words(self) -> None:
        actions.change_status(self.ticket, None, Status.CLOSED)
        response = self.client.post(
            reverse("console:reply", args=[self.ticket.pk]), {"text": "My careful answer"}
        )
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "My careful answer", status_code=400)
        self.assertContains(response, "is closed", status_code=400)

    def test_an_empty_reply_is_refused_with_a_message(self) -> None:
        response = self.client.post(reverse("console:reply", args=[self.ticket.pk]), {"text": ""})
        self.assertContains(response, "This field is required", status_code=400)

    def test_it_adds_an_internal_note(self) -> None:
        self.client.post(reverse("console:note", args=[self.ticket.pk]), {"text": "VIP"})
        self.assertTrue(self.ticket.messages.filter(direction=Direction.NOTE, text="VIP").exists())


class UpdateTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.ticket = self.open_ticket()
        self.login(self.alice)
        self.url = reverse("console:update", args=[self.ticket.pk])

    def test_it_changes_status_priority_and_assignee(self) -> None:
        self.client.post(self.url, {"status": "open", "priority": "high", "assignee": self.bob.pk})
        self.ticket.refresh_from_db()
        self.assertEqual(
            (self.ticket.status, self.ticket.priority, self.ticket.assignee),
            ("open", "high", self.bob),
        )

    def test_an_invalid_transition_gets_a_clear_message(self) -> None:
        actions.change_status(self.ticket, None, Status.CLOSED)
        response = self.client.post(
            self.url, {"status": "open", "priority": "normal", "assignee": ""}, follow=True
        )
        self.assertContains(response, "cannot go from closed to open")

    def test_an_agent_of_another_team_cannot_be_chosen(self) -> None:
        response = self.client.post(
            self.url,
            {"status": "new", "priority": "normal", "assignee": self.olga.pk},
            follow=True,
        )
        self.assertContains(response, "That change was not understood")
        self.ticket.refresh_from_db()
        self.assertIsNone(self.ticket.assignee)


class NotificationsTestCase(BaseTestCase):
    def test_a_lead_sees_escalations_and_marks_them_read(self) -> None:
        from datetime import timedelta

        from django.utils import timezone

        ticket = self.open_ticket(at=timezone.now() - timedelta(days=7))
        actions.run_watchdog()
        self.login(self.lead)
        queue = self.client.get(reverse("console:queue"))
        self.assertContains(queue, '1<span class="visually-hidden"> unread</span>')
        page = self.client.get(reverse("console:notifications"))
        self.assertContains(page, f"{ticket.reference} escalated")
        self.client.post(reverse("console:notifications"))
        self.assertNotContains(self.client.get(reverse("console:queue")), " unread</span>")

    def test_an_agent_sees_only_their_own(self) -> None:
        from django.utils import timezone

        self.open_ticket(at=timezone.now().replace(year=2020))
        actions.run_watchdog()
        self.login(self.alice)
        self.assertNotContains(self.client.get(reverse("console:notifications")), "escalated")


class QueueFilterTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.mine = self.open_ticket("My parcel never arrived.")
        actions.assign(self.mine, self.alice, self.alice)
        self.unassigned = self.open_ticket("The invoice PDF is empty.")
        self.escalated = self.open_ticket("Third time writing about the refund!")
        self.escalated.escalated = True
        self.escalated.mood = "anger"
        self.escalated.save()
        self.solved = self.open_ticket("Thanks, all good now.")
        actions.change_status(self.solved, self.alice, Status.SOLVED)
        self.elsewhere = self.open_ticket("Parcel API returns 500", team=self.tech)
        self.login(self.alice)

    def shown(self, **params: str) -> list[str]:
        body = self.client.get(reverse("console:queue"), params).content.decode()
        tickets = [self.mine, self.unassigned, self.escalated, self.solved, self.elsewhere]
        return [t.reference for t in tickets if f">{t.reference}<" in body]

    def test_views_narrow_to_mine_unassigned_or_escalated(self) -> None:
        self.assertEqual(self.shown(view="mine"), [self.mine.reference])
        self.assertNotIn(self.mine.reference, self.shown(view="unassigned"))
        self.assertIn(self.unassigned.reference, self.shown(view="unassigned"))
        self.assertEqual(self.shown(view="escalated"), [self.escalated.reference])

    def test_an_agent_of_two_teams_can_look_at_one(self) -> None:
        self.assertNotIn('name="team"', self.client.get(reverse("console:queue")).content.decode())
        self.alice.teams.add(self.tech)
        self.assertIn(self.elsewhere.reference, self.shown())
        self.assertEqual(self.shown(team=str(self.tech.pk)), [self.elsewhere.reference])
        self.assertNotIn(self.elsewhere.reference, self.shown(team=str(self.billing.pk)))
        other = Team.objects.create(name="Sales", slug="sales")
        self.assertEqual(len(self.shown(team=str(other.pk))), 4, "not hers: ignored")

    def test_mood_and_status(self) -> None:
        self.assertEqual(self.shown(mood="anger"), [self.escalated.reference])
        self.assertEqual(self.shown(status="solved"), [self.solved.reference])
        self.assertNotIn(self.solved.reference, self.shown())  # the queue is open tickets

    def test_search_by_reference_email_name_and_words(self) -> None:
        reference = self.unassigned.reference
        self.assertEqual(self.shown(q=reference.lower()), [reference])
        by_address = self.shown(q="aleks@example")
        self.assertEqual(len(by_address), 3)  # the customer's open tickets in Alice's team
        self.assertEqual(self.shown(q="petrović refund"), [self.escalated.reference])
        self.assertEqual(self.shown(q="invoice pdf"), [self.unassigned.reference])

    def test_search_never_reaches_another_teams_tickets(self) -> None:
        self.assertEqual(self.shown(q="parcel"), [self.mine.reference])
        self.assertEqual(self.shown(q=self.elsewhere.reference), [])

    def test_an_unknown_choice_is_ignored_and_pages_keep_the_filters(self) -> None:
        self.assertEqual(len(self.shown(view="everything", mood="elated")), 3)
        self.open_ticket("Another parcel question")
        with unittest.mock.patch("heard.console.views.QUEUE_PAGE_SIZE", 1):
            body = self.client.get(reverse("console:queue"), {"q": "parcel"}).content.decode()
        self.assertIn("q=parcel&amp;page=2", body)
        self.assertIn("matching tickets", body)

    def test_the_filter_form_is_labelled_and_works_without_script(self) -> None:
        body = self.client.get(reverse("console:queue")).content.decode()
        for name in ("view", "mood", "status", "q"):
            self.assertIn(f'<label for="id_{name}">', body)
        self.assertIn('method="get"', body)


class CustomerProfileTestCase(BaseTestCase):
    def test_the_ticket_shows_the_customer_mood_over_time_and_earlier_tickets(self) -> None:
        earlier = self.open_ticket("Last month's invoice was wrong.")
        hidden = self.open_ticket("API keys expired", team=self.tech)
        ticket = self.open_ticket("Charged twice again!")
        actions.record_customer_message(ticket, "Hello? Anyone?")
        self.login(self.alice)
        body = self.client.get(reverse("console:ticket", args=[ticket.pk])).content.decode()
        self.assertIn(earlier.reference, body)
        self.assertNotIn(hidden.reference, body)  # another team's ticket stays out of sight
        self.assertIn("<li>Follow-ups: not asked</li>", body)  # nobody asked: no consent assumed
        timeline = body.split('<ol class="timeline">')[1].split("</ol>")[0]
        self.assertEqual(timeline.count("<li>"), 2)  # one entry per customer message
