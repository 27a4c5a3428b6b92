"""A customer at a real browser: signs in by the link in the email, reads when to expect a
reply, replies, withdraws a consent; then the agent sees both. Every page is audited with axe."""

from __future__ import annotations

from typing import Any

from django.core import mail

from heard.console.tests.browser import LiveBrowserTestCase
from heard.console.tests.test_accessibility import WCAG_AA
from heard.desk import actions
from heard.desk.models import ConsentKind, Team
from heard.portal.tests.portal import LINK
from heard.test import make_agent, make_customer


class PortalBrowserTestCase(LiveBrowserTestCase):
    def audit(self, page: Any) -> None:
        from axe_playwright_python.sync_playwright import Axe

        options = {"runOnly": {"type": "tag", "values": WCAG_AA}, "resultTypes": ["violations"]}
        results = Axe().run(page, options=options)
        self.assertEqual(results.violations_count, 0, f"{page.url}\n{results.generate_report()}")

    def test_a_customer_signs_in_replies_and_withdraws_a_consent_and_the_agent_sees_it(
        self,
    ) -> None:
        team = Team.objects.create(name="Billing", slug="billing", auto_assign=False)
        make_agent("maya", [team])
        sofia = make_customer("Sofia Marin", "sofia@example.com")
        actions.record_consent(sofia, ConsentKind.SURVEYS, True, "email")
        ticket = actions.open_ticket(
            customer=sofia, team=team, subject="Charged twice", text="I see two charges."
        )
        page = self.browser.new_page()
        with self.settings(SITE_URL=self.live_server_url):
            self.sign_in(page, "sofia@example.com")
            page.get_by_role("heading", name="My requests").wait_for()
            self.assertIn("Someone from our Billing team will reply to you", self.main(page))
            self.audit(page)

            page.get_by_role("link", name="Charged twice").click()
            page.get_by_label("Your message").fill("It is 49 EUR twice, on 3 March.")
            self.audit(page)
            page.get_by_role("button", name="Send", exact=True).click()
            page.get_by_text("your message is on its way").wait_for()
            page.locator(".message.customer", has_text="It is 49 EUR twice").wait_for()

            page.get_by_role("link", name="Preferences").click()
            self.audit(page)
            page.get_by_label("Surveys").uncheck()
            page.get_by_role("button", name="Save").click()
            page.get_by_text("Saved: surveys.").wait_for()
            self.assertIn("Withdrawn on", self.main(page))
            page.get_by_role("link", name="My account").click()
            self.audit(page)

        agent = self.browser.new_page()
        self.login(agent, "maya")
        agent.goto(f"{self.live_server_url}/tickets/{ticket.pk}/")
        agent.get_by_text("It is 49 EUR twice, on 3 March.").wait_for()
        consents = agent.locator("ul.consents").inner_text()
        self.assertIn("Surveys: withdrawn on", consents)
        self.assertIn("by the portal", consents)

    def test_the_link_pages_meet_wcag_aa(self) -> None:
        make_customer("Sofia Marin", "sofia@example.com")
        page = self.browser.new_page()
        with self.settings(SITE_URL=self.live_server_url):
            page.goto(f"{self.live_server_url}/portal/")
            page.get_by_role("button", name="Email me a link").click()
            page.get_by_role("alert").wait_for()  # the empty address, said
            self.audit(page)
            self.ask(page, "sofia@example.com")
            self.audit(page)  # "check your email"
            page.goto(self.link())
            self.audit(page)  # the "Sign in" button
            elsewhere = self.browser.new_page()
            elsewhere.goto(self.link())
            elsewhere.get_by_text("works only in the browser where you asked").wait_for()
            self.audit(elsewhere)

    def ask(self, page: Any, address: str) -> None:
        page.goto(f"{self.live_server_url}/portal/")
        page.get_by_label("Your email address").fill(address)
        page.get_by_role("button", name="Email me a link").click()
        page.get_by_text("If this address is known to us, a link is on its way").wait_for()
        self.audit(page)

    def link(self) -> str:
        found = LINK.search(str(mail.outbox[-1].body))
        assert found is not None
        return found.group(0)

    def sign_in(self, page: Any, address: str) -> None:
        self.ask(page, address)
        page.goto(self.link())
        page.get_by_role("button", name="Sign in").click()

    def main(self, page: Any) -> str:
        return str(page.locator("main").inner_text())
