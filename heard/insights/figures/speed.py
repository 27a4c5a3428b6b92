"""Speed: first and next reply times against the team's targets, breaches, the honest-promise
record and the backlog."""

from __future__ import annotations

from heard.insights import charts
from heard.insights.charts import Series
from heard.insights.figures.common import (
    Cell,
    Context,
    Page,
    Row,
    Section,
    Table,
    agents_in_order,
    by_agent,
    by_day,
    by_team,
    day_label,
    duration,
    duration_text,
    joined,
    lateness,
    median,
    number,
    percent,
    percent_text,
    share,
    short_day,
    spread,
    total,
)

FIGURE_COLUMNS = (
    "First replies", "First reply, median", "First reply, 90th percentile",
    "First replies within target", "Next replies", "Next reply, median",
    "Next reply, 90th percentile", "Next replies within target", "Breaches",
)


def reply_cells(rows: list[Row]) -> list[Cell]:
    first, first_median, first_p90 = spread(joined(rows, "first_replies"))
    following, next_median, next_p90 = spread(joined(rows, "next_replies"))
    return [
        number(first), duration(first_median), duration(first_p90),
        percent(share(total(rows, "first_within"), first)),
        number(following), duration(next_median), duration(next_p90),
        percent(share(total(rows, "next_within"), following)),
        number(total(rows, "breaches")),
    ]


def promise_cells(rows: list[Row]) -> list[Cell]:
    gaps = joined(rows, "promise_gaps")
    kept = sum(1 for gap in gaps if gap <= 0)
    return [number(len(gaps)), number(kept), percent(share(kept, len(gaps))),
            lateness(median(gaps))]


def page(ctx: Context) -> Page:
    rows = ctx.rows
    first, following = joined(rows, "first_replies"), joined(rows, "next_replies")
    gaps = joined(rows, "promise_gaps")
    latest = _latest_backlog(ctx)
    summary = [
        ("Median first reply", duration_text(median(first))),
        ("First replies within target", percent(share(total(rows, "first_within"),
                                                      len(first))).text),
        ("Next replies within target", percent(share(total(rows, "next_within"),
                                                     len(following))).text),
        ("Breaches", f"{total(rows, 'breaches'):,}"),
        ("Promises kept", percent(share(sum(1 for g in gaps if g <= 0), len(gaps))).text),
        ("Backlog at the end", f"{len(latest):,} tickets"),
    ]
    sections = [_per_day(ctx), _per_agent(ctx)]
    if ctx.several_teams:
        sections.append(_per_team(ctx))
    sections += [_promises(ctx), _backlog(ctx)]
    return Page(
        "speed", "Speed",
        "Reply times are business time, from when the customer began waiting to the agent's "
        "reply, against each team's targets (first reply: the ticket's own target; next reply: "
        "the team's target for the priority the ticket had then).",
        summary, sections,
    )


def _per_day(ctx: Context) -> Section:
    days = by_day(ctx.rows)
    table_rows = [[Cell(day_label(day), day.isoformat()), *reply_cells(days.get(day, []))]
                  for day in ctx.days()]
    labels = [short_day(day) for day in ctx.days()]
    # The chart draws the table's own figures: its CSV values (minutes, percentages).
    medians = [
        Series("First reply, median", [_of(row[2], 1 / 60) for row in table_rows]),
        Series("Next reply, median", [_of(row[6], 1 / 60) for row in table_rows]),
    ]
    within = [
        Series("First replies within target", [_of(row[4], 1 / 100) for row in table_rows]),
        Series("Next replies within target", [_of(row[8], 1 / 100) for row in table_rows]),
    ]
    return Section(
        "days", "Day by day",
        "Each day's replies: how long customers waited and how many were answered in time.",
        Table("speed-days", "Replies per day", ("Day", *FIGURE_COLUMNS), table_rows),
        [
            charts.line_chart("Median reply time per day (business hours)", labels, medians,
                              fmt=lambda h: duration_text(h * 3600), tick=lambda h: f"{h:g} h"),
            charts.line_chart("Share of replies within target per day", labels, within,
                              fmt=percent_text, top=1.0),
        ],
    )


def _per_agent(ctx: Context) -> Section:
    groups = by_agent(ctx.rows)
    agents = agents_in_order(groups, ctx.names)
    table_rows = [
        [Cell(ctx.names.agent(a)), *reply_cells(groups[a]), *promise_cells(groups[a])[:3]]
        for a in agents
    ]
    shares = [share(total(groups[a], "first_within"), len(joined(groups[a], "first_replies")))
              for a in agents]
    return Section(
        "agents", "Per agent",
        "Replies count for the agent who wrote them; breaches for the agent holding the ticket.",
        Table("speed-agents", "Reply times per agent",
              ("Agent", *FIGURE_COLUMNS, "First replies after a promise", "Kept", "Share kept"),
              table_rows),
        [charts.bar_chart("First replies within target, per agent",
                          [ctx.names.agent(a) for a in agents], shares, fmt=percent_text,
                          top=1.0)],
    )


def _per_team(ctx: Context) -> Section:
    groups = by_team(ctx.rows)
    teams = sorted(groups, key=lambda t: ctx.names.team(t))
    table_rows = [[Cell(ctx.names.team(t)), *reply_cells(groups[t])] for t in teams]
    return Section(
        "teams", "Per team", "Every reply on each team's tickets.",
        Table("speed-teams", "Reply times per team", ("Team", *FIGURE_COLUMNS), table_rows),
    )


def _promises(ctx: Context) -> Section:
    days = by_day(ctx.rows)
    table_rows = [[Cell(day_label(day), day.isoformat()), *promise_cells(days.get(day, []))]
                  for day in ctx.days()]
    kept = []
    for day in ctx.days():
        gaps = joined(days.get(day, []), "promise_gaps")
        kept.append(share(sum(1 for gap in gaps if gap <= 0), len(gaps)))
    return Section(
        "promises", "The honest-promise record",
        "The acknowledgement tells each customer when a person will reply, forecast from the "
        "live queue. Here is how often the first reply came by then, and how late or early it "
        "was (the median).",
        Table("promises-days", "Promised against actual first reply, per day",
              ("Day", "First replies after a promise", "Kept", "Share kept",
               "Median lateness"), table_rows),
        [charts.line_chart("Promises kept per day", [short_day(d) for d in ctx.days()],
                           [Series("Share of promises kept", kept)], fmt=percent_text,
                           top=1.0)],
    )


def _latest_backlog(ctx: Context) -> list[int]:
    """The ages in the last day of the range that has rows."""
    days = by_day(ctx.rows)
    for day in reversed(ctx.days()):
        if day in days:
            return joined(days[day], "backlog_ages")
    return []


def _backlog(ctx: Context) -> Section:
    days = by_day(ctx.rows)
    table_rows = []
    counts: list[float | None] = []
    for day in ctx.days():
        rows = days.get(day)
        ages = joined(rows or [], "backlog_ages")
        counts.append(len(ages) if rows is not None else None)
        table_rows.append([
            Cell(day_label(day), day.isoformat()),
            number(len(ages)) if rows is not None else Cell("—"),
            _age(median(ages)), _age(max(ages, default=None)),
            number(total(rows or [], "promises_overdue")),
        ])
    return Section(
        "backlog", "Backlog",
        "Tickets new, open or pending at the end of each day (today: when the figures were last "
        "rolled up), how long they had been open, and how many had a promised reply time "
        "already past.",
        Table("backlog-days", "Backlog at the end of each day",
              ("Day", "Active tickets", "Median age", "Oldest", "Past a promised time"),
              table_rows),
        [charts.line_chart("Active tickets at the end of each day",
                           [short_day(d) for d in ctx.days()],
                           [Series("Active tickets", counts)])],
    )


def _of(cell: Cell, scale: float) -> float | None:
    """A figure back from its cell's CSV value (minutes to hours, a percentage to a share)."""
    return None if not isinstance(cell.value, int | float) else cell.value * scale


def _age(seconds: float | None) -> Cell:
    """Ages read in days and hours (wall-clock time): '3 days 4 h'; the CSV holds hours."""
    if seconds is None:
        return Cell("—")
    hours = round(seconds / 3600)
    days, rest = divmod(hours, 24)
    text = f"{hours} h" if not days else f"{days} day{'s' if days > 1 else ''} {rest} h"
    return Cell(text, round(seconds / 3600, 1))
