"""The demo has cases, assignments and some completed attempts for its agents."""

from __future__ import annotations

from datetime import UTC, datetime

from django.test import TestCase
from django.urls import reverse

from heard.desk import demo
from heard.desk.demo.people import AGENTS
from heard.desk.models import Agent, Role
from heard.training.models import Assignment, Case, Exercise, RolePlay

NOW = datetime(2025, 6, 18, 14, 30, tzinfo=UTC)


class DemoTrainingTestCase(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        demo.load_demo(now=NOW)

    def test_every_agent_has_assignments_from_their_lead(self) -> None:
        self.assertGreaterEqual(Case.objects.count(), 30)
        agents = Agent.objects.filter(role=Role.AGENT, user__username__in=[
            spec.username for spec in AGENTS])
        for agent in agents:
            given = Assignment.objects.filter(agent=agent)
            self.assertEqual(given.count(), 2, agent)
            for assignment in given:
                assert assignment.assigned_by is not None
                lead = Agent.objects.get(user=assignment.assigned_by)
                self.assertEqual(lead.role, Role.LEAD)
                self.assertTrue(set(lead.teams.all()) & set(agent.teams.all()))
                self.assertGreater(assignment.due_on, NOW.date())

    def test_some_attempts_are_completed_in_the_past(self) -> None:
        finished = Exercise.objects.filter(finished_at__isnull=False)
        self.assertGreaterEqual(finished.values("agent").distinct().count(), 5)
        self.assertTrue(all(e.finished_at and e.finished_at < NOW for e in finished))
        for exercise in finished:
            assert exercise.first_coaching and exercise.rewrite_coaching
            self.assertGreaterEqual(exercise.rewrite_coaching["score"],
                                    exercise.first_coaching["score"])
        outcomes = set(RolePlay.objects.values_list("outcome", flat=True))
        self.assertIn("resolved", outcomes)
        self.assertIn("lost", outcomes)

    def test_a_demo_lead_sees_the_team_practice(self) -> None:
        self.client.force_login(Agent.objects.get(user__username="nina").user)
        page = self.client.get(reverse("training:team"))
        self.assertContains(page, "Maya Horvat")
        page = self.client.get(reverse("training:attempts"))
        self.assertContains(page, "Maya Horvat")
