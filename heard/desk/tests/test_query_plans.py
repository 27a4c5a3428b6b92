"""The queries that must stay fast at 100,000 tickets read the indexes made for them.

Timings belong to the benchmarks (`bench/api_bench.py`); these check the plans, which SQLite
makes without statistics (a fresh install has none) exactly as on a large desk. A plan that
reads a team's tickets or messages row by row, or sorts the queue, fails here. PostgreSQL plans
by its statistics, so a tiny test table proves nothing there: the benchmark measures it.
"""

from __future__ import annotations

import unittest
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import connection

from heard.desk import forecast
from heard.desk.models import Ticket
from heard.test import BaseTestCase

MONDAY_10 = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def plan(run: Any) -> str:
    """SQLite's query plan of the last query `run()` makes, one step a line."""
    made: list[tuple[str, Any]] = []

    def keep(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        made.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(keep):
        run()
    sql, params = made[-1]
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return "\n".join(row[3] for row in cursor.fetchall())


@unittest.skipUnless(connection.vendor == "sqlite", "PostgreSQL plans by statistics")
class QueryPlanTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.ticket = self.open_ticket(at=MONDAY_10)

    def test_the_forecast_reads_indexes_only(self) -> None:
        ticket = Ticket.objects.select_related("team").get(pk=self.ticket.pk)
        steps = plan(lambda: forecast.expected_first_reply(ticket, MONDAY_10 + timedelta(hours=1)))
        self.assertRegex(
            steps,
            r"COVERING INDEX ticket_care_queue \(team_id=\? AND status=\? AND "
            r"\(care_at,created_at\)<\(\?,\?\)\)",
            "who is ahead: one range per status, no row read",
        )
        self.assertEqual(steps.count("COVERING INDEX message_recent (created_at>?"), 2)
        self.assertNotRegex(steps, r"SCAN (TABLE )?(desk_ticket|desk_message|m|t)\b")
        self.assertNotIn("TEMP B-TREE", steps, "the first message of the window: no sort")

    def test_the_queue_in_care_order_is_read_in_order(self) -> None:
        rows = Ticket.objects.visible_to(self.alice).active().by_care().values_list("pk")
        steps = plan(lambda: list(rows[:50]))
        self.assertIn("COVERING INDEX ticket_care_queue (team_id=? AND status=?", steps)
        self.assertNotRegex(steps, r"SCAN (TABLE )?desk_ticket\b")
