"""A small desk with one Monday worth counting by hand (2 March 2026, UTC; Billing works
Monday to Friday 09:00-17:00 with the default targets: first reply 8 business hours, next 16;
urgent next 2). Each reply's coaching is set here, as the studio's job would have stored it.

- T1 (Aleksandar, angry): promised 09:30; Alice replies 10:00 (1 h, late 30 min), the
  customer writes happily at 11:00, Alice replies and solves at 11:30 (next reply 30 min).
  Survey 5 at 12:00, follow-up "better" at 13:00.
- T2 (Mira, frustrated): promised 17:00; Bob replies and solves at 16:00 (7 h, 1 h early).
  Survey 2 at 17:30.
- T3 (Jonas, neutral, opened Friday 16:00, due Monday 16:00): the watchdog finds it at risk
  and breached at 16:15 (normal -> high -> urgent); Alice replies at 16:20 (8 h 20 min of
  business time: late); the customer writes angrily at 16:30; Alice sends a blaming reply
  anyway at 16:45 (15 min). Still open.
- T4 (Ana, unread): opened 10:00, promised 11:00, nobody holds it, no reply.
- On the Tech team, Olga answers T5 at 10:00 (an hour): for who-sees-what.
"""

from __future__ import annotations

from datetime import UTC, datetime

from heard.care import follow_ups, surveys
from heard.care.models import FollowUp, Survey
from heard.desk import actions
from heard.desk.models import Agent, Customer, Direction, Message, Status, Team, Ticket
from heard.test import BaseTestCase, make_customer
from heard.training.models import ReplyCoaching

MONDAY = datetime(2026, 3, 2, tzinfo=UTC).date()
BLAMING = "Calm down. This is user error: you must have misconfigured it. Read the manual."


def at(hour: int, minute: int = 0, day: int = 2) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


class MondayTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.t1 = self.opened(self.customer, "I was charged twice and I am furious.", at(9),
                              "anger")
        actions.record_promise(self.t1, at(9, 30), at=at(9, 1))
        self.reply(self.t1, self.alice, at(10), (80, 90, 80, 70), [])
        self.write(self.t1, "Thank you, that is such a relief!", at(11), "happiness")
        self.reply(self.t1, self.alice, at(11, 30), (70, 60, 90, 60), ["no_next_step"],
                   status=Status.SOLVED)

        mira = make_customer("Mira Kos", "mira@example.com")
        self.t2 = self.opened(mira, "Still no invoice. This is getting tiresome.", at(9),
                              "frustration")
        actions.record_promise(self.t2, at(17), at=at(9, 1))
        self.reply(self.t2, self.bob, at(16), (50, 30, 60, 60), ["robotic"],
                   status=Status.SOLVED)

        jonas = make_customer("Jonas Berg", "jonas@example.com")
        friday = datetime(2026, 2, 27, 16, tzinfo=UTC)
        self.t3 = self.opened(jonas, "Could you change my billing address?", friday, None)
        actions.run_watchdog(now=at(16, 15))
        self.reply(self.t3, self.alice, at(16, 20), (60, 50, 70, 60), [])
        self.write(self.t3, "You changed the wrong address. Useless!", at(16, 30), "anger")
        self.reply(self.t3, self.alice, at(16, 45), (30, 12, 20, 50), ["blame", "rtfm"],
                   text=BLAMING, send_anyway=True)

        ana = make_customer("Ana Lind", "ana@example.com")
        self.t4 = self.opened(ana, "Where is my refund?", at(10), None)
        actions.record_promise(self.t4, at(11), at=at(10, 1))

        self.t5 = self.opened(make_customer("Tom Hale", "tom@example.com"), "VPN is down.",
                              at(9), None, team=self.tech)
        self.reply(self.t5, self.olga, at(10), (85, 85, 85, 85), [])

        self.survey(self.t1, 5, at(12))
        self.survey(self.t2, 2, at(17, 30))
        follow_up = FollowUp.objects.create(ticket=self.t1, created_at=at(12, 30))
        follow_ups.answer(follow_up, "better", now=at(13))

    # --- building blocks, through the real actions ---------------------------------------

    def opened(self, customer: Customer, text: str, when: datetime, emotion: str | None,
               team: Team | None = None) -> Ticket:
        ticket = actions.open_ticket(customer=customer, team=team or self.billing,
                                     subject=text[:30], text=text, at=when)
        if emotion:
            first = ticket.messages.get(direction=Direction.CUSTOMER)
            actions.correct_emotion(first, self.lead, emotion)
        return ticket

    def write(self, ticket: Ticket, text: str, when: datetime, emotion: str) -> Message:
        message = actions.record_customer_message(ticket, text, at=when)
        actions.correct_emotion(message, self.lead, emotion)
        return message

    def reply(self, ticket: Ticket, agent: Agent, when: datetime,
              dims: tuple[int, int, int, int], codes: list[str], *, status: str | None = None,
              text: str = "Hi, I have sorted it out for you today.", send_anyway: bool = False,
              ) -> Message:
        message = actions.post_agent_reply(ticket, agent, text, status=status, at=when,
                                           send_anyway=send_anyway)
        score, empathy, respect, clarity = dims
        ReplyCoaching.objects.create(
            message=message, ticket=ticket, agent=agent, sent_at=when, score=score,
            empathy=empathy, respect=respect, clarity=clarity, codes=codes,
        )
        return message

    def survey(self, ticket: Ticket, rating: int, when: datetime) -> Survey:
        survey = Survey.objects.create(ticket=ticket, created_at=when)
        return surveys.answer(survey, rating, now=when)
