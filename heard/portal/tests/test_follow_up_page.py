"""The page a follow-up link opens: the click chooses, the customer's button answers."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from heard.care import follow_ups, surveys
from heard.care.models import Answer, FollowUp, Survey
from heard.console.tests.browser import LiveBrowserTestCase
from heard.console.tests.test_accessibility import WCAG_AA
from heard.console.tests.test_unique_ids import ids_of
from heard.desk import actions
from heard.desk.models import Direction, Notification, Status, Team, Ticket
from heard.test import BaseTestCase, make_agent, make_customer


class FollowUpPageTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        solved = timezone.now() - timedelta(days=3)
        ticket = self.open_ticket(at=solved - timedelta(hours=1))
        actions.post_agent_reply(ticket, self.alice, "Refunded.", status=Status.SOLVED, at=solved)
        self.ticket = Ticket.objects.get(pk=ticket.pk)
        self.follow_up = FollowUp.objects.create(ticket=self.ticket)

    def path(self, choice: Answer | None = None) -> str:
        url = urlsplit(follow_ups.link(self.follow_up, choice))
        return f"{url.path}?{url.query}" if url.query else url.path

    def send(self, answer: dict[str, str]) -> tuple[Client, str]:
        """A customer's browser: opens the page (for its CSRF cookie), then presses Send."""
        client = Client(enforce_csrf_checks=True)
        token = client.get(self.path()).cookies["csrftoken"].value
        with self.captureOnCommitCallbacks(execute=True):
            page = client.post(self.path(), {**answer, "csrfmiddlewaretoken": token})
        self.assertEqual(page.status_code, 200)
        return client, page.content.decode()

    def test_following_a_link_chooses_that_answer_but_records_nothing(self) -> None:
        page = self.client.get(self.path(Answer.BROKEN))
        self.assertContains(page, "Is it better now?")
        self.assertContains(page, f"“Charged twice” ({self.ticket.reference})")
        self.assertContains(page, 'value="broken" id="id_answer_2" required checked')
        self.assertContains(page, '<label for="id_words">')
        self.assertContains(page, "Your answer counts once you press Send. It goes to Alice.")
        self.follow_up.refresh_from_db()
        self.assertEqual(self.follow_up.answer, "", "mail scanners follow links too")
        self.ticket.refresh_from_db()
        self.assertEqual(self.ticket.status, Status.SOLVED)
        self.assertEqual(self.ticket.messages.filter(direction=Direction.CUSTOMER).count(), 1)

    def test_still_broken_sent_reopens_the_ticket_and_tells_alice(self) -> None:
        _, page = self.send({"answer": "broken", "words": "Charged twice again."})
        self.assertIn("You answered “Still broken”", page)
        self.assertIn("Your request is open again: Alice has it now", page)
        self.ticket.refresh_from_db()
        self.assertEqual((self.ticket.status, self.ticket.assignee), (Status.OPEN, self.alice))
        told = Notification.objects.get(recipient=self.alice.user)
        self.assertIn("“Still broken”: “Charged twice again.”", told.text)

    def test_better_sent_closes_the_ticket(self) -> None:
        _, page = self.send({"answer": "better", "words": "Thanks!"})
        self.assertIn("We are glad it is better now.", page)
        self.assertIn("Your request is closed.", page)
        self.ticket.refresh_from_db()
        self.assertEqual(self.ticket.status, Status.CLOSED)

    def test_better_sent_while_it_is_open_again_leaves_it_with_alice(self) -> None:
        follow_ups.answer(self.follow_up, Answer.BROKEN)
        _, page = self.send({"answer": "better"})
        self.assertIn("Your request is still open with Alice, who has been told.", page)

    def test_a_form_without_its_csrf_token_is_refused(self) -> None:
        client = Client(enforce_csrf_checks=True)
        response = client.post(self.path(), {"answer": "broken"})
        self.assertEqual(response.status_code, 403)
        self.follow_up.refresh_from_db()
        self.assertEqual(self.follow_up.answer, "")

    def test_a_form_without_an_answer_says_so_and_keeps_the_words(self) -> None:
        response = self.client.post(self.path(), {"words": "Hmm"})
        self.assertContains(response, "Please choose one of the three answers.", status_code=400)
        self.assertContains(response, "Hmm</textarea>", status_code=400)

    def test_an_answer_given_shows_and_may_be_changed(self) -> None:
        follow_ups.answer(self.follow_up, Answer.NOT_YET, "Soon?")
        page = self.client.get(self.path())
        self.assertContains(page, "You answered “Not yet” on")
        self.assertContains(page, 'value="not_yet" id="id_answer_1" required checked')
        self.assertContains(page, "Soon?</textarea>")

    def test_an_altered_link_is_not_found(self) -> None:
        response = self.client.get(self.path()[:-3] + "xyz/")
        self.assertContains(response, "This link is not valid", status_code=404)

    def test_a_closed_follow_up_says_when_it_closed(self) -> None:
        FollowUp.objects.filter(pk=self.follow_up.pk).update(
            created_at=timezone.now() - timedelta(days=31)
        )
        response = self.client.post(self.path(), {"answer": "broken"})
        self.assertContains(response, "This check-in closed on", status_code=410)
        self.follow_up.refresh_from_db()
        self.assertEqual(self.follow_up.answer, "")

    def test_a_survey_link_does_not_open_a_follow_up(self) -> None:
        survey = Survey.objects.create(ticket=self.ticket)
        token = urlsplit(surveys.link(survey)).path.rstrip("/").rsplit("/", 1)[1]
        response = self.client.get(reverse("portal:follow_up", args=[token]))
        self.assertContains(response, "This link is not valid", status_code=404)

    def test_every_follow_up_page_has_unique_ids_and_labels_that_point_at_them(self) -> None:
        pages = {
            "page": self.client.get(self.path(Answer.NOT_YET)),
            "no answer chosen": self.client.post(self.path(), {"words": "x"}),
            "thanks": self.client.post(self.path(), {"answer": "not_yet"}),
            "bad link": self.client.get(reverse("portal:follow_up", args=["nonsense"])),
        }
        for name, response in pages.items():
            with self.subTest(name):
                found = ids_of(response)
                self.assertEqual([i for i, n in Counter(found.ids).items() if n > 1], [])
                self.assertEqual(set(found.label_for) - set(found.ids), set())


class FollowUpPageAccessibilityTestCase(LiveBrowserTestCase):
    def audit(self, page: Any) -> None:
        from axe_playwright_python.sync_playwright import Axe

        options = {"runOnly": {"type": "tag", "values": WCAG_AA}, "resultTypes": ["violations"]}
        results = Axe().run(page, options=options)
        self.assertEqual(results.violations_count, 0, f"{page.url}\n{results.generate_report()}")

    def test_the_follow_up_pages_meet_wcag_aa(self) -> None:
        team = Team.objects.create(name="Billing", slug="billing", auto_assign=False)
        alice = make_agent("alice", [team])
        ticket = actions.open_ticket(
            customer=make_customer(), team=team, subject="Charged twice", text="Charged twice."
        )
        actions.post_agent_reply(ticket, alice, "Refunded.", status=Status.SOLVED)
        follow_up = FollowUp.objects.create(ticket=ticket)
        page = self.browser.new_page()
        with self.settings(SITE_URL=self.live_server_url):
            page.goto(follow_ups.link(follow_up, Answer.BROKEN))
        self.audit(page)
        page.get_by_role("button", name="Send").click()
        page.get_by_text("Thank you").first.wait_for()
        self.audit(page)
