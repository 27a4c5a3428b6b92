"""The SQLite backend's write lock: threads queue for it instead of polling SQLite's file lock."""

from __future__ import annotations

import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db.utils import ConnectionHandler, OperationalError
from django.test import SimpleTestCase

from heard.lib.sqlite.base import write_lock
from heard.settings import sqlite_database


@pytest.fixture(autouse=True)
def _own_databases(django_db_blocker: Any) -> Iterator[None]:
    """These tests open database files of their own, outside the test database."""
    with django_db_blocker.unblock():
        yield


class WriteLockTests(SimpleTestCase):
    def setUp(self) -> None:
        self.path = Path(tempfile.mkdtemp()) / "heard.sqlite3"
        settings = sqlite_database(self.path)
        settings["OPTIONS"] = {**settings["OPTIONS"], "timeout": 0.5}  # type: ignore[dict-item]
        self.databases_ = ConnectionHandler(
            {"default": settings, "one": dict(settings), "two": dict(settings)}
        )
        self.lock = write_lock(self.path)

    def tearDown(self) -> None:
        self.databases_.close_all()

    def begin(self, alias: str = "one"):  # type: ignore[no-untyped-def]
        connection = self.databases_[alias]
        connection.ensure_connection()
        connection._start_transaction_under_autocommit()  # type: ignore[attr-defined]  # private
        connection.cursor().execute("CREATE TABLE IF NOT EXISTS t (n INTEGER)")
        return connection

    def test_a_write_transaction_holds_the_lock_until_it_commits(self) -> None:
        connection = self.begin()
        self.assertTrue(self.lock.locked())
        connection.commit()
        self.assertFalse(self.lock.locked())

    def test_rolling_back_or_closing_releases_the_lock(self) -> None:
        self.begin().rollback()
        self.assertFalse(self.lock.locked())
        self.begin().close()
        self.assertFalse(self.lock.locked())

    def test_a_second_writer_waits_and_starts_once_the_first_commits(self) -> None:
        first = self.begin()
        events: list[str] = []

        def second_writer() -> None:
            connection = self.begin("two")
            events.append("second began")
            connection.cursor().execute("INSERT INTO t VALUES (2)")
            connection.commit()
            connection.close()

        thread = threading.Thread(target=second_writer)
        thread.start()
        time.sleep(0.1)
        first.cursor().execute("INSERT INTO t VALUES (1)")
        events.append("first commits")
        first.commit()
        thread.join(5)
        self.assertEqual(events, ["first commits", "second began"])
        rows = first.cursor().execute("SELECT n FROM t ORDER BY rowid").fetchall()
        self.assertEqual([n for (n,) in rows], [1, 2])

    def test_a_writer_that_waits_longer_than_the_timeout_is_told_the_database_is_locked(
        self,
    ) -> None:
        self.begin()
        errors: list[Exception] = []

        def second_writer() -> None:
            try:
                self.begin("two")
            except OperationalError as error:
                errors.append(error)
            finally:
                self.databases_["two"].close()

        thread = threading.Thread(target=second_writer)
        thread.start()
        thread.join(5)
        self.assertEqual([str(e) for e in errors], ["database is locked"])
        self.assertTrue(self.lock.locked(), "the first writer still holds it")
