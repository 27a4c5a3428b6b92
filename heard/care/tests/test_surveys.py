"""Satisfaction surveys: asked once, a while after a ticket is solved, only with consent."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from unittest import mock

from django.core import mail
from django.test import override_settings

from heard.care import kinds as care_kinds
from heard.care import surveys
from heard.care.models import Rating, Survey
from heard.desk import actions
from heard.desk.models import ConsentKind, CustomerEmail, Notification, Status, Ticket
from heard.engine import coach
from heard.mail import filing
from heard.mail.models import OutboundEmail
from heard.schedule import periodic_jobs
from heard.test import BaseTestCase, present

SOLVED_AT = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
DAY_AFTER = SOLVED_AT + timedelta(hours=25)
AGREED_AT = datetime(2026, 11, 3, 10, 0, tzinfo=UTC)


@override_settings(
    HEARD_SURVEY_AFTER_HOURS=24,
    HEARD_SUPPORT_ADDRESS="support@heard.localhost",
    SITE_URL="https://help.example",
)
class OfferTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        actions.record_consent(self.customer, ConsentKind.SURVEYS, True, "portal", at=AGREED_AT)

    def solved_ticket(self, at: datetime = SOLVED_AT) -> Ticket:
        ticket = self.open_ticket(at=at - timedelta(hours=2))
        actions.assign(ticket, self.alice, self.alice, at=at - timedelta(hours=1))
        actions.post_agent_reply(
            ticket, self.alice, "Refunded, Aleksandar.", status=Status.SOLVED, at=at
        )
        return Ticket.objects.get(pk=ticket.pk)

    def send(self, now: datetime = DAY_AFTER) -> int:
        with self.captureOnCommitCallbacks(execute=True):
            return surveys.send_due(now)

    def test_a_solved_ticket_is_asked_once_a_day_later(self) -> None:
        ticket = self.solved_ticket()
        self.assertEqual(self.send(SOLVED_AT + timedelta(hours=23)), 0, "too soon")
        self.assertEqual(self.send(), 1)
        self.assertEqual(self.send(DAY_AFTER + timedelta(hours=1)), 0, "asked once")
        email = OutboundEmail.objects.get(ticket=ticket, kind=care_kinds.SURVEY.code)
        self.assertEqual(email.to_address, "aleks@example.com")
        self.assertIn("Hi Aleksandar,", email.text)
        self.assertIn(f"“Charged twice” ({ticket.reference}) as solved", email.text)
        self.assertIn("tells Alice and the Billing team", email.text)
        self.assertNotIn("one click", email.text.lower())  # the answer needs Send on the page
        self.assertIn("pressing Send", email.text)
        links = [line for line in email.text.splitlines() if "https://help.example/survey/" in line]
        self.assertEqual(
            [line.split(":")[0] for line in links],
            ["Very happy", "Happy", "Okay", "Unhappy", "Very unhappy"],
        )
        self.assertTrue(links[0].endswith("?rating=5"))
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].extra_headers.get("Auto-Submitted"), "auto-generated")
        self.assertTrue(ticket.events.filter(what="survey", note="offered by email").exists())

    def test_the_survey_raises_no_harmful_finding_from_the_coach(self) -> None:
        self.solved_ticket()
        self.send()
        text = OutboundEmail.objects.get(kind=care_kinds.SURVEY.code).text
        codes = {
            f.code for f in coach(text, "I was charged twice for March.", "Aleksandar").findings
        }
        self.assertFalse(codes & {"blame", "rtfm", "policy_wall", "dismissive", "robotic",
                                  "curt_closing", "shouting", "no_name"}, text)  # fmt: skip

    def test_one_ticket_that_fails_never_holds_back_the_others(self) -> None:
        first, second = self.solved_ticket(), self.solved_ticket()
        real_offer = surveys.offer

        def offer(ticket_id: int, now: datetime | None = None) -> Survey | None:
            if ticket_id == first.pk:
                raise RuntimeError("the mail settings are broken")
            return real_offer(ticket_id, now)

        with (
            mock.patch.object(surveys, "offer", side_effect=offer),
            mock.patch.object(surveys, "SEND_BATCH", 1),
            self.assertLogs("heard.care.offers", "ERROR"),
        ):
            self.assertEqual(self.send(), 1)
        self.assertTrue(Survey.objects.filter(ticket=second).exists())
        self.assertEqual(self.send(), 1, "the failed one is offered at the next run")

    def test_it_runs_periodically(self) -> None:
        self.assertIn(("heard.care.tasks.send_due_surveys", 600), periodic_jobs())

    def test_without_consent_nobody_is_asked(self) -> None:
        self.customer.consents.all().delete()  # never asked
        self.solved_ticket()
        self.assertEqual(self.send(), 0)
        self.assertFalse(Survey.objects.exists())

    def test_consent_given_then_withdrawn_stops_surveys(self) -> None:
        actions.record_consent(
            self.customer, ConsentKind.SURVEYS, False, "email", at=SOLVED_AT - timedelta(days=1)
        )
        self.solved_ticket()
        self.assertEqual(self.send(), 0)
        self.assertFalse(Survey.objects.exists())

    def test_a_new_customer_from_email_has_no_consent_and_gets_no_survey(self) -> None:
        data = (
            b"From: Maja Novak <maja@example.org>\r\nTo: support@heard.localhost\r\n"
            b"Subject: Locked out\r\nMessage-ID: <new-1@example.org>\r\n\r\n"
            b"I cannot log in since this morning.\r\n"
        )
        with self.captureOnCommitCallbacks(execute=True):
            raw = filing.receive(data, source="smtp")
        raw.refresh_from_db()
        ticket = present(raw.ticket)
        self.assertEqual(ticket.customer.primary_email(), "maja@example.org")
        self.assertFalse(ticket.customer.consents.exists())
        actions.post_agent_reply(ticket, self.alice, "Unlocked, Maja.", status=Status.SOLVED)
        Ticket.objects.filter(pk=ticket.pk).update(solved_at=SOLVED_AT)
        self.assertEqual(self.send(), 0)
        self.assertFalse(OutboundEmail.objects.filter(kind=care_kinds.SURVEY.code).exists())

    def test_the_reason_names_the_day_the_customer_agreed(self) -> None:
        self.solved_ticket()
        self.send()
        text = OutboundEmail.objects.get(kind=care_kinds.SURVEY.code).text
        self.assertIn(
            "You get this one question because you agreed on 3 November 2026 to be asked "
            "about our help.",
            text,
        )
        self.assertNotIn("short surveys", text)

    def test_a_ticket_reopened_before_the_survey_is_not_asked(self) -> None:
        ticket = self.solved_ticket()
        actions.record_customer_message(
            ticket, "It still charges me twice!", at=SOLVED_AT + timedelta(hours=3)
        )
        self.assertEqual(self.send(), 0)

    def test_tickets_solved_long_ago_are_not_asked(self) -> None:
        self.solved_ticket(at=SOLVED_AT - surveys.OFFER_WITHIN - timedelta(days=1))
        self.assertEqual(self.send(), 0)

    def test_a_closed_ticket_is_still_asked(self) -> None:
        ticket = self.solved_ticket()
        actions.change_status(ticket, None, Status.CLOSED, at=SOLVED_AT + timedelta(hours=2))
        self.assertEqual(self.send(), 1)

    def test_a_bouncing_address_gets_no_survey_and_the_ticket_says_why(self) -> None:
        CustomerEmail.objects.filter(customer=self.customer).update(bouncing=True)
        ticket = self.solved_ticket()
        self.send()
        self.assertIsNone(Survey.objects.get(ticket=ticket).email)
        self.assertTrue(ticket.events.filter(what="email held back").exists())
        self.assertEqual(len(mail.outbox), 0)


@override_settings(HEARD_SURVEY_DAYS_OPEN=30)
class AnswerTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.ticket = self.open_ticket()
        actions.assign(self.ticket, self.alice, self.alice)
        self.survey = Survey.objects.create(ticket=self.ticket)

    def test_an_answer_is_kept_and_written_in_the_history(self) -> None:
        surveys.answer(self.survey, Rating.HAPPY, "  Quick and kind.  ")
        self.survey.refresh_from_db()
        self.assertEqual((self.survey.rating, self.survey.comment), (4, "Quick and kind."))
        event = self.ticket.events.get(what="satisfaction")
        self.assertEqual((event.after, event.note), ("Happy", "Quick and kind."))
        self.assertFalse(Notification.objects.exists(), "a happy answer bothers nobody")

    def test_an_unhappy_answer_is_told_to_the_agent_and_the_lead(self) -> None:
        surveys.answer(self.survey, Rating.VERY_UNHAPPY, "Nobody listened.")
        told = Notification.objects.filter(ticket=self.ticket)
        self.assertEqual({n.recipient for n in told}, {self.alice.user, self.lead.user})
        self.assertIn("“Very unhappy”: “Nobody listened.”", told[0].text)

    def test_a_customer_may_change_their_answer_while_it_is_open(self) -> None:
        surveys.answer(self.survey, Rating.OKAY)
        surveys.answer(self.survey, Rating.VERY_HAPPY)
        event = self.ticket.events.filter(what="satisfaction").latest("pk")
        self.assertEqual((event.before, event.after), ("Okay", "Very happy"))

    def test_a_closed_survey_or_a_made_up_rating_is_refused(self) -> None:
        with self.assertRaisesMessage(surveys.SurveyError, "one of the five answers"):
            surveys.answer(self.survey, 9)
        late = self.survey.created_at + timedelta(days=31)
        with self.assertRaisesMessage(surveys.SurveyError, "This survey closed on"):
            surveys.answer(self.survey, Rating.HAPPY, now=late)
        self.survey.refresh_from_db()
        self.assertIsNone(self.survey.rating)

    def test_satisfaction_averages_the_answered_surveys(self) -> None:
        other = self.open_ticket("Again charged twice")
        surveys.answer(self.survey, Rating.VERY_HAPPY)
        surveys.answer(Survey.objects.create(ticket=other), Rating.HAPPY)
        unasked = self.open_ticket("A third one")
        tickets = Ticket.objects.select_related("survey").filter(
            pk__in=[self.ticket.pk, other.pk, unasked.pk]
        )
        self.assertEqual(str(surveys.satisfaction(tickets)), "4.5 of 5 from 2 survey answers")
        self.assertIsNone(surveys.satisfaction([unasked]))
