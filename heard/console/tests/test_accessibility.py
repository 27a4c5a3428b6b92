"""Every page an agent or a customer sees, audited with axe-core for WCAG 2 A and AA."""

from __future__ import annotations

from typing import Any

from heard.care import surveys
from heard.care.models import Survey
from heard.console.tests.browser import LiveBrowserTestCase
from heard.desk import actions
from heard.desk.models import Notification, Role, Team
from heard.test import make_agent, make_customer

WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


class AccessibilityTestCase(LiveBrowserTestCase):
    def setUp(self) -> None:
        super().setUp()
        team = Team.objects.create(name="Billing", slug="billing", auto_assign=False)
        self.maya = make_agent("maya", [team], Role.LEAD)
        team.lead = self.maya.user
        team.save()
        customer = make_customer("Sofia Marin", "sofia@example.com")
        self.ticket = actions.open_ticket(
            customer=customer,
            team=team,
            subject="Charged twice",
            text="THIRD time I write: I was charged twice and I am furious. Fix it today!",
            html="<p><b>THIRD</b> time I write: I was charged twice.</p>"
            "<ul><li>12 March: 40 EUR</li><li>12 March: 40 EUR</li></ul>"
            "<table><tr><th>Date</th><th>Amount</th></tr><tr><td>12 March</td><td>40 EUR</td></tr>"
            '</table><p><a href="https://bank.example/statement">My statement</a></p>'
            '<img src="https://track.example/open.gif" width="1" height="1">',
        )
        actions.assign(self.ticket, None, self.maya)
        earlier = actions.open_ticket(
            customer=customer, team=team, subject="Invoice address", text="Please fix my address."
        )
        self.survey = Survey.objects.create(ticket=earlier)
        surveys.answer(self.survey, 2, "Slow.")  # also notifies Maya: the notifications page
        self.assertTrue(Notification.objects.exists())

    def audit(self, page: Any) -> None:
        from axe_playwright_python.sync_playwright import Axe

        options = {"runOnly": {"type": "tag", "values": WCAG_AA}, "resultTypes": ["violations"]}
        results = Axe().run(page, options=options)
        self.assertEqual(results.violations_count, 0, f"{page.url}\n{results.generate_report()}")

    def test_the_audit_catches_what_it_is_for(self) -> None:
        page = self.browser.new_page()
        page.set_content(
            '<html lang="en"><title>t</title><main><input type="text">'
            '<p style="color:#aaa;background:#fff">faint</p></main></html>'
        )
        with self.assertRaises(AssertionError) as caught:
            self.audit(page)
        self.assertIn("label", str(caught.exception))  # the control without a label
        self.assertIn("color-contrast", str(caught.exception))

    def test_the_agent_pages_meet_wcag_aa(self) -> None:
        page = self.browser.new_page()
        page.goto(f"{self.live_server_url}/login/")
        self.audit(page)
        self.login(page, "maya")
        page.get_by_role("link", name=self.ticket.reference).wait_for()
        self.audit(page)  # the queue
        page.goto(f"{self.live_server_url}/?mood=anger&status=open")
        self.audit(page)  # filtered
        page.goto(f"{self.live_server_url}/tickets/{self.ticket.pk}/")
        page.get_by_label("Reply to the customer").fill(
            "Calm down. This is user error; read the manual."
        )
        page.locator("#coaching mark.finding").first.wait_for(timeout=10_000)
        page.get_by_text("Show as formatted").click()
        page.locator(".mail-html table").wait_for()
        self.audit(page)  # the ticket, with the coach's marks in the editor and the mail formatted
        for path in ("/lead/", "/notifications/", "/no-such-page/"):
            page.goto(f"{self.live_server_url}{path}")
            self.audit(page)

    def test_the_survey_page_meets_wcag_aa(self) -> None:
        page = self.browser.new_page()
        with self.settings(SITE_URL=self.live_server_url):
            page.goto(surveys.link(self.survey))
        self.audit(page)
        page.get_by_role("button", name="Send").click()
        page.get_by_text("Thank you").first.wait_for()
        self.audit(page)
