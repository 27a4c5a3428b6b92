"""The controls behind the keyboard shortcuts: assign to me, next ticket."""

from __future__ import annotations

from django.urls import reverse

from heard.test import BaseTestCase


class ShortcutTargetsTest(BaseTestCase):
    def test_assign_to_me(self) -> None:
        ticket = self.open_ticket()
        self.login(self.alice)
        page = self.client.get(reverse("console:ticket", args=[ticket.pk]))
        self.assertContains(page, 'data-shortcut="assign-me"')
        self.client.post(reverse("console:assign_to_me", args=[ticket.pk]))
        ticket.refresh_from_db()
        self.assertEqual(ticket.assignee, self.alice)
        page = self.client.get(reverse("console:ticket", args=[ticket.pk]))
        self.assertNotContains(page, 'data-shortcut="assign-me"')  # nothing left to do

    def test_assign_to_me_on_another_teams_ticket_is_404(self) -> None:
        ticket = self.open_ticket(team=self.tech)
        self.login(self.alice)
        response = self.client.post(reverse("console:assign_to_me", args=[ticket.pk]))
        self.assertEqual(response.status_code, 404)

    def test_next_ticket_follows_the_queue_and_wraps_around(self) -> None:
        first, second = self.open_ticket(), self.open_ticket()
        self.open_ticket(team=self.tech)  # not in Alice's queue
        self.login(self.alice)
        url = reverse("console:next_ticket")
        self.assertRedirects(self.client.get(url, {"after": first.pk}), self.page(second))
        self.assertRedirects(self.client.get(url, {"after": second.pk}), self.page(first))
        self.assertRedirects(self.client.get(url), self.page(first))

    def page(self, ticket: object) -> str:
        return reverse("console:ticket", args=[ticket.pk])  # type: ignore[attr-defined]


class NextTicketEverywhereTest(BaseTestCase):
    """`n` presses a visible "Next ticket" link: the queue and notifications pages have one too."""

    def test_the_queue_and_notifications_pages_have_a_next_ticket_link(self) -> None:
        self.open_ticket()
        self.login(self.lead)
        link = f'href="{reverse("console:next_ticket")}" data-shortcut="next"'
        for name in ("console:queue", "console:notifications"):
            with self.subTest(name):
                self.assertContains(self.client.get(reverse(name)), link, count=1)

    def test_the_ticket_page_has_one_next_link_the_one_after_this_ticket(self) -> None:
        ticket = self.open_ticket()
        self.login(self.alice)
        page = self.client.get(reverse("console:ticket", args=[ticket.pk]))
        self.assertContains(page, 'data-shortcut="next"', count=1)
        self.assertContains(page, f"?after={ticket.pk}")

    def test_the_shortcut_script_focuses_the_reply_box_by_its_id(self) -> None:
        from pathlib import Path

        script = (Path(__file__).parents[2] / "static" / "js" / "shortcuts.js").read_text()
        self.assertIn('EDITOR = "reply-text"', script)
        self.assertNotIn("id_text", script)
        ticket = self.open_ticket()
        self.login(self.alice)
        page = self.client.get(reverse("console:ticket", args=[ticket.pk]))
        self.assertContains(page, 'id="reply-text"', count=1)
