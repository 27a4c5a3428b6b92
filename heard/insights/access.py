"""Who sees which figures, decided once for the pages, their CSV files and the digest: an
agent sees their own figures; a lead their teams' (every agent in them); an administrator every
team's. A team or agent outside what one may see is not found (never "forbidden"), so nobody
learns who is there."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from django.http import Http404

from heard.desk.lead import is_lead
from heard.desk.models import Agent, Team
from heard.insights.figures import Names
from heard.insights.models import DayFigures


@dataclass(frozen=True)
class Filters:
    start: date
    end: date  # included
    team: Team | None = None
    agent: Agent | None = None


@dataclass(frozen=True)
class Scope:
    viewer: Agent
    teams: list[Team]  # what the team filter offers
    agents: list[Agent]  # what the agent filter offers (an agent: only themselves)

    @property
    def sees_others(self) -> bool:
        return is_lead(self.viewer)

    def team(self, pk: int) -> Team:
        found = next((team for team in self.teams if team.pk == pk), None)
        if found is None:
            raise Http404("No such team among yours.")
        return found

    def agent(self, pk: int) -> Agent:
        found = next((agent for agent in self.agents if agent.pk == pk), None)
        if found is None:
            raise Http404("No such agent among those you may see.")
        return found

    def names(self) -> Names:
        return Names(
            {team.pk: team.name for team in self.teams},
            {agent.pk: agent.display_name() for agent in self.agents},
        )

    def rows(self, filters: Filters) -> QuerySet[DayFigures]:
        """The rollup rows of the range that this viewer may see, narrowed by the filters."""
        rows = DayFigures.objects.filter(day__gte=filters.start, day__lte=filters.end)
        if not self.sees_others:
            rows = rows.filter(agent=self.viewer)
        elif not self.viewer.sees_all_teams():
            rows = rows.filter(team__in=[team.pk for team in self.teams])
        if filters.team is not None:
            rows = rows.filter(team=filters.team)
        if filters.agent is not None:
            rows = rows.filter(agent=filters.agent)
        return rows


def scope_of(viewer: Agent) -> Scope:
    """What `viewer` may see, in two queries (one for an agent)."""
    agents = Agent.objects.select_related("user").order_by("user__first_name", "user__last_name")
    if viewer.sees_all_teams():
        return Scope(viewer, list(Team.objects.order_by("name")), list(agents))
    teams = list(viewer.teams.order_by("name"))
    if is_lead(viewer):
        seen = agents.filter(Q(pk=viewer.pk) | Q(teams__in=[t.pk for t in teams])).distinct()
        return Scope(viewer, teams, list(seen))
    return Scope(viewer, teams, [viewer])
