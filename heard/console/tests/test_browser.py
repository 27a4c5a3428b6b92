"""A person at a real browser: log in, open the queue, open a ticket, reply, see the reply."""

from __future__ import annotations

import os
import unittest
from pathlib import Path
from typing import Any

import pytest
from django.contrib.staticfiles.testing import StaticLiveServerTestCase

from heard.desk import actions
from heard.desk.models import Team
from heard.test import PASSWORD, make_agent, make_customer

CHROMIUM = Path("/usr/bin/chromium")


@pytest.mark.browser
@unittest.skipUnless(CHROMIUM.exists(), "Debian's chromium is not installed (.ci/run installs it)")
class BrowserTestCase(StaticLiveServerTestCase):
    browser: Any
    playwright: Any

    @classmethod
    def setUpClass(cls) -> None:
        # Playwright's sync API runs an event loop in this thread; the ORM calls made by the test
        # itself are still plain synchronous code.
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
        super().setUpClass()
        from playwright.sync_api import sync_playwright

        cls.playwright = sync_playwright().start()
        cls.browser = cls.playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )

    @classmethod
    def tearDownClass(cls) -> None:
        cls.browser.close()
        cls.playwright.stop()
        super().tearDownClass()
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]

    def test_it_lets_an_agent_log_in_and_reply(self) -> None:
        team = Team.objects.create(name="Billing", slug="billing", auto_assign=False)
        make_agent("maya", [team])
        ticket = actions.open_ticket(
            customer=make_customer("Sofia Marin", "sofia@example.com"),
            team=team,
            subject="Charged twice for March",
            text="I see two charges of 49 EUR on my card.",
        )
        page = self.browser.new_page()

        page.goto(f"{self.live_server_url}/")
        page.get_by_label("Username").fill("maya")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()

        page.get_by_role("link", name=ticket.reference).click()
        page.get_by_text("I see two charges of 49 EUR on my card.").wait_for()

        page.get_by_label("Reply to the customer").fill(
            "Hello Sofia, I refunded the second charge; it shows on your card within 3 days."
        )
        page.get_by_role("button", name="Send reply").click()

        page.get_by_text("Reply sent.").wait_for()
        self.assertIn("I refunded the second charge", page.locator(".message.agent").inner_text())
