"""Business-hours arithmetic (heard.desk.sla): pure functions, no database, no Django."""

from __future__ import annotations

import random
import time as clock
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from heard.desk.sla import (
    DEFAULT_WEEKLY_HOURS,
    WEEKDAYS,
    BusinessCalendar,
    Shift,
)

LJUBLJANA = ZoneInfo("Europe/Ljubljana")
NEW_YORK = ZoneInfo("America/New_York")
H = timedelta(hours=1)
M = timedelta(minutes=1)


def utc(y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: int = 0, us: int = 0) -> datetime:
    """An aware UTC datetime: utc(2026, 6, 1, 9) is 2026-06-01 09:00Z."""
    return datetime(y, mo, d, h, mi, s, us, tzinfo=UTC)


def lj(y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: int = 0, *, fold: int = 0) -> datetime:
    """An aware datetime on Ljubljana wall-clock time."""
    return datetime(y, mo, d, h, mi, s, tzinfo=LJUBLJANA, fold=fold)


def ny(y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: int = 0) -> datetime:
    """An aware datetime on New York wall-clock time."""
    return datetime(y, mo, d, h, mi, s, tzinfo=NEW_YORK)


def office(time_zone: str = "UTC", holidays: tuple[date, ...] = ()) -> BusinessCalendar:
    """09:00-17:00, Monday to Friday."""
    return BusinessCalendar.from_config(time_zone, DEFAULT_WEEKLY_HOURS, holidays)


def lunch_break(time_zone: str = "UTC") -> BusinessCalendar:
    """09:00-12:30 and 13:30-17:00, Monday to Friday."""
    split = [["09:00", "12:30"], ["13:30", "17:00"]]
    return BusinessCalendar.from_config(time_zone, {day: split for day in WEEKDAYS[:5]})


# 2026-06-01 is a Monday, 2026-06-05 a Friday.


# --- defaults ----------------------------------------------------------------------------------
def test_defaults_lists_the_weekdays_monday_first() -> None:
    assert WEEKDAYS == ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    assert date(2026, 6, 1).weekday() == WEEKDAYS.index("mon")


def test_defaults_has_office_hours_on_weekdays_only() -> None:
    assert DEFAULT_WEEKLY_HOURS["mon"] == [["09:00", "17:00"]]
    assert DEFAULT_WEEKLY_HOURS["sat"] == DEFAULT_WEEKLY_HOURS["sun"] == []
    assert list(DEFAULT_WEEKLY_HOURS) == list(WEEKDAYS)


def test_defaults_builds_a_calendar_from_the_defaults() -> None:
    calendar = office()
    assert calendar.to_config() == DEFAULT_WEEKLY_HOURS
    assert calendar.weekly_hours[0] == (Shift(time(9), time(17)),)
    assert calendar.weekly_hours[5] == ()


# --- shift -------------------------------------------------------------------------------------
def test_shift_reads_midnight_as_the_end_of_the_day() -> None:
    shift = Shift(time(22), time(0))
    assert shift.ends_at_midnight
    assert shift.to_config() == ["22:00", "24:00"]


def test_shift_refuses_a_shift_that_ends_before_it_starts() -> None:
    with pytest.raises(ValueError, match="ends before it starts"):
        Shift(time(17), time(9))
    with pytest.raises(ValueError, match="ends before it starts"):
        Shift(time(9), time(9))
    with pytest.raises(ValueError, match="take no tzinfo"):
        Shift(time(9, tzinfo=UTC), time(17))


# --- from_config -------------------------------------------------------------------------------
def test_from_config_reads_split_shifts_and_closes_missing_days() -> None:
    calendar = BusinessCalendar.from_config(
        "Europe/Ljubljana", {"mon": [["13:30", "17:00"], ["09:00", "12:30"]]}
    )
    assert calendar.time_zone == "Europe/Ljubljana"
    assert calendar.weekly_hours[0] == (
        Shift(time(9), time(12, 30)),
        Shift(time(13, 30), time(17)),
    )
    assert calendar.weekly_hours[1:] == ((),) * 6


def test_from_config_accepts_24_00_as_an_end() -> None:
    calendar = BusinessCalendar.from_config("UTC", {"sat": [["00:00", "24:00"]]})
    assert calendar.weekly_hours[5] == (Shift(time(0), time(0)),)


def test_from_config_keeps_holidays_as_a_frozenset() -> None:
    calendar = office(holidays=(date(2026, 12, 25), date(2026, 12, 25)))
    assert calendar.holidays == frozenset({date(2026, 12, 25)})


def test_from_config_round_trips_through_to_config() -> None:
    config = {
        "mon": [["08:00", "12:00"], ["12:30", "16:30"]],
        "tue": [["00:00", "24:00"]],
        "wed": [],
        "thu": [["22:00", "24:00"]],
        "fri": [["09:15", "17:45"]],
        "sat": [],
        "sun": [["10:00", "14:00"]],
    }
    calendar = BusinessCalendar.from_config("America/New_York", config)
    assert calendar.to_config() == config
    assert BusinessCalendar.from_config("America/New_York", calendar.to_config()) == calendar


def test_from_config_compares_and_hashes_by_value() -> None:
    assert office("Europe/Ljubljana") == office("Europe/Ljubljana")
    assert hash(office("Europe/Ljubljana")) == hash(office("Europe/Ljubljana"))
    assert office("Europe/Ljubljana") != office("UTC")


@pytest.mark.parametrize(
    ("time_zone", "weekly_hours", "message"),
    [
        ("Mars/Olympus_Mons", DEFAULT_WEEKLY_HOURS, 'Unknown time zone "Mars/Olympus_Mons"'),
        ("", DEFAULT_WEEKLY_HOURS, 'Unknown time zone ""'),
        ("../etc/passwd", DEFAULT_WEEKLY_HOURS, "Unknown time zone"),
        ("UTC", {"monday": [["09:00", "17:00"]]}, 'Unknown day "monday"; use one of mon,'),
        ("UTC", {"mon": [["9am", "17:00"]]}, 'mon: "9am" is not a time in HH:MM form'),
        ("UTC", {"tue": [["09:00", "25:00"]]}, 'tue: "25:00" is not a time in HH:MM form'),
        ("UTC", {"wed": [["09:60", "17:00"]]}, 'wed: "09:60" is not a time in HH:MM form'),
        ("UTC", {"thu": [["", "17:00"]]}, 'thu: "" is not a time in HH:MM form'),
        ("UTC", {"fri": [["09:00", "17:00:00"]]}, "is not a time in HH:MM form"),
        ("UTC", {"mon": [["24:00", "24:00"]]}, 'mon: a shift cannot start at "24:00"'),
        ("UTC", {"mon": [["09:00"]]}, r'mon: each shift must be a \["HH:MM", "HH:MM"\] pair'),
        ("UTC", {"mon": ["09:00-17:00"]}, "mon: each shift must be a"),
        ("UTC", {"mon": [["17:00", "09:00"]]}, "mon: shift 17:00-09:00 must end after it"),
        ("UTC", {"sun": [["09:00", "09:00"]]}, "sun: shift 09:00-09:00 must end after it"),
        (
            "UTC",
            {"mon": [["09:00", "13:00"], ["12:00", "17:00"]]},
            "mon: shifts 09:00-13:00 and 12:00-17:00 overlap",
        ),
        (
            "UTC",
            {"sat": [["12:00", "24:00"], ["20:00", "22:00"]]},
            "sat: shifts 12:00-24:00 and 20:00-22:00 overlap",
        ),
        ("UTC", {}, "The week has no business hours"),
        ("UTC", {day: [] for day in WEEKDAYS}, "The week has no business hours"),
    ],
)
def test_from_config_explains_every_mistake(
    time_zone: str, weekly_hours: dict[str, list[list[str]]], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        BusinessCalendar.from_config(time_zone, weekly_hours)


def test_from_config_allows_shifts_that_touch() -> None:
    calendar = BusinessCalendar.from_config(
        "UTC", {"mon": [["09:00", "12:00"], ["12:00", "17:00"]]}
    )
    assert calendar.between(utc(2026, 6, 1), utc(2026, 6, 2)) == 8 * H


def test_from_config_validates_a_calendar_built_directly() -> None:
    nine_to_five = (Shift(time(9), time(17)),)
    with pytest.raises(ValueError, match="needs 7 days"):
        BusinessCalendar("UTC", (nine_to_five,) * 5)
    with pytest.raises(ValueError, match="Unknown time zone"):
        BusinessCalendar("Nowhere/Town", (nine_to_five,) * 7)
    unsorted = (Shift(time(13), time(17)), Shift(time(9), time(12)))
    with pytest.raises(ValueError, match="mon: shifts must be listed in order"):
        BusinessCalendar("UTC", (unsorted,) + ((),) * 6)


# --- always_open -------------------------------------------------------------------------------
def test_always_open_around_the_clock() -> None:
    calendar = BusinessCalendar.always_open()
    assert calendar.time_zone == "UTC"
    for hour in range(0, 24 * 7, 5):
        moment = utc(2026, 6, 6) + hour * H
        assert calendar.is_open(moment)
        assert calendar.next_open(moment) == moment


def test_always_open_adds_and_measures_plain_elapsed_time() -> None:
    calendar = BusinessCalendar.always_open("Europe/Ljubljana")
    start = utc(2026, 6, 5, 16, 20)
    assert calendar.add(start, 50 * H) == start + 50 * H
    assert calendar.between(start, start + 50 * H) == 50 * H


def test_always_open_writes_a_full_week_of_whole_days() -> None:
    config = BusinessCalendar.always_open().to_config()
    assert config == {day: [["00:00", "24:00"]] for day in WEEKDAYS}


# --- is_open -----------------------------------------------------------------------------------
def test_is_open_at_the_start_of_a_shift() -> None:
    assert office().is_open(utc(2026, 6, 1, 9))


def test_is_open_false_at_the_end_of_a_shift() -> None:
    calendar = office()
    assert not calendar.is_open(utc(2026, 6, 1, 17))
    assert calendar.is_open(utc(2026, 6, 1, 17) - timedelta(microseconds=1))
    assert not calendar.is_open(utc(2026, 6, 1, 9) - timedelta(microseconds=1))


def test_is_open_false_at_night_and_on_weekends() -> None:
    calendar = office()
    assert not calendar.is_open(utc(2026, 6, 1, 3))
    assert not calendar.is_open(utc(2026, 6, 6, 12))
    assert not calendar.is_open(utc(2026, 6, 7, 12))


def test_is_open_false_on_holidays() -> None:
    calendar = office(holidays=(date(2026, 6, 2),))
    assert calendar.is_open(utc(2026, 6, 1, 12))
    assert not calendar.is_open(utc(2026, 6, 2, 12))


def test_is_open_false_over_lunch() -> None:
    calendar = lunch_break()
    assert calendar.is_open(utc(2026, 6, 1, 12, 29))
    assert not calendar.is_open(utc(2026, 6, 1, 12, 30))
    assert not calendar.is_open(utc(2026, 6, 1, 13))
    assert calendar.is_open(utc(2026, 6, 1, 13, 30))


def test_is_open_reads_any_offset() -> None:
    tokyo = ZoneInfo("Asia/Tokyo")
    assert office().is_open(datetime(2026, 6, 1, 18, tzinfo=tokyo))  # 09:00Z
    assert not office().is_open(datetime(2026, 6, 1, 17, tzinfo=tokyo))  # 08:00Z


# --- next_open ---------------------------------------------------------------------------------
def test_next_open_returns_the_moment_itself_when_open() -> None:
    assert office().next_open(utc(2026, 6, 1, 9)) == utc(2026, 6, 1, 9)


def test_next_open_answers_in_utc() -> None:
    moment = office().next_open(lj(2026, 6, 1, 12))
    assert moment == utc(2026, 6, 1, 10)
    assert moment.tzinfo is UTC


def test_next_open_waits_for_the_morning() -> None:
    assert office().next_open(utc(2026, 6, 1, 6)) == utc(2026, 6, 1, 9)


def test_next_open_waits_for_the_next_shift_from_the_end_of_one() -> None:
    assert office().next_open(utc(2026, 6, 1, 17)) == utc(2026, 6, 2, 9)
    assert lunch_break().next_open(utc(2026, 6, 1, 12, 30)) == utc(2026, 6, 1, 13, 30)


def test_next_open_skips_the_weekend_and_holidays() -> None:
    calendar = office(holidays=(date(2026, 6, 8),))
    assert calendar.next_open(utc(2026, 6, 5, 17)) == utc(2026, 6, 9, 9)


def test_next_open_gives_up_when_every_day_is_a_holiday_for_years() -> None:
    first = date(2026, 1, 1)
    holidays = tuple(first + timedelta(days=n) for n in range(4 * 366))
    calendar = office(holidays=holidays)
    with pytest.raises(ValueError, match="No business hours in the 1098 days from 2026-01-01"):
        calendar.next_open(utc(2026, 1, 1))
    with pytest.raises(ValueError, match="No business hours"):
        calendar.add(utc(2026, 1, 1), H)
    assert not calendar.is_open(utc(2026, 1, 1, 10))


def test_next_open_still_finds_hours_after_a_long_closure() -> None:
    first = date(2026, 1, 1)
    holidays = tuple(first + timedelta(days=n) for n in range(2 * 365))
    calendar = office(holidays=holidays)
    assert calendar.next_open(utc(2026, 1, 1)) == utc(2028, 1, 3, 9)


# --- add ---------------------------------------------------------------------------------------
def test_add_stays_within_one_shift() -> None:
    assert office().add(utc(2026, 6, 1, 10), 3 * H) == utc(2026, 6, 1, 13)


def test_add_ends_at_the_end_of_a_shift_when_it_fills_it() -> None:
    assert office().add(utc(2026, 6, 1, 9), 8 * H) == utc(2026, 6, 1, 17)


def test_add_carries_over_the_night() -> None:
    assert office().add(utc(2026, 6, 1, 16), 2 * H) == utc(2026, 6, 2, 10)


def test_add_carries_over_the_weekend() -> None:
    assert office().add(utc(2026, 6, 5, 16), 2 * H) == utc(2026, 6, 8, 10)


def test_add_starts_counting_when_business_opens() -> None:
    assert office().add(utc(2026, 6, 6, 12), 30 * M) == utc(2026, 6, 8, 9, 30)
    assert office().add(utc(2026, 6, 1, 7), 30 * M) == utc(2026, 6, 1, 9, 30)


def test_add_skips_holidays() -> None:
    calendar = office(holidays=(date(2026, 6, 8), date(2026, 6, 9)))
    assert calendar.add(utc(2026, 6, 5, 16), 2 * H) == utc(2026, 6, 10, 10)


def test_add_skips_the_lunch_break() -> None:
    calendar = lunch_break()
    assert calendar.add(utc(2026, 6, 1, 12), H) == utc(2026, 6, 1, 14)
    assert calendar.add(utc(2026, 6, 1, 12), 30 * M) == utc(2026, 6, 1, 12, 30)
    assert calendar.add(utc(2026, 6, 1, 16), 7 * H) == utc(2026, 6, 2, 16)


def test_add_ten_business_days() -> None:
    assert office().add(utc(2026, 6, 1, 9), 80 * H) == utc(2026, 6, 12, 17)
    assert office().add(utc(2026, 6, 1, 12), 80 * H) == utc(2026, 6, 15, 12)


def test_add_returns_next_open_for_a_zero_duration() -> None:
    calendar = office()
    assert calendar.add(utc(2026, 6, 1, 17), timedelta(0)) == utc(2026, 6, 2, 9)
    assert calendar.add(utc(2026, 6, 1, 11), timedelta(0)) == utc(2026, 6, 1, 11)


def test_add_keeps_seconds_and_microseconds() -> None:
    start = utc(2026, 6, 1, 16, 59, 59, 500_000)
    duration = timedelta(seconds=1, microseconds=250)
    assert office().add(start, duration) == utc(2026, 6, 2, 9, 0, 0, 500_250)


def test_add_answers_in_utc() -> None:
    assert office("Europe/Ljubljana").add(lj(2026, 6, 1, 10), H).tzinfo is UTC


def test_add_refuses_a_negative_duration() -> None:
    with pytest.raises(ValueError, match="must not be negative"):
        office().add(utc(2026, 6, 1, 10), -H)


# --- between -----------------------------------------------------------------------------------
def test_between_measures_within_one_shift() -> None:
    assert office().between(utc(2026, 6, 1, 10), utc(2026, 6, 1, 12, 15)) == 135 * M


def test_between_leaves_out_the_night() -> None:
    assert office().between(utc(2026, 6, 1, 16), utc(2026, 6, 2, 10)) == 2 * H


def test_between_leaves_out_the_weekend() -> None:
    assert office().between(utc(2026, 6, 5, 16), utc(2026, 6, 8, 10)) == 2 * H
    assert office().between(utc(2026, 6, 6), utc(2026, 6, 8)) == timedelta(0)


def test_between_leaves_out_holidays_and_lunch() -> None:
    calendar = office(holidays=(date(2026, 6, 2),))
    assert calendar.between(utc(2026, 6, 1), utc(2026, 6, 4)) == 16 * H
    assert lunch_break().between(utc(2026, 6, 1, 12), utc(2026, 6, 1, 14)) == H


def test_between_measures_a_month() -> None:
    assert office().between(utc(2026, 6, 1), utc(2026, 7, 1)) == 22 * 8 * H


def test_between_is_zero_when_the_end_is_not_after_the_start() -> None:
    assert office().between(utc(2026, 6, 1, 12), utc(2026, 6, 1, 12)) == timedelta(0)
    assert office().between(utc(2026, 6, 1, 12), utc(2026, 6, 1, 10)) == timedelta(0)


def test_between_does_not_give_up_on_a_long_closed_window() -> None:
    first = date(2026, 1, 1)
    holidays = tuple(first + timedelta(days=n) for n in range(5 * 366))
    calendar = office(holidays=holidays)
    assert calendar.between(utc(2026, 1, 1), utc(2030, 1, 1)) == timedelta(0)


# --- point_in ----------------------------------------------------------------------------------
def test_point_in_finds_the_80_percent_mark_within_a_day() -> None:
    start, due = utc(2026, 6, 1, 9), utc(2026, 6, 1, 17)
    assert office().point_in(start, due, 0.8) == utc(2026, 6, 1, 15, 24)


def test_point_in_counts_business_time_only() -> None:
    start, due = utc(2026, 6, 5, 16), utc(2026, 6, 8, 11)  # 3 business hours
    assert office().point_in(start, due, 0.5) == utc(2026, 6, 8, 9, 30)
    assert office().point_in(start, due, 1 / 3) == utc(2026, 6, 5, 17)


def test_point_in_spans_the_lunch_break() -> None:
    start, due = utc(2026, 6, 1, 12), utc(2026, 6, 1, 14)  # 1 business hour
    assert lunch_break().point_in(start, due, 0.75) == utc(2026, 6, 1, 13, 45)


def test_point_in_returns_the_ends_for_zero_and_one() -> None:
    start, due = utc(2026, 6, 1, 10), utc(2026, 6, 2, 10)
    assert office().point_in(start, due, 0) == start
    assert office().point_in(start, due, 1) == due


def test_point_in_is_never_later_than_due() -> None:
    start, due = utc(2026, 6, 5, 18), utc(2026, 6, 6, 10)  # no business time between
    assert office().point_in(start, due, 0.8) == due
    assert office().point_in(utc(2026, 6, 1, 12), utc(2026, 6, 1, 10), 0.8) == utc(2026, 6, 1, 10)


@pytest.mark.parametrize("fraction", [-0.1, 1.5, float("nan")])
def test_point_in_refuses_a_fraction_outside_0_to_1(fraction: float) -> None:
    with pytest.raises(ValueError, match="fraction must be between 0 and 1"):
        office().point_in(utc(2026, 6, 1, 9), utc(2026, 6, 1, 17), fraction)


# --- naive datetimes ---------------------------------------------------------------------------
NAIVE = datetime(2026, 6, 1, 9)  # noqa: DTZ001 - the point of these tests


def test_naive_datetimes_are_refused_everywhere() -> None:
    calendar, aware = office(), utc(2026, 6, 1, 9)
    with pytest.raises(ValueError, match="at must be a timezone-aware datetime"):
        calendar.is_open(NAIVE)
    with pytest.raises(ValueError, match="at must be a timezone-aware datetime"):
        calendar.next_open(NAIVE)
    with pytest.raises(ValueError, match="start must be a timezone-aware datetime"):
        calendar.add(NAIVE, H)
    with pytest.raises(ValueError, match="start must be a timezone-aware datetime"):
        calendar.between(NAIVE, aware)
    with pytest.raises(ValueError, match="end must be a timezone-aware datetime"):
        calendar.between(aware, NAIVE)
    with pytest.raises(ValueError, match="due must be a timezone-aware datetime"):
        calendar.point_in(aware, NAIVE, 0.5)
    with pytest.raises(ValueError, match="start must be a timezone-aware datetime"):
        calendar.point_in(NAIVE, aware, 0.5)


# --- time zones --------------------------------------------------------------------------------
def test_time_zone_opens_on_the_teams_wall_clock() -> None:
    calendar = office("America/New_York")
    assert not calendar.is_open(utc(2026, 6, 1, 12, 59))  # 08:59 EDT
    assert calendar.is_open(utc(2026, 6, 1, 13))  # 09:00 EDT
    assert calendar.is_open(utc(2026, 6, 1, 20, 59))  # 16:59 EDT
    assert not calendar.is_open(utc(2026, 6, 1, 21))  # 17:00 EDT
    assert calendar.next_open(utc(2026, 1, 5, 3)) == utc(2026, 1, 5, 14)  # 09:00 EST


def test_time_zone_adds_across_the_weekend_in_new_york() -> None:
    calendar = office("America/New_York")
    friday_4pm = utc(2026, 6, 5, 20)
    assert calendar.add(friday_4pm, 2 * H) == utc(2026, 6, 8, 14)  # Monday 10:00 EDT
    assert calendar.add(ny(2026, 1, 9, 16), 2 * H) == utc(2026, 1, 12, 15)  # 10:00 EST


def test_time_zone_skips_a_local_date_not_a_utc_date() -> None:
    calendar = BusinessCalendar(
        "America/New_York",
        BusinessCalendar.always_open().weekly_hours,
        frozenset({date(2026, 7, 6)}),
    )
    assert calendar.is_open(utc(2026, 7, 6, 3, 59))  # Sunday 23:59 EDT
    assert not calendar.is_open(utc(2026, 7, 6, 4))  # Monday 00:00 EDT
    assert not calendar.is_open(utc(2026, 7, 7, 3, 59))  # Monday 23:59 EDT
    assert calendar.is_open(utc(2026, 7, 7, 4))  # Tuesday 00:00 EDT
    assert calendar.between(utc(2026, 7, 5), utc(2026, 7, 8)) == 48 * H


def test_time_zone_measures_between_in_the_teams_zone() -> None:
    calendar = office("America/New_York")
    assert calendar.between(utc(2026, 6, 1, 12), utc(2026, 6, 1, 14)) == H
    assert calendar.between(ny(2026, 6, 1), ny(2026, 6, 2)) == 8 * H


# --- daylight saving time ----------------------------------------------------------------------
def test_dst_a_24_7_day_lasts_23_hours_in_spring_and_25_in_autumn() -> None:
    calendar = BusinessCalendar.always_open("Europe/Ljubljana")
    assert calendar.between(lj(2026, 3, 29), lj(2026, 3, 30)) == 23 * H
    assert calendar.between(lj(2026, 10, 25), lj(2026, 10, 26)) == 25 * H
    assert calendar.add(lj(2026, 3, 29), 24 * H) == lj(2026, 3, 30, 1)
    assert calendar.add(lj(2026, 10, 25), 24 * H) == lj(2026, 10, 25, 23)


def test_dst_does_the_same_in_new_york() -> None:
    calendar = BusinessCalendar.always_open("America/New_York")
    assert calendar.between(ny(2026, 3, 8), ny(2026, 3, 9)) == 23 * H
    assert calendar.between(ny(2026, 11, 1), ny(2026, 11, 2)) == 25 * H


def test_dst_office_hours_keep_the_wall_clock_over_spring_forward() -> None:
    calendar = office("Europe/Ljubljana")
    friday_4pm = lj(2026, 3, 27, 16)  # 15:00Z, CET
    assert calendar.add(friday_4pm, 2 * H) == lj(2026, 3, 30, 10) == utc(2026, 3, 30, 8)
    assert calendar.between(friday_4pm, lj(2026, 3, 30, 10)) == 2 * H
    assert calendar.next_open(utc(2026, 3, 29, 12)) == utc(2026, 3, 30, 7)  # 09:00 CEST


def test_dst_office_hours_keep_the_wall_clock_over_fall_back() -> None:
    calendar = office("Europe/Ljubljana")
    friday_4pm = lj(2026, 10, 23, 16)  # 14:00Z, CEST
    assert calendar.add(friday_4pm, 2 * H) == lj(2026, 10, 26, 10) == utc(2026, 10, 26, 9)
    assert calendar.between(friday_4pm, lj(2026, 10, 26, 10)) == 2 * H


def test_dst_office_hours_in_new_york_over_both_changes() -> None:
    calendar = office("America/New_York")
    assert calendar.add(ny(2026, 3, 6, 16), 2 * H) == utc(2026, 3, 9, 14)  # 10:00 EDT
    assert calendar.add(ny(2026, 10, 30, 16), 2 * H) == utc(2026, 11, 2, 15)  # 10:00 EST
    assert calendar.between(ny(2026, 3, 2), ny(2026, 3, 16)) == 80 * H


def test_dst_a_night_shift_over_spring_forward_is_an_hour_shorter() -> None:
    calendar = BusinessCalendar.from_config(
        "Europe/Ljubljana", {"sat": [["22:00", "24:00"]], "sun": [["00:00", "06:00"]]}
    )
    assert calendar.between(lj(2026, 3, 28, 12), lj(2026, 3, 29, 12)) == 7 * H
    assert calendar.between(lj(2026, 10, 24, 12), lj(2026, 10, 25, 12)) == 9 * H


def test_dst_a_shift_starting_in_the_gap_starts_when_the_clocks_jump() -> None:
    calendar = BusinessCalendar.from_config("Europe/Ljubljana", {"sun": [["02:30", "04:00"]]})
    jump = utc(2026, 3, 29, 1)  # 02:00 CET becomes 03:00 CEST
    assert calendar.next_open(utc(2026, 3, 28)) == jump
    assert not calendar.is_open(jump - timedelta(microseconds=1))
    assert calendar.is_open(jump)
    assert calendar.between(lj(2026, 3, 29), lj(2026, 3, 30)) == H


def test_dst_a_shift_ending_in_the_gap_ends_when_the_clocks_jump() -> None:
    calendar = BusinessCalendar.from_config("America/New_York", {"sun": [["00:00", "02:30"]]})
    assert calendar.between(ny(2026, 3, 8), ny(2026, 3, 9)) == 2 * H  # 00:00-03:00 EDT
    assert calendar.add(ny(2026, 3, 8), 2 * H) == utc(2026, 3, 8, 7)  # 03:00 EDT
    assert not calendar.is_open(utc(2026, 3, 8, 7))


def test_dst_a_shift_inside_the_gap_does_not_happen() -> None:
    calendar = BusinessCalendar.from_config("Europe/Ljubljana", {"sun": [["02:15", "02:45"]]})
    assert calendar.between(lj(2026, 3, 29), lj(2026, 3, 30)) == timedelta(0)
    assert calendar.next_open(utc(2026, 3, 28)) == lj(2026, 4, 5, 2, 15)


def test_dst_a_boundary_in_the_fold_is_its_first_occurrence() -> None:
    starts = BusinessCalendar.from_config("Europe/Ljubljana", {"sun": [["02:30", "05:00"]]})
    first_half_past_two = lj(2026, 10, 25, 2, 30, fold=0).astimezone(UTC)
    assert first_half_past_two == utc(2026, 10, 25, 0, 30)  # CEST, not CET
    assert starts.next_open(utc(2026, 10, 24)) == first_half_past_two
    assert starts.between(lj(2026, 10, 25), lj(2026, 10, 26)) == 3.5 * H
    ends = BusinessCalendar.from_config("Europe/Ljubljana", {"sun": [["00:00", "02:30"]]})
    assert ends.between(lj(2026, 10, 25), lj(2026, 10, 26)) == 2.5 * H
    assert not ends.is_open(lj(2026, 10, 25, 2, 15, fold=1))


def test_dst_a_midnight_boundary_in_a_gap_works_where_clocks_change_at_midnight() -> None:
    # Chile springs forward from Saturday 24:00 to Sunday 01:00 (2026-09-06).
    calendar = BusinessCalendar.from_config(
        "America/Santiago", {"sun": [["00:00", "02:00"]], "sat": [["22:00", "24:00"]]}
    )
    assert calendar.between(utc(2026, 9, 5), utc(2026, 9, 7)) == 3 * H
    assert calendar.next_open(utc(2026, 9, 6, 4)) == utc(2026, 9, 6, 4)
    assert calendar.is_open(utc(2026, 9, 6, 3, 59))


# A mix for the property-style tests: DST zones, holidays, split, night and 24/7 shifts.
CALENDARS = (
    office("Europe/Ljubljana", holidays=(date(2026, 3, 30), date(2026, 12, 25))),
    lunch_break("America/New_York"),
    BusinessCalendar.always_open("Europe/Ljubljana"),
    BusinessCalendar.from_config(
        "America/New_York",
        {"mon": [["00:00", "02:30"], ["22:00", "24:00"]], "sun": [["01:30", "03:15"]]},
        [date(2026, 11, 2)],
    ),
    BusinessCalendar.from_config(
        "Asia/Kolkata", {"sat": [["10:00", "14:00"]], "wed": [["00:00", "24:00"]]}
    ),
)


# --- inverse: between() undoes add(), for many random starts and durations (fixed seeds) -------


def random_start(rng: random.Random) -> datetime:
    """A random moment in 2026, to the microsecond."""
    seconds = rng.randrange(365 * 24 * 3600)
    return utc(2026, 1, 1) + timedelta(seconds=seconds, microseconds=rng.randrange(10**6))


def test_inverse_measures_back_what_it_added() -> None:
    rng = random.Random(20260329)
    for _ in range(600):
        calendar = rng.choice(CALENDARS)
        start = random_start(rng)
        duration = timedelta(minutes=rng.randrange(0, 200 * 60), seconds=rng.randrange(60))
        due = calendar.add(start, duration)
        assert due.tzinfo is UTC
        assert due >= start
        assert calendar.between(start, due) == duration, (calendar, start, duration)
        if duration:
            assert calendar.is_open(due - timedelta(microseconds=1))


def test_inverse_adds_back_what_it_measured() -> None:
    rng = random.Random(495)
    for _ in range(600):
        calendar = rng.choice(CALENDARS)
        start = random_start(rng)
        end = start + timedelta(minutes=rng.randrange(0, 40 * 24 * 60))
        elapsed = calendar.between(start, end)
        reached = calendar.add(start, elapsed)
        assert reached <= max(end, calendar.next_open(start))
        assert calendar.between(start, reached) == elapsed
        assert calendar.between(reached, end) == timedelta(0)


def test_inverse_splits_the_window_at_point_in() -> None:
    rng = random.Random(80)
    for _ in range(300):
        calendar = rng.choice(CALENDARS)
        start = random_start(rng)
        due = calendar.add(start, timedelta(minutes=rng.randrange(1, 100 * 60)))
        fraction = rng.random()
        mark = calendar.point_in(start, due, fraction)
        total = calendar.between(start, due)
        assert start <= mark <= due
        assert calendar.between(start, mark) == total * fraction
        assert calendar.between(start, mark) + calendar.between(mark, due) == total


# --- speed -------------------------------------------------------------------------------------
def test_speed_adds_and_measures_a_month_well_under_two_milliseconds() -> None:
    calendar = lunch_break("Europe/Ljubljana")
    start = utc(2026, 3, 2, 10)
    runs = 200
    began = clock.perf_counter()
    for _ in range(runs):
        due = calendar.add(start, 22 * 7 * H)
        calendar.between(start, due)
    per_pair = (clock.perf_counter() - began) / runs
    assert per_pair < 0.002, f"{per_pair * 1000:.2f} ms for add + between over a month"


def test_speed_adds_years_of_business_time() -> None:
    calendar = office("Europe/Ljubljana")
    due = calendar.add(utc(2026, 1, 1), 3 * 52 * 40 * H)
    assert utc(2028, 12, 1) < due < utc(2029, 2, 1)
