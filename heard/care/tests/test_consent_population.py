"""Consent is respected for every kind, over a generated population of customers: 1,000 in the
suite (every story of every kind about 250 times), 5,000 with `HEARD_CONSENT_POPULATION=5000`.

Each customer has a solved request and a birthday around the day; each consent is, at random,
never asked, given, given then withdrawn before the jobs run, or given and then withdrawn while
Heard's jobs are already under way (between planning a greeting and sending it, or between
solving a ticket and the survey). Every job that writes to customers runs as it would in
production; then every email Heard queued is checked against the consent in force when it was
queued, from the consents' own history. Not one may go to anyone without consent.
"""

from __future__ import annotations

import os
import random
from datetime import UTC, date, datetime, timedelta

from django.db.models import Count

from heard.care import follow_ups, kinds, surveys
from heard.care.models import GiftKind, Moment, Occasion
from heard.care.moments import approve, gifts, plan, send
from heard.desk import actions
from heard.desk.models import Consent, ConsentKind, Customer, CustomerEmail, Status, Ticket
from heard.mail.models import OutboundEmail
from heard.test import BaseTestCase

POPULATION = int(os.environ.get("HEARD_CONSENT_POPULATION", "1000"))
SOLVED_AT = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)  # a Friday
PLANNED = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)  # greetings planned, surveys offered
FOLLOWED_UP = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)  # the third day after the solve
BIRTHDAY = date(1980, 11, 24)
GREETED = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
AGREED = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
WITHDREW = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
LATE_WITHDRAWAL = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)  # after the solve, before the mail
# (kind, the email kind sent by it)
KINDS = {
    ConsentKind.FOLLOW_UP: kinds.FOLLOW_UP.code,
    ConsentKind.SURVEYS: kinds.SURVEY.code,
    ConsentKind.BIRTHDAY: kinds.GREETING.code,
}
STORIES = ("never asked", "given", "withdrawn", "withdrawn late")


class ConsentPopulationTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.rng = random.Random(15)
        self.customers = self.population()
        self.stories: dict[tuple[int, str], str] = {}
        for customer in self.customers:
            for kind in KINDS:
                story = self.rng.choice(STORIES)
                self.stories[(customer.pk, kind)] = story
                if story != "never asked":
                    actions.record_consent(customer, kind, True, "portal", at=AGREED)
                if story == "withdrawn":
                    actions.record_consent(customer, kind, False, "email", at=WITHDREW)

    def population(self) -> list[Customer]:
        customers = Customer.objects.bulk_create(
            Customer(name=f"Customer {n:04}", birthday=BIRTHDAY) for n in range(POPULATION)
        )
        CustomerEmail.objects.bulk_create(
            CustomerEmail(customer=c, address=f"c{c.pk}@example.com", is_primary=True)
            for c in customers
        )
        Ticket.objects.bulk_create(
            Ticket(
                subject="Roaming does not work",
                customer=c,
                team=self.billing,
                assignee=self.alice,
                status=Status.SOLVED,
                created_at=SOLVED_AT - timedelta(hours=5),
                first_responded_at=SOLVED_AT - timedelta(hours=1),
                solved_at=SOLVED_AT,
            )
            for c in customers
        )
        return customers

    def followed_up(self, customer: Customer) -> bool:
        """Their follow-up went, so the survey waits for its answer (never mid-anger)."""
        return self.stories[(customer.pk, ConsentKind.FOLLOW_UP)] == "given"

    def withdraw_late(self, kind: str) -> None:
        for customer in self.customers:
            if self.stories[(customer.pk, kind)] == "withdrawn late":
                actions.record_consent(customer, kind, False, "email", at=LATE_WITHDRAWAL)

    def run_every_job(self) -> None:
        moment = Moment(
            name="Birthday minutes",
            team=self.billing,
            occasion=Occasion.BIRTHDAY,
            gift_kind=GiftKind.MINUTES,
            gift_text="50 free minutes",
            gift_cost_cents=300,
            subject="Happy birthday, {name}",
            greeting="Happy birthday, {name}: this month {gift} are on us.",
            monthly_budget_cents=10_000_000,
            auto_approve_under=POPULATION,
            plan_days=3,
        )
        moment.full_clean()
        moment.save()
        gifts.add_vouchers(moment, [f"BDAY-{n:05}" for n in range(POPULATION)])
        with self.captureOnCommitCallbacks():  # queued, not delivered: what counts is the row
            plan.plan_moment(moment, PLANNED)
            approve.auto_approve(moment, PLANNED)
            self.withdraw_late(ConsentKind.BIRTHDAY)
            self.withdraw_late(ConsentKind.FOLLOW_UP)
            self.withdraw_late(ConsentKind.SURVEYS)
            surveys.send_due(PLANNED)
            follow_ups.send_due(FOLLOWED_UP)
            send.send_due(GREETED)

    def test_no_email_goes_to_anyone_without_consent_of_its_kind(self) -> None:
        self.run_every_job()
        history: dict[tuple[int, str], list[Consent]] = {}
        for consent in Consent.objects.order_by("at", "pk"):
            history.setdefault((consent.customer_id, consent.kind), []).append(consent)
        by_address = dict(CustomerEmail.objects.values_list("address", "customer_id"))
        sent = {code: 0 for code in KINDS.values()}
        for email in OutboundEmail.objects.filter(kind__in=KINDS.values()):
            kind = next(k for k, code in KINDS.items() if code == email.kind)
            customer_id = by_address[email.to_address]
            in_force = [c for c in history.get((customer_id, kind), []) if c.at <= email.created_at]
            self.assertTrue(in_force and in_force[-1].given, (email.kind, email.to_address))
            self.assertEqual(self.stories[(customer_id, kind)], "given")
            sent[email.kind] += 1
        # Everyone who agreed and kept agreeing got what the kind offers, once.
        agreed = {
            code: sum(
                1
                for c in self.customers
                if self.stories[(c.pk, kind)] == "given"
                and (kind != ConsentKind.SURVEYS or not self.followed_up(c))
            )
            for kind, code in KINDS.items()
        }
        self.assertEqual(sent, agreed)
        self.assertGreater(min(sent.values()), POPULATION * 15 // 100)  # the check saw plenty
        per_address = OutboundEmail.objects.values("to_address", "kind").annotate(n=Count("pk"))
        self.assertEqual({row["n"] for row in per_address}, {1})
