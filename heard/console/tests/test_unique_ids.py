"""Every page an agent or a customer sees: no element id twice, and every label names a control
that exists, so a label (the internal note's above all) focuses its own box and no other."""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.urls import reverse

from heard.care import surveys
from heard.care.models import Rating, Survey
from heard.console.tests.test_coached_reply import BLAMING
from heard.desk import actions
from heard.desk.models import Macro, Status
from heard.test import BaseTestCase

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response


class Ids(HTMLParser):
    """The ids of a page, and the `for` of each label with the id of the control inside it."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.label_for: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.append(str(found["id"]))
        if tag == "label" and found.get("for"):
            self.label_for.append(str(found["for"]))


def ids_of(response: Response) -> Ids:
    parser = Ids()
    parser.feed(response.content.decode())
    return parser


class UniqueIdsTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.ticket = self.open_ticket("I was charged twice and I am furious!")
        actions.record_customer_message(self.ticket, "Hello? Anyone?")
        actions.run_watchdog()  # escalated: a notice for Lena, a row in the lead view
        self.earlier = self.open_ticket("My invoice address is wrong.")
        Macro.objects.create(name="Refund", text="Hi {customer_name}, refunded. {agent_name}")
        self.survey = Survey.objects.create(ticket=self.earlier)
        self.ticket_url = reverse("console:ticket", args=[self.ticket.pk])

    def assert_ids_unique_and_labels_point_at_them(self, response: Response) -> None:
        page = ids_of(response)
        where = response.request["PATH_INFO"]
        twice = sorted(i for i, n in Counter(page.ids).items() if n > 1)
        self.assertEqual(twice, [], f"ids used more than once on {where}")
        dangling = sorted(set(page.label_for) - set(page.ids))
        self.assertEqual(dangling, [], f"labels for no element on {where}")
        self.assertTrue(page.ids, where)

    def survey_path(self, rating: Rating | None = None) -> str:
        url = urlsplit(surveys.link(self.survey, rating))
        return f"{url.path}?{url.query}" if url.query else url.path

    def test_the_parser_finds_a_duplicate_and_a_dangling_label(self) -> None:
        page = Ids()
        page.feed('<label for="x">A</label><textarea id="y"></textarea><textarea id="y">')
        self.assertEqual(page.ids, ["y", "y"])
        self.assertEqual(page.label_for, ["x"])

    def test_every_console_page(self) -> None:
        login = self.client.get(reverse("login"))
        self.assert_ids_unique_and_labels_point_at_them(login)
        self.login(self.lead)
        reply_url = reverse("console:reply", args=[self.ticket.pk])
        coach_url = reverse("console:coach", args=[self.ticket.pk])
        pages = {
            "queue": self.client.get(reverse("console:queue")),
            "filtered queue": self.client.get(reverse("console:queue"), {"mood": "anger"}),
            "ticket": self.client.get(self.ticket_url),
            "coached ticket": self.client.post(coach_url, {"text": BLAMING}),
            "coach panel": self.client.post(coach_url, {"text": BLAMING}, HTTP_HX_REQUEST="true"),
            "send anyway?": self.client.post(reply_url, {"text": BLAMING}),
            "empty reply": self.client.post(reply_url, {"text": ""}),
            "empty note": self.client.post(reverse("console:note", args=[self.ticket.pk])),
            "lead view": self.client.get(reverse("console:lead")),
            "notifications": self.client.get(reverse("console:notifications")),
            "404": self.client.get("/no-such-page/"),
        }
        self.assertContains(pages["send anyway?"], "Send anyway?")
        self.assertContains(pages["notifications"], "escalated")
        self.assertEqual(pages["404"].status_code, 404)
        for name, response in pages.items():
            with self.subTest(name):
                self.assertIn(response.status_code, (200, 400, 404))
                self.assert_ids_unique_and_labels_point_at_them(response)

    def test_every_survey_page(self) -> None:
        pages = {
            "survey": self.client.get(self.survey_path(Rating.HAPPY)),
            "survey, no answer chosen": self.client.post(self.survey_path(), {"comment": "x"}),
            "thanks": self.client.post(self.survey_path(), {"rating": "4"}),
            "bad link": self.client.get(reverse("portal:survey", args=["nonsense"])),
        }
        for name, response in pages.items():
            with self.subTest(name):
                self.assert_ids_unique_and_labels_point_at_them(response)

    def test_the_note_label_focuses_the_note_box_and_the_reply_label_the_reply_box(self) -> None:
        self.login(self.alice)
        body = self.client.get(self.ticket_url).content.decode()
        note = body.split('id="note"')[1].split("</form>")[0]
        reply = body.split('id="reply"')[1].split("</form>")[0]
        self.assertIn('<label for="note-text">', note)
        self.assertIn('aria-describedby="note-caption"', note)  # the caption is read out with it
        self.assertIn('id="note-text"', note)
        self.assertIn('<label for="reply-text">', reply)
        self.assertIn('id="reply-text"', reply)
        self.assertNotIn("note-text", reply)

    def test_the_note_box_says_it_is_internal(self) -> None:
        self.login(self.alice)
        page = self.client.get(self.ticket_url)
        self.assertContains(page, 'class="note card internal"')
        self.assertContains(page, "Internal — the customer never sees this.")
        self.assertContains(page, '<p class="internal-caption" id="note-caption">')

    def test_a_closed_tickets_refused_reply_still_renders_unique_ids(self) -> None:
        actions.change_status(self.ticket, None, Status.CLOSED)
        self.login(self.alice)
        response = self.client.post(
            reverse("console:reply", args=[self.ticket.pk]), {"text": "My careful answer"}
        )
        self.assertEqual(response.status_code, 400)
        self.assert_ids_unique_and_labels_point_at_them(response)
