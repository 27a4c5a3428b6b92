"""The moments' test set-up: a birthday moment of the Billing team with minutes on us."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from heard.care.models import GiftKind, Greeting, Moment, Occasion
from heard.care.moments import gifts
from heard.desk import actions
from heard.desk.models import ConsentKind, Customer, Status, Ticket
from heard.test import BaseTestCase, make_customer

NOW = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)  # a Monday morning
THURSDAY = date(2026, 11, 26)
AGREED_AT = datetime(2026, 3, 3, 10, 0, tzinfo=UTC)
GREETING = "Happy birthday, {name} — this month {gift} are on us."


def birthday_moment(**fields: Any) -> Moment:
    values: dict[str, Any] = {
        "name": "Birthday minutes",
        "occasion": Occasion.BIRTHDAY,
        "gift_kind": GiftKind.MINUTES,
        "gift_text": "50 free minutes, 50 SMS and 300 MB",
        "gift_cost_cents": 300,
        "subject": "Happy birthday, {name}",
        "greeting": GREETING,
        "monthly_budget_cents": 3000,
        "plan_days": 3,
    }
    moment = Moment(**(values | fields))
    moment.full_clean()
    moment.save()
    return moment


class MomentTestCase(BaseTestCase):
    """Aleksandar (Billing's customer, agreed to greetings) has his birthday on Thursday."""

    def setUp(self) -> None:
        super().setUp()
        self.moment = birthday_moment(team=self.billing)
        gifts.add_vouchers(self.moment, [f"BDAY-{n:04}" for n in range(1, 11)])
        self.customer.birthday = date(1986, 11, 26)
        self.customer.save()
        self.agree(self.customer)
        self.solved(self.customer)

    def agree(self, customer: Customer, at: datetime = AGREED_AT) -> None:
        actions.record_consent(customer, ConsentKind.BIRTHDAY, True, "portal", at=at)

    def solved(self, customer: Customer, team: Any = None) -> Ticket:
        """An earlier request, solved: the customer is active, and calm."""
        ticket = actions.open_ticket(
            customer=customer,
            team=team or self.billing,
            subject="Roaming",
            text="How do I turn roaming on?",
            at=NOW - timedelta(days=40),
        )
        actions.post_agent_reply(
            ticket, self.alice, "Hi, it is on now.", status=Status.SOLVED,
            at=NOW - timedelta(days=39),
        )  # fmt: skip
        return ticket

    def customer_born(
        self, name: str, email: str, born: date | None, zone: str = "UTC", agreed: bool = True
    ) -> Customer:
        customer = make_customer(name, email)
        customer.birthday, customer.time_zone = born, zone
        customer.save()
        if agreed:
            self.agree(customer)
        self.solved(customer)
        return customer

    def upset(self, customer: Customer, emotion: str = "anger", **kwargs: Any) -> Ticket:
        """An open ticket whose customer is upset (an agent read it so)."""
        ticket = actions.open_ticket(
            customer=customer,
            team=self.billing,
            subject="Charged twice",
            text="You charged me twice AGAIN.",
            at=kwargs.pop("at", NOW - timedelta(hours=2)),
        )
        message = ticket.messages.get()
        actions.correct_emotion(message, self.alice, emotion)
        return Ticket.objects.get(pk=ticket.pk)

    def greeting(self, customer: Customer | None = None) -> Greeting:
        return Greeting.objects.get(customer=customer or self.customer)
