"""Every page under the Content-Security-Policy (issue 19), in a real browser: the agent's pages,
the training studio, insights, the customer's portal, the login page, the admin and the API
docs are each sent with the policy, and none of them breaks it (no inline script or style, nothing
loaded from elsewhere): a violation would mean a feature silently dead in production."""

from __future__ import annotations

from typing import Any

from django.core import mail

from heard.console.tests.browser import LiveBrowserTestCase
from heard.console.tests.test_browser_formatted_mail import WATCH
from heard.desk import actions
from heard.desk.models import Role, Team
from heard.lib.csp import PAGE_CSP
from heard.portal.tests.portal import LINK
from heard.test import make_agent, make_customer

AGENT_PAGES = [
    "/",
    "/?view=mine&q=charged",
    "/tickets/{ticket}/",
    "/lead/",
    "/notifications/",
    "/moments/",
    "/forget-requests/",
    "/training/",
    "/training/cases/parts-order-mail-fails/",
    "/training/attempts/",
    "/training/progress/",
    "/training/team/",
    "/training/why-empathy-pays/",
    "/insights/",
    "/admin/",
    "/admin/desk/ticket/",
    "/admin/desk/ticket/{ticket}/change/",
    "/api/v1/docs",
]
CUSTOMER_PAGES = ["/portal/requests/", "/portal/requests/{ticket}/", "/portal/preferences/",
                  "/portal/account/", "/portal/requests/new/"]  # fmt: skip


class EveryPageUnderThePolicyTest(LiveBrowserTestCase):
    def setUp(self) -> None:
        super().setUp()
        team = Team.objects.create(name="Billing", slug="billing", auto_assign=False)
        lead = make_agent("lena", [team], Role.LEAD)
        lead.user.is_staff = lead.user.is_superuser = True
        lead.user.save()
        team.lead = lead.user
        team.save()
        customer = make_customer("Sofia Marin", "sofia@example.com")
        self.ticket = actions.open_ticket(
            customer=customer, team=team, subject="Charged twice", text="I see two charges."
        )

    def visit(self, page: Any, path: str) -> list[str]:
        """What breaking the policy `path` did, or why it could not be checked."""
        url = self.live_server_url + path.format(ticket=self.ticket.pk)
        response = page.goto(url)
        page.wait_for_load_state("networkidle")
        problems = [f"{path}: {found}" for found in page.evaluate("window.violations")]
        if response is None or response.status != 200:
            problems.append(f"{path}: HTTP {response.status if response else 'none'}")
        elif response.headers.get("content-security-policy") != PAGE_CSP:
            problems.append(f"{path}: sent without the policy")
        return problems

    def test_no_page_breaks_the_policy(self) -> None:
        page = self.browser.new_page()
        page.add_init_script(WATCH)
        problems = self.visit(page, "/login/")
        self.login(page, "lena")
        for path in AGENT_PAGES:
            problems += self.visit(page, path)

        customer = self.browser.new_page()
        customer.add_init_script(WATCH)
        with self.settings(SITE_URL=self.live_server_url):
            problems += self.visit(customer, "/portal/")
            customer.get_by_label("Your email address").fill("sofia@example.com")
            customer.get_by_role("button", name="Email me a link").click()
            customer.get_by_text("If this address is known to us").wait_for()
            found = LINK.search(str(mail.outbox[-1].body))
            assert found is not None
            customer.goto(found.group(0))
            customer.get_by_role("button", name="Sign in").click()
            customer.get_by_role("heading", name="My requests").wait_for()
            for path in CUSTOMER_PAGES:
                problems += self.visit(customer, path)
        self.assertEqual(problems, [])

    def test_the_queue_refreshes_itself_under_the_policy(self) -> None:
        page = self.browser.new_page()
        page.add_init_script(WATCH)
        self.login(page, "lena")
        with self.settings(HEARD_QUEUE_REFRESH_SECONDS=1):
            page.goto(f"{self.live_server_url}/")
            page.get_by_text("Charged twice").wait_for()
            actions.open_ticket(
                customer=make_customer("Ivo Kranjc", "ivo@example.org"),
                team=self.ticket.team,
                subject="Refund still missing",
                text="Where is my refund?",
            )
            page.get_by_text("Refund still missing").wait_for(timeout=10_000)  # no reload
        self.assertEqual(page.evaluate("window.violations"), [])
