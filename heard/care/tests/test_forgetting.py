"""A forgotten customer's words in surveys and follow-ups go, and no greeting of theirs is sent."""

from __future__ import annotations

from heard.care.models import Answer, FollowUp, Greeting, GreetingState, Survey
from heard.care.moments import plan
from heard.care.tests.moment_helpers import NOW, MomentTestCase
from heard.desk import actions
from heard.desk.models import Ticket


class ForgettingTestCase(MomentTestCase):
    def test_their_words_go_and_their_greetings_to_come_are_skipped(self) -> None:
        plan.plan_moment(self.moment, NOW)
        greeting = Greeting.objects.get(customer=self.customer)
        self.assertEqual(greeting.state, GreetingState.AWAITING)
        ticket = Ticket.objects.get(customer=self.customer)
        Survey.objects.create(ticket=ticket, rating=2, comment="Aleksandar here, still angry.")
        FollowUp.objects.create(ticket=ticket, answer=Answer.BROKEN, words="Call me on 555 0199.")
        asked = actions.request_forgetting(self.customer)
        actions.forget_customer(asked, self.lead)
        removed = "[removed at the customer's request]"
        self.assertEqual(Survey.objects.get().comment, removed)
        self.assertEqual(FollowUp.objects.get().words, removed)
        greeting.refresh_from_db()
        self.assertEqual(
            (greeting.state, greeting.why),
            (GreetingState.SKIPPED, "the customer asked to be forgotten"),
        )
