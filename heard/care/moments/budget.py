"""A moment's budget: never more than its monthly sum, never more greetings a year to one person.

A month's budget counts the greetings whose day is in that month and that are committed
(approved, sent, or a gift that failed: see `COMMITTED_STATES`). Every approval checks it under
`lock(moment)`, held until the transaction ends: on PostgreSQL a row lock on the moment
(`SELECT … FOR UPDATE`), so two schedulers or two leads approving at once take turns and each
sees what the other committed; on SQLite the database's write lock, which Heard's connections
take when the transaction begins (`transaction_mode IMMEDIATE`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Sum

from heard.care.models import Greeting, Moment, money
from heard.lib.words import times

CHUNK = 500


def lock(moment_id: int) -> Moment:
    """The moment, locked until the transaction ends (call inside `transaction.atomic`)."""
    locked = Moment.objects.select_for_update(of=("self",)).select_related("team")
    return locked.get(pk=moment_id)


def committed_cents(moment_id: int, day: date) -> int:
    """What the moment has committed in the month of `day`, in cents."""
    spent = (
        Greeting.objects.filter(moment=moment_id)
        .committed()
        .in_month(day)
        .aggregate(total=Sum("cost_cents"))["total"]
    )
    return int(spent or 0)


def greeted(moment_id: int, customer_ids: list[int]) -> dict[tuple[int, int], int]:
    """(customer, year) -> how many greetings of the moment they have had or have coming."""
    found: dict[tuple[int, int], int] = {}
    for start in range(0, len(customer_ids), CHUNK):
        chunk = customer_ids[start : start + CHUNK]
        rows = (
            Greeting.objects.filter(moment=moment_id, customer__in=chunk)
            .committed()
            .values_list("customer_id", "occasion_date__year")
            .annotate(n=Count("pk"))
        )
        found |= {(customer, year): n for customer, year, n in rows}
    return found


@dataclass
class Tally:
    """What the moment has committed, read once under its lock and kept up to date while a
    batch is approved (so a batch of thousands costs a few queries, not thousands)."""

    moment: Moment
    spent: dict[date, int]  # the first of a month -> cents committed in it
    greeted: dict[tuple[int, int], int]  # (customer, year) -> greetings committed

    def refusal(self, greeting: Greeting) -> str | None:
        """Why committing this greeting too would break the budget, or None when it fits."""
        moment, month = self.moment, greeting.occasion_date.replace(day=1)
        spent, budget = self.spent[month], moment.monthly_budget_cents
        if greeting.cost_cents and spent + greeting.cost_cents > budget:
            left = money(max(budget - spent, 0), moment.currency)
            return (
                f"it does not fit the budget of {month:%B %Y}: {left} left of "
                f"{money(budget, moment.currency)}, and it costs {greeting.cost()}"
            )
        year = greeting.occasion_date.year
        count = self.greeted.get((greeting.customer_id, year), 0)
        if count >= moment.per_customer_per_year:
            return (
                f"this customer is greeted {times(count)} in {year} already "
                f"(the limit is {moment.per_customer_per_year})"
            )
        return None

    def add(self, greeting: Greeting) -> None:
        self.spent[greeting.occasion_date.replace(day=1)] += greeting.cost_cents
        key = (greeting.customer_id, greeting.occasion_date.year)
        self.greeted[key] = self.greeted.get(key, 0) + 1


def tally(moment: Moment, greetings: list[Greeting]) -> Tally:
    """The moment's commitments in the months and for the customers of these greetings (call
    it under `lock(moment)`, and commit nothing for the moment but through it)."""
    months = {g.occasion_date.replace(day=1) for g in greetings}
    customers = list({g.customer_id for g in greetings})
    spent = {month: committed_cents(moment.pk, month) for month in months}
    return Tally(moment, spent, greeted(moment.pk, customers))


@dataclass(frozen=True)
class Month:
    """One month of a moment's budget, as a lead sees it before approving."""

    day: date  # the first of the month
    budget: int
    committed: int
    currency: str

    @property
    def left(self) -> int:
        return max(self.budget - self.committed, 0)

    def __str__(self) -> str:
        return (
            f"{self.day:%B %Y}: {money(self.committed, self.currency)} of "
            f"{money(self.budget, self.currency)} committed, "
            f"{money(self.left, self.currency)} left"
        )


def month(moment: Moment, day: date) -> Month:
    first = day.replace(day=1)
    spent = committed_cents(moment.pk, first)
    return Month(first, moment.monthly_budget_cents, spent, moment.currency)
