"""The page a survey link opens: the click chooses, the customer's button answers."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from django.test import Client
from django.utils import timezone

from heard.care import surveys
from heard.care.models import Rating, Survey
from heard.test import BaseTestCase


class SurveyPageTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.ticket = self.open_ticket()
        self.survey = Survey.objects.create(ticket=self.ticket)

    def path(self, rating: Rating | None = None) -> str:
        url = urlsplit(surveys.link(self.survey, rating))
        return f"{url.path}?{url.query}" if url.query else url.path

    def test_following_a_link_chooses_that_answer_but_records_nothing(self) -> None:
        page = self.client.get(self.path(Rating.HAPPY))
        self.assertContains(page, "How was our help?")
        self.assertContains(page, f"“Charged twice” ({self.ticket.reference})")
        self.assertContains(page, 'value="4" id="id_rating_1" required checked')
        self.assertContains(page, '<label for="id_comment">')
        self.survey.refresh_from_db()
        self.assertIsNone(self.survey.rating, "mail scanners follow links too")

    def test_sending_the_form_records_the_answer(self) -> None:
        client = Client(enforce_csrf_checks=True)
        page = client.get(self.path(Rating.UNHAPPY))
        token = page.cookies["csrftoken"].value
        answer = {"rating": "2", "comment": "Took a week.", "csrfmiddlewaretoken": token}
        thanks = client.post(self.path(), answer)
        self.assertContains(thanks, "You answered “Unhappy”")
        self.assertContains(thanks, "the people who helped you have been told")
        self.survey.refresh_from_db()
        self.assertEqual((self.survey.rating, self.survey.comment), (2, "Took a week."))

    def test_a_form_without_its_csrf_token_is_refused(self) -> None:
        client = Client(enforce_csrf_checks=True)
        response = client.post(self.path(), {"rating": "1"})
        self.assertEqual(response.status_code, 403)
        self.survey.refresh_from_db()
        self.assertIsNone(self.survey.rating)

    def test_a_form_without_an_answer_says_so_and_keeps_the_comment(self) -> None:
        response = self.client.post(self.path(), {"comment": "Hmm"})
        self.assertContains(response, "Please choose one of the five answers.", status_code=400)
        self.assertContains(response, "Hmm</textarea>", status_code=400)

    def test_an_altered_link_is_not_found(self) -> None:
        response = self.client.get(self.path()[:-3] + "xyz/")
        self.assertContains(response, "This survey link is not valid", status_code=404)

    def test_a_closed_survey_says_when_it_closed(self) -> None:
        Survey.objects.filter(pk=self.survey.pk).update(
            created_at=timezone.now() - timedelta(days=31)
        )
        response = self.client.post(self.path(), {"rating": "5"})
        self.assertContains(response, "This survey closed on", status_code=410)
        self.survey.refresh_from_db()
        self.assertIsNone(self.survey.rating)

    def test_each_answer_is_one_clickable_row_with_its_radio_inside_its_label(self) -> None:
        body = self.client.get(self.path()).content.decode()
        rows = re.findall(r'<label class="choice" for="(id_rating_\d)">(.*?)</label>', body, re.S)
        self.assertEqual(len(rows), 5)
        for for_id, inside in rows:
            self.assertIn(f'id="{for_id}"', inside)  # the radio itself, inside its label
            self.assertIn('type="radio"', inside)
        css = (Path(__file__).parents[2] / "static" / "css" / "heard.css").read_text()
        self.assertIn("input[type=radio], input[type=checkbox] { width: auto;", css)

    def test_the_page_says_the_answer_counts_once_sent(self) -> None:
        page = self.client.get(self.path(Rating.HAPPY))
        self.assertContains(page, "Your answer counts once you press Send.")
