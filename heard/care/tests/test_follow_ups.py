"""Follow-ups: one "is it better now?" some days after a solve, only with consent, and what the
customer's answer does."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from unittest import mock

import time_machine
from django.core import mail
from django.test import TestCase, override_settings
from django.urls import reverse

from heard.care import follow_ups, surveys
from heard.care import kinds as care_kinds
from heard.care.models import Answer, FollowUp, Survey
from heard.care.tasks import send_due_follow_ups
from heard.desk import actions, demo
from heard.desk.models import (
    ConsentKind,
    CustomerEmail,
    Direction,
    Notification,
    Status,
    Team,
    Ticket,
)
from heard.engine import coach
from heard.mail.models import OutboundEmail
from heard.schedule import periodic_jobs
from heard.test import BaseTestCase, present

AGREED_AT = datetime(2026, 11, 3, 10, 0, tzinfo=UTC)
SOLVED_AT = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)  # a Friday afternoon
DUE = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # the third calendar day after, from 09:00
HARMFUL = {"blame", "rtfm", "policy_wall", "dismissive", "robotic", "curt_closing", "shouting"}


@override_settings(
    HEARD_SUPPORT_ADDRESS="support@heard.localhost",
    HEARD_SUPPORT_NAME="Heard Support",
    HEARD_SURVEY_AFTER_HOURS=24,
    HEARD_FOLLOW_UP_DAYS_OPEN=30,
    SITE_URL="https://help.example",
)
class FollowUpTestCase(BaseTestCase):
    """Billing follows up after 3 days; Aleksandar agreed to follow-ups on 3 November."""

    def setUp(self) -> None:
        super().setUp()
        actions.record_consent(self.customer, ConsentKind.FOLLOW_UP, True, "portal", at=AGREED_AT)

    def solved_ticket(self, at: datetime = SOLVED_AT, by_alice: bool = True) -> Ticket:
        ticket = self.open_ticket(at=at - timedelta(hours=2))
        if by_alice:
            actions.assign(ticket, self.alice, self.alice, at=at - timedelta(hours=1))
            actions.post_agent_reply(
                ticket, self.alice, "Refunded, Aleksandar.", status=Status.SOLVED, at=at
            )
        else:
            actions.change_status(ticket, None, Status.SOLVED, at=at)
        return Ticket.objects.get(pk=ticket.pk)

    def send(self, now: datetime = DUE) -> int:
        with self.captureOnCommitCallbacks(execute=True):
            return follow_ups.send_due(now)

    def email(self) -> OutboundEmail:
        return OutboundEmail.objects.get(kind=care_kinds.FOLLOW_UP.code)


class SendTestCase(FollowUpTestCase):
    def test_a_solved_ticket_is_asked_once_on_the_third_day_from_nine(self) -> None:
        ticket = self.solved_ticket()
        self.assertEqual(self.send(DUE - timedelta(days=1)), 0, "too soon")
        self.assertEqual(self.send(DUE - timedelta(minutes=1)), 0, "not before 09:00")
        self.assertEqual(self.send(), 1)
        self.assertEqual(self.send(DUE + timedelta(hours=1)), 0, "asked once")
        email = self.email()
        self.assertEqual((email.ticket, email.to_address), (ticket, "aleks@example.com"))
        self.assertTrue(ticket.events.filter(what="follow-up", note="sent by email").exists())
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].extra_headers.get("Auto-Submitted"), "auto-generated")

    def test_the_check_in_names_what_was_solved_and_is_signed_by_the_agent_who_helped(self) -> None:
        ticket = self.solved_ticket()
        self.send()
        text = self.email().text
        self.assertTrue(text.startswith("Hi Aleksandar,"))
        self.assertIn(
            f"On 20 November we marked your request “Charged twice” ({ticket.reference}) as "
            "solved, and we wanted to check in with you: is it better now?",
            text,
        )
        self.assertIn("pressing Send tells Alice", text)
        self.assertIn("it goes straight back to Alice.", text)
        self.assertIn("\n\nAlice and the Billing team at Heard Support\n\n", text)
        self.assertNotIn("one click", text.lower())
        links = [line for line in text.splitlines() if "https://help.example/follow-up/" in line]
        self.assertEqual(
            [line.split(": ")[0] for line in links], ["Better now", "Not yet", "Still broken"]
        )
        self.assertEqual(
            [line.rsplit("?", 1)[1] for line in links],
            ["answer=better", "answer=not_yet", "answer=broken"],
        )

    def test_nobody_assigned_signs_as_the_team(self) -> None:
        self.solved_ticket(by_alice=False)
        self.send()
        text = self.email().text
        self.assertIn("pressing Send tells the Billing team", text)
        self.assertIn("\n\nThe Billing team at Heard Support\n\n", text)

    def test_it_says_why_with_the_day_they_agreed_and_stops_with_one_click(self) -> None:
        self.solved_ticket()
        self.send()
        text = self.email().text
        self.assertIn(
            "You get this one check-in because you agreed on 3 November 2026 that we may ask, "
            "after one of your requests is solved, whether it is really better. There will be "
            "no reminder.",
            text,
        )
        self.assertIn("You can stop these emails at any time here: https://help.example/", text)
        headers = mail.outbox[0].extra_headers
        self.assertTrue(headers["List-Unsubscribe"].startswith("<https://help.example/"))
        self.assertEqual(headers["List-Unsubscribe-Post"], "List-Unsubscribe=One-Click")

    def test_the_check_in_raises_no_harmful_finding_from_the_coach(self) -> None:
        self.solved_ticket()
        self.send()
        text = self.email().text
        coaching = coach(text, "I was charged twice for March.", "Aleksandar")
        found = {finding.code for finding in coaching.findings}
        self.assertFalse(found & HARMFUL, text)

    def test_days_are_the_customers_calendar_days_in_their_time_zone(self) -> None:
        self.customer.time_zone = "Pacific/Auckland"  # UTC+13 in November
        self.customer.save(update_fields=["time_zone"])
        self.solved_ticket()  # Saturday 21 November, 04:00 in Auckland
        due = datetime(2026, 11, 23, 20, 0, tzinfo=UTC)  # Tuesday 24 November, 09:00 there
        self.assertEqual(self.send(DUE), 0, "Monday 09:00 in London is Monday night there")
        self.assertEqual(self.send(due - timedelta(minutes=1)), 0)
        self.assertEqual(self.send(due), 1)

    def test_a_ticket_solved_late_in_the_evening_counts_that_day(self) -> None:
        self.solved_ticket(at=datetime(2026, 11, 20, 23, 30, tzinfo=UTC))
        self.assertEqual(self.send(), 1, "Friday night to Monday morning is three days to them")

    def test_never_in_the_customers_night(self) -> None:
        self.solved_ticket()
        self.assertEqual(self.send(DUE + timedelta(hours=12)), 0, "21:00 their time")
        self.assertEqual(self.send(DUE + timedelta(days=1)), 1, "the next morning")

    def test_each_team_waits_its_own_days(self) -> None:
        Team.objects.filter(pk=self.billing.pk).update(follow_up_days=1)
        self.solved_ticket()
        self.assertEqual(self.send(datetime(2026, 11, 21, 9, 0, tzinfo=UTC)), 1)

    def test_a_team_without_follow_ups_sends_none(self) -> None:
        Team.objects.filter(pk=self.billing.pk).update(follow_up_days=None)
        self.solved_ticket()
        self.assertEqual(self.send(), 0)
        self.assertFalse(FollowUp.objects.exists())

    def test_without_consent_nobody_is_asked(self) -> None:
        self.customer.consents.all().delete()
        self.customer.follow_up_consent = None
        self.customer.save(update_fields=["follow_up_consent"])
        self.solved_ticket()
        self.assertEqual(self.send(), 0)

    def test_consent_withdrawn_stops_the_follow_up(self) -> None:
        self.solved_ticket()
        withdrawn = DUE - timedelta(days=1)
        actions.record_consent(self.customer, ConsentKind.FOLLOW_UP, False, "email", at=withdrawn)
        self.assertEqual(self.send(), 0)
        self.assertFalse(FollowUp.objects.exists())

    def test_a_ticket_reopened_since_it_was_solved_is_not_asked(self) -> None:
        ticket = self.solved_ticket()
        actions.record_customer_message(ticket, "It charges me twice again!", at=SOLVED_AT)
        self.assertEqual(self.send(), 0)

    def test_a_ticket_reopened_by_an_agent_then_closed_is_not_asked(self) -> None:
        ticket = self.solved_ticket()
        actions.change_status(ticket, self.alice, Status.OPEN, at=SOLVED_AT + timedelta(hours=1))
        actions.change_status(ticket, self.alice, Status.CLOSED, at=SOLVED_AT + timedelta(hours=2))
        self.assertEqual(self.send(), 0)

    def test_a_ticket_closed_without_being_solved_is_not_asked(self) -> None:
        ticket = self.open_ticket(at=SOLVED_AT - timedelta(hours=2))
        actions.change_status(ticket, self.alice, Status.CLOSED, at=SOLVED_AT)
        self.assertEqual(self.send(), 0)
        self.assertFalse(follow_ups.eligible().exists())

    def test_a_ticket_closed_after_it_was_solved_is_still_asked(self) -> None:
        ticket = self.solved_ticket()
        actions.change_status(ticket, None, Status.CLOSED, at=SOLVED_AT + timedelta(days=1))
        self.assertEqual(self.send(), 1)

    def test_a_customer_who_already_said_it_works_is_not_asked(self) -> None:
        ticket = self.open_ticket(at=SOLVED_AT - timedelta(hours=3))
        actions.post_agent_reply(ticket, self.alice, "Refunded, Aleksandar.", at=SOLVED_AT)
        with self.captureOnCommitCallbacks(execute=True):  # the engine reads it
            actions.record_customer_message(
                ticket, "Thanks, that worked! All good now.", at=SOLVED_AT + timedelta(hours=1)
            )
        self.assertEqual(ticket.messages.latest("created_at").emotion, "happiness")
        actions.change_status(ticket, self.alice, Status.SOLVED, at=SOLVED_AT + timedelta(hours=2))
        self.assertEqual(self.send(), 0)

    def test_a_happy_first_message_nobody_answered_yet_is_no_confirmation(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            ticket = self.open_ticket("Thanks, that worked! All good now.", at=SOLVED_AT)
        actions.change_status(ticket, self.alice, Status.SOLVED, at=SOLVED_AT)
        self.assertEqual(self.send(), 1)

    def test_a_ticket_already_surveyed_is_not_asked_again(self) -> None:
        ticket = self.solved_ticket()
        Survey.objects.create(ticket=ticket, created_at=SOLVED_AT + timedelta(days=1))
        self.assertEqual(self.send(), 0)

    def test_old_history_is_never_emailed(self) -> None:
        self.solved_ticket(at=SOLVED_AT - timedelta(days=4))
        self.assertEqual(self.send(), 0, "due four days ago: more than OFFER_WITHIN late")
        self.solved_ticket(at=SOLVED_AT - timedelta(days=2))
        self.assertEqual(self.send(), 1, "two days late is still a check-in")

    def test_a_bouncing_address_gets_none_and_the_ticket_says_why(self) -> None:
        CustomerEmail.objects.filter(customer=self.customer).update(bouncing=True)
        ticket = self.solved_ticket()
        self.send()
        self.assertIsNone(FollowUp.objects.get(ticket=ticket).email)
        self.assertTrue(ticket.events.filter(what="email held back").exists())
        noted = ticket.events.get(what="follow-up").note
        self.assertEqual(noted, "not sent: see the history for why")
        self.assertEqual(len(mail.outbox), 0)

    def test_one_ticket_that_fails_never_holds_back_the_others(self) -> None:
        first, second = self.solved_ticket(), self.solved_ticket()
        real_offer = follow_ups.offer

        def offer(ticket_id: int, now: datetime | None = None) -> FollowUp | None:
            if ticket_id == first.pk:
                raise RuntimeError("the mail settings are broken")
            return real_offer(ticket_id, now)

        with (
            mock.patch.object(follow_ups, "offer", side_effect=offer),
            self.assertLogs("heard.care.offers", "ERROR"),
        ):
            self.assertEqual(self.send(), 1)
        self.assertTrue(FollowUp.objects.filter(ticket=second).exists())
        self.assertEqual(self.send(), 1, "the failed one goes at the next run")

    def test_it_runs_periodically_as_a_job(self) -> None:
        self.assertIn(("heard.care.tasks.send_due_follow_ups", 600), periodic_jobs())
        self.solved_ticket()
        with time_machine.travel(DUE, tick=False), self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(send_due_follow_ups(), 1)


class AnswerTestCase(FollowUpTestCase):
    """The follow-up went out on Monday morning; Aleksandar also agreed to surveys."""

    def setUp(self) -> None:
        super().setUp()
        actions.record_consent(self.customer, ConsentKind.SURVEYS, True, "portal", at=AGREED_AT)
        self.ticket = self.solved_ticket()
        self.send()
        self.follow_up = FollowUp.objects.get(ticket=self.ticket)
        self.now = DUE + timedelta(hours=2)

    def answer(self, choice: str, words: str = "", now: datetime | None = None) -> Ticket:
        with self.captureOnCommitCallbacks(execute=True):
            done = follow_ups.answer(self.follow_up, choice, words, now or self.now)
        return Ticket.objects.get(pk=done.ticket.pk)

    def test_still_broken_reopens_the_ticket_and_notifies_the_agent(self) -> None:
        ticket = self.answer(Answer.BROKEN, "It charged me twice again today.")
        self.assertEqual((ticket.pk, ticket.status), (self.ticket.pk, Status.OPEN))
        self.assertEqual(ticket.assignee, self.alice)
        told = Notification.objects.get(recipient=self.alice.user)
        self.assertEqual(
            told.text,
            f"{ticket.reference}: Aleksandar Petrović answered the follow-up “Still broken”: "
            "“It charged me twice again today.”",
        )
        message = ticket.messages.filter(direction=Direction.CUSTOMER).latest("created_at")
        said = "Answered the follow-up: “Still broken”.\n\nIt charged me twice again today."
        self.assertEqual(message.text, said)
        self.assertTrue(message.emotion, "read by the engine like any customer message")
        self.assertTrue(ticket.is_waiting_on_us())
        follow_up = FollowUp.objects.get(pk=self.follow_up.pk)
        self.assertEqual((follow_up.answer, follow_up.answered_at), (Answer.BROKEN, self.now))

    def test_a_worse_answer_gets_the_care_bump_and_the_lead_is_told(self) -> None:
        ticket = self.answer(Answer.NOT_YET)
        self.assertTrue(ticket.escalated)
        self.assertEqual(ticket.escalation_reason, "the customer answered the follow-up “Not yet”")
        self.assertEqual(ticket.care_at, self.now, "ahead of every calm ticket not yet due")
        self.assertTrue(Notification.objects.filter(recipient=self.lead.user).exists())

    def test_everything_is_in_the_ticket_history(self) -> None:
        ticket = self.answer(Answer.BROKEN, "Still two charges.")
        now = ticket.events.filter(created_at=self.now)
        events = {(event.what, event.before, event.after, event.note) for event in now}
        self.assertIn(("follow-up", "", "Still broken", "Still two charges."), events)
        self.assertIn(("status", Status.SOLVED, Status.OPEN, "the customer wrote"), events)
        self.assertIn(("escalated", "normal", "high", ticket.escalation_reason), events)

    def test_it_goes_to_the_team_when_the_agent_who_helped_left(self) -> None:
        self.alice.user.is_active = False
        self.alice.user.save(update_fields=["is_active"])
        Team.objects.filter(pk=self.billing.pk).update(auto_assign=True)
        ticket = self.answer(Answer.BROKEN)
        self.assertNotIn(ticket.assignee, (None, self.alice), "round-robin, as the team does")
        self.assertTrue(ticket.events.filter(after=str(ticket.assignee), note="round-robin"))

    def test_better_closes_the_ticket_and_only_then_may_the_survey_go(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(surveys.send_due(self.now), 0, "not while it is unanswered")
        ticket = self.answer(Answer.BETTER)
        self.assertEqual(ticket.status, Status.CLOSED)
        self.assertTrue(ticket.events.filter(what="status", after=Status.CLOSED).exists())
        self.assertFalse(Notification.objects.exists(), "a plain “better” bothers nobody")
        with self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(surveys.send_due(self.now + timedelta(minutes=10)), 1)
        self.assertTrue(OutboundEmail.objects.filter(kind=care_kinds.SURVEY.code).exists())

    def test_kind_words_with_better_reach_the_agent(self) -> None:
        self.answer(Answer.BETTER, "Thank you, Alice!")
        told = Notification.objects.get(recipient=self.alice.user)
        self.assertIn("“Better now”: “Thank you, Alice!”", told.text)

    def test_no_survey_after_not_yet_or_still_broken(self) -> None:
        ticket = self.answer(Answer.NOT_YET)
        actions.post_agent_reply(
            ticket, self.alice, "Sorted now, Aleksandar.", status=Status.SOLVED, at=self.now
        )
        later = self.now + timedelta(days=2)
        self.assertNotIn(ticket, surveys.due(later))
        self.assertIsNone(surveys.offer(ticket.pk, later))

    def test_a_later_better_never_closes_a_ticket_open_again(self) -> None:
        self.answer(Answer.BROKEN)
        ticket = self.answer(Answer.BETTER, now=self.now + timedelta(hours=1))
        self.assertEqual(ticket.status, Status.OPEN, "the agent decides")
        told = Notification.objects.filter(recipient=self.alice.user).latest("pk")
        self.assertIn("stays open for you to close", told.text)
        event = ticket.events.filter(what="follow-up").latest("pk")
        self.assertEqual((event.before, event.after), ("Still broken", "Better now"))

    def test_a_worse_answer_after_better_goes_on_in_a_follow_up_ticket(self) -> None:
        self.answer(Answer.BETTER)
        ticket = self.answer(Answer.BROKEN, "Spoke too soon.", now=self.now + timedelta(hours=1))
        self.assertEqual(ticket.follow_up_of_id, self.ticket.pk)
        self.assertEqual(Ticket.objects.get(pk=self.ticket.pk).status, Status.CLOSED)
        self.assertEqual((ticket.assignee, ticket.escalated), (self.alice, True))
        self.assertIn("Spoke too soon.", ticket.messages.get().text)

    def test_the_same_answer_sent_twice_changes_nothing(self) -> None:
        self.answer(Answer.BROKEN, "Still two charges.")
        self.answer(Answer.BROKEN, "Still two charges.", now=self.now + timedelta(minutes=1))
        customer_messages = self.ticket.messages.filter(direction=Direction.CUSTOMER)
        self.assertEqual(customer_messages.count(), 2, "the first message and one answer")
        answers = self.ticket.events.filter(what="follow-up", after="Still broken")
        self.assertEqual(answers.count(), 1)

    def test_a_closed_follow_up_or_a_made_up_answer_is_refused(self) -> None:
        with self.assertRaisesMessage(follow_ups.FollowUpError, "one of the three answers"):
            follow_ups.answer(self.follow_up, "meh", now=self.now)
        late = self.follow_up.created_at + timedelta(days=31)
        with self.assertRaisesMessage(follow_ups.FollowUpError, "This check-in closed on"):
            follow_ups.answer(self.follow_up, Answer.BROKEN, now=late)
        self.assertEqual(FollowUp.objects.get(pk=self.follow_up.pk).answer, "")


class SurveyAfterFollowUpTestCase(FollowUpTestCase):
    """The survey waits for the follow-up where one comes, and works as before elsewhere."""

    def setUp(self) -> None:
        super().setUp()
        actions.record_consent(self.customer, ConsentKind.SURVEYS, True, "portal", at=AGREED_AT)

    def test_no_survey_before_the_follow_up(self) -> None:
        ticket = self.solved_ticket()
        self.assertNotIn(ticket, surveys.due(SOLVED_AT + timedelta(days=1, hours=1)))
        self.assertNotIn(ticket, surveys.due(DUE + timedelta(days=3)))

    def test_without_follow_ups_the_survey_comes_a_day_later_as_before(self) -> None:
        Team.objects.filter(pk=self.billing.pk).update(follow_up_days=None)
        ticket = self.solved_ticket()
        self.assertIn(ticket, surveys.due(SOLVED_AT + timedelta(days=1, hours=1)))

    def test_without_consent_to_follow_ups_the_survey_comes_as_before(self) -> None:
        actions.record_consent(self.customer, ConsentKind.FOLLOW_UP, False, "portal")
        ticket = self.solved_ticket()
        self.assertIn(ticket, surveys.due(SOLVED_AT + timedelta(days=1, hours=1)))

    def test_a_customer_who_said_it_works_gets_the_survey_as_before(self) -> None:
        ticket = self.open_ticket(at=SOLVED_AT - timedelta(hours=3))
        actions.post_agent_reply(ticket, self.alice, "Refunded, Aleksandar.", at=SOLVED_AT)
        with self.captureOnCommitCallbacks(execute=True):
            actions.record_customer_message(ticket, "Thanks, that worked! All good now.")
        actions.change_status(ticket, self.alice, Status.SOLVED, at=SOLVED_AT)
        self.assertIn(ticket, surveys.due(SOLVED_AT + timedelta(days=1, hours=1)))


@override_settings(SITE_URL="https://help.example")
class TicketPageTestCase(FollowUpTestCase):
    """The agent sees the follow-up on the ticket page."""

    def line(self, ticket: Ticket) -> str:
        self.login(self.alice)
        page = self.client.get(reverse("console:ticket", args=[ticket.pk])).content.decode()
        start = page.find("Follow-up: ")
        return "" if start < 0 else page[start : page.index("</p>", start)]

    def test_it_shows_when_it_is_due(self) -> None:
        ticket = self.solved_ticket(at=datetime.now(UTC))
        due = follow_ups.due_at(ticket)
        assert due is not None
        shown = f'due <time datetime="{due:%Y-%m-%d}">{due.day} {due:%b}</time>'
        self.assertEqual(self.line(ticket), f"Follow-up: {shown}")

    def test_it_shows_asked_then_answered_with_the_words(self) -> None:
        ticket = self.solved_ticket()
        self.send()
        self.assertIn("asked <time", self.line(ticket))
        self.assertIn("23 Nov</time>, not answered", self.line(ticket))
        follow_ups.answer(FollowUp.objects.get(), Answer.BROKEN, "Two charges again", DUE)
        self.assertEqual(
            self.line(ticket),
            'Follow-up: answered “Still broken” on <time datetime="2026-11-23T09:00:00+00:00">'
            "23 Nov</time>: Two charges again",
        )

    def test_it_says_why_there_is_none(self) -> None:
        ticket = self.open_ticket()
        self.assertEqual(self.line(ticket), "Follow-up: 3 days after it is solved")
        actions.record_consent(self.customer, ConsentKind.FOLLOW_UP, False, "portal")
        self.assertEqual(self.line(ticket), "Follow-up: not asked: no consent to follow-ups")
        Team.objects.filter(pk=self.billing.pk).update(follow_up_days=None)
        self.assertEqual(self.line(ticket), "Follow-up: none: the Billing team sends no follow-ups")

    def test_it_says_none_comes_for_a_ticket_closed_without_being_solved(self) -> None:
        ticket = self.open_ticket()
        actions.change_status(ticket, self.alice, Status.CLOSED)
        self.assertEqual(self.line(ticket), "Follow-up: none: it was closed without being solved")

    def test_it_says_when_the_customer_already_said_it_works(self) -> None:
        ticket = self.open_ticket(at=SOLVED_AT - timedelta(hours=3))
        actions.post_agent_reply(ticket, self.alice, "Refunded, Aleksandar.", at=SOLVED_AT)
        with self.captureOnCommitCallbacks(execute=True):
            actions.record_customer_message(ticket, "Thanks, that worked! All good now.")
        actions.change_status(ticket, self.alice, Status.SOLVED)
        said = "Follow-up: not asked: the customer already said it works"
        self.assertEqual(self.line(ticket), said)



class DemoTestCase(TestCase):
    """The demo desk has follow-ups answered, one reopening its ticket, and more to come."""

    NOW = datetime(2025, 6, 18, 14, 30, tzinfo=UTC)  # as the desk's demo tests

    @classmethod
    def setUpTestData(cls) -> None:
        demo.load_demo(now=cls.NOW)

    def test_follow_ups_were_answered_and_more_are_due(self) -> None:
        answers = Counter(FollowUp.objects.values_list("answer", flat=True))
        self.assertGreater(answers[Answer.BETTER], 10)
        self.assertGreater(answers[""], 0, "some nobody answered")
        self.assertEqual(follow_ups.due(self.NOW), [], "the scheduler finds nothing to send now")
        later = [follow_ups.due_at(ticket) for ticket in follow_ups.eligible()]
        self.assertTrue(later and all(at and at > self.NOW for at in later), "due later")
        for follow_up in FollowUp.objects.filter(answer=Answer.BETTER):
            self.assertEqual(follow_up.ticket.status, Status.CLOSED)

    def test_one_still_broken_reopened_its_ticket_to_its_agent(self) -> None:
        broken = FollowUp.objects.get(answer=Answer.BROKEN)
        ticket = broken.ticket
        self.assertEqual(ticket.status, Status.OPEN)
        self.assertTrue(ticket.escalated)
        agent = present(ticket.assignee)
        self.assertTrue(Notification.objects.filter(recipient=agent.user).exists())

    def test_surveys_came_only_after_a_follow_up_answered_better(self) -> None:
        surveyed = Survey.objects.filter(ticket__follow_up__isnull=False)
        self.assertTrue(surveyed.exists())
        self.assertFalse(surveyed.exclude(ticket__follow_up__answer=Answer.BETTER).exists())
        for survey in surveyed.select_related("ticket__follow_up"):
            self.assertGreaterEqual(survey.created_at, present(survey.ticket.follow_up.answered_at))
