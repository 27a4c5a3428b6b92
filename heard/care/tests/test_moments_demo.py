"""The demo's moment, and the rule's own checks: greetings coached before they can be saved."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from datetime import UTC, date, datetime

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.test import SimpleTestCase, TestCase
from django.urls import reverse

from heard.care.models import GiftKind, Greeting, GreetingState, Moment, Occasion, Voucher
from heard.care.moments import demo as moment_demo
from heard.care.tests.moment_helpers import birthday_moment
from heard.desk import demo
from heard.desk.models import ACTIVE_STATUSES, ConsentKind
from heard.engine import coach

NOW = datetime(2025, 6, 18, 14, 30, tzinfo=UTC)  # as the desk's demo test
HARMFUL = {"blame", "rtfm", "policy_wall", "dismissive", "robotic", "curt_closing", "shouting"}


class DemoMomentTestCase(TestCase):
    moment: Moment

    @classmethod
    def setUpTestData(cls) -> None:
        demo.load_demo(now=NOW)
        cls.moment = Moment.objects.get(name="Birthday minutes")

    def test_a_birthday_moment_with_its_budget_and_vouchers(self) -> None:
        moment = self.moment
        self.assertEqual((moment.team.slug, moment.occasion), ("billing", Occasion.BIRTHDAY))  # type: ignore[union-attr]
        self.assertEqual((moment.gift_kind, moment.gift_cost_cents), (GiftKind.MINUTES, 300))
        self.assertEqual(moment.monthly_budget_cents, 4500)
        self.assertEqual(Voucher.objects.filter(moment=moment, assigned_at=None).count(), 40)

    def test_a_batch_awaits_approval_and_one_greeting_is_held_for_an_angry_ticket(self) -> None:
        greetings = Greeting.objects.filter(moment=self.moment)
        self.assertGreaterEqual(greetings.filter(state=GreetingState.AWAITING).count(), 3)
        held = greetings.get(state=GreetingState.HELD, held_for__isnull=False)
        assert held.held_for is not None
        self.assertIn(held.held_for.status, ACTIVE_STATUSES)
        self.assertIn(held.held_for.mood, ("anger", "frustration"))
        self.assertIn("is open and the customer is", held.why)

    def test_everyone_greeted_agreed_as_the_demo_recorded(self) -> None:
        for greeting in Greeting.objects.select_related("customer__birthday_consent"):
            consent = greeting.customer.consent(ConsentKind.BIRTHDAY)
            assert consent is not None
            self.assertTrue(consent.given)
            self.assertEqual(consent.source, "demo")

    def test_the_billing_lead_sees_it_with_its_budget(self) -> None:
        self.client.force_login(User.objects.get(username="nina"))  # Billing's lead
        page = self.client.get(reverse("console:moment", args=[self.moment.pk]))
        self.assertContains(page, "Birthday minutes")
        self.assertContains(page, "of €45.00 committed")
        self.assertContains(page, "is open and the customer is")

    def test_its_greeting_is_coached_clean(self) -> None:
        text = self.moment.fill(self.moment.greeting, "Gordana")
        self.assertTrue(text.startswith("Happy birthday, Gordana — this month 50 free minutes, "
                                        "50 SMS and 300 MB are on us."))  # fmt: skip
        self.assertFalse(HARMFUL & {f.code for f in coach(text, None, "Gordana").findings})


class RuleTestCase(TestCase):
    def test_words_that_would_hurt_are_refused_with_the_coachs_reason(self) -> None:
        with self.assertRaises(ValidationError) as refused:
            birthday_moment(greeting="Dear Customer, please read our terms to claim {gift}.")
        errors = refused.exception.message_dict["greeting"]
        self.assertTrue(any("“Dear Customer”" in error for error in errors), errors)
        self.assertFalse(Moment.objects.exists())

    def test_only_name_and_gift_are_filled_in(self) -> None:
        with self.assertRaises(ValidationError) as refused:
            birthday_moment(greeting="Happy birthday, {name} {surname}: {gift} on us.")
        self.assertEqual(
            refused.exception.message_dict["greeting"],
            ["Only {gift}, {name} can be filled in, not {surname}."],
        )

    def test_the_gift_is_named_when_there_is_one_and_never_when_there_is_none(self) -> None:
        with self.assertRaises(ValidationError) as refused:
            birthday_moment(greeting="Happy birthday, {name}!")
        self.assertIn("put {gift} in the greeting", str(refused.exception))
        with self.assertRaises(ValidationError):
            birthday_moment(gift_kind=GiftKind.NONE, gift_text="")
        birthday_moment(gift_kind=GiftKind.NONE, gift_text="", greeting="Happy birthday, {name}!")

    def test_an_anniversary_says_which_and_a_day_says_when(self) -> None:
        with self.assertRaises(ValidationError) as refused:
            birthday_moment(occasion=Occasion.ANNIVERSARY)
        self.assertIn("years", refused.exception.message_dict)
        with self.assertRaises(ValidationError) as refused:
            birthday_moment(occasion=Occasion.DATE)
        self.assertIn("date", refused.exception.message_dict)
        birthday_moment(occasion=Occasion.DATE, date=date(2026, 12, 24))

    def test_voucher_codes_are_unique_and_readable(self) -> None:
        codes = moment_demo.voucher_codes(random.Random(1), 40)
        self.assertEqual(len(set(codes)), 40)
        self.assertFalse(set("01IO") & set("".join(code.removeprefix("BDAY-") for code in codes)))


class SettingsTestCase(SimpleTestCase):
    def test_a_webhook_without_its_address_and_secret_stops_startup(self) -> None:
        env = {**os.environ, "HEARD_GIFT_PROVIDER": "webhook", "HEARD_GIFT_WEBHOOK_URL": ""}
        result = subprocess.run(
            [sys.executable, "-c", "import heard.settings"],
            env=env, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("HEARD_GIFT_PROVIDER=webhook needs HEARD_GIFT_WEBHOOK_URL", result.stderr)
        env["HEARD_GIFT_PROVIDER"] = "pigeons"
        result = subprocess.run(
            [sys.executable, "-c", "import heard.settings"],
            env=env, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        self.assertIn("use vouchers (the default) or webhook", result.stderr)

