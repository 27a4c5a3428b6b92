"""Empathy: the coach's dimensions of the replies actually sent, per agent and team over time;
findings by code over time; every reply sent despite a severe finding."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

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
    by_week,
    counted,
    day_label,
    joined,
    mean,
    number,
    short_day,
    ticket,
    total,
    week_label,
)

DIMENSIONS = ("empathy", "respect", "clarity", "score")
# The coach's finding codes (heard.engine.coaching), hurtful first, then what was missing.
CODES = {
    "blame": "blamed the customer",
    "rtfm": "sent them off to read",
    "policy_wall": "policy wall",
    "dismissive": "waved the feeling away",
    "shouting": "shouted",
    "curt_closing": "closed the door",
    "robotic": "template wording",
    "no_acknowledgement": "feeling not acknowledged",
    "no_next_step": "no next step",
    "no_name": "name not used",
    "no_offer_more_help": "no offer of more help",
}
HURTFUL = ("blame", "rtfm", "policy_wall", "dismissive", "shouting", "curt_closing", "robotic")


def means(rows: list[Row]) -> dict[str, float | None]:
    replies = total(rows, "coached")
    return {name: mean(total(rows, f"{name}_sum"), replies) for name in DIMENSIONS}


def dimension_cells(rows: list[Row]) -> list[Cell]:
    found = means(rows)
    return [number(total(rows, "coached")), *(number(found[name]) for name in DIMENSIONS)]


COLUMNS = ("Replies coached", "Empathy", "Respect", "Clarity", "Coach score")


def page(ctx: Context) -> Page:
    found = means(ctx.rows)
    anyway = joined(ctx.rows, "sent_anyway")
    summary = [
        ("Replies coached", f"{total(ctx.rows, 'coached'):,}"),
        *((name.capitalize() if name != "score" else "Coach score",
           number(found[name]).text) for name in DIMENSIONS),
        ("Sent despite a severe finding", f"{len(anyway):,}"),
    ]
    sections = [_per_day(ctx), _per_agent(ctx)]
    if ctx.several_teams:
        sections.append(_per_team(ctx))
    sections += [_findings(ctx), _sent_anyway(ctx)]
    return Page(
        "empathy", "Empathy",
        "How the coach judged the replies that went to customers (0 to 100 each): empathy "
        "(the feeling named, warmth), respect (no blame, no talking down) and clarity (a next "
        "step, plain words). Every sent reply is coached once, when it goes out.",
        summary, sections,
    )


def _per_day(ctx: Context) -> Section:
    days = by_day(ctx.rows)
    table_rows = [[Cell(day_label(d), d.isoformat()), *dimension_cells(days.get(d, []))]
                  for d in ctx.days()]
    series = [
        Series(name.capitalize(), [means(days.get(d, []))[name] for d in ctx.days()])
        for name in DIMENSIONS[:3]
    ]
    return Section(
        "days", "Day by day", "The mean of each dimension over the replies sent that day.",
        Table("empathy-days", "The coach's dimensions per day", ("Day", *COLUMNS), table_rows),
        [charts.line_chart("The coach's dimensions of sent replies, per day",
                           [short_day(d) for d in ctx.days()], series, top=100)],
    )


def _per_agent(ctx: Context) -> Section:
    groups = by_agent(ctx.rows)
    agents = [a for a in agents_in_order(groups, ctx.names) if total(groups[a], "coached")
              or joined(groups[a], "sent_anyway")]
    weeks = ctx.weeks()
    table_rows = []
    for agent in agents:
        weekly = by_week(groups[agent])
        series = [means(weekly.get(w, []))["empathy"] for w in weeks]
        name = f"{ctx.names.agent(agent)}'s empathy week by week"
        trend = " ".join("" if v is None else str(round(v)) for v in series)
        table_rows.append([
            Cell(ctx.names.agent(agent)), *dimension_cells(groups[agent]),
            number(len(joined(groups[agent], "sent_anyway"))),
            Cell(name, trend, html=charts.sparkline(name, series)),
        ])
    return Section(
        "agents", "Per agent",
        "Each agent's sent replies, and their empathy week by week (from the first week of the "
        "range to the last).",
        Table("empathy-agents", "The coach's dimensions per agent",
              ("Agent", *COLUMNS, "Sent despite a severe finding", "Empathy week by week"),
              table_rows),
        [charts.bar_chart("Mean empathy of sent replies, per agent",
                          [ctx.names.agent(a) for a in agents],
                          [means(groups[a])["empathy"] for a in agents], top=100,
                          fmt=lambda v: f"{v:.0f}")],
    )


def _per_team(ctx: Context) -> Section:
    groups = by_team(ctx.rows)
    teams = sorted(groups, key=lambda t: ctx.names.team(t))
    weeks = ctx.weeks()
    table_rows = []
    for team in teams:
        weekly = by_week(groups[team])
        series = [means(weekly.get(w, []))["empathy"] for w in weeks]
        name = f"{ctx.names.team(team)}'s empathy week by week"
        trend = " ".join("" if v is None else str(round(v)) for v in series)
        table_rows.append([Cell(ctx.names.team(team)), *dimension_cells(groups[team]),
                           Cell(name, trend, html=charts.sparkline(name, series))])
    return Section(
        "teams", "Per team", "Every sent reply on each team's tickets.",
        Table("empathy-teams", "The coach's dimensions per team",
              ("Team", *COLUMNS, "Empathy week by week"), table_rows),
    )


def _findings(ctx: Context) -> Section:
    weeks = ctx.weeks()
    weekly = by_week(ctx.rows)
    names = sorted(counted(ctx.rows, "findings"), key=_order)
    table_rows = []
    stacks = []
    for week in weeks:
        found = counted(weekly.get(week, []), "findings")
        table_rows.append([Cell(week_label(week), week.isoformat()),
                           number(total(weekly.get(week, []), "coached")),
                           *(number(found.get(code, 0)) for code in names)])
        stacks.append([found.get(code, 0) for code in HURTFUL])
    return Section(
        "findings", "Findings by code, week by week",
        "How many sent replies raised each of the coach's findings (a reply counts once per "
        "code). The chart shows the findings that hurt; the table has every one, including "
        "what was missing.",
        Table("findings-weeks", "Findings per week",
              ("Week", "Replies coached", *(label(code) for code in names)), table_rows),
        [charts.stacked_chart("Hurtful findings in sent replies, per week",
                              [week_label(w) for w in weeks],
                              [CODES[code] for code in HURTFUL], stacks)],
    )


def label(code: str) -> str:
    """'blamed the customer (blame)': what the finding means, and its code."""
    return f"{CODES.get(code, code.replace('_', ' '))} ({code})"


def _order(code: str) -> tuple[int, str]:
    """Hurtful findings first, in the coach's order, then what was missing, then the rest."""
    known = list(CODES)
    return (known.index(code) if code in known else len(known), code)


def _sent_anyway(ctx: Context) -> Section:
    listed = sorted(
        ((item, row["agent_id"]) for row in ctx.rows for item in row["sent_anyway"]),
        key=lambda pair: pair[0]["at"], reverse=True,
    )
    table_rows = []
    zone = timezone.get_current_timezone()  # once: each lookup costs as much as the row
    for item, agent in listed:
        at = datetime.fromisoformat(item["at"]).astimezone(zone)
        table_rows.append([
            Cell(f"{day_label(at.date())} {at:%H:%M}", at.isoformat()), ticket(item["ticket"]),
            Cell(ctx.names.agent(agent)), Cell(", ".join(label(c) for c in item["codes"])),
        ])
    return Section(
        "sent-anyway", "Replies sent despite a severe finding",
        "The coach holds a reply with a severe finding until the agent chooses to send it "
        "anyway. Each one, newest first, with a link to its ticket.",
        Table("sent-anyway", "Replies sent despite a severe finding",
              ("Sent", "Ticket", "Agent", "Findings"), table_rows, shown=50),
    )
