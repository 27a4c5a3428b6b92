"""Progress per dimension over time, the studio's pages, and "Why empathy pays" with the
team's own figures."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from heard.care import surveys
from heard.care.models import Survey
from heard.desk import actions as desk
from heard.desk.models import Agent, Status, Ticket
from heard.test import BaseTestCase
from heard.training import actions, pays, progress
from heard.training.models import Case
from heard.training.tests.test_assignments import POLICY_WALL, WARM


class ProgressTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.case = Case.objects.get(slug="birthday-present-damaged")

    def practise(self, agent: Agent, text: str, weeks_ago: int) -> None:
        at = timezone.now() - timedelta(weeks=weeks_ago)
        exercise = actions.start_exercise(agent, self.case, at=at)
        actions.name_feelings(exercise, agent, ["disappointment"], "a broken present")
        actions.submit_reply(exercise, agent, text)
        actions.submit_rewrite(exercise, agent, text, at=at)

    def test_it_shows_each_dimension_week_by_week(self) -> None:
        self.practise(self.alice, "Per our policy we cannot do anything. Regards", weeks_ago=3)
        self.practise(self.alice, self.case.exemplary_text(), weeks_ago=0)
        mine = progress.progress_of([self.alice])[0]
        practice = mine.series("practice", "respect")
        self.assertEqual(len(practice), progress.WEEKS)
        self.assertEqual(practice[-1], 100)
        self.assertLess(practice[-4] or 100, 100)
        self.assertIsNone(practice[0])
        self.login(self.alice)
        page = self.client.get(reverse("training:progress"))
        self.assertContains(page, "Week by week")
        self.assertContains(page, 'class="sparkline"')

    def test_an_agent_sees_their_own_and_a_lead_their_teams(self) -> None:
        self.practise(self.bob, self.case.exemplary_text(), weeks_ago=0)
        self.login(self.alice)
        page = self.client.get(reverse("training:progress"))
        self.assertNotContains(page, "Bob Example")
        self.assertEqual(self.client.get(reverse("training:progress"),
                                         {"agent": self.bob.pk}).status_code, 404)
        self.login(self.lead)
        page = self.client.get(reverse("training:progress"))
        for name in ("Alice Example", "Bob Example"):
            self.assertContains(page, name)
        self.assertNotContains(page, "Olga Example")
        self.assertEqual(self.client.get(reverse("training:progress"),
                                         {"agent": self.olga.pk}).status_code, 404)


class PagesTestCase(BaseTestCase):
    def test_every_page_answers_a_signed_in_agent(self) -> None:
        self.login(self.lead)
        for name in ("home", "attempts", "progress", "team", "pays"):
            self.assertEqual(self.client.get(reverse(f"training:{name}")).status_code, 200, name)
        page = self.client.get(reverse("training:case", args=["bereaved-closing-account"]))
        self.assertContains(page, "Ruth Adeyemi")
        self.assertContains(page, "Start a live role-play")
        self.assertNotContains(page, "With my sympathy")  # the exemplary reply waits

    def test_it_needs_a_signed_in_agent(self) -> None:
        page = self.client.get(reverse("training:home"))
        self.assertRedirects(page, f"{reverse('login')}?next={reverse('training:home')}")

    def test_the_console_links_to_the_studio(self) -> None:
        self.login(self.alice)
        self.assertContains(self.client.get(reverse("console:queue")),
                            f'href="{reverse("training:home")}"')


class WhyEmpathyPaysTestCase(BaseTestCase):
    def solved(self, text: str, rating: int | None, reopened: bool = False) -> Ticket:
        ticket = self.open_ticket()
        with self.captureOnCommitCallbacks(execute=True):
            desk.post_agent_reply(ticket, self.alice, text, status=Status.SOLVED, send_anyway=True)
        if reopened:
            desk.record_customer_message(ticket, "It is broken again.")
            desk.change_status(ticket, self.alice, Status.SOLVED)
        if rating is not None:
            surveys.answer(Survey.objects.create(ticket=ticket), rating)
        return ticket

    def test_it_shows_satisfaction_and_reopen_rate_by_score_band(self) -> None:
        self.solved(WARM, 5)
        self.solved(WARM, 4)
        self.solved(WARM, None)
        self.solved(POLICY_WALL, 1, reopened=True)
        self.solved(POLICY_WALL, None)
        warm, middle, cold = pays.figures(self.alice)
        self.assertEqual((warm.tickets, warm.answers, warm.happy_share), (3, 2, 1.0))
        self.assertEqual(warm.reopen_rate, 0.0)
        self.assertEqual(middle.tickets, 0)
        self.assertEqual((cold.tickets, cold.answers, cold.happy_share), (2, 1, 0.0))
        self.assertEqual(cold.reopen_rate, 0.5)
        self.assertEqual(cold.mean_rating, 1.0)
        self.assertEqual(pays.figures(self.olga)[0].tickets, 0, "another team's figures")
        self.login(self.alice)
        page = self.client.get(reverse("training:pays"))
        for words in ("Fewer escalations", "Easier conversations", "come back and recommend",
                      "80 to 100", "100%", "50%"):
            self.assertContains(page, words)
