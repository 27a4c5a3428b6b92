"""Indexes added to a running desk do not block its writes on PostgreSQL."""

from __future__ import annotations

import io

from django.core.management import call_command
from django.db import connection
from django.test import SimpleTestCase


class OnlineIndexTestCase(SimpleTestCase):
    databases = {"default"}

    def sql(self) -> str:
        out = io.StringIO()
        call_command("sqlmigrate", "desk", "0014", stdout=out)
        return out.getvalue()

    def test_postgres_builds_and_drops_the_indexes_concurrently(self) -> None:
        if connection.vendor != "postgresql":
            self.skipTest("PostgreSQL only: run with DATABASE_URL=postgres://…")
        statements = [s for s in self.sql().splitlines() if "INDEX" in s]
        self.assertEqual(len(statements), 3)
        self.assertTrue(all("CONCURRENTLY" in s for s in statements), statements)

    def test_sqlite_gets_plain_indexes(self) -> None:
        if connection.vendor != "sqlite":
            self.skipTest("SQLite only")
        sql = self.sql()
        self.assertIn('CREATE INDEX "message_recent"', sql)
        self.assertNotIn("CONCURRENTLY", sql)
