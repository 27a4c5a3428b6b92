"""What every insights page is made of: the rows asked for, tables (each also a CSV), sections
with their charts, and the arithmetic and wording of figures.

Medians are the middle value (the mean of the two middle ones for an even count); the 90th
percentile is the nearest rank: the smallest value that at least 90% of the values do not
exceed. Shares are of what could be counted; with nothing to count a figure reads "—".
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from html import escape
from itertools import chain
from typing import Any

import numpy
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from heard.desk.models import format_reference

Row = dict[str, Any]  # one DayFigures row as `values()` gives it


# --- what a page is made of ------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """One table cell: what it shows, what its CSV holds, and an optional link or drawing."""

    text: str
    value: object = None  # the CSV's value; None: the text
    href: str = ""
    html: SafeString | None = None  # drawn instead of the text (a sparkline); text is its name

    @property
    def csv(self) -> object:
        if self.value is not None:
            return self.value
        return "" if self.text == "—" else self.text


@dataclass(frozen=True)
class Table:
    slug: str  # its CSV is ?csv=<slug>
    caption: str
    columns: Sequence[str]
    rows: list[list[Cell]]
    shown: int | None = None  # the page shows this many rows; the CSV has them all

    def visible_rows(self) -> list[list[Cell]]:
        return self.rows if self.shown is None else self.rows[: self.shown]

    def more(self) -> int:
        return len(self.rows) - len(self.visible_rows())

    def csv_rows(self) -> list[list[object]]:
        return [list(self.columns), *([cell.csv for cell in row] for row in self.rows)]

    def body_html(self) -> SafeString:
        """The rows shown, as table rows (built here: thousands of cells render ten times faster
        than through the template language); the first cell of each row heads it."""
        if not self.rows:
            return format_html('<tr><td colspan="{}" class="meta">{}</td></tr>',
                               len(self.columns), "Nothing to show for these dates.")
        return mark_safe("".join(  # noqa: S308  (every piece below is escaped by format_html)
            "<tr>" + "".join(_cell_html(cell, i == 0) for i, cell in enumerate(row)) + "</tr>"
            for row in self.visible_rows()
        ))


def _cell_html(cell: Cell, heads: bool) -> str:
    """One cell, every text escaped (html.escape with quotes: what Django's escape does)."""
    if cell.html is not None:
        inner = str(cell.html)
    elif cell.href:
        inner = f'<a href="{escape(cell.href)}">{escape(cell.text)}</a>'
    else:
        inner = escape(cell.text)
    return f'<th scope="row">{inner}</th>' if heads else f"<td>{inner}</td>"


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    intro: str
    table: Table
    charts: list[SafeString] = field(default_factory=list)
    note: str = ""


@dataclass(frozen=True)
class Page:
    slug: str
    title: str
    intro: str
    summary: list[tuple[str, str]]  # figures at a glance: (what, value)
    sections: list[Section]

    def table(self, slug: str) -> Table | None:
        return next((s.table for s in self.sections if s.table.slug == slug), None)


@dataclass(frozen=True)
class Names:
    """Team and agent names for rows, from what the filter form loaded already."""

    teams: dict[int, str]
    agents: dict[int, str]

    def team(self, team_id: int) -> str:
        return self.teams.get(team_id, f"Team {team_id}")

    def agent(self, agent_id: int | None) -> str:
        if agent_id is None:
            return "Nobody (unassigned)"
        return self.agents.get(agent_id, f"Agent {agent_id}")


@dataclass(frozen=True)
class Context:
    rows: list[Row]
    start: date
    end: date
    names: Names
    several_teams: bool  # a per-team table is worth showing

    def days(self) -> list[date]:
        return [self.start + timedelta(days=n) for n in range((self.end - self.start).days + 1)]

    def weeks(self) -> list[date]:
        """The Mondays of the weeks the range touches."""
        first = monday(self.start)
        return [first + timedelta(weeks=n) for n in range((monday(self.end) - first).days // 7 + 1)]


# --- grouping and arithmetic -----------------------------------------------------------------


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def grouped(rows: Iterable[Row], key: Callable[[Row], Any]) -> dict[Any, list[Row]]:
    groups: dict[Any, list[Row]] = defaultdict(list)
    for row in rows:
        groups[key(row)].append(row)
    return groups


def by_day(rows: Iterable[Row]) -> dict[date, list[Row]]:
    return grouped(rows, lambda row: row["day"])


def by_week(rows: Iterable[Row]) -> dict[date, list[Row]]:
    return grouped(rows, lambda row: monday(row["day"]))


def by_agent(rows: Iterable[Row]) -> dict[int | None, list[Row]]:
    return grouped(rows, lambda row: row["agent_id"])


def by_team(rows: Iterable[Row]) -> dict[int, list[Row]]:
    return grouped(rows, lambda row: row["team_id"])


def total(rows: Iterable[Row], name: str) -> int:
    return sum(row[name] for row in rows)


def joined(rows: Iterable[Row], name: str) -> list[Any]:
    return list(chain.from_iterable(row[name] for row in rows))


def counted(rows: Iterable[Row], name: str) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for row in rows:
        for key, amount in row[name].items():
            counts[key] += amount
    return dict(counts)


def median(values: Sequence[float]) -> float | None:
    return spread(values)[1]


def p90(values: Sequence[float]) -> float | None:
    return spread(values)[2]


def spread(values: Sequence[float]) -> tuple[int, float | None, float | None]:
    """(count, median, 90th percentile). A month of a large desk holds tens of thousands of
    durations: numpy's selection finds the three ranks in linear time, where sorting in Python
    took most of the page's time."""
    n = len(values)
    if not n:
        return 0, None, None
    ranks = sorted({(n - 1) // 2, n // 2, math.ceil(0.9 * n) - 1})
    found = dict(zip(ranks, numpy.partition(numpy.asarray(values), ranks)[ranks].tolist(),
                     strict=True))
    middle = (found[(n - 1) // 2] + found[n // 2]) / 2
    return n, middle if n % 2 == 0 else found[n // 2], found[math.ceil(0.9 * n) - 1]


def share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def mean(amount: float, number: int) -> float | None:
    return amount / number if number else None


def agents_in_order(groups: dict[int | None, list[Row]], names: Names) -> list[int | None]:
    """Agents by name, nobody last."""
    return sorted(groups, key=lambda a: (a is None, names.agent(a).lower()))


# --- wording of figures (what a cell shows, and what its CSV holds) --------------------------


def duration(seconds: float | None) -> Cell:
    """'45 min', '2 h 05 min' (business time); the CSV holds minutes."""
    if seconds is None:
        return Cell("—")
    minutes = round(seconds / 60)
    hours, rest = divmod(minutes, 60)
    if not hours:
        return Cell(f"{minutes} min", round(seconds / 60, 1))
    text = f"{hours} h {rest:02d} min" if rest else f"{hours} h"
    return Cell(text, round(seconds / 60, 1))


def lateness(seconds: float | None) -> Cell:
    """'20 min late', '1 h 05 min early', 'on time'; the CSV holds minutes (negative: early)."""
    if seconds is None:
        return Cell("—")
    if abs(seconds) < 60:
        return Cell("on time", 0)
    shown = duration(abs(seconds)).text
    return Cell(f"{shown} {'late' if seconds > 0 else 'early'}", round(seconds / 60, 1))


def percent(value: float | None) -> Cell:
    """'83%'; the CSV holds the percentage with one decimal."""
    if value is None:
        return Cell("—")
    return Cell(f"{value:.0%}", round(value * 100, 1))


def number(value: float | None, places: int = 0) -> Cell:
    if value is None:
        return Cell("—")
    return Cell(f"{value:,.{places}f}", round(value, places) if places else round(value))


def ticket(ticket_id: int) -> Cell:
    return Cell(format_reference(ticket_id), href=f"/tickets/{ticket_id}/")


def duration_text(seconds: float | None) -> str:
    return duration(seconds).text


def percent_text(value: float) -> str:
    return f"{value:.0%}"


def day_label(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


def week_label(day: date) -> str:
    return f"week of {day.day} {day:%b}"


def short_day(day: date) -> str:
    return f"{day.day} {day:%b}"
