"""A live role-play between two people: one plays the customer from the card, the other the
agent (coached); switching roles starts again; only the two of them see it."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from heard.desk.models import Notification
from heard.test import PASSWORD, BaseTestCase
from heard.training import actions
from heard.training.models import Case, LiveSession, LiveTurn

OPENING = "Outlook won't send my parts order and it has to be out by 3 pm. What do I do?"
REPLY = (
    "Hi Davor, I'm sorry, that deadline makes this stressful. Save the order as a PDF and send "
    "it from webmail now; I'll call you at 1 pm today to fix Outlook."
)


class LiveTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.case = Case.objects.get(slug="parts-order-mail-fails")
        self.bobs = Client()
        self.bobs.login(username="bob", password=PASSWORD)
        self.login(self.alice)

    def start(self) -> LiveSession:
        page = self.client.post(reverse("training:start_live", args=[self.case.slug]),
                                {"partner": self.bob.pk})
        session = LiveSession.objects.get()
        self.assertRedirects(page, session.get_absolute_url())
        return session

    def test_two_people_play_and_the_agent_side_is_coached(self) -> None:
        session = self.start()
        self.assertTrue(Notification.objects.filter(recipient=self.bob.user,
                                                    text__contains="live role-play").exists())
        page = self.client.get(session.get_absolute_url())
        self.assertContains(page, "the customer, Davor Kos")
        self.assertContains(page, "What would resolve it")  # the card, for the customer side
        bobs_page = self.bobs.get(session.get_absolute_url())
        self.assertContains(bobs_page, "the agent")
        self.assertNotContains(bobs_page, "What would resolve it")
        self.client.post(reverse("training:live_say", args=[session.pk]), {"text": OPENING})
        self.assertContains(self.bobs.get(session.get_absolute_url()), "parts order")
        self.bobs.post(reverse("training:live_say", args=[session.pk]), {"text": REPLY})
        turn = LiveTurn.objects.get(side="agent")
        self.assertEqual(turn.author, self.bob)
        assert turn.coaching is not None
        self.assertGreaterEqual(turn.coaching["score"], 80)
        self.assertIsNone(LiveTurn.objects.get(side="customer").coaching)
        poll = self.client.get(session.get_absolute_url(), {"round": 1},
                               headers={"HX-Request": "true"})
        self.assertContains(poll, f"Coach score {turn.coaching['score']}")
        self.assertNotContains(poll, "<html")

    def test_switching_roles_starts_again_and_tells_the_other_browser(self) -> None:
        session = self.start()
        actions.say_in_live(session, self.alice, OPENING)
        self.bobs.post(reverse("training:live_switch", args=[session.pk]))
        session.refresh_from_db()
        self.assertEqual((session.round, session.customer_side), (2, self.bob))
        poll = self.client.get(session.get_absolute_url(), {"round": 1},
                               headers={"HX-Request": "true"})
        self.assertEqual(poll.status_code, 204)
        self.assertEqual(poll["HX-Refresh"], "true")
        page = self.client.get(session.get_absolute_url())
        self.assertContains(page, "You play <strong>the agent</strong>", html=False)
        self.assertNotContains(page, "parts order and it has to be out")  # round 2: empty
        actions.say_in_live(session, self.alice, REPLY)
        self.assertEqual(LiveTurn.objects.get(round=2).side, "agent")

    def test_it_validates_ownership(self) -> None:
        session = self.start()
        for outsider in (self.lead, self.olga):  # not a player: not even the lead sees it
            self.login(outsider)
            self.assertEqual(self.client.get(session.get_absolute_url()).status_code, 404)
            self.assertEqual(self.client.post(reverse("training:live_say", args=[session.pk]),
                                              {"text": "Hi"}).status_code, 404)
        self.assertFalse(LiveTurn.objects.exists())

    def test_only_someone_from_the_same_team_can_be_invited(self) -> None:
        page = self.client.post(reverse("training:start_live", args=[self.case.slug]),
                                {"partner": self.olga.pk}, follow=True)
        self.assertContains(page, "Choose someone from your teams")
        self.assertFalse(LiveSession.objects.exists())
        with self.assertRaises(actions.TrainingError):
            actions.start_live(self.alice, self.case, self.alice)
