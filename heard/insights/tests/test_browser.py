"""A team lead at a real browser reads the four insights pages on weeks of history, filters
them, opens a table behind a chart and downloads a CSV file; axe finds no WCAG 2 A/AA violation
on any of them. An agent sees only their own figures.

The screenshots in the README come from this test:
    HEARD_SCREENSHOTS=1 .venv/bin/pytest heard/insights/tests/test_browser.py
writes docs/insights-*.png (without it they go to a temporary folder).
"""

from __future__ import annotations

import os
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.utils import timezone

from heard.console.tests.browser import LiveBrowserTestCase
from heard.console.tests.test_accessibility import WCAG_AA
from heard.desk.models import Role, Team
from heard.insights import rollup
from heard.insights.tests.history import seed_history
from heard.test import make_agent

DOCS = Path(__file__).resolve().parents[3] / "docs"
PAGES = (("Speed", "speed"), ("Empathy", "empathy"), ("De-escalation", "deescalation"),
         ("Satisfaction and care", "satisfaction"))


class InsightsBrowserTestCase(LiveBrowserTestCase):
    def setUp(self) -> None:
        super().setUp()
        billing = Team.objects.create(name="Billing", slug="billing", auto_assign=False)
        tech = Team.objects.create(name="Tech", slug="tech", auto_assign=False)
        self.lead = make_agent("lena", [billing], Role.LEAD)
        billing.lead = self.lead.user
        billing.save()
        agents = {"warm": make_agent("alice", [billing]), "curt": make_agent("bob", [billing]),
                  "tech": make_agent("olga", [tech])}
        today = timezone.localdate()
        seed_history(billing, tech, self.lead, agents, today - timedelta(days=27), 18)
        rollup.backfill(today - timedelta(days=27), today)
        wanted = os.environ.get("HEARD_SCREENSHOTS") == "1"
        self.shots = DOCS if wanted else Path(tempfile.mkdtemp(prefix="heard-insights-"))

    def audit(self, page: Any) -> None:
        from axe_playwright_python.sync_playwright import Axe

        options = {"runOnly": {"type": "tag", "values": WCAG_AA}, "resultTypes": ["violations"]}
        results = Axe().run(page, options=options)
        self.assertEqual(results.violations_count, 0, f"{page.url}\n{results.generate_report()}")

    def test_a_lead_reads_every_page_and_axe_finds_nothing(self) -> None:
        page = self.browser.new_page(viewport={"width": 1300, "height": 1300})
        self.login(page, "lena")
        page.get_by_role("link", name="Insights").click()
        for name, slug in PAGES:
            page.get_by_role("navigation", name="Insights").get_by_role("link", name=name).click()
            page.get_by_role("heading", name=name, level=1).wait_for()
            self.assertGreaterEqual(page.locator("svg.chart").count(), 2)
            self.assertNotIn("Olga", page.locator("main").inner_text())
            self.audit(page)
            page.screenshot(path=str(self.shots / f"insights-{slug}.png"))
        page.get_by_role("navigation", name="Insights").get_by_role("link", name="Speed").click()
        page.locator("details.long-table summary").first.click()  # the table behind a chart
        page.locator("details.long-table[open] table").first.wait_for()
        self.audit(page)
        page.get_by_role("combobox", name="Agent").select_option(label="Bob Example")
        page.get_by_role("button", name="Show").click()
        page.get_by_text("· Bob Example").wait_for()
        self.assertNotIn("Alice Example", page.locator("#agents").inner_text())
        self.audit(page)
        with page.expect_download() as download:
            page.get_by_role("link", name="Download “Reply times per agent” as CSV").click()
        saved = Path(download.value.path()).read_text()
        self.assertTrue(saved.startswith("Agent,First replies,"))
        self.assertIn("Bob Example", saved)
        self.assertNotIn("Alice Example", saved)

    def test_an_agent_sees_only_their_own_figures(self) -> None:
        page = self.browser.new_page()
        self.login(page, "alice")
        page.get_by_role("link", name="Insights").click()
        page.get_by_role("heading", name="Speed", level=1).wait_for()
        self.assertIn("your own figures", page.locator("h1").inner_text())
        self.assertNotIn("Bob Example", page.locator("main").inner_text())
        self.assertEqual(page.get_by_role("combobox", name="Agent").count(), 0)
        self.audit(page)
