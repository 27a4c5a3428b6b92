"""A person at a real browser: log in, open the queue, open a ticket, reply, see the reply."""

from __future__ import annotations

from datetime import timedelta

from django.core import mail

from heard.console.tests.browser import LiveBrowserTestCase
from heard.desk import actions
from heard.desk.models import Priority, Team, Ticket
from heard.test import PASSWORD, make_agent, make_customer


class BrowserTestCase(LiveBrowserTestCase):
    def test_it_lets_an_agent_log_in_and_reply(self) -> None:
        ticket = self.sofias_ticket(
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

    def sofias_ticket(self, *, subject: str, text: str) -> Ticket:
        """A Billing team with Maya in it, and a ticket from Sofia Marin."""
        team = Team.objects.create(name="Billing", slug="billing", auto_assign=False)
        make_agent("maya", [team])
        customer = make_customer("Sofia Marin", "sofia@example.com")
        return actions.open_ticket(customer=customer, team=team, subject=subject, text=text)


    def test_a_new_angry_message_moves_its_ticket_up_without_a_reload(self) -> None:
        team = Team.objects.create(name="Billing", slug="billing", auto_assign=False)
        make_agent("maya", [team])
        calm = actions.open_ticket(
            customer=make_customer("Ines Calm", "ines@example.com"),
            team=team,
            subject="Question about invoices",
            text="Could you tell me where I find my invoices?",
            priority=Priority.HIGH,  # due hours earlier, whatever two calm readings differ by
        )
        upset = actions.open_ticket(
            customer=make_customer("Rok Upset", "rok@example.com"),
            team=team,
            subject="My plan",
            text="I have a question about my plan.",
            at=calm.created_at + timedelta(minutes=1),
        )
        page = self.browser.new_page()
        with self.settings(HEARD_QUEUE_REFRESH_SECONDS=1):
            self.login(page, "maya")
            rows = page.locator("table.queue tbody tr")
            self.assertIn(calm.reference, rows.first.inner_text())
            page.evaluate("window.stillHere = true")  # gone if the page reloaded
            for text in ("Hello?? Anyone?", "THIRD time writing. I am furious, cancel my account!"):
                actions.record_customer_message(upset, text)
            page.wait_for_function(
                "ref => document.querySelector('table.queue tbody tr').innerText.includes(ref)",
                arg=upset.reference,
                timeout=10_000,
            )
            self.assertTrue(page.evaluate("window.stillHere === true"))

    def test_the_coach_marks_a_blaming_draft_and_its_wording_can_be_sent(self) -> None:
        ticket = self.sofias_ticket(
            subject="Router keeps dropping",
            text="My router drops the connection every hour and I am really annoyed.",
        )
        page = self.browser.new_page()
        self.login(page, "maya")
        page.goto(f"{self.live_server_url}/tickets/{ticket.pk}/")
        page.get_by_label("Reply to the customer").fill(
            "This is user error, you must have misconfigured the router. Read the manual."
        )
        mark = page.locator("#coaching mark.finding").first
        mark.wait_for(timeout=10_000)
        self.assertTrue(mark.get_attribute("title"))  # the reason, on hover and focus
        page.locator("#coaching summary").click()
        page.get_by_role("button", name="Use suggested wording").click()
        editor = page.get_by_label("Reply to the customer")
        self.assertIn("Hi Sofia", editor.input_value())
        page.get_by_role("button", name="Send reply").click()
        page.get_by_text("Reply sent.").wait_for()
        self.assertIn("Hi Sofia", page.locator(".message.agent").inner_text())
        self.assertEqual([m.to for m in mail.outbox], [["sofia@example.com"]])

    def test_an_agent_can_reply_with_the_keyboard_alone(self) -> None:
        ticket = self.sofias_ticket(
            subject="Invoice address",
            text="Could you change the address on my invoice to Trg 5, Ljubljana?",
        )
        page = self.browser.new_page()
        self.login(page, "maya")
        page.goto(f"{self.live_server_url}/tickets/{ticket.pk}/")
        page.keyboard.press("a")  # assign to me
        page.get_by_text("Assigned to you.").wait_for()
        page.keyboard.press("r")  # into the reply editor
        page.keyboard.type(
            "Hi Sofia, I have changed the address on your invoice to Trg 5, Ljubljana; the new "
            "invoice is in your account now. If anything is still not right, just reply."
        )
        page.keyboard.press("Control+Enter")  # send
        page.get_by_text("Reply sent.").wait_for()
        self.assertIn("Trg 5, Ljubljana", page.locator(".message.agent").inner_text())
