"""Planning a moment: only customers who agreed, who are active, once per occasion; held while
they are upset with us, and the agent sees why on the ticket."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import time_machine
from django.template import Context, Template
from django.urls import reverse

from heard.care.models import Greeting, GreetingEvent, GreetingState
from heard.care.moments import plan
from heard.care.tests.moment_helpers import NOW, MomentTestCase
from heard.desk import actions
from heard.desk.models import ConsentKind, Status, Ticket
from heard.schedule import periodic_jobs
from heard.test import make_customer


def only_greeted() -> list[int]:
    return list(Greeting.objects.values_list("customer", flat=True))


class AudienceTestCase(MomentTestCase):
    def test_only_customers_who_agreed_and_never_those_who_withdrew(self) -> None:
        born = date(1980, 11, 25)
        never = self.customer_born("Never Asked", "never@example.com", born, agreed=False)
        withdrew = self.customer_born("Said No", "no@example.com", date(1980, 11, 25))
        actions.record_consent(withdrew, ConsentKind.BIRTHDAY, False, "portal", at=NOW)
        surveys_only = self.customer_born(
            "Surveys Only", "surveys@example.com", date(1980, 11, 25), agreed=False
        )
        actions.record_consent(surveys_only, ConsentKind.SURVEYS, True, "portal")
        plan.plan_moment(self.moment, NOW)
        self.assertEqual(only_greeted(), [self.customer.pk])
        for customer in (never, withdrew, surveys_only):
            self.assertFalse(Greeting.objects.filter(customer=customer).exists())

    def test_only_active_customers_of_the_moments_team(self) -> None:
        elsewhere = make_customer("Tech Only", "tech@example.com")
        elsewhere.birthday = date(1980, 11, 25)
        elsewhere.save()
        self.agree(elsewhere)
        self.solved(elsewhere, team=self.tech)
        gone = self.customer_born("Long Gone", "gone@example.com", date(1980, 11, 25))
        gone.tickets.update(created_at=NOW - timedelta(days=800))  # 24 months is the default
        no_address = self.customer_born("No Address", "none@example.com", date(1980, 11, 25))
        no_address.emails.all().delete()
        plan.plan_moment(self.moment, NOW)
        self.assertEqual(only_greeted(), [self.customer.pk])

    def test_a_moment_without_a_team_greets_every_teams_customers(self) -> None:
        self.moment.team = None
        self.moment.save()
        elsewhere = make_customer("Tech Only", "tech@example.com")
        elsewhere.birthday = date(1980, 11, 25)
        elsewhere.save()
        self.agree(elsewhere)
        self.solved(elsewhere, team=self.tech)
        plan.plan_moment(self.moment, NOW)
        self.assertEqual(Greeting.objects.count(), 2)

    def test_an_occasion_is_planned_once_however_often_it_runs(self) -> None:
        self.assertEqual(plan.plan_moment(self.moment, NOW).created, 1)
        self.assertEqual(plan.plan_moment(self.moment, NOW + timedelta(hours=1)).created, 0)
        self.assertEqual(plan.plan_all(NOW + timedelta(days=1)), 0)
        self.assertEqual(Greeting.objects.count(), 1)
        greeting = self.greeting()
        self.assertEqual(greeting.state, GreetingState.AWAITING)
        self.assertEqual(greeting.cost_cents, 300)
        self.assertEqual(
            list(GreetingEvent.objects.values_list("what", flat=True)),
            ["planned: Awaiting approval"],
        )

    def test_someone_with_no_name_to_greet_is_skipped(self) -> None:
        nameless = self.customer_born("maja@example.org", "maja@example.org", date(1980, 11, 25))
        plan.plan_moment(self.moment, NOW)
        greeting = self.greeting(nameless)
        self.assertEqual((greeting.state, greeting.why),
                         (GreetingState.SKIPPED, "there is no name to greet them by"))  # fmt: skip

    def test_an_inactive_moment_plans_nothing(self) -> None:
        self.moment.active = False
        self.moment.save()
        self.assertEqual(plan.plan_all(NOW), 0)

    def test_it_runs_periodically(self) -> None:
        jobs = dict(periodic_jobs())
        self.assertEqual(jobs["heard.care.tasks.plan_moments"], 3600)
        self.assertEqual(jobs["heard.care.tasks.send_greetings"], 300)


class HeldTestCase(MomentTestCase):
    def test_an_open_unhappy_ticket_holds_the_greeting_and_the_agent_sees_it(self) -> None:
        ticket = self.upset(self.customer)
        plan.plan_moment(self.moment, NOW)
        greeting = self.greeting()
        self.assertEqual(greeting.state, GreetingState.HELD)
        self.assertEqual(greeting.held_for, ticket)
        self.assertEqual(greeting.why, f"{ticket.reference} is open and the customer is angry")
        self.login(self.alice)
        with time_machine.travel(NOW, tick=False):
            page = self.client.get(reverse("console:ticket", args=[ticket.pk]))
        self.assertContains(page, "Birthday on Thursday: greeting held while this is open")
        earlier = self.customer.tickets.exclude(pk=ticket.pk).get()
        with time_machine.travel(NOW, tick=False):
            page = self.client.get(reverse("console:ticket", args=[earlier.pk]))
        self.assertContains(
            page, f"Birthday on Thursday: greeting held: {ticket.reference} is open and the "
            "customer is angry",
        )  # fmt: skip

    def test_a_latest_message_read_negative_holds_it_even_on_a_solved_ticket(self) -> None:
        ticket = self.upset(self.customer, "frustration")
        actions.post_agent_reply(ticket, self.alice, "Refunded.", status=Status.SOLVED)
        plan.plan_moment(self.moment, NOW)
        self.assertEqual(
            self.greeting().why, f"their latest message ({ticket.reference}) reads frustrated"
        )

    def test_it_waits_while_it_lasts_and_goes_on_when_it_is_over(self) -> None:
        ticket = self.upset(self.customer)
        plan.plan_moment(self.moment, NOW)
        self.assertEqual(self.greeting().state, GreetingState.HELD)
        plan.plan_moment(self.moment, NOW + timedelta(hours=1))
        self.assertEqual(self.greeting().state, GreetingState.HELD, "looked at again: still")
        message = actions.record_customer_message(ticket, "Thank you, that fixed it!")
        actions.correct_emotion(message, self.alice, "happiness")
        actions.post_agent_reply(ticket, self.alice, "Glad to hear.", status=Status.SOLVED)
        plan.plan_moment(self.moment, NOW + timedelta(hours=2))
        greeting = self.greeting()
        self.assertEqual((greeting.state, greeting.held_for), (GreetingState.AWAITING, None))
        self.assertEqual(
            list(greeting.events.values_list("what", flat=True)),
            ["planned: Held", "no longer held"],
        )

    def test_an_approved_greeting_is_held_when_the_customer_becomes_upset(self) -> None:
        plan.plan_moment(self.moment, NOW)
        greeting = self.greeting()
        greeting.state = GreetingState.APPROVED
        greeting.save()
        self.upset(self.customer)
        plan.plan_moment(self.moment, NOW + timedelta(hours=1))
        self.assertEqual(self.greeting().state, GreetingState.HELD)

    def test_a_calm_open_ticket_holds_nothing(self) -> None:
        self.upset(self.customer, "confusion")
        plan.plan_moment(self.moment, NOW)
        self.assertEqual(self.greeting().state, GreetingState.AWAITING)

    def test_a_day_long_past_while_held_is_skipped(self) -> None:
        self.upset(self.customer)
        plan.plan_moment(self.moment, NOW)
        plan.plan_moment(self.moment, datetime(2026, 11, 29, 23, 0, tzinfo=UTC))  # 3 days late
        self.assertEqual(self.greeting().state, GreetingState.HELD)
        plan.plan_moment(self.moment, datetime(2026, 11, 30, 0, 30, tzinfo=UTC))
        greeting = self.greeting()
        self.assertEqual(
            (greeting.state, greeting.why),
            (GreetingState.SKIPPED, "its day passed while it was held"),
        )

    def test_consent_withdrawn_after_planning_skips_it(self) -> None:
        plan.plan_moment(self.moment, NOW)
        actions.record_consent(self.customer, ConsentKind.BIRTHDAY, False, "email")
        plan.plan_moment(self.moment, NOW + timedelta(hours=1))
        greeting = self.greeting()
        self.assertEqual(greeting.state, GreetingState.SKIPPED)
        self.assertEqual(greeting.why, "the customer no longer agrees to greetings and gifts")

    def test_for_a_customer_who_does_not_agree_the_ticket_page_asks_nothing_more(self) -> None:
        plan.plan_moment(self.moment, NOW)
        earlier = NOW - timedelta(hours=1)
        actions.record_consent(self.customer, ConsentKind.BIRTHDAY, False, "portal", at=earlier)
        ticket = Ticket.objects.select_related("customer__birthday_consent").get(
            pk=self.open_ticket().pk
        )
        tag = Template("{% load moment_tags %}{% moments_on_ticket ticket %}")
        with self.assertNumQueries(0):
            self.assertEqual(tag.render(Context({"ticket": ticket})).strip(), "")
        self.agree(self.customer, NOW)
        ticket = Ticket.objects.select_related("customer__birthday_consent").get(pk=ticket.pk)
        with self.assertNumQueries(1), time_machine.travel(NOW, tick=False):
            self.assertIn("Birthday on Thursday: greeting awaiting a lead", tag.render(
                Context({"ticket": ticket})))  # fmt: skip


class TurnedOffTestCase(MomentTestCase):
    def test_a_moment_turned_off_sends_nothing_more(self) -> None:
        plan.plan_all(NOW)
        self.moment.active = False
        self.moment.save()
        self.assertEqual(plan.plan_all(NOW + timedelta(hours=1)), 0)
        greeting = self.greeting()
        self.assertEqual((greeting.state, greeting.why),
                         (GreetingState.SKIPPED, "the moment was turned off"))  # fmt: skip
