"""Who sees which figures: an agent only their own, a lead only their teams', an administrator
every team's; pages and their CSV files alike. And each page's queries stay few and fixed."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from heard.desk.models import Role
from heard.insights import rollup
from heard.insights.tests.monday import MONDAY, MondayTestCase, at
from heard.test import make_agent

PAGES = ("speed", "empathy", "deescalation", "satisfaction")
DAY = {"start": MONDAY.isoformat(), "end": MONDAY.isoformat()}


class AccessTestCase(MondayTestCase):
    def setUp(self) -> None:
        super().setUp()
        rollup.roll_up_day(MONDAY)

    def agents_listed(self, **params: str) -> set[str]:
        response = self.client.get(reverse("insights:speed"),
                                   {**DAY, "csv": "speed-agents", **params})
        self.assertEqual(response.status_code, 200)
        return {row[0] for row in list(csv.reader(io.StringIO(response.content.decode())))[1:]}

    def test_it_validates_ownership(self) -> None:
        """An agent cannot open another agent's figures, nor a team that is not theirs."""
        self.login(self.alice)
        for page in PAGES:
            url = reverse(f"insights:{page}")
            self.assertEqual(self.client.get(url, {"agent": self.bob.pk}).status_code, 404)
            self.assertEqual(self.client.get(url, {"team": self.tech.pk}).status_code, 404)
            self.assertEqual(self.client.get(url, {"agent": "x"}).status_code, 404)
        wanted = {**DAY, "csv": "speed-agents", "agent": str(self.bob.pk)}
        response = self.client.get(reverse("insights:speed"), wanted)
        self.assertEqual(response.status_code, 404)

    def test_an_agent_sees_only_their_own_figures(self) -> None:
        self.login(self.alice)
        self.assertEqual(self.agents_listed(), {"Alice Example"})
        page = self.client.get(reverse("insights:empathy"), DAY)
        self.assertContains(page, "your own figures")
        self.assertNotContains(page, "Bob Example")
        self.assertNotContains(page, 'name="agent"')  # no agent filter to choose others with

    def test_a_lead_sees_their_teams_and_nobody_elses(self) -> None:
        self.login(self.lead)
        self.assertEqual(self.agents_listed(),
                         {"Alice Example", "Bob Example", "Nobody (unassigned)"})
        self.assertEqual(self.agents_listed(agent=str(self.bob.pk)), {"Bob Example"})
        for page in PAGES:
            url = reverse(f"insights:{page}")
            self.assertEqual(self.client.get(url, {"agent": self.olga.pk}).status_code, 404)
            self.assertEqual(self.client.get(url, {"team": self.tech.pk}).status_code, 404)
            self.assertNotContains(self.client.get(url, DAY), "Olga")

    def test_an_administrator_sees_every_team(self) -> None:
        admin = make_agent("ines", [], Role.ADMIN)
        self.login(admin)
        self.assertIn("Olga Example", self.agents_listed())
        self.assertEqual(self.agents_listed(team=str(self.tech.pk)), {"Olga Example"})
        page = self.client.get(reverse("insights:speed"), DAY)
        self.assertContains(page, "Reply times per team")  # several teams: a per-team table

    def test_a_signed_out_visitor_and_a_non_agent_are_turned_away(self) -> None:
        response = self.client.get(reverse("insights:speed"))
        self.assertRedirects(response, f"{reverse('login')}?next={reverse('insights:speed')}")
        User.objects.create_user("visitor", "visitor@example.org", "correct horse battery")
        self.client.login(username="visitor", password="correct horse battery")
        self.assertEqual(self.client.get(reverse("insights:speed")).status_code, 404)

    def test_an_unknown_table_is_not_found(self) -> None:
        self.login(self.lead)
        response = self.client.get(reverse("insights:speed"), {"csv": "no-such-table"})
        self.assertEqual(response.status_code, 404)

    def test_the_insights_link_is_in_the_console_nav(self) -> None:
        self.login(self.alice)
        self.assertContains(self.client.get(reverse("console:queue")),
                            f'<a href="{reverse("insights:home")}">Insights</a>', html=True)


class QueryBudgetTestCase(MondayTestCase):
    """At most 15 queries a page, and the same number however many days and agents."""

    BUDGET = 15

    def queries(self, page: str, params: dict[str, str]) -> int:
        with CaptureQueriesContext(connection) as captured:
            response = self.client.get(reverse(f"insights:{page}"), params)
        self.assertEqual(response.status_code, 200)
        return len(captured.captured_queries)

    def test_every_page_stays_within_its_query_budget(self) -> None:
        rollup.roll_up_day(MONDAY)
        for viewer in (self.alice, self.lead, make_agent("ines", [], Role.ADMIN)):
            self.login(viewer)
            for page in PAGES:
                one_day = self.queries(page, DAY)
                self.assertLessEqual(one_day, self.BUDGET, (viewer, page))
                self.assertLessEqual(self.queries(page, {**DAY, "csv": _first_table(page)}),
                                     one_day, (viewer, page, "csv"))

    def test_more_days_and_agents_cost_no_more_queries(self) -> None:
        rollup.roll_up_day(MONDAY)
        self.login(self.lead)
        before = {page: self.queries(page, DAY) for page in PAGES}
        for n in range(4):
            newcomer = make_agent(f"agent{n}", [self.billing])
            ticket = self.opened(self.customer, "Another question about my bill", at(9, day=3),
                                 "anxiety")
            self.reply(ticket, newcomer, at(10 + n, day=3), (70, 70, 70, 70), [])
        rollup.roll_up_day(MONDAY + timedelta(days=1))
        wider = {"start": (MONDAY - timedelta(days=20)).isoformat(),
                 "end": (MONDAY + timedelta(days=1)).isoformat()}
        self.assertEqual({page: self.queries(page, wider) for page in PAGES}, before)


def _first_table(page: str) -> str:
    return {"speed": "speed-days", "empathy": "empathy-days", "deescalation": "calmer-agents",
            "satisfaction": "ratings"}[page]
