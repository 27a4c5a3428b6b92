"""Sending a greeting: on the morning of the day, gift first and then words that say what it is,
through the one way Heard writes to a customer; retried when it may go later, never twice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from unittest import mock

from django.core import mail
from django.test import override_settings

from heard.care import kinds
from heard.care.models import GiftKind, GiftState, Greeting, GreetingState, Voucher
from heard.care.moments import approve, gifts, plan, send
from heard.care.tests.moment_helpers import NOW, MomentTestCase
from heard.desk import actions
from heard.desk.models import ConsentKind, Notification
from heard.engine import coach
from heard.mail.models import OutboundEmail

MORNING = datetime(2026, 11, 26, 9, 1, tzinfo=UTC)
HARMFUL = {"blame", "rtfm", "policy_wall", "dismissive", "robotic", "curt_closing", "shouting"}


def greetings_sent() -> int:
    return OutboundEmail.objects.filter(kind=kinds.GREETING.code).count()


class ApprovedTestCase(MomentTestCase):
    """Aleksandar's greeting for Thursday is approved."""

    def setUp(self) -> None:
        super().setUp()
        plan.plan_moment(self.moment, NOW)
        approve.approve_batch(self.moment, self.lead, now=NOW)

    def send(self, now: datetime = MORNING) -> int:
        with self.captureOnCommitCallbacks(execute=True):
            return send.send_due(now)


class SendTestCase(ApprovedTestCase):
    def test_it_goes_on_the_morning_of_the_day_with_the_gift_it_names(self) -> None:
        self.assertEqual(self.send(MORNING - timedelta(minutes=2)), 0, "not before 09:00")
        self.assertEqual(self.send(), 1)
        greeting = self.greeting()
        self.assertEqual(greeting.state, GreetingState.SENT)
        self.assertEqual(greeting.gift_state, GiftState.DELIVERED)
        self.assertEqual(greeting.gift_code, "BDAY-0001")
        self.assertEqual(Voucher.objects.get(code="BDAY-0001").greeting, greeting)
        email = OutboundEmail.objects.get(kind=kinds.GREETING.code)
        self.assertEqual(email, greeting.email)
        self.assertEqual((email.to_address, email.subject, email.ticket),
                         ("aleks@example.com", "Happy birthday, Aleksandar", None))  # fmt: skip
        self.assertIn(
            "Happy birthday, Aleksandar — this month 50 free minutes, 50 SMS and 300 MB are on "
            "us.\n\nYour code to claim it: BDAY-0001",
            email.text,
        )
        self.assertIn(
            "You get this because you agreed on 3 March 2026 to greetings and small gifts from us.",
            email.text,
        )
        self.assertTrue(email.unsubscribe_url)
        self.assertEqual([m.to for m in mail.outbox], [["aleks@example.com"]])
        self.assertEqual(mail.outbox[0].extra_headers.get("Auto-Submitted"), "auto-generated")
        self.assertEqual(
            list(greeting.events.values_list("what", flat=True)),
            ["planned: Awaiting approval", "approved", "gift delivered", "sent"],
        )
        self.assertEqual(self.send(MORNING + timedelta(hours=1)), 0, "never twice")

    def test_the_greeting_raises_no_harmful_finding_from_the_coach(self) -> None:
        self.send()
        text = OutboundEmail.objects.get(kind=kinds.GREETING.code).text
        found = {f.code: f.text for f in coach(text, None, "Aleksandar").findings}
        self.assertFalse(HARMFUL & found.keys(), found)

    def test_a_greeting_without_a_gift_names_none(self) -> None:
        self.moment.gift_kind, self.moment.gift_text = GiftKind.NONE, ""
        self.moment.greeting = "Happy birthday, {name}! We hope it is a lovely day."
        self.moment.save()
        Greeting.objects.update(gift_state=GiftState.NONE)
        self.send()
        text = OutboundEmail.objects.get(kind=kinds.GREETING.code).text
        self.assertNotIn("code", text)
        self.assertFalse(Voucher.objects.filter(greeting__isnull=False).exists())

    def test_consent_withdrawn_on_the_day_sends_nothing_and_gives_nothing(self) -> None:
        actions.record_consent(self.customer, ConsentKind.BIRTHDAY, False, "email", at=NOW)
        self.assertEqual(self.send(), 0)
        greeting = self.greeting()
        self.assertEqual(greeting.state, GreetingState.SKIPPED)
        self.assertFalse(Voucher.objects.filter(greeting__isnull=False).exists())
        self.assertEqual(greetings_sent(), 0)

    def test_upset_on_the_day_it_is_held_not_sent(self) -> None:
        self.upset(self.customer)
        self.assertEqual(self.send(), 0)
        self.assertEqual(self.greeting().state, GreetingState.HELD)
        self.assertEqual(greetings_sent(), 0)

    @override_settings(HEARD_AUTOMAIL_PER_DAY=1)
    def test_over_the_caps_it_waits_and_goes_later(self) -> None:
        OutboundEmail.objects.create(
            kind="survey",
            to_address="aleks@example.com",
            from_header="x",
            subject="s",
            header_message_id="m1@heard.localhost",
            text="t",
            created_at=MORNING - timedelta(hours=2),
        )
        self.assertEqual(self.send(), 0)
        greeting = self.greeting()
        self.assertEqual(greeting.state, GreetingState.APPROVED)
        self.assertEqual(greeting.next_attempt_at, MORNING + send.CAPPED_RETRY)
        self.assertIn("the cap is 1", greeting.events.get(what="waiting").note)
        self.assertEqual(self.send(MORNING + timedelta(minutes=30)), 0, "not before its retry")
        self.assertEqual(self.send(MORNING + timedelta(hours=23)), 1)

    def test_a_bouncing_address_skips_it(self) -> None:
        actions.mark_addresses_bouncing(["aleks@example.com"])
        self.assertEqual(self.send(), 0)
        self.assertEqual(self.greeting().why, "not sent: it bounced before")

    def test_two_senders_at_once_send_it_once(self) -> None:
        claimed = send._claim_due(MORNING)
        self.assertEqual(send._claim_due(MORNING), [], "leased to the first")
        with self.captureOnCommitCallbacks(execute=True):
            self.assertTrue(send.send_one(claimed[0], MORNING))
            self.assertFalse(send.send_one(claimed[0], MORNING))
        self.assertEqual(greetings_sent(), 1)

    def test_a_sender_that_died_leaves_it_to_the_next_after_its_lease(self) -> None:
        send._claim_due(MORNING)
        self.assertEqual(self.send(MORNING + timedelta(minutes=5)), 0)
        self.assertEqual(self.send(MORNING + send.LEASE + timedelta(seconds=1)), 1)


class VoucherListTestCase(ApprovedTestCase):
    def test_no_code_is_ever_given_twice(self) -> None:
        for n in range(4):
            self.customer_born(f"Friend {n}", f"friend{n}@example.com", self.customer.birthday)
        plan.plan_moment(self.moment, NOW)
        approve.approve_batch(self.moment, self.lead, now=NOW)
        self.assertEqual(self.send(), 5)
        codes = list(Greeting.objects.values_list("gift_code", flat=True))
        self.assertEqual(len(set(codes)), 5)
        self.assertEqual(Voucher.objects.filter(assigned_at__isnull=False).count(), 5)
        with self.assertRaises(gifts.GiftError):
            gifts.add_vouchers(self.moment, ["BDAY-0001"])

    @override_settings(HEARD_GIFT_ATTEMPTS=3, HEARD_GIFT_RETRY_SECONDS=60)
    def test_an_empty_list_retries_then_fails_and_tells_the_lead(self) -> None:
        Voucher.objects.all().delete()
        self.assertEqual(self.send(), 0)
        greeting = self.greeting()
        self.assertEqual(greeting.state, GreetingState.APPROVED)
        self.assertEqual(greeting.gift_state, GiftState.RETRYING)
        self.assertEqual(greeting.next_attempt_at, MORNING + timedelta(seconds=60))
        self.assertIn("has no code left", greeting.gift_error)
        self.send(MORNING + timedelta(seconds=61))
        self.assertEqual(self.greeting().next_attempt_at, MORNING + timedelta(seconds=61 + 120))
        self.send(MORNING + timedelta(seconds=182))
        greeting = self.greeting()
        self.assertEqual((greeting.state, greeting.gift_state, greeting.gift_attempts),
                         (GreetingState.FAILED, GiftState.FAILED, 3))  # fmt: skip
        self.assertEqual(greetings_sent(), 0, "no greeting promising a missing gift")
        notice = Notification.objects.get(recipient=self.lead.user)
        self.assertIn("no greeting sent to Aleksandar Petrović", notice.text)
        self.assertEqual(
            list(greeting.events.values_list("what", flat=True))[-3:],
            ["gift retrying", "gift retrying", "gift failed"],
        )

    def test_codes_come_back_for_a_gift_already_delivered(self) -> None:
        greeting = self.greeting()
        first = gifts.VoucherList().deliver(greeting)
        self.assertEqual(gifts.VoucherList().deliver(greeting), first)
        self.assertEqual(Voucher.objects.filter(greeting=greeting).count(), 1)


class FailingSendTestCase(ApprovedTestCase):
    def test_one_greeting_that_fails_never_holds_back_the_others(self) -> None:
        self.customer_born("Friend", "friend@example.com", self.customer.birthday)
        plan.plan_moment(self.moment, NOW)
        approve.approve_batch(self.moment, self.lead, now=NOW)
        first = self.greeting().pk
        real = send._greet

        def greet(greeting: Greeting, address: str, now: datetime) -> bool:
            if greeting.pk == first:
                raise RuntimeError("the mail settings are broken")
            return real(greeting, address, now)

        with mock.patch.object(send, "_greet", side_effect=greet), self.assertLogs(
            "heard.care.moments.send", "ERROR"
        ):
            self.assertEqual(self.send(), 1)
        self.assertEqual(self.send(MORNING + send.LEASE + timedelta(seconds=1)), 1)
