"""In a real browser: the internal note's label puts the cursor in the note (never the reply),
`n` works from the queue and the notifications, a refused reply's reason is in view with the
draft kept, and no page asks for something that is not there (a favicon, say)."""

from __future__ import annotations

from typing import Any

from django.test import override_settings

from heard.console.tests.browser import LiveBrowserTestCase
from heard.desk import actions
from heard.desk.models import Notification, Role, Team
from heard.test import make_agent, make_customer


class TicketBoxesBrowserTestCase(LiveBrowserTestCase):
    def setUp(self) -> None:
        super().setUp()
        team = Team.objects.create(name="Billing", slug="billing", auto_assign=False)
        self.maya = make_agent("maya", [team], Role.LEAD)
        customer = make_customer("Sofia Marin", "sofia@example.com")
        self.ticket = actions.open_ticket(
            customer=customer,
            team=team,
            subject="Charged twice",
            text="I was charged twice for March. " + "Please look at my statement. " * 40,
        )
        Notification.objects.create(
            recipient=self.maya.user, ticket=self.ticket, text="Something to look at"
        )
        self.missing: list[str] = []

    def page(self) -> Any:
        page = self.browser.new_page(viewport={"width": 1280, "height": 720})
        page.on(
            "response",
            lambda r: self.missing.append(r.url) if r.status == 404 else None,
        )
        self.login(page, "maya")
        return page

    def tearDown(self) -> None:
        self.assertEqual(self.missing, [], "requests answered 404")
        super().tearDown()

    def test_the_internal_note_label_focuses_the_note_box(self) -> None:
        page = self.page()
        page.goto(f"{self.live_server_url}/tickets/{self.ticket.pk}/")
        page.get_by_text("Internal — the customer never sees this.").wait_for()
        page.locator('label[for="note-text"]').click()
        page.keyboard.type("VIP, be gentle")
        self.assertEqual(page.evaluate("document.activeElement.id"), "note-text")
        self.assertEqual(page.locator("#note-text").input_value(), "VIP, be gentle")
        self.assertEqual(page.locator("#reply-text").input_value(), "")
        page.get_by_role("button", name="Add internal note").click()
        page.get_by_text("Note added.").wait_for()
        self.assertEqual(self.ticket.messages.filter(direction="agent").count(), 0)

    def test_n_opens_the_next_ticket_from_the_queue_and_the_notifications(self) -> None:
        page = self.page()
        for path in ("/", "/notifications/"):
            page.goto(f"{self.live_server_url}{path}")
            page.locator("h1").wait_for()
            page.keyboard.press("n")
            page.wait_for_url(f"**/tickets/{self.ticket.pk}/")

    @override_settings(HEARD_MAX_REPLY_CHARS=500)
    def test_a_refused_reply_shows_why_in_view_with_the_draft_kept(self) -> None:
        page = self.page()
        page.goto(f"{self.live_server_url}/tickets/{self.ticket.pk}/")
        draft = "Hi Sofia, here is everything I found: " + "a long log line. " * 60
        page.locator("#reply-text").fill(draft)
        page.get_by_role("button", name="Send reply").click()
        error = page.locator("#reply-error")
        error.wait_for()
        self.assertIn("one reply may carry at most 500", error.inner_text())
        in_view = (
            "e => { const r = e.getBoundingClientRect(); "
            "return r.top >= 0 && r.bottom <= innerHeight; }"
        )
        self.assertTrue(error.evaluate(in_view), "the error is in view without scrolling")
        self.assertEqual(page.evaluate("document.activeElement.id"), "reply-text")
        self.assertEqual(page.locator("#reply-text").input_value(), draft)
