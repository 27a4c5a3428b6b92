from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from io import StringIO
from string import Formatter

from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db.models import Count, Max, Min
from django.test import SimpleTestCase, TestCase

from heard.desk import demo
from heard.desk.demo import text as words
from heard.desk.models import (
    Agent,
    Channel,
    Customer,
    Direction,
    Message,
    Priority,
    Role,
    SlaStage,
    Status,
    Team,
    Ticket,
    TicketEvent,
)
from heard.test import make_customer, present

# A Wednesday afternoon well away from the real clock, so "relative to now" is really tested.
NOW = datetime(2025, 6, 18, 14, 30, tzinfo=UTC)
HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.MD5PasswordHasher",
]


class DemoLoadTestCase(TestCase):
    summary: demo.DemoSummary

    @classmethod
    def setUpTestData(cls) -> None:
        cls.summary = demo.load_demo(now=NOW)

    def counts(self) -> tuple[int, ...]:
        models = (Team, User, Agent, Customer, Ticket, Message, TicketEvent)
        return tuple(model.objects.count() for model in models)

    def test_it_loads_the_teams_with_leads_zones_hours_and_holidays(self) -> None:
        teams = Team.objects.filter(slug__in=demo.TEAM_SLUGS)
        self.assertGreaterEqual(teams.count(), 3)
        self.assertGreaterEqual(len({team.time_zone for team in teams}), 3)
        for team in teams:
            self.assertIsNotNone(team.lead)
            self.assertGreaterEqual(team.holidays.count(), 2)
            self.assertEqual(team.sla_policies.count(), 4)
            team.calendar()  # the hours are valid
        split = [t for t in teams if any(len(s) > 1 for s in t.weekly_hours.values())]
        self.assertTrue(split, "one team works split shifts")

    def test_customers_answered_surveys_on_tickets_solved_a_while_ago(self) -> None:
        from heard.care import surveys
        from heard.care.models import Survey

        answered = Survey.objects.exclude(rating=None)
        self.assertGreaterEqual(answered.count(), 10)
        self.assertGreaterEqual(len(set(answered.values_list("rating", flat=True))), 4)
        self.assertFalse(surveys.due(NOW).exists(), "the scheduler finds nothing left to send")

    def test_it_loads_agents_with_a_lead_per_team_and_an_admin(self) -> None:
        self.assertGreaterEqual(Agent.objects.count(), 8)
        self.assertFalse(User.objects.filter(first_name="").exists())
        self.assertFalse(User.objects.filter(email="").exists())
        admin = User.objects.get(username="ines")
        self.assertTrue(admin.is_staff and admin.is_superuser)
        self.assertEqual(admin.agent.role, Role.ADMIN)
        maya = User.objects.get(username="maya")
        with self.settings(PASSWORD_HASHERS=HASHERS):  # the demo hashed with the default one
            self.assertTrue(maya.check_password(demo.DEMO_PASSWORD))
        for team in Team.objects.all():
            self.assertEqual(present(team.lead).agent.role, Role.LEAD)

    def test_it_loads_varied_customers(self) -> None:
        customers = Customer.objects.all()
        self.assertGreaterEqual(customers.count(), 200)
        languages = Counter(customers.values_list("language", flat=True))
        self.assertGreater(languages["en"], customers.count() / 2)
        self.assertGreater(len(languages), 3)
        self.assertGreater(customers.values("time_zone").distinct().count(), 10)
        self.assertGreater(customers.exclude(preferred_name="").count(), 10)
        self.assertGreater(customers.filter(birthday__isnull=False).count(), 50)
        self.assertGreater(customers.exclude(notes="").count(), 3)
        self.assertTrue(customers.filter(surveys_consent__isnull=True).exists(), "never asked")
        self.assertTrue(customers.filter(surveys_consent__given=False).exists(), "withdrawn")
        agreed = customers.filter(surveys_consent__given=True)
        self.assertGreater(agreed.count(), 50)
        self.assertFalse(agreed.exclude(surveys_consent__source="demo").exists())
        self.assertFalse(customers.annotate(n=Count("emails")).filter(n=0).exists())

    def test_it_loads_tickets_with_conversations(self) -> None:
        tickets = Ticket.objects.annotate(n=Count("messages"))
        self.assertGreaterEqual(tickets.count(), 300)
        self.assertGreater(tickets.filter(n__gte=4).count(), 50)
        directions = Counter(Message.objects.values_list("direction", flat=True))
        self.assertGreater(directions[Direction.AGENT], 200)
        self.assertGreater(directions[Direction.NOTE], 50)
        subjects = Ticket.objects.values("subject").distinct().count()
        self.assertGreater(subjects, 100, "slot-filled subjects differ")

    def test_it_covers_every_status_priority_and_channel(self) -> None:
        tickets = Ticket.objects.all()
        self.assertEqual(set(tickets.values_list("status", flat=True)), set(Status.values))
        self.assertEqual(set(tickets.values_list("priority", flat=True)), set(Priority.values))
        self.assertEqual(set(tickets.values_list("channel", flat=True)), set(Channel.values))

    def test_it_has_a_customer_who_wrote_three_times_unanswered(self) -> None:
        ticket = Ticket.objects.filter(unanswered_count__gte=3, status=Status.NEW).first()
        assert ticket is not None
        self.assertFalse(ticket.messages.filter(direction=Direction.AGENT).exists())
        last = ticket.messages.order_by("created_at").last()
        assert last is not None
        self.assertIn("third", last.text.lower())
        self.assertTrue(ticket.escalated)

    def test_it_has_overdue_and_at_risk_tickets_escalated_by_the_watchdog(self) -> None:
        self.assertTrue(Ticket.objects.filter(reply_due_at__lt=NOW).exists())
        self.assertTrue(Ticket.objects.filter(sla_stage=SlaStage.BREACHED).exists())
        self.assertTrue(Ticket.objects.filter(sla_stage=SlaStage.AT_RISK).exists())
        self.assertGreater(self.summary.escalations, 0)
        by_watchdog = TicketEvent.objects.filter(what="escalated").exclude(
            note__startswith="the customer answered the follow-up"  # the care demo's answers
        )
        self.assertEqual(by_watchdog.count(), self.summary.escalations)

    def test_it_dates_everything_relative_to_the_given_now(self) -> None:
        created = Ticket.objects.aggregate(first=Min("created_at"), last=Max("created_at"))
        self.assertGreaterEqual(created["first"], NOW - timedelta(days=31))
        self.assertGreater(created["last"], NOW - timedelta(hours=12))
        self.assertLessEqual(Message.objects.aggregate(at=Max("created_at"))["at"], NOW)
        self.assertLessEqual(TicketEvent.objects.aggregate(at=Max("created_at"))["at"], NOW)
        recent = Ticket.objects.filter(created_at__gte=NOW - timedelta(days=3)).count()
        self.assertGreater(recent, 40, "most activity is in the last few days")
        self.assertFalse(Customer.objects.filter(created_at__gt=NOW).exists())

    def test_it_writes_each_conversation_in_order(self) -> None:
        for ticket in Ticket.objects.prefetch_related("messages")[:80]:
            written = sorted(ticket.messages.all(), key=lambda message: message.pk)
            times = [message.created_at for message in written]
            self.assertEqual(times, sorted(times))
            self.assertEqual(times[0], ticket.created_at)

    def test_it_creates_nothing_on_a_second_load(self) -> None:
        before = self.counts()
        out = StringIO()
        summary = demo.load_demo(now=NOW + timedelta(days=1), stdout=out)
        self.assertFalse(summary.created)
        self.assertEqual(self.counts(), before)
        self.assertIn("already loaded", out.getvalue())
        self.assertIn("maya / heard-demo", out.getvalue())

    def test_it_resets_only_the_demo_objects(self) -> None:
        other = Team.objects.create(name="Partners", slug="partners")
        customer = make_customer("Zora Vidic", "zora@example.com")
        Ticket.objects.create(customer=customer, team=other, subject="Keep me")
        removed = demo.reset_demo()
        self.assertGreaterEqual(removed, 300)
        self.assertEqual(list(Team.objects.values_list("slug", flat=True)), ["partners"])
        self.assertEqual(list(Customer.objects.all()), [customer])
        self.assertFalse(User.objects.exists())
        self.assertEqual(Ticket.objects.count(), 1)


class DemoCommandTestCase(TestCase):
    def test_it_skips_when_the_demo_is_there_and_prints_the_logins(self) -> None:
        Team.objects.create(name="Billing", slug="billing")
        out = StringIO()
        call_command("demo", stdout=out)
        self.assertIn("already loaded", out.getvalue())
        for label, username in demo.LOGINS:
            self.assertIn(f"{label}: {username} / {demo.DEMO_PASSWORD}", out.getvalue())
        self.assertEqual(Ticket.objects.count(), 0)

    def test_it_refuses_when_a_demo_username_is_taken(self) -> None:
        User.objects.create_user("maya")
        with self.assertRaisesMessage(CommandError, "maya"):
            call_command("demo", stdout=StringIO())
        self.assertFalse(Team.objects.exists())


class DemoTextTestCase(SimpleTestCase):
    def test_it_has_many_scenarios_for_every_team(self) -> None:
        self.assertGreaterEqual(len(words.SCENARIOS), 30)
        self.assertEqual({s.team for s in words.SCENARIOS}, set(demo.TEAM_SLUGS))
        self.assertEqual(len({s.key for s in words.SCENARIOS}), len(words.SCENARIOS))
        moods = {mood for scenario in words.SCENARIOS for mood in scenario.moods}
        self.assertEqual(moods, set(words.MOODS))

    def test_it_fills_every_slot_of_every_template(self) -> None:
        slots = demo.example_slots()
        for template in words.all_templates():
            names = {name for _, name, _, _ in Formatter().parse(template) if name}
            self.assertLessEqual(names, set(slots), template)
            template.format_map(slots)
