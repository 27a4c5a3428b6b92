"""The coach at the agent's elbow: marks as they type, the suggested wording on request, and one
question before a reply that would hurt goes out."""

from __future__ import annotations

from django.urls import reverse

from heard.desk.models import Direction
from heard.test import BaseTestCase

BLAMING = "This is user error, you must have misconfigured the router. Read the manual."
KIND = (
    "Hi Aleksandar, I'm sorry you were charged twice; that must be frustrating. I have refunded "
    "the second payment today, and you will see it within 3 days. If anything is still not "
    "right, just reply and I'll pick it up."
)


class CoachedReplyTest(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        with self.captureOnCommitCallbacks(execute=True):
            self.ticket = self.open_ticket("I was charged twice and I am furious!")
        self.login(self.alice)
        self.coach_url = reverse("console:coach", args=[self.ticket.pk])
        self.reply_url = reverse("console:reply", args=[self.ticket.pk])

    def test_as_they_type_the_hurtful_words_are_marked_with_why(self) -> None:
        panel = self.client.post(self.coach_url, {"text": BLAMING}, HTTP_HX_REQUEST="true")
        body = panel.content.decode()
        self.assertTrue(body.startswith('<div id="coaching"'))  # the panel alone
        self.assertIn('<mark class="finding" tabindex="0"', body)
        self.assertIn(">user error</mark>", body)
        self.assertIn(">Read the manual</mark>", body)
        self.assertIn('<meter id="coach-score"', body)
        for dimension in ("empathy", "respect", "clarity"):  # the judgement in three dimensions
            self.assertIn(f'<meter id="coach-{dimension}"', body)
        self.assertIn('class="missing"', body)  # e.g. no acknowledgement of their anger

    def test_a_kind_reply_raises_nothing(self) -> None:
        panel = self.client.post(self.coach_url, {"text": KIND}, HTTP_HX_REQUEST="true")
        self.assertContains(panel, "Nothing in this draft would hurt")

    def test_the_textarea_coaches_itself_as_the_agent_types(self) -> None:
        page = self.client.get(reverse("console:ticket", args=[self.ticket.pk]))
        self.assertContains(page, f'hx-post="{self.coach_url}"')
        self.assertContains(page, 'hx-trigger="input changed delay:300ms"')

    def test_without_script_the_check_button_shows_the_page_with_the_draft_kept(self) -> None:
        page = self.client.post(self.coach_url, {"text": BLAMING})
        self.assertContains(page, "Coach score")
        self.assertContains(page, "you must have misconfigured the router")  # still in the editor

    def test_the_suggested_wording_goes_into_the_editor_and_is_not_sent(self) -> None:
        page = self.client.post(self.coach_url, {"text": BLAMING, "use_suggestion": "1"})
        self.assertContains(page, "Hi Aleksandar,")
        self.assertNotContains(page, "user error</textarea>")
        self.assertFalse(self.ticket.messages.filter(direction=Direction.AGENT).exists())

    def test_a_severe_finding_asks_once_then_the_choice_is_recorded(self) -> None:
        asked = self.client.post(self.reply_url, {"text": BLAMING})
        self.assertContains(asked, "Send anyway?")
        self.assertFalse(self.ticket.messages.filter(direction=Direction.AGENT).exists())
        sent = self.client.post(self.reply_url, {"text": BLAMING, "send_anyway": "1"})
        self.assertRedirects(sent, reverse("console:ticket", args=[self.ticket.pk]))
        event = self.ticket.events.get(what="coach")
        self.assertEqual(event.note, "sent anyway, despite: blame, rtfm")

    def test_a_kind_reply_goes_straight_out(self) -> None:
        sent = self.client.post(self.reply_url, {"text": KIND})
        self.assertEqual(sent.status_code, 302)
        self.assertFalse(self.ticket.events.filter(what="coach").exists())

    def test_another_teams_agent_cannot_coach_on_this_ticket(self) -> None:
        self.login(self.olga)
        self.assertEqual(self.client.post(self.coach_url, {"text": KIND}).status_code, 404)


class MacroTest(BaseTestCase):
    def test_a_canned_response_is_filled_in_and_coached_like_any_draft(self) -> None:
        from heard.desk.models import Macro

        Macro.objects.create(name="Refund done", text="Hi {customer_name}, refunded. {agent_name}")
        Macro.objects.create(name="Tech only", text="Reboot it.", team=self.tech)
        ticket = self.open_ticket("Where is my refund?")
        self.login(self.alice)
        page = self.client.get(reverse("console:ticket", args=[ticket.pk]))
        self.assertContains(page, "Refund done")
        self.assertNotContains(page, "Tech only")  # another team's macro
        macro = Macro.objects.get(name="Refund done")
        inserted = self.client.post(
            reverse("console:coach", args=[ticket.pk]),
            {"text": "", "macro": macro.pk, "insert_macro": "1"},
        )
        self.assertContains(inserted, "Hi Aleksandar, refunded. Alice</textarea>")
        self.assertContains(inserted, "Coach score")  # coached as soon as it is inserted
        garbled = self.client.post(
            reverse("console:coach", args=[ticket.pk]),
            {"text": "Draft", "macro": "1 OR 1=1", "insert_macro": "1"},
        )
        self.assertContains(garbled, "Draft</textarea>")  # ignored, the draft kept
        self.assertFalse(ticket.messages.filter(direction=Direction.AGENT).exists())
