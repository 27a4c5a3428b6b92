"""Signing customers in to the portal in tests, the way they do: by the link in the email."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.core import mail
from django.test import Client, override_settings

from heard.test import BaseTestCase

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

LINK = re.compile(r"https?://\S+?(/portal/link/[\w-]+/)")


def link_path(body: str) -> str:
    """The path of the sign-in link in an email's text."""
    found = LINK.search(body)
    assert found is not None, body
    return urlsplit(found.group(0)).path


@override_settings(HEARD_SUPPORT_ADDRESS="support@heard.localhost", SITE_URL="https://help.example")
class PortalTestCase(BaseTestCase):
    def ask(
        self, address: str, client: Client | None = None, *, ip: str = "127.0.0.1",
        secure: bool = False,
    ) -> Response:  # fmt: skip
        """Ask for a link on the sign-in page, running the job that answers it."""
        data = {"email": address}
        with self.captureOnCommitCallbacks(execute=True):
            return (client or self.client).post("/portal/", data, secure=secure, REMOTE_ADDR=ip)

    def last_link(self) -> str:
        return link_path(str(mail.outbox[-1].body))

    def sign_in(self, address: str = "aleks@example.com", client: Client | None = None) -> None:
        client = client or self.client
        self.ask(address, client)
        response = client.post(self.last_link())
        self.assertRedirects(response, "/portal/requests/", fetch_redirect_response=False)
