from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

from heard.desk import actions, forecast
from heard.desk.forecast import MIN_WAIT, PRIOR_RATE, describe, estimate, handling_rate
from heard.desk.models import Holiday, Ticket
from heard.desk.sla import DEFAULT_WEEKLY_HOURS, BusinessCalendar
from heard.test import BaseTestCase

# Monday 2026-11-23 10:00 UTC; the default calendar is Mon-Fri 09:00-17:00 UTC.
MONDAY_10 = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
OFFICE = BusinessCalendar.from_config("UTC", DEFAULT_WEEKLY_HOURS)


def promise(
    now: datetime = MONDAY_10, *, ahead: int = 0, on_shift: int = 2, **extra: object
) -> datetime:
    options: dict[str, object] = {"replies_per_agent_hour": 4.0, "calendar": OFFICE, **extra}
    return estimate(now=now, ahead=ahead, agents_on_shift=on_shift, **options)  # type: ignore[arg-type]


def test_it_promises_a_reply_soon_when_nobody_is_ahead() -> None:
    assert promise() == MONDAY_10 + timedelta(minutes=15)


def test_a_long_queue_pushes_the_reply_later() -> None:
    # 24 ahead, 2 agents at 4 replies an hour: 3 hours, plus the quiet wait
    assert promise(ahead=24) == datetime(2026, 11, 23, 13, 30, tzinfo=UTC)
    # 60 ahead: 7.5 hours and more, so it runs into Tuesday morning
    assert promise(ahead=60) == datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


def test_more_agents_on_shift_clear_the_queue_sooner() -> None:
    assert promise(ahead=24, on_shift=4) < promise(ahead=24, on_shift=2)


def test_outside_hours_the_wait_starts_at_the_next_opening() -> None:
    monday_evening = MONDAY_10.replace(hour=20)
    assert promise(monday_evening, on_shift=0, staffing=2) == datetime(
        2026, 11, 24, 9, 15, tzinfo=UTC
    )


def test_with_nobody_on_shift_it_uses_the_staffing_at_the_next_opening() -> None:
    night = MONDAY_10.replace(hour=22)
    assert promise(night, ahead=16, on_shift=0, staffing=4) == datetime(
        2026, 11, 24, 10, 30, tzinfo=UTC
    )
    # 4 hours and 20 minutes: past 4 hours a person says the hour
    assert promise(night, ahead=16, on_shift=0, staffing=1) == datetime(
        2026, 11, 24, 13, 0, tzinfo=UTC
    )
    assert promise(night, ahead=16, on_shift=0, staffing=0) == promise(
        night, ahead=16, on_shift=0, staffing=1
    )


def test_a_weekend_waits_for_monday_and_a_holiday_for_the_day_after() -> None:
    friday_evening = datetime(2026, 11, 27, 18, 0, tzinfo=UTC)
    assert promise(friday_evening, on_shift=0) == datetime(2026, 11, 30, 9, 15, tzinfo=UTC)
    holiday = BusinessCalendar.from_config("UTC", DEFAULT_WEEKLY_HOURS, [date(2026, 11, 30)])
    assert promise(friday_evening, on_shift=0, calendar=holiday) == datetime(
        2026, 12, 1, 9, 15, tzinfo=UTC
    )


def test_it_never_promises_an_instant_reply_and_rounds_like_a_person() -> None:
    now = MONDAY_10 + timedelta(minutes=7)
    at = promise(now, quiet_wait=timedelta(0))
    assert at >= now + MIN_WAIT
    assert at == datetime(2026, 11, 23, 10, 30, tzinfo=UTC)
    for ahead in range(0, 80, 7):
        at = promise(now, ahead=ahead)
        assert at.minute % 15 == 0 and at.second == 0


def test_thin_history_leans_on_the_prior_and_never_jumps() -> None:
    assert handling_rate(0, 0.0) == PRIOR_RATE
    assert abs(handling_rate(1, 2.0) - PRIOR_RATE) < 0.5
    # a long history at 2 replies an hour outweighs the prior
    assert abs(handling_rate(1120, 560.0) - 2.0) < 0.1
    rates = [handling_rate(2 * hours, float(hours)) for hours in range(200)]
    assert all(abs(a - b) < 0.15 for a, b in pairwise(rates))


def test_it_describes_a_short_wait_as_a_duration() -> None:
    zone = ZoneInfo("Europe/Ljubljana")
    assert describe(MONDAY_10 + timedelta(minutes=15), MONDAY_10, zone) == "in about 15 minutes"
    assert describe(MONDAY_10 + timedelta(hours=1), MONDAY_10, zone) == "in about an hour"
    assert (
        describe(MONDAY_10 + timedelta(minutes=90), MONDAY_10, zone)
        == "in about an hour and a half"
    )
    assert describe(MONDAY_10 + timedelta(hours=2), MONDAY_10, zone) == "in about 2 hours"


def test_it_describes_a_later_reply_in_the_customers_time_zone() -> None:
    evening, at = MONDAY_10.replace(hour=20), datetime(2026, 11, 24, 9, 15, tzinfo=UTC)
    assert (
        describe(at, evening, ZoneInfo("Europe/Ljubljana"))
        == "tomorrow morning, around 10:15 (your time)"
    )
    assert describe(at, evening, ZoneInfo("Asia/Tokyo")) == "later today, around 18:15 (your time)"
    new_york = ZoneInfo("America/New_York")
    assert describe(at, evening, new_york) == "tomorrow, around 04:15 (your time)"
    afternoon = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
    morning = MONDAY_10.replace(hour=8)
    assert describe(afternoon, morning, UTC) == "later today, around 15:00 (your time)"


def test_it_names_the_day_of_a_reply_after_a_weekend() -> None:
    friday_evening = datetime(2026, 11, 27, 18, 0, tzinfo=UTC)
    monday = datetime(2026, 11, 30, 9, 15, tzinfo=UTC)
    assert describe(monday, friday_evening, UTC) == "on Monday morning, around 09:15 (your time)"
    assert (
        describe(monday + timedelta(days=7), friday_evening, UTC)
        == "on Monday 7 December, around 09:15 (your time)"
    )


class ExpectedFirstReplyTestCase(BaseTestCase):
    def waiting(self, at: datetime) -> Ticket:
        ticket = self.open_ticket("Please send me a copy of the invoice.", at=at)
        return Ticket.objects.select_related("team").get(pk=ticket.pk)

    def test_it_counts_the_tickets_ahead_in_care_order_and_in_the_same_team(self) -> None:
        self.waiting(MONDAY_10 - timedelta(minutes=60))
        self.waiting(MONDAY_10 - timedelta(minutes=30))
        self.open_ticket(team=self.tech, at=MONDAY_10 - timedelta(minutes=50))
        answered = self.waiting(MONDAY_10 - timedelta(minutes=40))
        actions.post_agent_reply(answered, self.alice, "Here it is.", at=MONDAY_10)
        mine = self.waiting(MONDAY_10)
        self.waiting(MONDAY_10 + timedelta(minutes=30))  # calm, later: behind
        self.assertEqual(forecast.expected_first_reply(mine, now=MONDAY_10).ahead, 2)

        angry = self.waiting(MONDAY_10 + timedelta(minutes=60))
        actions.correct_emotion(angry.messages.get(), self.alice, "anger")
        now = MONDAY_10 + timedelta(minutes=61)
        self.assertEqual(forecast.expected_first_reply(mine, now=now).ahead, 3)

    def test_it_says_who_is_on_shift_and_when_in_business_hours(self) -> None:
        self.waiting(MONDAY_10 - timedelta(minutes=30))
        mine = self.waiting(MONDAY_10)
        expected = forecast.expected_first_reply(mine, now=MONDAY_10)
        self.assertEqual(expected.agents_on_shift, 3)  # Lena, Alice and Bob
        self.assertEqual(expected.basis, "1 person is ahead of you and 3 agents are on shift")
        self.assertGreater(expected.at, MONDAY_10)
        self.assertLessEqual(expected.at, MONDAY_10 + timedelta(hours=1))

    def test_inactive_agents_are_not_on_shift(self) -> None:
        self.bob.user.is_active = False
        self.bob.user.save()
        mine = self.waiting(MONDAY_10)
        self.assertEqual(forecast.expected_first_reply(mine, now=MONDAY_10).agents_on_shift, 2)

    def test_outside_hours_nobody_is_on_shift_and_the_reply_comes_after_opening(self) -> None:
        saturday = datetime(2026, 11, 28, 11, 0, tzinfo=UTC)
        mine = self.waiting(saturday)
        expected = forecast.expected_first_reply(mine, now=saturday)
        self.assertEqual(expected.agents_on_shift, 0)
        self.assertGreater(expected.at, datetime(2026, 11, 30, 9, 0, tzinfo=UTC))
        self.assertEqual(
            expected.basis,
            "we are outside our working hours, nobody is ahead of you and 3 agents start when "
            "we open",
        )

    def test_a_team_holiday_moves_the_reply_to_the_next_working_day(self) -> None:
        Holiday.objects.create(team=self.billing, date=date(2026, 11, 30), name="St Andrew")
        saturday = datetime(2026, 11, 28, 11, 0, tzinfo=UTC)
        mine = self.waiting(saturday)
        at = forecast.expected_first_reply(mine, now=saturday).at
        self.assertEqual(at.date(), date(2026, 12, 1))

    def test_thin_history_uses_the_prior_rate(self) -> None:
        mine = self.waiting(MONDAY_10)
        rate = forecast.expected_first_reply(mine, now=MONDAY_10).rate_per_hour
        self.assertEqual(rate, PRIOR_RATE)
        later = forecast.expected_first_reply(mine, now=MONDAY_10 + timedelta(minutes=20))
        self.assertAlmostEqual(later.rate_per_hour, PRIOR_RATE, delta=0.5)

    def test_the_rate_follows_the_replies_of_the_last_week(self) -> None:
        for day in range(1, 8):  # one reply a working day, last week: far below the prior
            start = MONDAY_10 - timedelta(days=day)
            if start.weekday() < 5:
                actions.post_agent_reply(self.waiting(start), self.alice, "Done.", at=start)
        mine = self.waiting(MONDAY_10)
        rate = forecast.expected_first_reply(mine, now=MONDAY_10).rate_per_hour
        self.assertLess(rate, PRIOR_RATE / 2)

    def test_it_gathers_its_inputs_in_one_query(self) -> None:
        for minutes in (10, 20, 30):
            self.waiting(MONDAY_10 - timedelta(minutes=minutes))
        mine = self.waiting(MONDAY_10)  # opening it built the team's calendar: kept for reuse
        with self.assertNumQueries(1):
            expected = forecast.expected_first_reply(mine, now=MONDAY_10)
        self.assertEqual(expected.ahead, 3)


def test_the_simulated_day_keeps_heards_promise_closer_than_the_fixed_one() -> None:
    from bench import reply_time_bench

    result = reply_time_bench.score("3 agents", reply_time_bench.simulate(3))
    assert result.ratio <= reply_time_bench.TARGET_RATIO
