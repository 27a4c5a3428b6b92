"""The queue's reply clock counts business hours, as the reply targets do."""

from __future__ import annotations

from datetime import UTC, datetime

import time_machine
from django.test import SimpleTestCase

from heard.console.templatetags.clock import business_clock
from heard.desk.sla import DEFAULT_WEEKLY_HOURS, BusinessCalendar

FRIDAY_4PM = datetime(2026, 11, 27, 16, 0, tzinfo=UTC)
MONDAY_10AM = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)


class BusinessClockTest(SimpleTestCase):
    calendar = BusinessCalendar.from_config("UTC", DEFAULT_WEEKLY_HOURS)

    def test_the_weekend_does_not_count(self) -> None:
        with time_machine.travel(FRIDAY_4PM, tick=False):
            self.assertEqual(
                business_clock(MONDAY_10AM, self.calendar), "due in 2 h"
            )

    def test_overdue_counts_business_hours_too(self) -> None:
        with time_machine.travel(MONDAY_10AM, tick=False):
            self.assertEqual(
                business_clock(FRIDAY_4PM, self.calendar), "overdue by 2 h"
            )

    def test_no_clock(self) -> None:
        self.assertEqual(business_clock(None, self.calendar), "not waiting on us")
