"""Business-hours arithmetic for response-time targets (SLA).

Pure stdlib: no Django. A :class:`BusinessCalendar` holds a team's weekly shifts in
local wall-clock time, its time zone and its holidays. Every method takes
timezone-aware datetimes and answers in aware UTC datetimes.

Each local day's shifts are turned into real instants with :mod:`zoneinfo`, so
business time is real elapsed time, also across daylight-saving changes: a 24/7
calendar in Europe/Ljubljana has 23 hours on the last Sunday of March and 25 on the
last Sunday of October.

Shift boundaries that fall in a DST change follow two rules:

* Gap (the wall time does not exist, clocks spring forward over it): the boundary
  moves to the moment the clocks jump, the first real instant after the missing
  time. A shift 02:30-04:00 on the spring-forward night in Ljubljana therefore
  runs 03:00-04:00 CEST, and a shift lying wholly inside the gap is empty.
* Fold (the wall time happens twice, clocks fall back): the boundary is the first
  occurrence, as in RFC 5545 and Python's ``fold=0``. A shift 02:30-05:00 on the
  fall-back night in Ljubljana starts at 02:30 CEST and lasts 3.5 hours.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = [
    "DEFAULT_WEEKLY_HOURS",
    "WEEKDAYS",
    "BusinessCalendar",
    "Shift",
]

WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
"""Config keys of the days of the week, Monday first (as ``date.weekday()``)."""

DEFAULT_WEEKLY_HOURS: dict[str, list[list[str]]] = {
    "mon": [["09:00", "17:00"]],
    "tue": [["09:00", "17:00"]],
    "wed": [["09:00", "17:00"]],
    "thu": [["09:00", "17:00"]],
    "fri": [["09:00", "17:00"]],
    "sat": [],
    "sun": [],
}
"""Office hours used when a team configures none: 09:00-17:00, Monday to Friday."""

MIDNIGHT = time(0, 0)
SCAN_LIMIT_DAYS = 3 * 366
_DAY = timedelta(days=1)
_TIME_RE = re.compile(r"(\d{1,2}):(\d{2})")


@dataclass(frozen=True)
class Shift:
    """One stretch of business hours in local wall-clock time; ``end`` 00:00 means 24:00."""

    start: time
    end: time

    def __post_init__(self) -> None:
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            raise ValueError("shift times are local wall-clock times and take no tzinfo")
        if self.ends_at_midnight:
            return
        if self.end <= self.start:
            raise ValueError(
                f"shift {self.label} ends before it starts; use 24:00 to end at midnight"
            )

    @property
    def ends_at_midnight(self) -> bool:
        """Whether the shift runs to the end of the day (configured as "24:00")."""
        return self.end == MIDNIGHT

    @property
    def label(self) -> str:
        """The shift as "HH:MM-HH:MM", for messages."""
        start, end = self.to_config()
        return f"{start}-{end}"

    def overlaps_next(self, other: Shift) -> bool:
        """Whether this shift still runs when ``other`` (starting later) begins."""
        return self.ends_at_midnight or self.end > other.start

    def to_config(self) -> list[str]:
        """The shift as a ``["HH:MM", "HH:MM"]`` pair, 24:00 for midnight at the end."""
        end = "24:00" if self.ends_at_midnight else _format_time(self.end)
        return [_format_time(self.start), end]


@dataclass(frozen=True)
class BusinessCalendar:
    """A team's business hours: weekly shifts (Monday..Sunday), time zone, holidays."""

    time_zone: str
    weekly_hours: tuple[tuple[Shift, ...], ...]
    holidays: frozenset[date] = frozenset()
    _zone: ZoneInfo = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_zone", _load_zone(self.time_zone))
        week = tuple(tuple(day) for day in self.weekly_hours)
        object.__setattr__(self, "weekly_hours", week)
        object.__setattr__(self, "holidays", frozenset(self.holidays))
        _check_week(week)

    @classmethod
    def always_open(cls, time_zone: str = "UTC") -> BusinessCalendar:
        """A calendar that is open around the clock, every day (24/7)."""
        whole_day = (Shift(MIDNIGHT, MIDNIGHT),)
        return cls(time_zone, (whole_day,) * len(WEEKDAYS))

    @classmethod
    def from_config(
        cls,
        time_zone: str,
        weekly_hours: Mapping[str, Sequence[Sequence[str]]],
        holidays: Iterable[date] = (),
    ) -> BusinessCalendar:
        """Build a calendar from stored settings, e.g. ``{"mon": [["09:00", "17:00"]]}``.

        Missing days are closed and "24:00" may end a shift. Raises ValueError with a
        readable message on any mistake in the settings.
        """
        unknown = sorted(str(key) for key in weekly_hours if key not in WEEKDAYS)
        if unknown:
            raise ValueError(f'Unknown day "{unknown[0]}"; use one of {", ".join(WEEKDAYS)}.')
        week = tuple(_parse_day(day, weekly_hours.get(day) or ()) for day in WEEKDAYS)
        return cls(time_zone, week, frozenset(holidays))

    def to_config(self) -> dict[str, list[list[str]]]:
        """The weekly hours in the form :meth:`from_config` reads, all seven days listed."""
        return {
            day: [shift.to_config() for shift in shifts]
            for day, shifts in zip(WEEKDAYS, self.weekly_hours, strict=True)
        }

    def is_open(self, at: datetime) -> bool:
        """Whether ``at`` falls inside a shift (a shift's start is in, its end is out)."""
        at = _to_utc(at, "at")
        today = at.astimezone(self._zone).date()
        days = (today - _DAY, today, today + _DAY)
        return any(start <= at < end for day in days for start, end in self._day_spans(day))

    def next_open(self, at: datetime) -> datetime:
        """``at`` itself (in UTC) when open, else the start of the next shift."""
        at = _to_utc(at, "at")
        start, _ = next(self._spans(at))
        return max(start, at)

    def add(self, start: datetime, duration: timedelta) -> datetime:
        """The moment ``duration`` of business time has elapsed after ``start``.

        A zero duration gives :meth:`next_open`; a duration that exactly fills the
        rest of a shift gives that shift's end.
        """
        start = _to_utc(start, "start")
        if duration < timedelta(0):
            raise ValueError("duration must not be negative")
        left = duration
        for span_start, span_end in self._spans(start):
            begin = max(span_start, start)
            if left <= span_end - begin:
                return begin + left
            left -= span_end - begin
        raise AssertionError("unreachable: _spans never ends")  # pragma: no cover

    def between(self, start: datetime, end: datetime) -> timedelta:
        """Business time elapsed from ``start`` to ``end``; zero when ``end <= start``."""
        start, end = _to_utc(start, "start"), _to_utc(end, "end")
        total = timedelta(0)
        if end <= start:
            return total
        for span_start, span_end in self._spans(start, until=end):
            if span_start >= end:
                break
            total += min(span_end, end) - max(span_start, start)
        return total

    def point_in(self, start: datetime, due: datetime, fraction: float) -> datetime:
        """When ``fraction`` (0..1) of the business time from ``start`` to ``due`` has elapsed.

        E.g. 0.8 is the moment only 20% is left. Never later than ``due``.
        """
        if not 0 <= fraction <= 1:
            raise ValueError(f"fraction must be between 0 and 1, not {fraction!r}")
        due = _to_utc(due, "due")
        moment = self.add(start, self.between(start, due) * fraction)
        return min(moment, due)

    def _spans(self, after: datetime, until: datetime | None = None) -> Iterator[Span]:
        """Business intervals in UTC, in order, that end after ``after``.

        Walks day by day. Stops after the local day of ``until`` when given; else
        raises ValueError after SCAN_LIMIT_DAYS days in a row without business hours.
        """
        first_day = after.astimezone(self._zone).date()
        day = first_day - _DAY
        last_day = until.astimezone(self._zone).date() + _DAY if until else None
        closed_days = 0
        while last_day is None or day <= last_day:
            spans = [span for span in self._day_spans(day) if span[1] > after]
            closed_days = 0 if spans else closed_days + 1
            if closed_days > SCAN_LIMIT_DAYS and last_day is None:
                first_closed = max(day - (closed_days - 1) * _DAY, first_day)
                raise ValueError(
                    f"No business hours in the {SCAN_LIMIT_DAYS} days from {first_closed}; "
                    "check the calendar's holidays."
                )
            yield from spans
            day += _DAY

    def _day_spans(self, day: date) -> list[Span]:
        """The UTC intervals of one local day's shifts (none on a holiday)."""
        if day in self.holidays:
            return []
        spans = []
        for shift in self.weekly_hours[day.weekday()]:
            end_day = day + _DAY if shift.ends_at_midnight else day
            span = (self._instant(day, shift.start), self._instant(end_day, shift.end))
            if span[1] > span[0]:
                spans.append(span)
        return spans

    def _instant(self, day: date, wall: time) -> datetime:
        """The UTC instant of a local wall time (see the module docstring for DST).

        The first occurrence in a fold; the moment the clocks jump in a gap.
        """
        instant = datetime.combine(day, wall, tzinfo=self._zone).astimezone(UTC)
        back = instant.astimezone(self._zone)
        if back.date() == day and back.time() == wall:
            return instant
        return self._gap_end(day, wall)

    def _gap_end(self, day: date, wall: time) -> datetime:
        """The instant the clocks jump over a missing local wall time (to the second)."""
        missing = datetime.combine(day, wall, tzinfo=self._zone)
        low = int(missing.replace(fold=1).astimezone(UTC).timestamp())  # before the jump
        high = int(missing.astimezone(UTC).timestamp())  # after the jump
        offset_after = _offset(high, self._zone)
        while high - low > 1:
            middle = (low + high) // 2
            if _offset(middle, self._zone) == offset_after:
                high = middle
            else:
                low = middle
        return datetime.fromtimestamp(high, UTC)


Span = tuple[datetime, datetime]


def _offset(timestamp: int, zone: ZoneInfo) -> timedelta | None:
    """The zone's UTC offset at a POSIX timestamp."""
    return datetime.fromtimestamp(timestamp, zone).utcoffset()


def _to_utc(moment: datetime, name: str) -> datetime:
    """``moment`` in UTC; ValueError when it is naive."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime, got {moment!r}")
    return moment.astimezone(UTC)


def _load_zone(key: str) -> ZoneInfo:
    """The ZoneInfo for an IANA key; ValueError when there is no such zone."""
    try:
        return ZoneInfo(key)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise ValueError(
            f'Unknown time zone "{key}"; use an IANA name such as "Europe/Ljubljana".'
        ) from None


def _check_week(week: tuple[tuple[Shift, ...], ...]) -> None:
    """Seven days of sorted, non-overlapping shifts, some of them open."""
    if len(week) != len(WEEKDAYS):
        raise ValueError(
            f"weekly_hours needs {len(WEEKDAYS)} days (Monday..Sunday), got {len(week)}."
        )
    for day, shifts in zip(WEEKDAYS, week, strict=True):
        for earlier, later in pairwise(shifts):
            if later.start < earlier.start:
                raise ValueError(f"{day}: shifts must be listed in order of their start.")
            if earlier.overlaps_next(later):
                raise ValueError(f"{day}: shifts {earlier.label} and {later.label} overlap.")
    if not any(week):
        raise ValueError("The week has no business hours; open at least one shift.")


def _parse_day(day: str, shifts: Sequence[Sequence[str]]) -> tuple[Shift, ...]:
    """A day's ``[["HH:MM", "HH:MM"], ...]`` as Shifts sorted by start."""
    parsed = []
    for pair in shifts:
        if isinstance(pair, str) or len(pair) != 2:
            raise ValueError(f'{day}: each shift must be a ["HH:MM", "HH:MM"] pair, not {pair!r}.')
        start, end = _parse_time(day, pair[0], is_end=False), _parse_time(day, pair[1], is_end=True)
        if end != MIDNIGHT and end <= start:
            raise ValueError(f"{day}: shift {pair[0]}-{pair[1]} must end after it starts.")
        parsed.append(Shift(start, end))
    return tuple(sorted(parsed, key=lambda shift: shift.start))


def _parse_time(day: str, text: str, *, is_end: bool) -> time:
    """Parse "HH:MM"; "24:00" (only as an end) becomes 00:00."""
    match = _TIME_RE.fullmatch(text) if isinstance(text, str) else None
    hour, minute = (int(match[1]), int(match[2])) if match else (-1, -1)
    if is_end and (hour, minute) == (24, 0):
        return MIDNIGHT
    if (hour, minute) == (24, 0):
        raise ValueError(f'{day}: a shift cannot start at "24:00"; use "00:00".')
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        allowed = "00:00 to 24:00" if is_end else "00:00 to 23:59"
        raise ValueError(f'{day}: "{text}" is not a time in HH:MM form ({allowed}).')
    return time(hour, minute)


def _format_time(moment: time) -> str:
    """A time as "HH:MM" (or "HH:MM:SS" when it has seconds)."""
    return moment.strftime("%H:%M:%S" if moment.second else "%H:%M")
