"""The shipped cases: enough of them, across industries and feelings, the five the issue names,
whole, loaded after every migrate, and exemplary replies the coach finds nothing in."""

from __future__ import annotations

import re
from io import StringIO

from django.core.management import call_command
from django.test import SimpleTestCase, TestCase

from heard.engine import coach
from heard.training import actions, simulation
from heard.training.cases import BANDS, CaseSpec, shipped_cases
from heard.training.models import Case, Source

NAMED_IN_THE_ISSUE = {
    # the car dealer whose mail program fails while the browser works, with an urgent order
    "parts-order-mail-fails": ("Outlook", "Webmail in the browser works", "parts order"),
    # a two-year contract, a tenth of the paid speed, the third time writing
    "internet-speed-tenth": ("third time", "a tenth of", "tied to this contract"),
    # a damaged birthday present
    "birthday-present-damaged": ("turns six", "split down the middle"),
    # a software error in the middle of an important task
    "vat-export-fails-on-deadline": ("in the middle of filing", "Error 500"),
    # a bereaved customer closing an account
    "bereaved-closing-account": ("died", "close his account"),
}
# Stock phrases that tell a customer nobody wrote for them; no case text uses them.
CLICHES = (
    "we apologize for any inconvenience", "we apologise for any inconvenience",
    "your call is important", "please be advised", "at your earliest convenience",
    "we value your business", "thank you for reaching out", "rest assured",
)
BAD_CODES = {"blame", "rtfm", "policy_wall", "dismissive", "robotic", "curt_closing", "shouting"}


class ShippedCasesTestCase(SimpleTestCase):
    cases: list[CaseSpec]

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.cases = list(shipped_cases())

    def test_there_are_at_least_thirty_across_industries_and_feelings(self) -> None:
        self.assertGreaterEqual(len(self.cases), 30)
        self.assertGreaterEqual(len({c.industry for c in self.cases}), 10)
        self.assertEqual(
            {c.feeling for c in self.cases},
            {"anger", "frustration", "disappointment", "anxiety", "confusion"},
        )
        self.assertEqual(len({c.name for c in self.cases}), len(self.cases), "one person each")

    def test_the_five_the_issue_names_are_there(self) -> None:
        by_slug = {c.slug: c for c in self.cases}
        for slug, facts in NAMED_IN_THE_ISSUE.items():
            self.assertIn(slug, by_slug)
            told = by_slug[slug].opening_text() + by_slug[slug].situation
            for fact in facts:
                self.assertIn(fact, told, slug)

    def test_every_case_is_whole_and_its_facts_filled(self) -> None:
        for case in self.cases:
            for band in BANDS:
                self.assertGreaterEqual(len(case.lines[band]), 2, f"{case.slug}: {band}")
            texts = [case.opening_text(), case.exemplary_text(), case.fill(case.situation),
                     *(case.fill(line) for lines in case.lines.values() for line in lines)]
            for text in texts:
                leftover = re.findall(r"\{\w+\}", text.replace("{question}", ""))
                self.assertEqual(leftover, [], case.slug)
                self.assertFalse(any(c in text.lower() for c in CLICHES), f"{case.slug}: {text}")

    def test_every_exemplary_reply_is_coached_clean_and_scores_high(self) -> None:
        for case in self.cases:
            for reading in (simulation.Felt(case.feeling), None):
                coaching = coach(case.exemplary_text(), case.opening_text(), case.name,
                                 reading=reading)
                self.assertEqual([f.code for f in coaching.findings], [], case.slug)
                self.assertGreaterEqual(coaching.score, 90, case.slug)

    def test_every_exemplary_reply_calms_its_customer_and_offers_the_resolution(self) -> None:
        for case in self.cases:
            played = simulation.play(case, 0, [case.exemplary_text()])
            exchange = played.exchanges[0]
            self.assertLess(exchange.delta, 0, case.slug)
            self.assertTrue(exchange.offered, case.slug)
            heat = [s.code for s in exchange.signals if s.weight > 0]
            self.assertEqual(heat, [], case.slug)

    def test_every_line_sounds_like_its_band(self) -> None:
        """The engine reads no resolved line as angry or frustrated."""
        from heard.engine import read

        for case in self.cases:
            for line in case.lines["resolved"]:
                self.assertNotIn(str(read(case.fill(line)).emotion),
                                 {"anger", "frustration"}, f"{case.slug}: {line}")


class LoadedCasesTestCase(TestCase):
    def test_migrate_loaded_every_shipped_case(self) -> None:
        shipped = {c.slug for c in shipped_cases()}
        self.assertEqual(set(Case.objects.filter(source=Source.SHIPPED)
                             .values_list("slug", flat=True)), shipped)

    def test_loading_again_changes_nothing_and_restores_an_edited_case(self) -> None:
        before = Case.objects.count()
        Case.objects.filter(slug="parts-order-mail-fails").update(title="Edited by hand")
        self.assertEqual(actions.load_shipped_cases(), before)
        self.assertEqual(Case.objects.count(), before)
        case = Case.objects.get(slug="parts-order-mail-fails")
        self.assertEqual(case.title, "The parts order that will not send")
        out = StringIO()
        call_command("load_cases", stdout=out)
        self.assertEqual(out.getvalue().strip(), f"{before} shipped cases loaded.")
        self.assertEqual(case.spec(), next(c for c in shipped_cases() if c.slug == case.slug))
