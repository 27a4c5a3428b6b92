"""Every figure of the four pages on one Monday, counted by hand (see monday.py for the desk),
read back from the pages' CSV files as a lead downloads them."""

from __future__ import annotations

import csv
import io

from django.urls import reverse

from heard.desk.models import Agent
from heard.insights import rollup
from heard.insights.tests.monday import MONDAY, MondayTestCase


class FiguresByHandTestCase(MondayTestCase):
    def setUp(self) -> None:
        super().setUp()
        rollup.roll_up_day(MONDAY)
        self.login(self.lead)

    def table(self, page: str, slug: str, viewer: Agent | None = None) -> dict[str, dict[str, str]]:
        """The CSV of one table, keyed by its first column."""
        if viewer is not None:
            self.login(viewer)
        day = MONDAY.isoformat()
        response = self.client.get(reverse(f"insights:{page}"),
                                   {"start": day, "end": day, "csv": slug})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        rows = list(csv.DictReader(io.StringIO(response.content.decode())))
        return {row[next(iter(row))]: row for row in rows}

    def test_it_counts_reply_times_per_agent_in_business_time(self) -> None:
        agents = self.table("speed", "speed-agents")
        self.assertEqual(set(agents), {"Alice Example", "Bob Example", "Nobody (unassigned)"})
        alice = agents["Alice Example"]
        # First replies: T1 after 1 h (by its 17:00 target), T3 after 8 h 20 min of business
        # time (Friday 16-17, Monday 9-16:20; its target was 16:00): median 4 h 40 min.
        self.assertEqual(alice["First replies"], "2")
        self.assertEqual(alice["First reply, median"], "280.0")
        self.assertEqual(alice["First reply, 90th percentile"], "500.0")
        self.assertEqual(alice["First replies within target"], "50.0")
        # Next replies: T1 30 min, T3 15 min (urgent after two escalations: 2 h target).
        self.assertEqual(alice["Next replies"], "2")
        self.assertEqual(alice["Next reply, median"], "22.5")
        self.assertEqual(alice["Next reply, 90th percentile"], "30.0")
        self.assertEqual(alice["Next replies within target"], "100.0")
        self.assertEqual(alice["Breaches"], "1")  # T3, which she holds
        self.assertEqual((alice["First replies after a promise"], alice["Kept"],
                          alice["Share kept"]), ("1", "0", "0.0"))  # T1: 30 min late
        bob = agents["Bob Example"]
        self.assertEqual((bob["First replies"], bob["First reply, median"],
                          bob["First replies within target"]), ("1", "420.0", "100.0"))
        self.assertEqual((bob["Next replies"], bob["Next reply, median"]), ("0", ""))
        self.assertEqual((bob["Kept"], bob["Share kept"]), ("1", "100.0"))  # T2: 1 h early

    def test_it_counts_the_day_the_promises_and_the_backlog(self) -> None:
        day = self.table("speed", "speed-days")["2026-03-02"]
        self.assertEqual(day["First replies"], "3")  # 1 h, 7 h, 8 h 20 min
        self.assertEqual(day["First reply, median"], "420.0")
        self.assertEqual(day["First reply, 90th percentile"], "500.0")
        self.assertEqual(day["First replies within target"], "66.7")
        self.assertEqual(day["Breaches"], "1")
        promises = self.table("speed", "promises-days")["2026-03-02"]
        self.assertEqual(promises["First replies after a promise"], "2")
        self.assertEqual((promises["Kept"], promises["Share kept"]), ("1", "50.0"))
        self.assertEqual(promises["Median lateness"], "-15.0")  # 30 min late, 60 min early
        backlog = self.table("speed", "backlog-days")["2026-03-02"]
        # T3 (open since Friday 16:00: 80 h at midnight) and T4 (14 h); T4's promise is past.
        self.assertEqual(backlog["Active tickets"], "2")
        self.assertEqual((backlog["Median age"], backlog["Oldest"]), ("47.0", "80.0"))
        self.assertEqual(backlog["Past a promised time"], "1")

    def test_it_averages_the_coach_dimensions_of_sent_replies(self) -> None:
        alice = self.table("empathy", "empathy-agents")["Alice Example"]
        self.assertEqual(alice["Replies coached"], "4")
        self.assertEqual((alice["Empathy"], alice["Respect"], alice["Clarity"],
                          alice["Coach score"]), ("53", "65", "60", "60"))
        self.assertEqual(alice["Sent despite a severe finding"], "1")
        day = self.table("empathy", "empathy-days")["2026-03-02"]
        self.assertEqual((day["Replies coached"], day["Empathy"], day["Respect"],
                          day["Clarity"], day["Coach score"]), ("5", "48", "64", "60", "58"))
        week = self.table("empathy", "findings-weeks")["2026-03-02"]
        self.assertEqual(week["Replies coached"], "5")
        self.assertEqual(week["blamed the customer (blame)"], "1")
        self.assertEqual(week["template wording (robotic)"], "1")
        self.assertEqual(week["no next step (no_next_step)"], "1")
        self.assertEqual(week["sent them off to read (rtfm)"], "1")
        anyway = self.table("empathy", "sent-anyway")
        self.assertEqual(len(anyway), 1)
        row = next(iter(anyway.values()))
        self.assertEqual((row["Ticket"], row["Agent"]), (self.t3.reference, "Alice Example"))
        self.assertIn("blame", row["Findings"])

    def test_it_counts_who_calmed_a_negative_start(self) -> None:
        agents = self.table("deescalation", "calmer-agents")
        # T1 opened angry and ended happy (Alice); T2 opened frustrated, the customer never
        # wrote again (Bob): it counts as a negative start with nothing to compare.
        self.assertEqual(list(agents["Alice Example"].values())[1:], ["1", "1", "1", "100.0"])
        self.assertEqual(list(agents["Bob Example"].values())[1:], ["1", "0", "0", ""])
        examples = self.table("deescalation", "calmed-examples")
        self.assertEqual(list(examples), [self.t1.reference])
        self.assertEqual(examples[self.t1.reference]["First message read"], "anger")
        self.assertEqual(examples[self.t1.reference]["Last message read"], "happiness")
        moods = self.table("deescalation", "moods-weeks")["2026-03-02"]
        self.assertEqual((moods["Anger"], moods["Frustration"], moods["Happiness"],
                          moods["Unread"], moods["All"]), ("2", "1", "1", "1", "5"))

    def test_it_counts_answers_per_agent_and_by_empathy_band(self) -> None:
        ratings = self.table("satisfaction", "ratings")
        self.assertEqual((ratings["Very happy"]["Answers"], ratings["Unhappy"]["Answers"],
                          ratings["Okay"]["Answers"]), ("1", "1", "0"))
        alice = self.table("satisfaction", "care-agents")["Alice Example"]
        self.assertEqual((alice["Survey answers"], alice["Average answer (1 to 5)"],
                          alice["Happy or very happy"], alice["Follow-ups answered"],
                          alice["Better now"], alice["Share better now"]),
                         ("1", "5.0", "100.0", "1", "1", "100.0"))
        bob = self.table("satisfaction", "care-agents")["Bob Example"]
        self.assertEqual((bob["Survey answers"], bob["Average answer (1 to 5)"],
                          bob["Happy or very happy"]), ("1", "2.0", "0.0"))
        bands = self.table("satisfaction", "empathy-bands")
        # T1's replies: empathy 90 and 60 (75); T2's: 30.
        self.assertEqual((bands["50 to 79"]["Survey answers"],
                          bands["50 to 79"]["Happy or very happy"]), ("1", "100.0"))
        self.assertEqual((bands["under 50"]["Survey answers"],
                          bands["under 50"]["Average answer (1 to 5)"]), ("1", "2.0"))
        self.assertEqual(bands["80 to 100"]["Survey answers"], "0")

    def test_the_page_shows_the_same_figures(self) -> None:
        day = MONDAY.isoformat()
        page = self.client.get(reverse("insights:speed"), {"start": day, "end": day})
        self.assertContains(page, "<dt>Median first reply</dt><dd>7 h</dd>", html=True)
        self.assertContains(page, "<dt>Breaches</dt><dd>1</dd>", html=True)
        self.assertContains(page, "4 h 40 min")  # Alice's median first reply
        self.assertContains(page, "svg", count=None)
        self.assertContains(page, 'role="img"')
