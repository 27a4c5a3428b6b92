from __future__ import annotations

from datetime import timedelta
from typing import Any
from unittest import mock

from django.urls import reverse
from django.utils import timezone

from heard.desk import actions
from heard.desk.models import Direction, Emotion, Priority, Ticket
from heard.engine import Cue, Reading
from heard.engine import Emotion as EngineEmotion
from heard.test import BaseTestCase, make_customer, present


def fake_reading(emotion: str, confidence: float = 0.9, urgency: float = 0.0,
                 churn_risk: float = 0.0, cues: tuple[Cue, ...] = ()) -> Reading:
    scores = {e: (confidence if e == emotion else (1 - confidence) / 6) for e in EngineEmotion}
    return Reading(
        emotion=EngineEmotion(emotion), scores=scores, confidence=confidence,
        urgent=urgency >= 0.5, urgency=urgency, churn_risk=churn_risk, cues=cues, ignored=(),
        language_supported=True, note="",
    )


def reading_as(reading: Reading) -> mock._patch:  # type: ignore[type-arg]
    """Make the engine read every text as `reading`."""
    return mock.patch("heard.engine.read_many", side_effect=lambda texts: [reading] * len(texts))


DEADLINE = Cue(start=0, end=5, label="deadline today", kind="time_pressure", text="today",
               weight=0.8)


class ReadingTestCase(BaseTestCase):
    def test_every_customer_message_is_read_and_stored(self) -> None:
        with reading_as(fake_reading("anxiety", 0.7)) as read, \
                self.captureOnCommitCallbacks(execute=True):
            ticket = self.open_ticket("My rent is due and the refund is not here.")
        read.assert_called_once_with(["My rent is due and the refund is not here."])
        message = ticket.messages.get()
        self.assertEqual(message.emotion, "anxiety")
        self.assertAlmostEqual(present(message.reading)["scores"]["anxiety"], 0.7)
        ticket.refresh_from_db()
        self.assertEqual((ticket.mood, ticket.mood_trend), ("anxiety", ""))

    def test_the_ticket_keeps_the_trend(self) -> None:
        with reading_as(fake_reading("neutral")), \
                self.captureOnCommitCallbacks(execute=True):
            ticket = self.open_ticket("Quick question about my invoice.")
        with reading_as(fake_reading("anger")), \
                self.captureOnCommitCallbacks(execute=True):
            actions.record_customer_message(ticket, "Still nothing?! This is ridiculous.")
        ticket.refresh_from_db()
        self.assertEqual((ticket.mood, ticket.mood_trend), ("anger", "heating up"))
        self.assertEqual(ticket.care_reason, "angry · wrote 2 times")

    def test_a_message_is_read_in_its_conversation(self) -> None:
        """Written again before any answer: the engine's context cue, never "calming down"."""
        with reading_as(fake_reading("anger")), self.captureOnCommitCallbacks(execute=True):
            ticket = self.open_ticket("You charged me twice. This is a disgrace.")
        with reading_as(fake_reading("neutral")), self.captureOnCommitCallbacks(execute=True):
            second = actions.record_customer_message(ticket, "Any news?")  # calmer words
        second.refresh_from_db()
        labels = [cue["label"] for cue in present(second.reading)["cues"]]
        self.assertIn("wrote again before any answer", labels)
        self.assertGreater(present(second.reading)["urgency"], 0.5)
        ticket.refresh_from_db()
        self.assertNotEqual(ticket.mood_trend, "calming down")
        actions.post_agent_reply(ticket, self.alice, "I've refunded the second charge.")
        with reading_as(fake_reading("neutral")), self.captureOnCommitCallbacks(execute=True):
            third = actions.record_customer_message(ticket, "Thanks, got it.")
        third.refresh_from_db()
        labels = [cue["label"] for cue in present(third.reading)["cues"]]
        self.assertNotIn("wrote again before any answer", labels)  # answered in between

    def test_agent_notes_and_replies_are_not_read(self) -> None:
        ticket = self.open_ticket()
        with mock.patch("heard.engine.read_many") as read, \
                self.captureOnCommitCallbacks(execute=True):
            actions.add_internal_note(ticket, self.alice, "VIP customer")
            actions.post_agent_reply(ticket, self.alice, "Refunded, Aleksandar.")
        read.assert_not_called()


class CareOrderTestCase(BaseTestCase):
    def open_with(self, reading: Reading, text: str, **kwargs: Any) -> Ticket:
        with reading_as(reading), \
                self.captureOnCommitCallbacks(execute=True):
            ticket = self.open_ticket(text, **kwargs)
        return Ticket.objects.get(pk=ticket.pk)

    def test_an_angry_third_time_writer_comes_before_a_calm_new_question(self) -> None:
        now = timezone.now()
        angry = self.open_with(fake_reading("neutral"), "Where is my refund?",
                               at=now - timedelta(hours=2))
        with reading_as(fake_reading("anger", 0.95, urgency=0.8, cues=(DEADLINE,))), \
                self.captureOnCommitCallbacks(execute=True):
            actions.record_customer_message(angry, "Hello??", at=now - timedelta(hours=1))
            actions.record_customer_message(angry, "THIRD time. I need it today!", at=now)
        # The calm question is due sooner (urgent priority), yet care puts the angry one first.
        calm = self.open_with(fake_reading("neutral"), "How do I change my email address?",
                              priority=Priority.URGENT)
        angry_due = Ticket.objects.get(pk=angry.pk).reply_due_at
        self.assertLess(present(calm.reply_due_at), present(angry_due))
        order = list(Ticket.objects.by_care().values_list("pk", flat=True))
        self.assertEqual(order, [angry.pk, calm.pk])
        self.login(self.alice)
        body = self.client.get(reverse("console:queue")).content.decode()
        self.assertLess(body.index(angry.reference), body.index(calm.reference))
        self.assertIn("angry · wrote 3 times · deadline today", body)

    def test_a_correction_is_stored_and_changes_the_order(self) -> None:
        first = self.open_with(fake_reading("neutral"), "I need help with an invoice.")
        second = self.open_with(fake_reading("neutral"), "Your update broke my shop.")
        self.assertEqual(list(Ticket.objects.by_care().values_list("pk", flat=True)),
                         [first.pk, second.pk])
        message = second.messages.get()
        self.login(self.alice)
        self.client.post(
            reverse("console:correct_emotion", args=[second.pk, message.pk]), {"emotion": "anger"}
        )
        message.refresh_from_db()
        self.assertEqual(message.emotion, "anger")
        self.assertEqual(message.emotion_corrected_by, self.alice.user)
        self.assertEqual(list(Ticket.objects.by_care().values_list("pk", flat=True)),
                         [second.pk, first.pk])
        self.assertTrue(second.events.filter(what="mood corrected", after="anger").exists())

    def test_a_correction_survives_a_late_engine_reading(self) -> None:
        ticket = self.open_ticket("Your update broke my shop.")
        message = ticket.messages.get()
        actions.correct_emotion(message, self.alice, Emotion.ANGER)
        with reading_as(fake_reading("happiness")):
            actions.read_customer_message(message.pk)
        message.refresh_from_db()
        self.assertEqual(message.emotion, "anger")

    def test_a_bad_correction_is_refused_with_a_message(self) -> None:
        ticket = self.open_ticket()
        reply = actions.post_agent_reply(ticket, self.alice, "Refunded.")
        with self.assertRaisesMessage(actions.DeskError, "not one of the emotions"):
            actions.correct_emotion(present(ticket.messages.first()), self.alice, "rage")
        with self.assertRaisesMessage(actions.DeskError, "Only the customer's own messages"):
            actions.correct_emotion(reply, self.alice, "anger")

    def test_correcting_validates_ownership(self) -> None:
        ticket = self.open_ticket()
        message = ticket.messages.get()
        self.login(self.olga)
        response = self.client.post(
            reverse("console:correct_emotion", args=[ticket.pk, message.pk]), {"emotion": "anger"}
        )
        self.assertEqual(response.status_code, 404)
        message.refresh_from_db()
        self.assertEqual(message.emotion_corrected_by, None)


class RealEngineTestCase(BaseTestCase):
    """The desk with the shipped model: no mocks."""

    def test_an_angry_repeat_writer_outranks_a_calm_question(self) -> None:
        other = make_customer("Mila Novak", "mila@example.com")
        with self.captureOnCommitCallbacks(execute=True):
            calm = actions.open_ticket(
                customer=other, team=self.billing, subject="Invoice address",
                text="Hi, could you tell me how to change the address on my invoices? Thanks!",
            )
            angry = self.open_ticket("I was charged twice this month.")
            actions.record_customer_message(
                angry,
                "This is the third time I am writing and nobody answered. I am furious. Refund "
                "the double charge today or I cancel my subscription.",
            )
        angry.refresh_from_db()
        self.assertIn(angry.mood, {"anger", "frustration"})
        self.assertGreater(angry.churn_risk, 0.3)
        order = list(Ticket.objects.by_care().values_list("pk", flat=True))
        self.assertEqual(order, [angry.pk, calm.pk])
        message = present(angry.messages.filter(direction=Direction.CUSTOMER).last())
        self.assertTrue(present(message.reading)["cues"])
