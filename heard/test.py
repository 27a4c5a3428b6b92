"""BaseTestCase: the personas every desk test works with, built through real actions."""

from __future__ import annotations

from datetime import datetime
from typing import TypeVar

from django.contrib.auth.models import User
from django.test import TestCase

from heard.desk import actions
from heard.desk.models import Agent, Customer, CustomerEmail, Role, Team, Ticket

PASSWORD = "correct horse battery"  # noqa: S105
T = TypeVar("T")


def present(value: T | None) -> T:
    """`value`, failing the test if it is None: `present(raw.ticket).customer`."""
    assert value is not None
    return value


def make_agent(username: str, teams: list[Team], role: str = Role.AGENT, **extra: object) -> Agent:
    user = User.objects.create_user(
        username,
        f"{username}@example.org",
        PASSWORD,
        first_name=username.title(),
        last_name="Example",
    )
    agent = Agent.objects.create(user=user, role=role, **extra)
    agent.teams.set(teams)
    return agent


def make_customer(name: str = "Aleksandar Petrović", email: str = "aleks@example.com") -> Customer:
    customer = Customer.objects.create(name=name)
    CustomerEmail.objects.create(customer=customer, address=email, is_primary=True)
    return customer


class BaseTestCase(TestCase):
    """Billing team: Alice (agent), Bob (teammate), Lena (lead). Tech team: Olga (outsider)."""

    billing: Team
    tech: Team

    def setUp(self) -> None:
        super().setUp()
        self.billing = Team.objects.create(name="Billing", slug="billing", auto_assign=False)
        self.tech = Team.objects.create(name="Tech", slug="tech", auto_assign=False)
        self.lead = make_agent("lena", [self.billing], Role.LEAD)
        self.billing.lead = self.lead.user
        self.billing.save()
        self.alice = make_agent("alice", [self.billing])
        self.bob = make_agent("bob", [self.billing])
        self.olga = make_agent("olga", [self.tech])
        self.customer = make_customer()

    def open_ticket(
        self,
        text: str = "I was charged twice for March.",
        team: Team | None = None,
        at: datetime | None = None,
        **kwargs: object,
    ) -> Ticket:
        return actions.open_ticket(
            customer=self.customer,
            team=team or self.billing,
            subject="Charged twice",
            text=text,
            at=at,
            **kwargs,  # type: ignore[arg-type]
        )

    def login(self, agent: Agent) -> None:
        self.client.login(username=agent.user.username, password=PASSWORD)
