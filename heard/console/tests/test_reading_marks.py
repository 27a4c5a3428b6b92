"""The ticket page marks the words that drove the reading of each customer message."""

from __future__ import annotations

from django.urls import reverse

from heard.console.templatetags.reading import chosen_cues, with_cues
from heard.test import BaseTestCase

TEXT = "Third time writing: I'm locked out and my flight is in two hours!"


class ReadingMarksTest(BaseTestCase):
    def test_the_cues_of_a_customer_message_are_marked_with_their_labels(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            ticket = self.open_ticket(TEXT)
        self.login(self.alice)
        page = self.client.get(reverse("console:ticket", args=[ticket.pk])).content.decode()
        self.assertIn('title="locked out" aria-label="locked out">locked out</mark>', page)
        self.assertIn('tabindex="0"', page)

    def test_text_is_escaped_around_and_inside_marks(self) -> None:
        reading = {"cues": [{"start": 0, "end": 8, "label": "<b>", "kind": "blocked"}]}
        html = with_cues("<script>\nrest", reading)
        self.assertEqual(
            html, '<mark class="cue" tabindex="0" title="&lt;b&gt;" aria-label="&lt;b&gt;">'
            "&lt;script&gt;</mark><br>rest",
        )  # fmt: skip
        self.assertEqual(with_cues("a & b", None), "a &amp; b")

    def test_a_specific_cue_wins_over_the_emotion_sentence_around_it(self) -> None:
        cues = [
            {"start": 0, "end": 40, "label": "reads as anger", "kind": "emotion"},
            {"start": 10, "end": 20, "label": "locked out", "kind": "blocked"},
            {"start": 15, "end": 25, "label": "overlapping", "kind": "time"},
            {"start": 50, "end": 99, "label": "past the end", "kind": "time"},
        ]
        self.assertEqual(chosen_cues(cues, 60), [(10, 20, "locked out"), (50, 60, "past the end")])
