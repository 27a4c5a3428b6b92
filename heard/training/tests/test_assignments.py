"""Practice where it helps: a lead assigns it with a due date; Heard suggests it from repeated
findings in sent replies and unhappy satisfaction answers, naming the evidence."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from heard.care import surveys
from heard.care.models import Survey
from heard.desk import actions as desk
from heard.desk.models import Agent, Notification, Status, Ticket
from heard.test import BaseTestCase
from heard.training import actions, suggestions
from heard.training.models import Assignment, Case, Exercise, ReplyCoaching

POLICY_WALL = "As per our terms and conditions, refunds are not possible after 14 days."
WARM = (
    "Hi Aleksandar, I'm sorry about the double charge. I refunded it today; it shows within 3 "
    "days. Reply here if it doesn't."
)


class ReplyCoachingTestCase(BaseTestCase):
    def test_every_sent_reply_is_coached_once_after_the_commit(self) -> None:
        ticket = self.open_ticket()
        with self.captureOnCommitCallbacks(execute=True):
            message = desk.post_agent_reply(ticket, self.alice, POLICY_WALL, send_anyway=True)
        row = ReplyCoaching.objects.get(message=message)
        self.assertEqual((row.agent, row.ticket), (self.alice, ticket))
        self.assertIn("policy_wall", row.codes)
        self.assertLess(row.respect, 100)
        actions.record_reply_coaching(message.pk)  # a job run twice changes nothing
        self.assertEqual(ReplyCoaching.objects.count(), 1)
        note = desk.add_internal_note(ticket, self.alice, "Checked with finance.")
        self.assertIsNone(actions.record_reply_coaching(note.pk))


class AssignTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.case = Case.objects.get(slug="internet-speed-tenth")
        self.due = timezone.localdate() + timedelta(days=5)

    def test_a_lead_assigns_and_the_agent_sees_it_until_done(self) -> None:
        self.login(self.lead)
        page = self.client.post(reverse("training:assign"), {
            "agent": self.alice.pk, "case": self.case.pk, "kind": "exercise",
            "due_on": self.due.isoformat(), "reason": "Policy walls lately",
        })
        self.assertRedirects(page, reverse("training:team"))
        assignment = Assignment.objects.get()
        self.assertEqual((assignment.agent, assignment.due_on), (self.alice, self.due))
        self.assertTrue(Notification.objects.filter(recipient=self.alice.user,
                                                    text__contains=self.case.title).exists())
        self.login(self.alice)
        home = self.client.get(reverse("training:home"))
        self.assertContains(home, "Policy walls lately")
        self.client.post(reverse("training:start_exercise", args=[self.case.slug]),
                         {"assignment": assignment.pk})
        exercise = Exercise.objects.get(agent=self.alice)
        self.assertEqual(exercise.assignment, assignment)
        actions.name_feelings(exercise, self.alice, ["anger"], "third time")
        actions.submit_reply(exercise, self.alice, WARM)
        actions.submit_rewrite(exercise, self.alice, WARM)
        assignment.refresh_from_db()
        self.assertIsNotNone(assignment.done_at)
        self.assertNotContains(self.client.get(reverse("training:home")), "Policy walls lately")

    def test_an_overdue_assignment_says_so(self) -> None:
        actions.assign(self.lead, self.alice, self.case, "roleplay", self.due)
        Assignment.objects.update(due_on=timezone.localdate() - timedelta(days=1))
        self.login(self.alice)
        self.assertContains(self.client.get(reverse("training:home")), "overdue")

    def test_it_validates_ownership(self) -> None:
        data = {"agent": self.olga.pk, "case": self.case.pk, "kind": "exercise",
                "due_on": self.due.isoformat()}
        self.login(self.lead)  # Olga is in another team
        self.assertEqual(self.client.post(reverse("training:assign"), data).status_code, 400)
        self.login(self.alice)  # not a lead
        self.assertEqual(self.client.get(reverse("training:team")).status_code, 404)
        data["agent"] = self.bob.pk
        self.assertEqual(self.client.post(reverse("training:assign"), data).status_code, 404)
        self.assertFalse(Assignment.objects.exists())
        with self.assertRaises(actions.TrainingError):
            actions.assign(self.lead, self.olga, self.case, "exercise", self.due)

    def test_a_due_date_in_the_past_is_refused(self) -> None:
        self.login(self.lead)
        page = self.client.post(reverse("training:assign"), {
            "agent": self.alice.pk, "case": self.case.pk, "kind": "exercise",
            "due_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
        })
        self.assertContains(page, "Choose today or a later day.", status_code=400)


class SuggestionTestCase(BaseTestCase):
    def send(self, text: str, agent: Agent | None = None, days_ago: int = 0) -> Ticket:
        ticket = self.open_ticket()
        at = timezone.now() - timedelta(days=days_ago)
        with self.captureOnCommitCallbacks(execute=True):
            desk.post_agent_reply(ticket, agent or self.alice, text, send_anyway=True, at=at)
        return ticket

    def test_three_policy_walls_in_a_week_suggest_practice_naming_the_tickets(self) -> None:
        self.send(POLICY_WALL, days_ago=10)  # too long ago to count
        tickets = [self.send(POLICY_WALL, days_ago=d) for d in (1, 2)]
        self.assertEqual(suggestions.suggestions_for(self.lead, [self.alice, self.bob]), [])
        tickets.append(self.send(POLICY_WALL))
        found = suggestions.suggestions_for(self.lead, [self.alice, self.bob])
        self.assertEqual(len(found), 1)
        suggestion = found[0]
        self.assertEqual(suggestion.agent, self.alice)
        self.assertIn("policy_wall", suggestion.case.practises)
        self.assertIn("3 replies in the last 7 days answered with a policy wall", suggestion.reason)
        for ticket in tickets:
            self.assertIn(ticket.reference, suggestion.reason)
        self.login(self.lead)
        page = self.client.get(reverse("training:team"))
        self.assertContains(page, suggestion.reason)
        self.client.post(reverse("training:assign"), {
            "agent": self.alice.pk, "case": suggestion.case.pk, "kind": suggestion.kind,
            "due_on": (timezone.localdate() + timedelta(days=7)).isoformat(),
            "reason": suggestion.reason,
        })
        self.assertEqual(Assignment.objects.get().reason, suggestion.reason)
        self.assertEqual(suggestions.suggestions_for(self.lead, [self.alice, self.bob]), [])

    def test_an_unhappy_answer_suggests_practice_for_who_replied(self) -> None:
        ticket = self.send(WARM, agent=self.bob)
        desk.change_status(ticket, self.bob, Status.SOLVED)
        survey = Survey.objects.create(ticket=ticket)
        surveys.answer(survey, 1, "Nobody understood the problem.")
        found = suggestions.suggestions_for(self.lead, [self.alice, self.bob])
        self.assertEqual([s.agent for s in found], [self.bob])
        self.assertIn(f"{ticket.reference} was answered “very unhappy”", found[0].reason)
        self.assertIn("Nobody understood the problem.", found[0].reason)
        self.assertEqual(found[0].kind, "roleplay")
