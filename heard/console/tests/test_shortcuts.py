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
