"""Whose occasion falls on which day, in the customer's own time zone.

A birthday (or a customer since, or a yearly day) on 29 February is kept on 28 February in years
without one: the last day of February they would celebrate, never a day late in March.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from functools import reduce
from operator import or_
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q

from heard.care.models import Moment, Occasion
from heard.desk.models import Customer

UTC = ZoneInfo("UTC")
NO_ONE = Q(pk__in=[])


def local_today(customer: Customer, now: datetime) -> date:
    return now.astimezone(customer.zone()).date()


def same_day(year: int, month: int, day: int) -> date:
    """That month and day in `year`; 29 February becomes 28 February in other years."""
    try:
        return date(year, month, day)
    except ValueError:
        if (month, day) != (2, 29):
            raise
        return date(year, 2, 28)


def occasion_in(moment: Moment, customer: Customer, year: int) -> date | None:
    """The customer's occasion of this moment in `year`, if they have one that year."""
    if moment.occasion == Occasion.BIRTHDAY:
        born = customer.birthday
        return same_day(year, born.month, born.day) if born else None
    if moment.occasion == Occasion.ANNIVERSARY:
        joined = customer.created_at.astimezone(customer.zone()).date()
        if not moment.years or year != joined.year + moment.years:
            return None
        return same_day(year, joined.month, joined.day)
    if moment.date is None:
        return None
    if moment.yearly:
        return same_day(year, moment.date.month, moment.date.day)
    return moment.date if moment.date.year == year else None


def occasion_between(moment: Moment, customer: Customer, first: date, last: date) -> date | None:
    """The customer's occasion from `first` to `last` (both included), if any."""
    for year in sorted({first.year, last.year}):
        day = occasion_in(moment, customer, year)
        if day is not None and first <= day <= last:
            return day
    return None


def window(moment: Moment, customer: Customer, now: datetime) -> tuple[date, date]:
    """The days a greeting is planned for now: their today to the moment's look-ahead."""
    today = local_today(customer, now)
    return today, today + timedelta(days=moment.plan_days)


def send_at(customer: Customer, day: date) -> datetime:
    """The morning of the day, in the customer's time zone."""
    return datetime.combine(day, time(settings.HEARD_MOMENTS_SEND_HOUR), tzinfo=customer.zone())


def is_past(customer: Customer, day: date, now: datetime) -> bool:
    """Too late to greet: the day was more than HEARD_MOMENTS_LATE_DAYS ago, their time."""
    return local_today(customer, now) > day + timedelta(days=settings.HEARD_MOMENTS_LATE_DAYS)


def candidates(moment: Moment, now: datetime) -> Q:
    """A coarse filter on customers who may have an occasion in the window anywhere on Earth
    (a day either side of it in UTC); `occasion_between` then decides, in their time zone."""
    today = now.astimezone(UTC).date()
    days = [today + timedelta(days=n) for n in range(-1, moment.plan_days + 2)]
    if moment.occasion == Occasion.BIRTHDAY:
        return _any_of(Q(birthday__month=d.month, birthday__day=d.day) for d in _with_leap(days))
    if moment.occasion == Occasion.ANNIVERSARY:
        if not moment.years:
            return NO_ONE
        first = _years_before(days[0], moment.years) - timedelta(days=2)
        last = _years_before(days[-1], moment.years) + timedelta(days=2)
        return Q(
            created_at__gte=datetime.combine(first, time(), tzinfo=UTC),
            created_at__lt=datetime.combine(last, time(), tzinfo=UTC),
        )
    if moment.date is None:
        return NO_ONE
    matches = (
        any((d.month, d.day) == (moment.date.month, moment.date.day) for d in _with_leap(days))
        if moment.yearly
        else moment.date in days
    )
    return Q() if matches else NO_ONE


def _with_leap(days: list[date]) -> list[date]:
    """The days, and 29 February wherever 28 February of a year without one is among them."""
    extra = [date(2000, 2, 29) for d in days if (d.month, d.day) == (2, 28) and not _leap(d.year)]
    return days + extra


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _years_before(day: date, years: int) -> date:
    return same_day(day.year - years, day.month, day.day)


def _any_of(conditions: Iterable[Q]) -> Q:
    found = list(conditions)
    return reduce(or_, found) if found else NO_ONE
