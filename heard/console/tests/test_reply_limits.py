"""A reply the desk refuses: too long, or to a closed ticket. Every caller is refused (the desk's
check), the console says why right above the editor, and the draft is kept."""

from __future__ import annotations

from django.test import override_settings
from django.urls import reverse

from heard.desk import actions
from heard.desk.models import Direction
from heard.test import BaseTestCase


@override_settings(HEARD_MAX_REPLY_CHARS=1000)
class ReplyLimitTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.ticket = self.open_ticket()
        self.login(self.alice)
        self.url = reverse("console:reply", args=[self.ticket.pk])

    def test_the_desk_refuses_a_reply_over_the_limit_whoever_sends_it(self) -> None:
        with self.assertRaisesMessage(actions.DeskError, "1,001 characters long"):
            actions.post_agent_reply(self.ticket, self.alice, "x" * 1001)
        actions.post_agent_reply(self.ticket, self.alice, "Hi Aleksandar, " + "x" * 985)  # 1000
        self.assertEqual(self.ticket.messages.filter(direction=Direction.AGENT).count(), 1)

    def test_the_console_says_so_above_the_editor_and_keeps_the_draft(self) -> None:
        draft = "Hi Aleksandar, here is the whole log:\n" + "line of log\n" * 200
        response = self.client.post(self.url, {"text": draft})
        self.assertEqual(response.status_code, 400)
        body = response.content.decode()
        reply_box = body.split('id="reply"')[1].split("</form>")[0]
        error, editor = reply_box.split('id="reply-error">')[1].split("</span>", 1)
        self.assertIn("2,438 characters long; one reply may carry at most 1,000", error)
        self.assertIn("Nothing was sent", error)
        self.assertTrue(editor.lstrip().startswith("<textarea"), "the error stands by the box")
        self.assertIn("autofocus", editor.split(">")[0])  # the browser scrolls to the box
        self.assertIn('aria-describedby="reply-error"', editor.split(">")[0])
        self.assertIn(draft, editor)  # the draft, every word of it
        self.assertFalse(self.ticket.messages.filter(direction=Direction.AGENT).exists())

    def test_a_reply_to_a_closed_ticket_shows_its_error_by_the_editor_too(self) -> None:
        actions.change_status(self.ticket, None, "closed")
        response = self.client.post(self.url, {"text": "My careful answer"})
        reply_box = response.content.decode().split('id="reply"')[1]
        self.assertLess(reply_box.index("is closed"), reply_box.index("<textarea"))
        self.assertIn("My careful answer</textarea>", reply_box)

    def test_a_page_without_errors_takes_no_focus(self) -> None:
        page = self.client.get(reverse("console:ticket", args=[self.ticket.pk]))
        self.assertNotContains(page, "autofocus")
        self.assertNotContains(page, 'id="reply-error"')
