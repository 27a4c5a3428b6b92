"""The role-play's customer on scripted reply sequences: what heats them up, what calms them
down, how it ends, and that it is the same every time."""

from __future__ import annotations

from django.test import SimpleTestCase

from heard.training import simulation
from heard.training.cases import CaseSpec, shipped_cases
from heard.training.simulation import LOST, RESOLVED, play

BLAMING = "That error is user error. You must have changed your settings yourself."
ACKNOWLEDGING = (
    "Hi Davor, I'm so sorry: with a car on the lift and the order due, that is stressful. "
    "I'll ring you at 1 pm today and we'll send the order together."
)
TEMPLATE = "Thank you for your patience. Our team is looking into your request."
KIND_TEMPLATE = (
    "Hi Davor, I'm sorry, I know how stressful this is. I'll call you at 1 pm today to sort "
    "out the order."
)
OFFER = (
    "Hi Davor, I'm sorry for the worry. Save the order as a PDF and send it from webmail now; "
    "I'll set Outlook's outgoing server to port 587 with you at 4 pm today."
)


def shipped(slug: str) -> CaseSpec:
    return next(case for case in shipped_cases() if case.slug == slug)


def questioning_case() -> CaseSpec:
    """A small case written for these tests: calm enough to move either way, with a question."""
    lines = {
        "hot": ("I'm furious now. When will my refund arrive?",),
        "upset": ("I'm still upset. When will my refund arrive?",),
        "easing": ("Okay. Will the refund be the full amount?",),
        "calm": ("Thanks. So how do I get my money back?",),
        "resolved": ("Thank you, that's all I needed.",),
        "lost": ("I want to speak to a manager.",),
    }
    return CaseSpec(
        slug="test-refund", title="A late refund", industry="retail", name="Nora Quist",
        situation="A refund promised two weeks ago has not arrived.", tried="Waited.",
        resolution="The refund sent today.", feeling="frustration", feelings=("frustration",),
        feeling_why="Promised and forgotten.", intensity=5, offers=("refunded",),
        opening="My refund was promised two weeks ago. When will it arrive in my account?",
        exemplary="Hi Nora, I'm sorry. I've refunded it today; it arrives by Friday.",
        lines=lines,
    )


class StateMachineTestCase(SimpleTestCase):
    def setUp(self) -> None:
        self.dealer = shipped("parts-order-mail-fails")

    def test_it_heats_up_after_a_blaming_reply(self) -> None:
        played = play(self.dealer, 1, [BLAMING])
        exchange = played.exchanges[0]
        self.assertIn("blame", [s.code for s in exchange.signals])
        self.assertGreater(played.mood.intensity, self.dealer.intensity)
        blame_says = simulation.table().moves["blame"].says
        self.assertTrue(exchange.answer.startswith(blame_says), exchange.answer)

    def test_it_calms_down_after_an_acknowledging_reply_with_a_next_step(self) -> None:
        played = play(self.dealer, 1, [ACKNOWLEDGING])
        codes = [s.code for s in played.exchanges[0].signals]
        self.assertIn("acknowledged", codes)
        self.assertIn("next_step", codes)
        self.assertLess(played.mood.intensity, self.dealer.intensity)
        self.assertEqual(played.mood.band, "easing")
        self.assertIn(played.exchanges[0].answer, [self.dealer.fill(line) for line in
                                                   self.dealer.lines["easing"]])

    def test_a_template_repeated_twice_heats_up(self) -> None:
        played = play(self.dealer, 1, [TEMPLATE, TEMPLATE])
        first, second = played.curve()[1:]
        self.assertGreater(first, self.dealer.intensity)
        self.assertGreater(second, first)
        self.assertIn("repeated_template", [s.code for s in played.exchanges[1].signals])

    def test_a_kind_reply_repeated_word_for_word_heats_up_too(self) -> None:
        played = play(self.dealer, 1, [KIND_TEMPLATE, KIND_TEMPLATE])
        start, first, second = played.curve()
        self.assertLess(first, start)
        self.assertGreater(second, first, "the same words again calm nobody")

    def test_it_heats_up_when_a_question_is_ignored(self) -> None:
        case = questioning_case()
        ignored = play(case, 0, ["Hi Nora, I'm sorry about the wait. I've passed this on."])
        answered = play(case, 0, ["Hi Nora, I'm sorry about the wait. It arrives by Friday."])
        ignored_codes = [s.code for s in ignored.exchanges[0].signals]
        self.assertIn("ignored_question", ignored_codes)
        self.assertNotIn("ignored_question", [s.code for s in answered.exchanges[0].signals])
        self.assertGreater(ignored.mood.intensity, answered.mood.intensity)
        self.assertIn("When will it arrive in my account?", ignored.exchanges[0].answer)

    def test_it_ends_resolved_when_calm_and_offered_the_resolution(self) -> None:
        played = play(self.dealer, 1, [ACKNOWLEDGING, OFFER])
        self.assertEqual(played.outcome, RESOLVED)
        self.assertEqual(played.mood.emotion, "happiness")
        self.assertIn(played.exchanges[-1].answer,
                      [self.dealer.fill(line) for line in self.dealer.lines["resolved"]])
        with self.assertRaises(ValueError):
            simulation.step(played, "One more thing.")

    def test_calm_without_the_resolution_is_not_resolved(self) -> None:
        case = questioning_case()
        played = play(case, 0, [
            "Hi Nora, I'm so sorry about the wait, that's frustrating. I'll check it with our "
            "finance team and write to you by 4 pm today."
        ])
        self.assertLessEqual(played.mood.intensity, simulation.table().resolved_at)
        self.assertEqual(played.outcome, "")
        self.assertEqual(played.exchanges[-1].answer, "Thanks. So how do I get my money back?")

    def test_it_ends_lost_when_the_customer_boils_over(self) -> None:
        internet = shipped("internet-speed-tenth")  # third time writing: starts hot
        played = play(internet, 3, [BLAMING.replace("Davor", "Siobhan")])
        self.assertEqual(played.outcome, LOST)
        self.assertEqual(played.mood.intensity, simulation.table().max)
        self.assertTrue(any(line in played.exchanges[-1].answer
                            for line in (internet.fill(x) for x in internet.lines["lost"])))

    def test_it_ends_lost_at_the_turn_limit(self) -> None:
        kind_but_never_the_refund = [
            "Hi Nora, I'm sorry this has dragged on. I'll look for your money with finance and "
            "write back today.",
            "Nora, thanks for bearing with me. Finance has your money on their list; I'll have "
            "news for you this afternoon.",
            "Quick update, Nora: I'm chasing the money back myself and will email you tomorrow.",
            "Nora, I know waiting is wearing. The payment back to you is still with finance; "
            "I'll ring them today.",
            "Sorry Nora, nothing yet on your money. I'll call finance again tomorrow morning.",
            "Nora, I'm still on it: your money back is my first job this morning, and I'll "
            "write by noon.",
        ]
        self.assertEqual(len(kind_but_never_the_refund), simulation.table().turn_limit)
        played = play(questioning_case(), 0, kind_but_never_the_refund[:-1])
        self.assertEqual(played.outcome, "", "calm, but still waiting for the refund")
        played = simulation.step(played, kind_but_never_the_refund[-1])
        self.assertEqual(played.outcome, LOST)
        self.assertEqual(played.exchanges[-1].answer, "I want to speak to a manager.")

    def test_it_is_the_same_for_the_same_case_seed_and_replies(self) -> None:
        replies = [TEMPLATE, ACKNOWLEDGING, OFFER]
        one, two = play(self.dealer, 7, replies), play(self.dealer, 7, replies)
        self.assertEqual([e.answer for e in one.exchanges], [e.answer for e in two.exchanges])
        self.assertEqual(one.curve(), two.curve())
        answers = {tuple(e.answer for e in play(self.dealer, seed, replies).exchanges)
                   for seed in range(8)}
        self.assertGreater(len(answers), 1, "the seed picks among the lines written")

    def test_it_names_the_one_change_that_would_have_helped_most(self) -> None:
        played = play(self.dealer, 1, [ACKNOWLEDGING, BLAMING, OFFER])
        advice = played.helped_most()
        assert advice is not None
        self.assertEqual((advice.turn, advice.code), (2, "blame"))
        self.assertEqual(advice.words, "user error")
        self.assertIn("blame off the customer", advice.text)


class TableTestCase(SimpleTestCase):
    def test_every_signal_is_weighed_and_explained(self) -> None:
        from heard.engine import FINDING_CODES

        table = simulation.table()
        for code, move in table.moves.items():
            self.assertTrue(move.advice, code)
            self.assertNotEqual(move.weight, 0, code)
            if move.source == "finding":
                self.assertIn(code, FINDING_CODES)
            if move.weight > 0:
                self.assertTrue(move.says, f"{code} heats them up, so they say something")
        self.assertEqual([band for band, _ in table.bands], ["hot", "upset", "easing", "calm"])
