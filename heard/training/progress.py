"""Progress per dimension over time: practice (exercises, role-plays) and the replies sent to
customers, week by week, for one agent or each agent a lead sees."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.utils import timezone

from heard.desk.models import Agent
from heard.training.models import Exercise, ReplyCoaching, RolePlay

DIMENSIONS = ("empathy", "respect", "clarity")
WEEKS = 8


@dataclass
class Week:
    """One week's averages (None where nothing was done)."""

    start: date
    practice: dict[str, int | None] = field(default_factory=dict)
    practised: int = 0
    sent: dict[str, int | None] = field(default_factory=dict)
    replies: int = 0


@dataclass(frozen=True)
class Progress:
    agent: Agent
    weeks: list[Week]  # oldest first

    def series(self, kind: str, dimension: str) -> list[int | None]:
        return [getattr(week, kind).get(dimension) for week in self.weeks]

    def rows(self) -> list[dict[str, object]]:
        """One row per dimension: its weekly series and latest value, in practice and sent."""
        practice, sent = self.latest("practice"), self.latest("sent")
        return [
            {
                "name": name,
                "practice": self.series("practice", name),
                "practice_latest": practice[name],
                "sent": self.series("sent", name),
                "sent_latest": sent[name],
            }
            for name in DIMENSIONS
        ]

    def latest(self, kind: str) -> dict[str, int | None]:
        """The most recent week with something in it, per dimension."""
        for week in reversed(self.weeks):
            values = getattr(week, kind)
            if any(v is not None for v in values.values()):
                return dict(values)
        return dict.fromkeys(DIMENSIONS)


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def progress_of(agents: Iterable[Agent], now: datetime | None = None) -> list[Progress]:
    """Each agent's last `WEEKS` weeks, in three queries whatever the number of agents."""
    agents = list(agents)
    today = timezone.localdate(now or timezone.now())
    first = _monday(today) - timedelta(weeks=WEEKS - 1)
    since = timezone.make_aware(datetime.combine(first, datetime.min.time()))
    ids = [a.pk for a in agents]
    practice: dict[tuple[int, date], list[tuple[int, int, int]]] = defaultdict(list)
    for model in (Exercise, RolePlay):
        rows = model.objects.filter(agent__in=ids, finished_at__gte=since, empathy__isnull=False)
        for agent_id, at, *dims in rows.values_list(
            "agent_id", "finished_at", "empathy", "respect", "clarity"
        ):
            practice[(agent_id, _monday(timezone.localdate(at)))].append(_three(dims))
    sent: dict[tuple[int, date], list[tuple[int, int, int]]] = defaultdict(list)
    replies = ReplyCoaching.objects.filter(agent__in=ids, sent_at__gte=since)
    for agent_id, at, *dims in replies.values_list(
        "agent_id", "sent_at", "empathy", "respect", "clarity"
    ):
        sent[(agent_id, _monday(timezone.localdate(at)))].append(_three(dims))
    result = []
    for agent in agents:
        weeks = []
        for n in range(WEEKS):
            start = first + timedelta(weeks=n)
            did, wrote = practice.get((agent.pk, start), []), sent.get((agent.pk, start), [])
            weeks.append(Week(start, _means(did), len(did), _means(wrote), len(wrote)))
        result.append(Progress(agent, weeks))
    return result


def _three(values: list[int]) -> tuple[int, int, int]:
    empathy, respect, clarity = values
    return empathy, respect, clarity


def _means(rows: list[tuple[int, int, int]]) -> dict[str, int | None]:
    if not rows:
        return dict.fromkeys(DIMENSIONS)
    return {
        name: round(sum(row[i] for row in rows) / len(rows)) for i, name in enumerate(DIMENSIONS)
    }
