"""A customer's HTML mail shown as formatted in a real browser: nothing runs, nothing loads from
elsewhere, and the ticket page (htmx and all) works under its Content-Security-Policy."""

from __future__ import annotations

from typing import Any

from heard.console.tests.browser import LiveBrowserTestCase
from heard.console.tests.test_formatted_mail import FORMATTED, HOSTILE
from heard.desk import actions
from heard.desk.models import Team
from heard.test import make_agent, make_customer

# Run in the page before its own scripts (Playwright's init script is not bound by the CSP).
WATCH = """
window.violations = [];
window.stolen = false;
window.steal = () => { window.stolen = true; };
document.addEventListener("securitypolicyviolation", (e) => {
  window.violations.push(e.violatedDirective + " " + e.blockedURI);
});
"""


class FormattedMailBrowserTestCase(LiveBrowserTestCase):
    def test_the_formatted_mail_shows_and_nothing_hostile_runs_or_loads(self) -> None:
        team = Team.objects.create(name="Billing", slug="billing", auto_assign=False)
        make_agent("maya", [team])
        ticket = actions.open_ticket(
            customer=make_customer("Sofia Marin", "sofia@example.com"),
            team=team,
            subject="Charged twice",
            text="I was charged twice.",
            html=FORMATTED + HOSTILE,
        )
        page = self.browser.new_page()
        page.add_init_script(WATCH)
        requests: list[str] = []
        errors: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        page.on("console", lambda message: self.error(message, errors))
        self.login(page, "maya")
        page.goto(f"{self.live_server_url}/tickets/{ticket.pk}/")

        formatted = page.locator(".mail-html")
        self.assertFalse(formatted.is_visible())  # closed until asked for, without script
        page.get_by_text("Show as formatted").click()
        self.assertEqual(formatted.locator("b").inner_text(), "twice")
        self.assertEqual(formatted.locator("li").count(), 2)
        self.assertEqual(formatted.locator("td").nth(1).inner_text(), "€40")
        link = formatted.get_by_role("link", name="my statement")
        self.assertEqual(link.get_attribute("target"), "_blank")
        self.assertEqual(link.get_attribute("rel"), "noopener noreferrer nofollow")
        formatted.get_by_text("Click me").click()
        formatted.get_by_text("Your invoice").click()

        # htmx still works under the policy: the coach reads the draft as it is typed.
        page.get_by_label("Reply to the customer").fill("Calm down. This is user error.")
        page.locator("#coaching mark.finding").first.wait_for(timeout=10_000)

        self.assertFalse(page.evaluate("window.stolen"))
        self.assertEqual(page.evaluate("window.violations"), [])
        self.assertEqual(errors, [])
        elsewhere = [url for url in requests if not url.startswith(self.live_server_url)]
        self.assertEqual(elsewhere, [])

    @staticmethod
    def error(message: Any, errors: list[str]) -> None:
        if message.type == "error":
            errors.append(message.text)
