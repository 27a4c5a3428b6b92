"""The weekly digest: each lead gets last week's figures for their teams and the three tickets
most worth a look, once, on Monday from the configured hour, through the one way Heard writes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine
from django.test import override_settings

from heard.insights import digest, kinds, rollup, tasks
from heard.insights.models import DigestSent, RolledDay
from heard.insights.tests.monday import MONDAY, MondayTestCase
from heard.mail.models import OutboundEmail

NEXT_MONDAY_9 = datetime(2026, 3, 9, 9, 0, tzinfo=UTC)


@override_settings(HEARD_INSIGHTS_DIGEST_HOUR=8)
class DigestTestCase(MondayTestCase):
    def setUp(self) -> None:
        super().setUp()
        rollup.roll_up_day(MONDAY)

    def sent(self) -> list[OutboundEmail]:
        return list(OutboundEmail.objects.filter(kind=kinds.WEEKLY_DIGEST.code))

    def test_each_lead_gets_last_weeks_figures_once(self) -> None:
        self.assertEqual(digest.send_due(NEXT_MONDAY_9), 1)
        [email] = self.sent()
        self.assertEqual(email.to_address, "lena@example.org")
        self.assertEqual(email.subject, "Your week in Billing: 2 to 8 March 2026")
        text = email.text
        self.assertIn("Hello Lena,", text)
        self.assertIn("- First replies: 3, the median after 7 h of business time; 67% within "
                      "target.", text)
        self.assertIn("Next replies: 2, 100% within target. Reply targets breached: 1.", text)
        self.assertIn("Reply times promised in acknowledgements and kept: 1 of 2.", text)
        self.assertIn("Sent replies scored 48 for empathy, 64 for respect and 60 for clarity, "
                      "out of 100. Sent despite a severe finding: 1.", text)
        self.assertIn("Customers who wrote upset and wrote again: 1. Calmer in their last "
                      "message: 1.", text)
        self.assertIn("Survey answers: 2, 50% happy or very happy.", text)
        self.assertNotIn("VPN", text)  # the Tech team is not hers
        self.assertTrue(text.rstrip().endswith(
            "You get this email because you lead the Billing team, and each lead gets their "
            "teams' figures once a week."))
        self.assertEqual(digest.send_due(NEXT_MONDAY_9 + timedelta(hours=1)), 0)
        self.assertEqual(len(self.sent()), 1)

    def test_the_three_tickets_most_worth_a_look_come_first(self) -> None:
        digest.send_due(NEXT_MONDAY_9)
        text = self.sent()[0].text
        worth = text.split("The tickets most worth a look:\n", 1)[1].split("\n\n", 1)[0]
        lines = worth.splitlines()
        self.assertEqual(len(lines), 2)  # at most three; only two were flagged
        # T3: sent anyway (3) and breached (1); T2: an unhappy answer (2); T4 is not flagged.
        self.assertTrue(lines[0].startswith(f"- {self.t3.reference} "), lines)
        self.assertIn("a reply went out despite the coach's warning", lines[0])
        self.assertIn("its reply target was breached", lines[0])
        self.assertIn(f"/tickets/{self.t3.pk}/", lines[0])
        self.assertTrue(lines[1].startswith(f"- {self.t2.reference} "), lines)
        self.assertIn("the customer answered the survey: unhappy", lines[1])

    def test_nothing_goes_before_monday_morning_or_for_a_quiet_week(self) -> None:
        self.assertEqual(digest.send_due(NEXT_MONDAY_9.replace(hour=7)), 0)
        self.assertEqual(digest.send_due(NEXT_MONDAY_9 + timedelta(weeks=1)), 0)  # no figures
        self.assertEqual(self.sent(), [])
        self.assertFalse(DigestSent.objects.exists())

    def test_a_lead_without_an_address_gets_none(self) -> None:
        self.lead.user.email = ""
        self.lead.user.save()
        self.assertEqual(digest.send_due(NEXT_MONDAY_9), 0)

    def test_the_periodic_job_rolls_up_then_sends_what_is_due(self) -> None:
        with time_machine.travel(NEXT_MONDAY_9, tick=False):
            tasks.roll_up()
        self.assertTrue(RolledDay.objects.filter(day=NEXT_MONDAY_9.date()).exists())
        self.assertTrue(RolledDay.objects.filter(day=NEXT_MONDAY_9.date() - timedelta(days=1))
                        .exists())
        self.assertEqual(len(self.sent()), 1)

    def test_it_is_marked_automatic_and_staff_only(self) -> None:
        digest.send_due(NEXT_MONDAY_9)
        email = self.sent()[0]
        self.assertEqual(email.kind, "insights_week")
        self.assertIsNone(email.ticket_id)
        self.assertEqual(kinds.WEEKLY_DIGEST.auto_submitted, "auto-generated")
