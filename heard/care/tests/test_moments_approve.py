"""Approving a batch: by a lead of the moment's team or an administrator, or by the rule under
its limit; never past the monthly budget or the yearly limit per customer."""

from __future__ import annotations

from datetime import date, timedelta

from heard.care.models import Greeting, GreetingState
from heard.care.moments import approve, budget, plan
from heard.care.tests.moment_helpers import NOW, MomentTestCase
from heard.desk.models import Role
from heard.test import make_agent


class ApproveTestCase(MomentTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.others = [
            self.customer_born(f"Friend {n}", f"friend{n}@example.com", date(1980, 11, 24 + n))
            for n in range(3)
        ]  # Tuesday, Wednesday, Thursday

    def test_the_lead_approves_the_batch_and_it_is_audited(self) -> None:
        plan.plan_moment(self.moment, NOW)
        approval = approve.approve_batch(self.moment, self.lead, now=NOW)
        self.assertEqual(len(approval.approved), 4)
        self.assertEqual(approval.waiting, [])
        greeting = self.greeting()
        self.assertEqual(greeting.state, GreetingState.APPROVED)
        self.assertEqual(greeting.approved_by, self.lead.user)
        event = greeting.events.get(what="approved")
        self.assertEqual((event.actor, event.at), (self.lead.user, NOW))
        self.assertEqual(budget.committed_cents(self.moment.pk, date(2026, 11, 1)), 1200)

    def test_it_approves_only_the_greetings_the_lead_saw(self) -> None:
        plan.plan_moment(self.moment, NOW)
        seen = [self.greeting().pk]
        approval = approve.approve_batch(self.moment, self.lead, seen, now=NOW)
        self.assertEqual([g.pk for g in approval.approved], seen)
        self.assertEqual(Greeting.objects.awaiting().count(), 3)

    def test_never_past_the_monthly_budget_what_does_not_fit_waits(self) -> None:
        self.moment.monthly_budget_cents = 700  # two gifts of 3 euros
        self.moment.save()
        plan.plan_moment(self.moment, NOW)
        approval = approve.approve_batch(self.moment, self.lead, now=NOW)
        self.assertEqual(len(approval.approved), 2)
        self.assertEqual(len(approval.waiting), 2)
        self.assertEqual(
            approval.waiting[0][1],
            "it does not fit the budget of November 2026: €1.00 left of €7.00, and it costs €3.00",
        )
        self.assertLessEqual(budget.committed_cents(self.moment.pk, NOW.date()), 700)
        self.assertEqual(
            [g.occasion_date.day for g in approval.approved], [24, 25], "the earliest days first"
        )
        self.moment.monthly_budget_cents = 1300
        self.moment.save()
        self.assertEqual(len(approve.approve_batch(self.moment, self.lead, now=NOW).approved), 2)

    def test_each_month_has_its_own_budget(self) -> None:
        self.moment.monthly_budget_cents = 300
        self.moment.plan_days = 10
        self.moment.save()
        december = self.customer_born("December Born", "dec@example.com", date(1980, 12, 1))
        plan.plan_moment(self.moment, NOW)
        approval = approve.approve_batch(self.moment, self.lead, now=NOW)
        self.assertEqual(
            sorted((g.customer.name, g.occasion_date.month) for g in approval.approved),
            [("December Born", 12), ("Friend 0", 11)],
        )
        self.assertTrue(december.greetings.get().state == GreetingState.APPROVED)

    def test_one_customer_is_greeted_at_most_so_often_a_year(self) -> None:
        plan.plan_moment(self.moment, NOW)
        approve.approve_batch(self.moment, self.lead, now=NOW)
        again = Greeting.objects.create(
            moment=self.moment, customer=self.customer, occasion_date=date(2026, 12, 24),
            send_at=NOW, state=GreetingState.AWAITING, cost_cents=300,
        )  # fmt: skip
        approval = approve.approve_batch(self.moment, self.lead, [again.pk], now=NOW)
        self.assertEqual(
            approval.waiting[0][1], "this customer is greeted once in 2026 already (the limit is 1)"
        )
        plan.plan_moment(self.moment, NOW.replace(year=2027))  # next year: greeted again
        next_year = Greeting.objects.filter(occasion_date__year=2027, customer=self.customer)
        self.assertEqual(next_year.get().state, GreetingState.AWAITING)

    def test_only_a_lead_of_its_team_or_an_administrator_approves(self) -> None:
        plan.plan_moment(self.moment, NOW)
        other_lead = make_agent("theo", [self.tech], Role.LEAD)
        for agent in (self.alice, other_lead):
            with self.assertRaises(approve.MomentError):
                approve.approve_batch(self.moment, agent, now=NOW)
        self.assertEqual(Greeting.objects.awaiting().count(), 4)
        admin = make_agent("ines", [], Role.ADMIN)
        self.assertEqual(len(approve.approve_batch(self.moment, admin, now=NOW).approved), 4)

    def test_a_moment_of_every_team_is_approved_by_an_administrator_only(self) -> None:
        self.moment.team = None
        self.moment.save()
        self.assertFalse(approve.may_approve(self.lead, self.moment))
        self.assertTrue(approve.may_approve(make_agent("ines", [], Role.ADMIN), self.moment))

    def test_a_lead_skips_one_greeting(self) -> None:
        plan.plan_moment(self.moment, NOW)
        greeting = self.greeting()
        self.assertTrue(approve.skip(greeting, self.lead, NOW))
        greeting.refresh_from_db()
        self.assertEqual(greeting.state, GreetingState.SKIPPED)
        self.assertEqual(greeting.why, "skipped by Lena Example")
        self.assertFalse(approve.skip(greeting, self.lead, NOW), "already skipped")
        with self.assertRaises(approve.MomentError):
            approve.skip(Greeting.objects.awaiting().first(), self.alice, NOW)  # type: ignore[arg-type]


class AutoApproveTestCase(MomentTestCase):
    def test_a_small_batch_that_fits_is_approved_by_the_rule(self) -> None:
        self.moment.auto_approve_under = 2
        self.moment.save()
        plan.plan_moment(self.moment, NOW)
        greeting = self.greeting()
        self.assertEqual((greeting.state, greeting.approved_by), (GreetingState.APPROVED, None))
        self.assertTrue(greeting.events.filter(what="approved by the rule").exists())

    def test_a_larger_batch_waits_for_a_lead(self) -> None:
        self.moment.auto_approve_under = 2
        self.moment.save()
        for n in range(2):
            self.customer_born(f"Friend {n}", f"friend{n}@example.com", date(1980, 11, 25))
        self.assertEqual(plan.plan_moment(self.moment, NOW).approved, 0)
        self.assertEqual(Greeting.objects.awaiting().count(), 3)

    def test_a_batch_over_the_budget_waits_whole(self) -> None:
        self.moment.auto_approve_under = 5
        self.moment.monthly_budget_cents = 500
        self.moment.save()
        self.customer_born("Friend", "friend@example.com", date(1980, 11, 25))
        self.assertEqual(plan.plan_moment(self.moment, NOW).approved, 0)
        self.assertEqual(Greeting.objects.awaiting().count(), 2, "all or nothing")
        self.assertFalse(Greeting.objects.filter(events__what="approved by the rule").exists())

    def test_zero_means_a_lead_always_approves(self) -> None:
        plan.plan_moment(self.moment, NOW)
        plan.plan_moment(self.moment, NOW + timedelta(hours=1))
        self.assertEqual(self.greeting().state, GreetingState.AWAITING)
