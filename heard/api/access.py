"""What a token reaches: its agent's teams (an administrator's, all), narrowed to the token's own
team when it has one. One helper per kind of object; another team's object is answered exactly
as one that does not exist (404), so nobody learns that it does."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from heard.api.errors import from_desk, not_found
from heard.api.models import ApiToken, Subscription
from heard.care.models import FollowUp, Moment, Survey
from heard.desk import actions
from heard.desk.models import Agent, Customer, Team, Ticket, TicketQuerySet


class Caller:
    """The token of the request and the agent it acts as."""

    def __init__(self, token: ApiToken) -> None:
        self.token = token
        self.agent: Agent = token.agent

    def teams(self) -> QuerySet[Team]:
        teams = Team.objects.all() if self.agent.sees_all_teams() else self.agent.teams.all()
        if self.token.team_id is not None:
            teams = teams.filter(pk=self.token.team_id)
        return teams

    def tickets(self) -> TicketQuerySet:
        """Every ticket the token may see."""
        tickets = Ticket.objects.visible_to(self.agent)
        if self.token.team_id is not None:
            tickets = tickets.filter(team=self.token.team_id)
        return tickets

    def ticket(self, pk: int, query: QuerySet[Ticket] | None = None) -> Ticket:
        """The ticket through the desk's own check (`actions.check_ticket_access`), narrowed to
        the token's team; loaded with `query`'s joins."""
        query = query if query is not None else Ticket.objects.all()
        if self.token.team_id is not None:
            query = query.filter(team=self.token.team_id)
        try:
            return actions.check_ticket_access(self.agent, pk, query)
        except actions.DeskError as error:
            raise from_desk(error) from error

    def team(self, slug_or_id: str) -> Team:
        """One of the token's teams, by slug or id."""
        by = Q(slug=slug_or_id) | (Q(pk=int(slug_or_id)) if slug_or_id.isdigit() else Q())
        team = self.teams().filter(by).first()
        if team is None:
            raise not_found("team")
        return team

    def customers(self) -> QuerySet[Customer]:
        """Customers with a ticket the token may see (an unrestricted administrator's token:
        every customer)."""
        if self.agent.sees_all_teams() and self.token.team_id is None:
            return Customer.objects.all()
        return Customer.objects.filter(Exists(self.tickets().filter(customer=OuterRef("pk"))))

    def customer(self, pk: int) -> Customer:
        customer = self.customers().filter(pk=pk).first()
        if customer is None:
            raise not_found("customer")
        return customer

    def surveys(self) -> QuerySet[Survey]:
        return Survey.objects.filter(ticket__in=self.tickets().values("pk"))

    def survey(self, pk: int) -> Survey:
        survey = self.surveys().filter(pk=pk).first()
        if survey is None:
            raise not_found("survey")
        return survey

    def follow_ups(self) -> QuerySet[FollowUp]:
        return FollowUp.objects.filter(ticket__in=self.tickets().values("pk"))

    def follow_up(self, pk: int) -> FollowUp:
        follow_up = self.follow_ups().filter(pk=pk).first()
        if follow_up is None:
            raise not_found("follow-up")
        return follow_up

    def moments(self) -> QuerySet[Moment]:
        """The moments of the token's teams, and those for every team."""
        return Moment.objects.filter(Q(team__in=self.teams()) | Q(team__isnull=True))

    def subscriptions(self) -> QuerySet[Subscription]:
        return Subscription.objects.filter(team__in=self.teams())

    def subscription(self, pk: int) -> Subscription:
        found = self.subscriptions().select_related("team").filter(pk=pk).first()
        if found is None:
            raise not_found("webhook")
        return found
