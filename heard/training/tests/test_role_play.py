"""A role-play through the pages: the customer answers each message, the transcript afterwards;
and who sees whose attempts."""

from __future__ import annotations

from django.urls import reverse

from heard.test import BaseTestCase
from heard.training import actions
from heard.training.models import Case, RolePlay
from heard.training.tests.test_simulation import ACKNOWLEDGING, BLAMING, OFFER, TEMPLATE


class RolePlayTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.case = Case.objects.get(slug="parts-order-mail-fails")
        self.login(self.alice)

    def play(self, *replies: str) -> RolePlay:
        self.client.post(reverse("training:start_role_play", args=[self.case.slug]))
        role_play = RolePlay.objects.get(agent=self.alice)
        RolePlay.objects.filter(pk=role_play.pk).update(seed=1)  # the scripts' seed
        for reply in replies:
            page = self.client.post(reverse("training:role_play_reply", args=[role_play.pk]),
                                    {"text": reply})
            self.assertEqual(page.status_code, 302)
        role_play.refresh_from_db()
        return role_play

    def test_the_customer_answers_and_it_ends_resolved_with_a_transcript(self) -> None:
        role_play = self.play(ACKNOWLEDGING)
        page = self.client.get(role_play.get_absolute_url())
        self.assertContains(page, role_play.transcript["exchanges"][0]["answer"].split(".")[0])
        self.assertContains(page, "Your message to the customer")
        self.assertNotContains(page, "How it went")
        self.client.post(reverse("training:role_play_reply", args=[role_play.pk]),
                         {"text": OFFER})
        role_play.refresh_from_db()
        self.assertEqual(role_play.outcome, "resolved")
        self.assertIsNotNone(role_play.finished_at)
        page = self.client.get(role_play.get_absolute_url())
        self.assertContains(page, "How it went")
        self.assertContains(page, 'class="mood-curve"')
        self.assertContains(page, "gave a next step")  # each reply's signals
        self.assertContains(page, "Empathy")  # and dimensions
        self.assertNotContains(page, "Your message to the customer")
        self.assertEqual(role_play.transcript["curve"][0], self.case.intensity)

    def test_it_names_the_change_that_would_have_helped_most(self) -> None:
        role_play = self.play(BLAMING)  # from 7, blame's +3 reaches the top: they leave
        self.assertEqual(role_play.outcome, "lost")
        page = self.client.get(role_play.get_absolute_url())
        self.assertContains(page, "The one change that would have helped most")
        self.assertContains(page, "user error")
        self.assertEqual(role_play.transcript["advice"]["code"], "blame")

    def test_it_is_the_same_for_the_same_seed_and_replies(self) -> None:
        one = actions.start_role_play(self.alice, self.case, seed=5)
        two = actions.start_role_play(self.bob, self.case, seed=5)
        for reply in (TEMPLATE, ACKNOWLEDGING):
            one = actions.reply_in_role_play(one, self.alice, reply)
            two = actions.reply_in_role_play(two, self.bob, reply)
        self.assertEqual(one.transcript, two.transcript)

    def test_an_ended_role_play_takes_no_more_messages(self) -> None:
        role_play = self.play(ACKNOWLEDGING, OFFER)
        with self.assertRaises(actions.TrainingError) as refused:
            actions.reply_in_role_play(role_play, self.alice, "Anything else?")
        self.assertEqual(refused.exception.code, actions.TrainingCode.FINISHED)

    def test_it_validates_ownership(self) -> None:
        role_play = actions.start_role_play(self.alice, self.case, seed=1)
        post = reverse("training:role_play_reply", args=[role_play.pk])
        self.login(self.bob)
        self.assertEqual(self.client.get(role_play.get_absolute_url()).status_code, 404)
        self.assertEqual(self.client.post(post, {"text": "Hi"}).status_code, 404)
        self.login(self.lead)
        self.assertEqual(self.client.get(role_play.get_absolute_url()).status_code, 200)
        self.assertEqual(self.client.post(post, {"text": "Hi"}).status_code, 403)
        self.assertEqual(RolePlay.objects.get(pk=role_play.pk).replies, [])


class AttemptsTestCase(BaseTestCase):
    """An agent sees only their own attempts; a lead sees their team's."""

    def setUp(self) -> None:
        super().setUp()
        case = Case.objects.get(slug="birthday-present-damaged")
        other = Case.objects.get(slug="card-blocked-abroad")
        tech_case = Case.objects.get(slug="number-port-failed")
        self.alices = actions.start_exercise(self.alice, case)
        self.bobs = actions.start_role_play(self.bob, other, seed=1)
        self.olgas = actions.start_exercise(self.olga, tech_case)

    def test_an_agent_sees_only_their_own(self) -> None:
        self.login(self.alice)
        page = self.client.get(reverse("training:attempts"))
        self.assertContains(page, "The dollhouse that arrived broken")
        self.assertNotContains(page, "Card blocked at hotel check-out")
        self.assertNotContains(page, "A plumber whose phone went quiet")
        self.assertNotContains(page, "Whose")
        page = self.client.get(reverse("training:attempts"), {"agent": self.bob.pk})
        self.assertEqual(page.status_code, 404)

    def test_a_lead_sees_their_teams(self) -> None:
        self.login(self.lead)
        page = self.client.get(reverse("training:attempts"))
        self.assertContains(page, "The dollhouse that arrived broken")
        self.assertContains(page, "Card blocked at hotel check-out")
        self.assertNotContains(page, "A plumber whose phone went quiet")  # Olga: another team
        page = self.client.get(reverse("training:attempts"), {"agent": self.bob.pk})
        self.assertNotContains(page, "The dollhouse that arrived broken")
        self.assertContains(page, "Card blocked at hotel check-out")
        self.assertEqual(self.client.get(reverse("training:attempts"),
                                         {"agent": self.olga.pk}).status_code, 404)
        self.assertEqual(self.client.get(self.olgas.get_absolute_url()).status_code, 404)

    def test_the_list_costs_the_same_queries_however_many_attempts(self) -> None:
        self.login(self.lead)
        self.client.get(reverse("training:attempts"))
        for _ in range(5):
            actions.start_exercise(self.alice, Case.objects.get(slug="water-off-newborn"))
        with self.assertNumQueries(7):
            self.client.get(reverse("training:attempts"))
