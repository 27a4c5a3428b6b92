"""People at real browsers: an agent completes a written-tone exercise and a role-play to
"resolved"; two people run a live role-play and switch roles. Every page is audited with axe."""

from __future__ import annotations

from typing import Any

from heard.console.tests.browser import LiveBrowserTestCase
from heard.console.tests.test_accessibility import WCAG_AA
from heard.desk import actions as desk
from heard.desk.models import Role, Status, Team
from heard.test import make_agent, make_customer

COLD = "Dear Customer,\n\nYour request has been logged. Please read the setup guide."
WARM = (
    "Hi Davor,\n\nWith a car on your lift and the order due at 3 pm, I can see why this can't "
    "wait. Save the order as a PDF and send it from webmail now; I'll call you at 1:30 pm to "
    "fix Outlook with you.\n\nIf the PDF gives you trouble, reply here and I'll help at once."
)
FIRST = (
    "Hi Davor, I'm so sorry: with a car on the lift and the order due at 3 pm, that is "
    "stressful. I'll ring you at 1 pm today and we'll get the order out together."
)
SECOND = (
    "Yes, Davor: save the order as a PDF and webmail will take it, so it reaches Autodeli "
    "Centrala before 3 pm. I'll be around all afternoon; if it doesn't work, reply here and "
    "I'll call you straight away."
)
CASE = "The parts order that will not send"


class StudioBrowserTestCase(LiveBrowserTestCase):
    def setUp(self) -> None:
        super().setUp()
        team = Team.objects.create(name="Billing", slug="billing", auto_assign=False)
        lead = make_agent("lena", [team], Role.LEAD)
        team.lead = lead.user
        team.save()
        self.alice = make_agent("alice", [team])
        self.bob = make_agent("bob", [team])

    def audit(self, page: Any) -> None:
        from axe_playwright_python.sync_playwright import Axe

        options = {"runOnly": {"type": "tag", "values": WCAG_AA}, "resultTypes": ["violations"]}
        results = Axe().run(page, options=options)
        self.assertEqual(results.violations_count, 0, f"{page.url}\n{results.generate_report()}")

    def open_case(self, page: Any, username: str) -> None:
        self.login(page, username)
        page.get_by_role("link", name="Training").click()
        page.get_by_role("heading", name="Training studio").wait_for()
        self.audit(page)
        page.get_by_role("link", name=CASE).click()
        page.get_by_role("heading", name=CASE).wait_for()

    def test_an_agent_completes_a_written_tone_exercise(self) -> None:
        page = self.browser.new_page()
        self.open_case(page, "alice")
        self.audit(page)
        page.get_by_role("button", name="Written-tone exercise").click()
        page.get_by_label("Anxiety").check()
        page.get_by_label("Frustration").check()
        page.get_by_label("Why, in a line").fill("The order deadline is hours away")
        self.audit(page)
        page.get_by_role("button", name="Compare").click()
        page.get_by_text("You named exactly what the customer feels.").wait_for()
        page.get_by_label("The reply you would normally send").fill(COLD)
        page.get_by_role("button", name="Coach it").click()
        page.get_by_role("heading", name="Your usual reply, coached").wait_for()
        self.assertGreater(page.locator("mark.finding").count(), 0)
        self.audit(page)
        page.get_by_label("Your rewrite").fill(WARM)
        page.get_by_role("button", name="Compare with my first reply").click()
        page.get_by_role("heading", name="The two replies side by side").wait_for()
        self.assertIn("+", page.locator("table.figures").inner_text())
        self.audit(page)

    def test_an_agent_plays_a_role_play_to_resolved(self) -> None:
        page = self.browser.new_page()
        self.open_case(page, "alice")
        page.get_by_role("button", name="Role-play with Davor Kos").click()
        box = page.get_by_label("Your message to the customer")
        box.fill(FIRST)
        page.get_by_role("button", name="Send to Davor Kos").click()
        page.locator(".turn.customer").nth(1).wait_for()
        self.audit(page)
        page.get_by_label("Your message to the customer").fill(SECOND)
        page.get_by_role("button", name="Send to Davor Kos").click()
        page.get_by_role("heading", name="How it went: resolved").wait_for()
        self.assertEqual(page.locator("svg.mood-curve circle").count(), 3)
        self.audit(page)
        for name in ("Attempts", "Progress", "Why empathy pays"):
            page.get_by_role("link", name=name, exact=True).click()
            page.get_by_role("heading", name=name).wait_for()
            self.audit(page)

    def test_two_people_run_a_live_role_play_and_switch_roles(self) -> None:
        alice = self.browser.new_context().new_page()
        bob = self.browser.new_context().new_page()
        self.open_case(alice, "alice")
        alice.get_by_label("Play it with").select_option(label="Bob Example")
        alice.get_by_role("button", name="Start a live role-play").click()
        alice.get_by_text("the customer, Davor Kos").wait_for()
        self.audit(alice)
        self.login(bob, "bob")
        bob.get_by_role("link", name="Training").click()
        bob.get_by_role("link", name=CASE).first.click()  # under "Live role-plays"
        bob.get_by_text("Waiting for Davor Kos").wait_for()
        alice.get_by_label("You, as the customer").fill("Outlook won't send my parts order!")
        alice.get_by_role("button", name="Send", exact=True).click()
        bob.get_by_text("Outlook won't send my parts order!").wait_for(timeout=10_000)
        bob.get_by_label("You, as the agent").fill(FIRST)
        bob.get_by_role("button", name="Send", exact=True).click()
        alice.get_by_text("Coach score").wait_for(timeout=10_000)  # the agent side, scored
        self.audit(bob)
        alice.get_by_role("button", name="Switch roles and start again").click()
        alice.get_by_text("Roles switched: a new round starts.").wait_for()
        self.assertIn("the agent", alice.locator("main > p").first.inner_text())
        bob.get_by_text("the customer, Davor Kos").wait_for(timeout=10_000)  # reloaded itself
        self.assertIn("round 2", bob.locator("h1").inner_text())
        self.assertEqual(bob.locator("#turns .turn").count(), 0)

    def test_a_lead_assigns_practice_and_previews_a_case_from_a_ticket(self) -> None:
        customer = make_customer("Marija Horvat", "marija@example.net")
        ticket = desk.open_ticket(customer=customer, team=self.alice.teams.get(),
                                  subject="Charged twice", text="Charged twice, order PO-5531.")
        desk.post_agent_reply(ticket, self.alice, "Hi Marija, I'm sorry: I refunded it today.",
                              status=Status.SOLVED)
        page = self.browser.new_page()
        self.login(page, "lena")
        page.get_by_role("link", name="Training").click()
        page.get_by_role("link", name="Team practice").click()
        page.get_by_role("heading", name="Team practice").wait_for()
        self.audit(page)
        page.get_by_label("Agent", exact=True).select_option(label="Alice Example")
        page.get_by_label("Case", exact=True).select_option(label=CASE)
        page.get_by_role("button", name="Assign", exact=True).click()
        page.get_by_text(f"Assigned to Alice Example: {CASE}.").wait_for()
        page.get_by_label("Solved ticket", exact=True).fill(ticket.reference)
        page.get_by_role("button", name="Preview the case").click()
        page.get_by_role("heading", name="What was replaced").wait_for()
        self.audit(page)
        page.get_by_role("button", name="Save as a case for my team").click()
        page.get_by_text("Saved as a case").wait_for()
        self.assertNotIn("Marija", page.locator("main").inner_text())
