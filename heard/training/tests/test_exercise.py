"""The written-tone exercise: name the feelings, reply as usual, rewrite; side by side."""

from __future__ import annotations

from django.urls import reverse

from heard.test import BaseTestCase
from heard.training import actions
from heard.training.models import Case, Exercise

COLD = (
    "Dear Customer,\n\nYour request has been logged. Please read the setup guide on our "
    "website. I hope this answers all your questions."
)
WARM = (
    "Hi Davor,\n\nWith a car on your lift and the order due at 3 pm, I can see why this can't "
    "wait. Save the order as a PDF and send it from webmail now; I'll call you at 1:30 pm to "
    "fix Outlook with you.\n\nIf the PDF gives you trouble, reply here and I'll help at once."
)


class ExerciseTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.case = Case.objects.get(slug="parts-order-mail-fails")
        self.login(self.alice)

    def start(self) -> Exercise:
        page = self.client.post(reverse("training:start_exercise", args=[self.case.slug]))
        exercise = Exercise.objects.get(agent=self.alice)
        self.assertRedirects(page, exercise.get_absolute_url())
        return exercise

    def test_it_keeps_the_truth_hidden_until_the_feelings_are_named(self) -> None:
        exercise = self.start()
        page = self.client.get(exercise.get_absolute_url())
        self.assertContains(page, "What does Davor Kos feel?")
        self.assertNotContains(page, "A deadline is hours away")
        self.assertNotContains(page, "A reply written for this case")

    def test_it_says_what_was_missed(self) -> None:
        exercise = self.start()
        url = reverse("training:exercise_feelings", args=[exercise.pk])
        page = self.client.post(url, {"feelings": ["frustration", "anger"],
                                      "why": "Outlook keeps failing"}, follow=True)
        self.assertContains(page, "You missed anxiety, the feeling to answer first")
        self.assertContains(page, "You named anger; the case does not carry it")
        self.assertContains(page, "The engine read")
        self.assertContains(page, "A deadline is hours away")
        exercise.refresh_from_db()
        self.assertEqual(exercise.named_feelings, ["anger", "frustration"])
        self.assertEqual(exercise.step(), "reply")

    def test_it_needs_a_feeling(self) -> None:
        exercise = self.start()
        url = reverse("training:exercise_feelings", args=[exercise.pk])
        page = self.client.post(url, {"why": "no idea"})
        self.assertContains(page, "Choose at least one feeling.", status_code=400)
        self.assertEqual(Exercise.objects.get(pk=exercise.pk).step(), "feelings")

    def test_the_two_replies_are_shown_side_by_side_with_each_difference(self) -> None:
        exercise = self.start()
        actions.name_feelings(exercise, self.alice, ["anxiety", "frustration"], "the deadline")
        reply_url = reverse("training:exercise_reply", args=[exercise.pk])
        page = self.client.post(reply_url, {"text": COLD}, follow=True)
        self.assertContains(page, "Your usual reply, coached")
        self.assertContains(page, 'class="finding"')  # the words that hurt, marked
        self.assertContains(page, "A reply written for this case")
        self.assertContains(page, "Now rewrite it")
        page = self.client.post(reply_url, {"text": WARM}, follow=True)
        exercise.refresh_from_db()
        self.assertEqual(exercise.step(), "done")
        first, second = exercise.first_coaching, exercise.rewrite_coaching
        assert first is not None and second is not None
        self.assertGreater(second["score"], first["score"])
        diff = exercise.differences()
        self.assertEqual(diff["empathy"], second["dimensions"]["empathy"]
                         - first["dimensions"]["empathy"])
        self.assertGreater(diff["respect"], 0)
        self.assertContains(page, "The two replies side by side")
        self.assertContains(page, f"+{diff['score']}")
        self.assertEqual(exercise.score, second["score"])

    def test_steps_cannot_be_skipped_or_redone(self) -> None:
        exercise = self.start()
        with self.assertRaises(actions.TrainingError) as refused:
            actions.submit_reply(exercise, self.alice, WARM)
        self.assertEqual(refused.exception.code, actions.TrainingCode.WRONG_STEP)
        actions.name_feelings(exercise, self.alice, ["anxiety"], "deadline")
        with self.assertRaises(actions.TrainingError):
            actions.name_feelings(exercise, self.alice, ["anger"], "again")

    def test_it_validates_ownership(self) -> None:
        exercise = actions.start_exercise(self.alice, self.case)
        url = exercise.get_absolute_url()
        post = reverse("training:exercise_feelings", args=[exercise.pk])
        self.login(self.bob)  # a teammate: not his
        self.assertEqual(self.client.get(url).status_code, 404)
        self.assertEqual(self.client.post(post, {"feelings": ["anxiety"], "why": "x"})
                         .status_code, 404)
        self.login(self.olga)  # another team
        self.assertEqual(self.client.get(url).status_code, 404)
        self.login(self.lead)  # her lead reads it, but does not write in it
        self.assertEqual(self.client.get(url).status_code, 200)
        self.assertEqual(self.client.post(post, {"feelings": ["anxiety"], "why": "x"})
                         .status_code, 403)
        self.assertEqual(Exercise.objects.get(pk=exercise.pk).named_feelings, [])
