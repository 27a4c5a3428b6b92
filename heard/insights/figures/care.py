"""Satisfaction and care: survey answers and follow-up outcomes per agent and team, and how
they go with the coach's empathy scores."""

from __future__ import annotations

from heard.care.models import Answer, Rating
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
    mean,
    number,
    percent,
    percent_text,
    share,
    week_label,
)
from heard.insights.rollup import EMPATHY_BANDS, NO_COACHING

HAPPY = ("4", "5")
BANDS = (*(label for _, label in EMPATHY_BANDS), NO_COACHING)


def satisfaction(rows: list[Row]) -> tuple[int, float | None, float | None]:
    """(answers, mean answer from 1 to 5, share happy or very happy)."""
    ratings = counted(rows, "ratings")
    answers = sum(ratings.values())
    rating_sum = sum(int(r) * n for r, n in ratings.items())
    happy = sum(ratings.get(r, 0) for r in HAPPY)
    return answers, mean(rating_sum, answers), share(happy, answers)


def care_cells(rows: list[Row]) -> list[Cell]:
    answers, average, happy = satisfaction(rows)
    answered = counted(rows, "follow_ups")
    follow_ups = sum(answered.values())
    return [
        number(answers), number(average, 1), percent(happy), number(follow_ups),
        *(number(answered.get(a, 0)) for a in Answer.values),
        percent(share(answered.get(Answer.BETTER, 0), follow_ups)),
    ]


COLUMNS = ("Survey answers", "Average answer (1 to 5)", "Happy or very happy",
           "Follow-ups answered", *(str(label) for _, label in Answer.choices),
           "Share better now")


def page(ctx: Context) -> Page:
    answers, average, happy = satisfaction(ctx.rows)
    answered = counted(ctx.rows, "follow_ups")
    summary = [
        ("Survey answers", f"{answers:,}"),
        ("Average answer", number(average, 1).text),
        ("Happy or very happy", percent(happy).text),
        ("Follow-ups answered", f"{sum(answered.values()):,}"),
        ("Better now", percent(share(answered.get(Answer.BETTER, 0),
                                     sum(answered.values()))).text),
    ]
    sections = [_ratings(ctx), _per_agent(ctx)]
    if ctx.several_teams:
        sections.append(_per_team(ctx))
    sections += [_by_empathy(ctx), _per_week(ctx)]
    return Page(
        "satisfaction", "Satisfaction and care",
        "What customers answered to the satisfaction survey and to the follow-up (is it better "
        "now?), on the day they answered, for the agent holding the ticket.",
        summary, sections,
    )


def _ratings(ctx: Context) -> Section:
    ratings = counted(ctx.rows, "ratings")
    answers = sum(ratings.values())
    order = sorted(Rating.choices, key=lambda choice: -choice[0])
    return Section(
        "answers", "Survey answers",
        "How the customers who answered found the help they got.",
        Table("ratings", "Survey answers", ("Answer", "Answers", "Share"),
              [[Cell(str(label)), number(ratings.get(str(value), 0)),
                percent(share(ratings.get(str(value), 0), answers))] for value, label in order]),
        [charts.bar_chart("Survey answers", [str(label) for _, label in order],
                          [ratings.get(str(value), 0) for value, _ in order])],
    )


def _per_agent(ctx: Context) -> Section:
    groups = by_agent(ctx.rows)
    agents = [a for a in agents_in_order(groups, ctx.names)
              if counted(groups[a], "ratings") or counted(groups[a], "follow_ups")]
    return Section(
        "agents", "Per agent", "Answers about the tickets each agent holds.",
        Table("care-agents", "Satisfaction and follow-ups per agent", ("Agent", *COLUMNS),
              [[Cell(ctx.names.agent(a)), *care_cells(groups[a])] for a in agents]),
        [charts.bar_chart("Customers happy or very happy, per agent",
                          [ctx.names.agent(a) for a in agents],
                          [satisfaction(groups[a])[2] for a in agents], fmt=percent_text,
                          top=1.0)],
    )


def _per_team(ctx: Context) -> Section:
    groups = by_team(ctx.rows)
    teams = sorted(groups, key=lambda t: ctx.names.team(t))
    return Section(
        "teams", "Per team", "Answers about each team's tickets.",
        Table("care-teams", "Satisfaction and follow-ups per team", ("Team", *COLUMNS),
              [[Cell(ctx.names.team(t)), *care_cells(groups[t])] for t in teams]),
    )


def _by_empathy(ctx: Context) -> Section:
    bands: dict[str, dict[str, int]] = {band: {} for band in BANDS}
    for row in ctx.rows:
        for band, figures in row["by_empathy"].items():
            for name, amount in figures.items():
                bands[band][name] = bands[band].get(name, 0) + amount
    table_rows = []
    for band in BANDS:
        f = bands[band]
        answers = f.get("answers", 0)
        table_rows.append([
            Cell(band), number(answers), number(mean(f.get("rating_sum", 0), answers), 1),
            percent(share(f.get("happy", 0), answers)), number(f.get("follow_ups", 0)),
            percent(share(f.get("better", 0), f.get("follow_ups", 0))),
        ])
    return Section(
        "empathy-bands", "Satisfaction by empathy band",
        "Each answered ticket falls in a band by the mean empathy the coach gave the replies "
        "sent on it.",
        Table("empathy-bands", "Satisfaction and follow-ups by the empathy of the replies",
              ("Empathy of the replies", "Survey answers", "Average answer (1 to 5)",
               "Happy or very happy", "Follow-ups answered", "Share better now"), table_rows),
        [charts.bar_chart("Customers happy or very happy, by the empathy of the replies",
                          list(BANDS),
                          [share(bands[b].get("happy", 0), bands[b].get("answers", 0))
                           for b in BANDS], fmt=percent_text, top=1.0)],
        note="These figures show what went together on your desk, not what caused what: a "
        "hard problem can make both a colder reply and an unhappy customer. A band with few "
        "answers says little.",
    )


def _per_week(ctx: Context) -> Section:
    weekly = by_week(ctx.rows)
    weeks = ctx.weeks()
    return Section(
        "weeks", "Week by week", "Answers given in each week.",
        Table("care-weeks", "Satisfaction and follow-ups per week", ("Week", *COLUMNS),
              [[Cell(week_label(w), w.isoformat()), *care_cells(weekly.get(w, []))]
               for w in weeks]),
        [charts.line_chart("Customers happy, and better now, per week",
                           [week_label(w) for w in weeks], [
                               Series("Happy or very happy",
                                      [satisfaction(weekly.get(w, []))[2] for w in weeks]),
                               Series("Better now", [_better(weekly.get(w, [])) for w in weeks]),
                           ], fmt=percent_text, top=1.0)],
    )


def _better(rows: list[Row]) -> float | None:
    answered = counted(rows, "follow_ups")
    return share(answered.get(Answer.BETTER, 0), sum(answered.values()))
