"""De-escalation: of the tickets whose first message was negative, the share whose last
customer message was calmer, per agent and team, with examples; the mood of incoming messages;
the customers most at risk of leaving now, and who holds their tickets."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

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
    by_team,
    by_week,
    counted,
    number,
    percent,
    percent_text,
    share,
    ticket,
    total,
    week_label,
)
from heard.insights.rollup import AT_RISK, RISKY

MOODS = ("anger", "frustration", "disappointment", "anxiety", "confusion", "neutral",
         "happiness", "unread")
EXAMPLES = 10


@dataclass(frozen=True)
class AtRisk:
    ticket: int
    customer: str
    churn: float
    mood: str
    lately: int  # the customer's tickets opened in the last 90 days
    agent: int | None  # who holds the ticket


def at_risk(rows: list[dict[str, Any]], customers: dict[int, str]) -> list[AtRisk]:
    """The `AT_RISK` riskiest of today's rows' lists (each row keeps its own riskiest)."""
    found = [
        AtRisk(item["ticket"], customers.get(item["customer"], ""), item["churn"], item["mood"],
               item["lately"], row["agent_id"])
        for row in rows for item in row["at_risk"]
    ]
    return sorted(found, key=lambda r: (-r.churn, -r.lately, -r.ticket))[:AT_RISK]


def calm_cells(rows: list[Row]) -> list[Cell]:
    again, calmer = total(rows, "wrote_again"), total(rows, "calmer")
    return [number(total(rows, "negative_start")), number(again), number(calmer),
            percent(share(calmer, again))]


COLUMNS = ("Solved after a negative start", "Customer wrote again", "Calmer at the end",
           "Share calmer")


def page(ctx: Context, risky: list[AtRisk]) -> Page:
    again, calmer = total(ctx.rows, "wrote_again"), total(ctx.rows, "calmer")
    summary = [
        ("Solved after a negative start", f"{total(ctx.rows, 'negative_start'):,}"),
        ("The customer wrote again", f"{again:,}"),
        ("Calmer at the end", percent(share(calmer, again)).text),
        ("Customers at risk of leaving now", f"{len(risky)}"),
    ]
    sections = [_per_agent(ctx)]
    if ctx.several_teams:
        sections.append(_per_team(ctx))
    sections += [_per_week(ctx), _examples(ctx), _moods(ctx), _at_risk(risky, ctx)]
    return Page(
        "deescalation", "De-escalation",
        "The way a conversation ends is the impression the customer keeps. For every ticket "
        "solved whose first message read angry, frustrated, disappointed or anxious: did the "
        "customer's last message before the solve read calmer than their first? Only tickets "
        "where the customer wrote again can say; a solve counts for the agent who wrote the "
        "last reply before it.",
        summary, sections,
    )


def _per_agent(ctx: Context) -> Section:
    groups = by_agent(ctx.rows)
    agents = [a for a in agents_in_order(groups, ctx.names) if total(groups[a], "negative_start")]
    return Section(
        "agents", "Per agent", "Tickets solved in the range after a negative start.",
        Table("calmer-agents", "Calmer at the end, per agent", ("Agent", *COLUMNS),
              [[Cell(ctx.names.agent(a)), *calm_cells(groups[a])] for a in agents]),
        [charts.bar_chart("Share of customers calmer at the end, per agent",
                          [ctx.names.agent(a) for a in agents],
                          [share(total(groups[a], "calmer"), total(groups[a], "wrote_again"))
                           for a in agents], fmt=percent_text, top=1.0)],
    )


def _per_team(ctx: Context) -> Section:
    groups = by_team(ctx.rows)
    teams = sorted(groups, key=lambda t: ctx.names.team(t))
    return Section(
        "teams", "Per team", "Every solve on each team's tickets.",
        Table("calmer-teams", "Calmer at the end, per team", ("Team", *COLUMNS),
              [[Cell(ctx.names.team(t)), *calm_cells(groups[t])] for t in teams]),
    )


def _per_week(ctx: Context) -> Section:
    weekly = by_week(ctx.rows)
    weeks = ctx.weeks()
    return Section(
        "weeks", "Week by week", "Solves in each week.",
        Table("calmer-weeks", "Calmer at the end, per week", ("Week", *COLUMNS),
              [[Cell(week_label(w), w.isoformat()), *calm_cells(weekly.get(w, []))]
               for w in weeks]),
        [charts.line_chart("Share of customers calmer at the end, per week",
                           [week_label(w) for w in weeks],
                           [Series("Calmer at the end", [
                               share(total(weekly.get(w, []), "calmer"),
                                     total(weekly.get(w, []), "wrote_again")) for w in weeks])],
                           fmt=percent_text, top=1.0)],
    )


def _examples(ctx: Context) -> Section:
    found = sorted(
        ((example, row["agent_id"]) for row in ctx.rows for example in row["calmed"]),
        key=lambda pair: (-pair[0]["drop"], -pair[0]["ticket"]),
    )[:EXAMPLES]
    return Section(
        "examples", "Examples worth reading",
        "The conversations that calmed down the most: read how the agent did it.",
        Table("calmed-examples", "Tickets that ended calmer",
              ("Ticket", "Agent", "First message read", "Last message read",
               "Drop in negativity (0 to 1)"),
              [[ticket(e["ticket"]), Cell(ctx.names.agent(agent)), Cell(e["from"]),
                Cell(e["to"]), number(e["drop"], 2)] for e, agent in found]),
    )


def _moods(ctx: Context) -> Section:
    weekly = by_week(ctx.rows)
    weeks = ctx.weeks()
    columns = [[counted(weekly.get(w, []), "moods").get(m, 0) for m in MOODS] for w in weeks]
    return Section(
        "moods", "The mood of incoming messages",
        "Every customer message received, by the emotion read in it (or an agent's "
        "correction); unread: not read yet.",
        Table("moods-weeks", "Incoming messages by mood, per week",
              ("Week", *(m.capitalize() for m in MOODS), "All"),
              [[Cell(week_label(w), w.isoformat()), *(number(n) for n in column),
                number(sum(column))] for w, column in zip(weeks, columns, strict=True)]),
        [charts.stacked_chart("Incoming messages by mood, per week",
                              [week_label(w) for w in weeks], [m.capitalize() for m in MOODS],
                              columns)],
    )


def _at_risk(risky: list[AtRisk], ctx: Context) -> Section:
    rows = [[Cell(found.customer), ticket(found.ticket), percent(found.churn),
             number(found.lately), Cell(found.mood or "not read yet"),
             Cell(ctx.names.agent(found.agent))] for found in risky]
    return Section(
        "at-risk", "Customers most at risk of leaving, now",
        f"Open tickets whose customer's messages read a churn risk of {RISKY:.0%} or more, "
        "highest first, with how many tickets the customer opened in the last 90 days. As "
        "things stood at the latest rollup, whatever the dates chosen.",
        Table("at-risk", "Customers most at risk of leaving",
              ("Customer", "Ticket", "Churn risk", "Tickets in 90 days", "Mood", "Held by"),
              rows),
    )
