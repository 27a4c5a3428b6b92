"""Placing a script in time: when each step happens, in the team's business hours where
agents are at work, so the ticket ends up fresh, at risk, breached or done as planned."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from heard.desk.demo.people import TeamSpec
from heard.desk.demo.scripts import Ending, Placement, Step
from heard.desk.sla import BusinessCalendar


def _schedule(steps: Sequence[Step], start: datetime, calendar: BusinessCalendar) -> list[datetime]:
    times, moment = [], start
    for step in steps:
        moment = calendar.add(moment, step.wait) if step.business else moment + step.wait
        times.append(moment)
    return times


def _rough_span(steps: Sequence[Step]) -> timedelta:
    return sum((step.wait * (3 if step.business else 1) for step in steps), timedelta(0))


def _rewind(calendar: BusinessCalendar, end: datetime, business: timedelta) -> datetime:
    """The latest moment from which `business` time of business hours passes until `end`."""
    span = max(business, timedelta(hours=1))
    while calendar.between(end - span, end) < business:
        span *= 2
    low, high = end - span, end
    while high - low > timedelta(minutes=1):
        middle = low + (high - low) / 2
        low, high = (middle, high) if calendar.between(middle, end) >= business else (low, middle)
    return low


def _fit_before(steps: Sequence[Step], end: datetime,
                calendar: BusinessCalendar) -> list[datetime]:
    """Times for `steps` that all fall at least half an hour before `end`."""
    limit = end - timedelta(minutes=30)
    start = limit - _rough_span(steps)
    times = _schedule(steps, start, calendar)
    while times[-1] > limit:
        start -= times[-1] - limit + timedelta(minutes=30)
        times = _schedule(steps, start, calendar)
    return times


def _fit_ending(steps: Sequence[Step], end: datetime,
                calendar: BusinessCalendar) -> list[datetime]:
    """Times for `steps` such that the last one lands just before `end`.

    The last step's time only grows with the start time, so the latest start is bisected.
    """
    if steps[-1].business and not calendar.is_open(end):
        end = _rewind(calendar, end, timedelta(minutes=1)) + timedelta(minutes=1)
    span = _rough_span(steps) + timedelta(hours=1)
    low = end - span
    while _schedule(steps, low, calendar)[-1] > end:
        low -= span
    high = end
    while high - low > timedelta(minutes=10):
        middle = low + (high - low) / 2
        low, high = (middle, high) if _schedule(steps, middle, calendar)[-1] <= end else \
            (low, middle)
    return _schedule(steps, low, calendar)


def place(steps: Sequence[Step], placement: Placement, team: TeamSpec, priority: str,
          calendar: BusinessCalendar, now: datetime) -> list[datetime]:
    """When each step happens, so the ticket ends up where its placement says."""
    if isinstance(placement, Ending):
        return _fit_ending(steps, now - placement.ago, calendar)
    pin = placement.pin
    first = not any(step.kind == "reply" for step in steps[:pin])
    target = team.sla[priority][0 if first else 1]
    pin_at = _rewind(calendar, now, timedelta(minutes=target * placement.elapsed))
    times = _fit_before(steps[:pin], pin_at, calendar) if pin else []
    times.append(pin_at)
    times.extend(pin_at + (now - pin_at) * step.share for step in steps[pin + 1:])
    return times

