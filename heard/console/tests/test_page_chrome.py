"""What every page carries: a favicon (/favicon.ico answers too); queue cells that never wrap."""

from __future__ import annotations

import re
from pathlib import Path

from django.templatetags.static import static
from django.urls import reverse

from heard.test import BaseTestCase

STATIC = Path(__file__).parents[2] / "static"


class PageChromeTestCase(BaseTestCase):
    def test_pages_link_the_favicon_and_it_exists(self) -> None:
        self.assertTrue((STATIC / "favicon.svg").read_text().startswith("<svg"))
        link = f'<link rel="icon" href="{static("favicon.svg")}" type="image/svg+xml">'
        self.assertContains(self.client.get(reverse("login")), link)
        self.login(self.alice)
        self.assertContains(self.client.get(reverse("console:queue")), link)

    def test_favicon_ico_is_not_a_404(self) -> None:
        response = self.client.get("/favicon.ico")
        self.assertRedirects(
            response, static("favicon.svg"), status_code=301, fetch_redirect_response=False
        )

    def test_the_queues_reference_and_reply_clock_do_not_wrap(self) -> None:
        css = (STATIC / "css" / "heard.css").read_text()
        self.assertRegex(css, r"\.nowrap\s*\{\s*white-space:\s*nowrap;")
        ticket = self.open_ticket()
        self.login(self.alice)
        body = self.client.get(reverse("console:queue")).content.decode()
        row = body.split(ticket.reference)[0].rsplit("<tr", 1)[1] + body.split(ticket.reference)[1]
        cells = re.findall(r'<td class="([^"]*)"', row.split("</tr>")[0])
        self.assertEqual(cells[0], "nowrap")  # the reference
        self.assertRegex(row, r'<td class="nowrap[^"]*" title="[^"]*on the clock"')
