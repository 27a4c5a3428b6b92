"""Agents can open the email a message came from exactly as received, and see when it could
not be read; only agents of the ticket's team can."""

from __future__ import annotations

from django.urls import reverse

from heard.desk.models import Ticket
from heard.mail import filing
from heard.mail.models import RawEmail
from heard.test import BaseTestCase

NOT_MAIL = b"\x00\x01 this is not an email at all \xff\xfe"


class OriginalEmailTest(BaseTestCase):
    def receive(self, data: bytes) -> RawEmail:
        with self.captureOnCommitCallbacks(execute=True):
            raw = filing.receive(data, source="smtp")
        raw.refresh_from_db()
        return raw

    def test_an_unreadable_email_is_marked_and_its_bytes_can_be_downloaded(self) -> None:
        raw = self.receive(NOT_MAIL)
        ticket = Ticket.objects.get()
        ticket.team = self.billing
        ticket.save()
        self.login(self.alice)
        page = self.client.get(reverse("console:ticket", args=[ticket.pk]))
        self.assertContains(page, "Could not be read")
        url = reverse("console:original_email", args=[ticket.pk, raw.pk])
        self.assertContains(page, url)
        download = self.client.get(url)
        self.assertEqual(download["Content-Type"], "message/rfc822")
        self.assertEqual(download.content, NOT_MAIL)

    def test_another_teams_agent_gets_404(self) -> None:
        raw = self.receive(NOT_MAIL)
        ticket = Ticket.objects.get()
        ticket.team = self.billing
        ticket.save()
        self.login(self.olga)  # tech team
        url = reverse("console:original_email", args=[ticket.pk, raw.pk])
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_an_email_of_another_ticket_is_not_served_through_this_one(self) -> None:
        raw = self.receive(NOT_MAIL)
        other = self.open_ticket()
        self.login(self.alice)
        url = reverse("console:original_email", args=[other.pk, raw.pk])
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_an_administrator_downloads_it_from_the_admin_too(self) -> None:
        from django.contrib.auth.models import User

        raw = self.receive(NOT_MAIL)
        User.objects.create_superuser("root", "root@example.com", "pw-for-tests")
        self.client.login(username="root", password="pw-for-tests")
        response = self.client.get(reverse("admin:mail_rawemail_original", args=[raw.pk]))
        self.assertEqual(response.content, NOT_MAIL)
        self.assertIn(f"email-{raw.pk}.eml", response["Content-Disposition"])
