"""A customer's HTML mail shown "as formatted" on the ticket page: sanitised, under a strict CSP."""

from __future__ import annotations

import re

from django.urls import reverse

from heard.desk import actions
from heard.lib.csp import MAIL_PAGE_CSP
from heard.test import BaseTestCase

HOSTILE = (
    "<html><head><style>body{background:url(https://leak.example/css)}</style></head><body>"
    "<script>steal(document.cookie)</script>"
    '<p onclick="steal()">Click me</p>'
    '<a href="javascript:steal()">Your invoice</a>'
    '<img src="https://track.example/open.gif" width="1" height="1">'
    '<div style="background:url(https://leak.example/attr)">Styled</div>'
    "</body></html>"
)
FORMATTED = (
    "<p>I was charged <b>twice</b>:</p>"
    "<ul><li>first payment</li><li>second payment</li></ul>"
    "<table><tr><th>Date</th><th>Amount</th></tr><tr><td>3 March</td><td>€40</td></tr></table>"
    '<p>See <a href="https://bank.example/statement">my statement</a>.</p>'
)


class FormattedMailTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.ticket = self.open_ticket("I was charged twice.", html=FORMATTED + HOSTILE)
        self.url = reverse("console:ticket", args=[self.ticket.pk])
        self.login(self.alice)

    def formatted(self) -> str:
        body = self.client.get(self.url).content.decode()
        found = re.search(r'<details class="formatted-mail">(.*?)</details>', body, re.S)
        assert found is not None, body
        return found.group(1)

    def test_it_offers_the_mail_as_formatted(self) -> None:
        shown = self.formatted()
        self.assertIn("<summary>Show as formatted</summary>", shown)
        self.assertIn("<b>twice</b>", shown)
        self.assertIn("<li>first payment</li>", shown)
        self.assertIn("<th>Amount</th>", shown)
        self.assertIn("<td>€40</td>", shown)
        link = re.search(r"<a ([^>]*)>my statement</a>", shown)
        assert link is not None, shown
        for attribute in (
            'href="https://bank.example/statement"',
            'rel="noopener noreferrer nofollow"',
            'target="_blank"',
        ):
            self.assertIn(attribute, link.group(1))
        # The tracking pixel: its source gone, marked as saying nothing.
        self.assertRegex(shown, r'<img (?:(?:height|width)="1" ){2}alt="">')

    def test_nothing_hostile_reaches_the_page(self) -> None:
        body = self.client.get(self.url).content.decode()
        for text in ("steal", "onclick", "javascript:", "track.example", "leak.example", "url("):
            self.assertNotIn(text, body)
        self.assertIn("Click me", body)  # the words stay, the handler goes
        self.assertIn("Styled", body)

    def test_the_page_is_under_a_strict_csp_it_obeys(self) -> None:
        response = self.client.get(self.url)
        self.assertEqual(response["Content-Security-Policy"], MAIL_PAGE_CSP)
        for rule in ("default-src 'self'", "img-src 'self'", "base-uri 'none'"):
            self.assertIn(rule, MAIL_PAGE_CSP)
        self.assertNotIn("unsafe", MAIL_PAGE_CSP)
        body = response.content.decode()
        self.assertEqual(re.findall(r"<script(?![^>]*\ssrc=)[^>]*>", body), [])  # no inline script
        self.assertNotIn("<style", body)
        self.assertIsNone(re.search(r"\sstyle=", body))
        self.assertIsNone(re.search(r"\son[a-z]+=", body))
        # Re-shown after a refused reply, the page keeps its policy.
        refused = self.client.post(reverse("console:reply", args=[self.ticket.pk]), {"text": ""})
        self.assertEqual(refused.status_code, 400)
        self.assertEqual(refused["Content-Security-Policy"], MAIL_PAGE_CSP)

    def test_a_message_without_html_offers_nothing_more(self) -> None:
        plain = self.open_ticket("Only words.")
        body = self.client.get(reverse("console:ticket", args=[plain.pk])).content.decode()
        self.assertNotIn("Show as formatted", body)

    def test_agent_messages_are_not_offered_as_formatted(self) -> None:
        actions.post_agent_reply(self.ticket, self.alice, "Thank you, Aleksandar; refunded.")
        body = self.client.get(self.url).content.decode()
        self.assertEqual(body.count("Show as formatted"), 1)

    def test_the_page_keeps_its_query_budget(self) -> None:
        for i in range(10):
            actions.record_customer_message(self.ticket, f"Follow-up {i}", f"<p>Again {i}</p>")
        actions.add_internal_note(self.ticket, self.bob, "Checking the ledger")
        with self.assertNumQueries(10):  # as TicketPageTestCase's: the HTML is on the message row
            self.client.get(self.url)
