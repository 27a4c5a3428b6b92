"""The pages as a reader meets them: filters, charts with their tables, CSV files that open
safely in a spreadsheet, and the customers most at risk of leaving now."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta

from django.urls import reverse
from django.utils import timezone

from heard.desk import actions
from heard.desk.models import Direction
from heard.insights import charts, digest, rollup
from heard.insights.charts import Series
from heard.insights.tests.monday import MONDAY, MondayTestCase
from heard.test import make_customer

DAY = {"start": MONDAY.isoformat(), "end": MONDAY.isoformat()}
LEAVING = ("This is the third outage this month. I'm cancelling my subscription and moving to "
           "a competitor unless this is fixed today.")


class PagesTestCase(MondayTestCase):
    def setUp(self) -> None:
        super().setUp()
        rollup.roll_up_day(MONDAY)
        self.login(self.lead)

    def test_every_chart_is_named_described_and_followed_by_its_table(self) -> None:
        for page in ("speed", "empathy", "deescalation", "satisfaction"):
            html = self.client.get(reverse(f"insights:{page}"), DAY).content.decode()
            svgs = re.findall(r"<svg class=\"chart\".*?</svg>", html, re.S)
            self.assertGreaterEqual(len(svgs), 3, page)
            for svg in svgs:
                self.assertIn('role="img"', svg)
                title, desc = re.search(r'aria-labelledby="(\S+) (\S+)"', svg).groups()  # type: ignore[union-attr]
                self.assertIn(f'<title id="{title}">', svg)
                self.assertIn(f'<desc id="{desc}">', svg)
                self.assertIn("The table after the chart gives every figure.", svg)
                after = html[html.index(svg) + len(svg):]
                self.assertLess(after.index("<table"), after.index("</section>"), page)
            self.assertEqual(html.count('<section class="card insight"'),
                             html.count("<caption>"), page)  # one table per section

    def test_every_table_downloads_as_csv_with_the_same_filters(self) -> None:
        html = self.client.get(reverse("insights:empathy"), DAY).content.decode()
        links = re.findall(r'href="\?([^"]*csv=[^"]+)"', html)
        self.assertIn("Download “The coach&#x27;s dimensions per agent” as CSV", html)
        self.assertEqual(len(links), html.count("<caption>"))
        for link in links:
            response = self.client.get(reverse("insights:empathy") + "?" +
                                       link.replace("&amp;", "&"))
            self.assertEqual(response.status_code, 200)
            self.assertIn("start=2026-03-02", link)
            self.assertIn("attachment; filename=\"insights-", response["Content-Disposition"])

    def test_every_tables_columns_have_names_of_their_own(self) -> None:
        for page in ("speed", "empathy", "deescalation", "satisfaction"):
            response = self.client.get(reverse(f"insights:{page}"), DAY)
            for section in response.context["page"].sections:
                columns = list(section.table.columns)
                self.assertEqual(len(columns), len(set(columns)), (page, columns))
                self.assertTrue(all(len(row) == len(columns) for row in section.table.rows))

    def test_a_cell_a_spreadsheet_would_run_is_written_as_text(self) -> None:
        self.customer.name = "=HYPERLINK(\"http://evil.example\")"
        self.customer.save()
        t = self.opened(self.customer, LEAVING, datetime(2026, 3, 3, 9, tzinfo=UTC), None)
        actions.read_customer_message(t.messages.get(direction=Direction.CUSTOMER).pk)
        rollup.roll_up_day(timezone.localdate())
        response = self.client.get(reverse("insights:deescalation"), {"csv": "at-risk"})
        rows = list(csv.reader(io.StringIO(response.content.decode())))
        self.assertEqual(rows[1][0], "'=HYPERLINK(\"http://evil.example\")")

    def test_names_in_tables_are_escaped(self) -> None:
        self.customer.name = "<script>alert(1)</script>"
        self.customer.save()
        ticket = self.opened(self.customer, LEAVING, timezone.now() - timedelta(hours=1), None)
        actions.read_customer_message(ticket.messages.get(direction=Direction.CUSTOMER).pk)
        rollup.roll_up_day(timezone.localdate())
        page = self.client.get(reverse("insights:deescalation"))
        self.assertContains(page, "&lt;script&gt;alert(1)&lt;/script&gt;")
        self.assertNotContains(page, "<script>alert(1)")

    def test_it_lists_the_customers_most_at_risk_of_leaving_and_who_holds_them(self) -> None:
        leaving = make_customer("Petra Novak", "petra@example.com")
        ticket = self.opened(leaving, LEAVING, timezone.now() - timedelta(hours=1), None)
        actions.read_customer_message(ticket.messages.get(direction=Direction.CUSTOMER).pk)
        actions.assign(ticket, self.lead, self.bob)
        ticket.refresh_from_db()
        self.assertGreaterEqual(ticket.churn_risk, 0.3)
        rollup.roll_up_day(timezone.localdate())  # the list stands as of the latest rollup
        response = self.client.get(reverse("insights:deescalation"), {"csv": "at-risk"})
        rows = list(csv.DictReader(io.StringIO(response.content.decode())))
        self.assertEqual(rows[0]["Customer"], "Petra Novak")
        self.assertEqual(rows[0]["Ticket"], ticket.reference)
        self.assertEqual(rows[0]["Held by"], "Bob Example")
        self.assertEqual(rows[0]["Tickets in 90 days"], "1")
        self.login(self.alice)  # an agent: only the tickets she holds
        response = self.client.get(reverse("insights:deescalation"), {"csv": "at-risk"})
        self.assertNotIn("Petra Novak", response.content.decode())

    def test_a_range_the_wrong_way_round_says_so(self) -> None:
        page = self.client.get(reverse("insights:speed"),
                               {"start": "2026-03-05", "end": "2026-03-01"})
        self.assertContains(page, "The first day comes after the last: swap them.")

    def test_the_default_range_is_the_last_four_weeks(self) -> None:
        page = self.client.get(reverse("insights:speed"))
        self.assertEqual(page.context["filters"].end, timezone.localdate())
        self.assertEqual((page.context["filters"].end - page.context["filters"].start).days, 27)

    def test_before_any_rollup_the_page_says_how_figures_arrive(self) -> None:
        from heard.insights.models import RolledDay

        RolledDay.objects.all().delete()
        page = self.client.get(reverse("insights:speed"))
        self.assertContains(page, "No figures yet")


class ChartsTestCase(MondayTestCase):
    def test_a_line_chart_leaves_gaps_and_says_its_range(self) -> None:
        svg = charts.line_chart("Replies", ["1 Mar", "2 Mar", "3 Mar"],
                                [Series("Median", [60.0, None, 120.0])])
        self.assertEqual(svg.count("<polyline"), 2)  # the missing day breaks the line
        self.assertIn("Median from 60 to 120", svg)

    def test_names_are_escaped(self) -> None:
        svg = charts.bar_chart("Agents", ["<script>x</script>"], [1.0])
        self.assertNotIn("<script>", svg)
        self.assertIn("&lt;script&gt;", svg)

    def test_worth_a_look_keeps_the_three_heaviest(self) -> None:
        rows = [{"attention": [{"ticket": t.pk, "why": "w", "weight": n}]}
                for n, t in enumerate([self.t1, self.t2, self.t3, self.t4], 1)]
        found = digest.worth_a_look(rows)
        self.assertEqual([w.ticket for w in found], [self.t4, self.t3, self.t2])
