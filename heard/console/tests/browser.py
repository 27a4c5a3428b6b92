"""A real browser against the live server: Debian's chromium driven by Playwright."""

from __future__ import annotations

import os
import unittest
from pathlib import Path
from typing import Any

import pytest
from django.contrib.staticfiles.testing import StaticLiveServerTestCase

from heard.test import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")


@pytest.mark.browser
@unittest.skipUnless(CHROMIUM.exists(), "Debian's chromium is not installed (.ci/run installs it)")
class LiveBrowserTestCase(StaticLiveServerTestCase):
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

    def login(self, page: Any, username: str) -> None:
        page.goto(f"{self.live_server_url}/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
