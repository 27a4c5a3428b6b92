"""The weekly digest: each team lead gets last week's figures for the teams they lead, and the
three tickets most worth a look, by email (`kinds.WEEKLY_DIGEST`, through
`outbound.queue_automatic`), on Monday from `HEARD_INSIGHTS_DIGEST_HOUR`.

At most one per lead and week, ever: a `DigestSent` row is claimed in the transaction that
queues the email, so the job can run twice, or two at once. A lead whose teams had nothing to
count that week gets none.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from heard.desk.models import Team, Ticket
from heard.insights import kinds
from heard.insights.figures.calm import calm_cells
from heard.insights.figures.care import satisfaction
from heard.insights.figures.common import Row, counted, joined, median, percent, share, total
from heard.insights.figures.common import duration as duration_cell
from heard.insights.figures.empathy import means
from heard.insights.models import DayFigures, DigestSent
from heard.mail.sending import outbound

WORTH_A_LOOK = 3


@dataclass(frozen=True)
class Worth:
    ticket: Ticket
    why: list[str]
    weight: int


def last_week(now: datetime) -> date | None:
    """The Monday of the week just ended, once this Monday's hour has come; else None."""
    local = timezone.localtime(now)
    if local.weekday() == 0 and local.hour < settings.HEARD_INSIGHTS_DIGEST_HOUR:
        return None
    this_monday = local.date() - timedelta(days=local.weekday())
    return this_monday - timedelta(weeks=1)


def send_due(now: datetime | None = None) -> int:
    """Send every lead their digest of last week if not sent yet; returns how many went."""
    now = now or timezone.now()
    week = last_week(now)
    if week is None:
        return 0
    leads = User.objects.filter(led_teams__isnull=False, is_active=True).exclude(email="")
    done = set(DigestSent.objects.filter(week=week).values_list("lead_id", flat=True))
    sent = 0
    for lead in leads.distinct().order_by("pk"):
        if lead.pk not in done and send(lead, week, now) is not None:
            sent += 1
    return sent


def send(lead: User, week: date, now: datetime | None = None) -> DigestSent | None:
    """The digest of `week` (a Monday) for `lead`; None when sent already or nothing to say."""
    teams = list(Team.objects.filter(lead=lead).order_by("name"))
    rows: list[Row] = [
        dict(row) for row in DayFigures.objects.filter(
            team__in=teams, day__gte=week, day__lt=week + timedelta(weeks=1)
        ).values()
    ]
    if not teams or not rows:
        return None
    try:
        with transaction.atomic():
            claimed = DigestSent.objects.create(lead=lead, week=week, sent_at=now or timezone.now())
            text = compose(lead, teams, rows, week)
            claimed.email = outbound.queue_automatic(
                kinds.WEEKLY_DIGEST,
                to_address=lead.email,
                subject=f"Your week in {_and(t.name for t in teams)}: {_span(week)}",
                text=text,
                why={"teams": _teams(teams)},
                summary=f"Insights for the week of {_span(week)}",
            )
            claimed.save(update_fields=["email"])
            return claimed
    except IntegrityError:  # another run sent it a moment ago
        return None


def compose(lead: User, teams: list[Team], rows: list[Row], week: date) -> str:
    words = kinds.WEEKLY_DIGEST.words()
    paragraphs = [
        words["greeting"].format(name=lead.first_name or lead.username),
        words["intro"].format(week=_span(week)),
    ]
    per_team: dict[int, list[Row]] = defaultdict(list)
    for row in rows:
        per_team[row["team_id"]].append(row)
    for team in teams:
        paragraphs.append(_team_figures(team, per_team.get(team.pk, []), words))
    worth = worth_a_look(rows)
    if worth:
        paragraphs.append("\n".join([words["worth"], *(
            "- " + words["ticket"].format(
                reference=w.ticket.reference, subject=w.ticket.subject, why="; ".join(w.why),
                link=f"{settings.SITE_URL.rstrip('/')}/tickets/{w.ticket.pk}/",
            ) for w in worth
        )]))
    else:
        paragraphs.append(words["worth_none"])
    paragraphs.append(words["more"].format(link=_link(week, teams)))
    return "\n\n".join(paragraphs)


def _team_figures(team: Team, rows: list[Row], words: dict[str, Any]) -> str:
    first, following = joined(rows, "first_replies"), joined(rows, "next_replies")
    gaps = joined(rows, "promise_gaps")
    answers, _, happy = satisfaction(rows)
    answered = counted(rows, "follow_ups")
    lines = []
    if first:
        lines.append(words["first"].format(
            count=len(first), median=duration_cell(median(first)).text,
            within=percent(share(total(rows, "first_within"), len(first))).text))
    if following:
        lines.append(words["next"].format(
            count=len(following), breaches=total(rows, "breaches"),
            within=percent(share(total(rows, "next_within"), len(following))).text))
    if gaps:
        lines.append(words["promises"].format(kept=sum(1 for g in gaps if g <= 0),
                                              count=len(gaps)))
    if total(rows, "coached"):
        found = means(rows)
        lines.append(words["empathy"].format(
            **{name: round(found[name] or 0) for name in ("empathy", "respect", "clarity")},
            anyway=len(joined(rows, "sent_anyway"))))
    calm = calm_cells(rows)
    if total(rows, "wrote_again"):
        lines.append(words["calmer"].format(count=calm[1].text, calmer=calm[2].text))
    if answers or answered:
        lines.append(words["satisfaction"].format(
            count=answers, happy=percent(happy).text, follow_ups=sum(answered.values()),
            better=answered.get("better", 0)))
    body = "\n".join(f"- {line}" for line in lines) if lines else words["quiet"]
    return f"{team.name}\n{body}"


def worth_a_look(rows: list[Row], limit: int = WORTH_A_LOOK) -> list[Worth]:
    """The tickets the rows flag most (their reasons' weights added up), heaviest first."""
    weights: dict[int, int] = defaultdict(int)
    reasons: dict[int, list[str]] = defaultdict(list)
    for row in rows:
        for item in row["attention"]:
            weights[item["ticket"]] += item["weight"]
            if item["why"] not in reasons[item["ticket"]]:
                reasons[item["ticket"]].append(item["why"])
    ranked = sorted(weights, key=lambda t: (-weights[t], -t))[:limit]
    tickets = Ticket.objects.in_bulk(ranked)
    return [Worth(tickets[t], reasons[t], weights[t]) for t in ranked if t in tickets]


def _span(week: date) -> str:
    last = week + timedelta(days=6)
    if last.month == week.month:
        return f"{week.day} to {last.day} {last:%B %Y}"
    return f"{week.day} {week:%B} to {last.day} {last:%B %Y}"


def _and(names: Any) -> str:
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _teams(teams: list[Team]) -> str:
    """'Billing team', 'Billing and Orders teams'."""
    return f"{_and(t.name for t in teams)} team{'s' if len(teams) > 1 else ''}"


def _link(week: date, teams: list[Team]) -> str:
    query = {"start": week.isoformat(), "end": (week + timedelta(days=6)).isoformat()}
    if len(teams) == 1:
        query["team"] = str(teams[0].pk)
    return f"{settings.SITE_URL.rstrip('/')}{reverse('insights:speed')}?{urlencode(query)}"

