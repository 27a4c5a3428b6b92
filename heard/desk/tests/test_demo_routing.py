"""The demo's teams have addresses and rules, so that the demo's kinds of email route sensibly."""

from __future__ import annotations

from django.test import TestCase
from django.utils import timezone

from heard.desk import routing
from heard.desk.demo import loader
from heard.desk.demo import text as words


class _Blank(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "x"


class DemoRoutingTestCase(TestCase):
    def test_the_demos_emails_reach_their_teams(self) -> None:
        teams = loader._create_teams(timezone.now())
        table = routing.routing_table()
        landed = total = 0
        for scenario in words.SCENARIOS:
            if scenario.praise:
                continue
            for subject in scenario.subjects:
                for opener in scenario.openers:
                    email = routing.Email(
                        recipients=("support@heard.localhost",),
                        subject=subject.format_map(_Blank()),
                        text=opener.format_map(_Blank()),
                    )
                    landed += routing.choose(table, email).team == teams[scenario.team]
                    total += 1
        self.assertGreaterEqual(landed / total, 0.9, f"{landed} of {total}")

    def test_three_kinds_of_email_and_the_teams_own_addresses(self) -> None:
        teams = loader._create_teams(timezone.now())

        def team(subject: str, text: str, to: str = "support@heard.localhost") -> str:
            return routing.route([to], "a@example.com", subject, text, None).team.slug

        self.assertEqual(team("No internet", "My broadband is down."), "technical-support")
        self.assertEqual(team("Hi", "I am locked out of my account."), "technical-support")
        self.assertEqual(team("Hi", "Where is my parcel?"), "orders-delivery")
        self.assertEqual(team("Hi", "I was charged twice."), "billing")
        self.assertEqual(team("Hi", "Where is my parcel?", "billing@heard.localhost"), "billing")
        self.assertEqual(teams["billing"].email, "billing@heard.localhost")
