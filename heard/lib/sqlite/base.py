"""Django's SQLite backend, with one write lock per database file for this process's threads.

SQLite has one writer at a time. A connection that finds the file locked sleeps and tries again
(SQLite's busy handler waits up to 100 ms a try), so under load a thread can wait many times the
length of the transaction ahead of it while other threads keep taking the lock. Heard's embedded
set-up writes from several threads of one process: the SMTP receiver, the job threads and web
requests. Here they queue on a lock instead, and each starts the moment the one before it
commits. With `python -m bench.mail_bench --database sqlite`, SMTP intake while 500 emails are
being filed rose from 45 to 103 emails/s. Writers in other processes still meet SQLite's own
busy handler; in-memory databases (the test suite's) are not locked.
"""

from __future__ import annotations

import threading
from pathlib import Path

from django.db.backends.sqlite3 import base
from django.db.utils import OperationalError

_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()


def write_lock(name: str | Path) -> threading.Lock:
    """The lock of the database file `name`, one per file and process."""
    key = str(Path(name).resolve())
    with _locks_guard:
        return _locks.setdefault(key, threading.Lock())


# The hooks below are Django's private transaction methods, which django-stubs does not declare
# (nor `transaction_mode`, new in Django 5.1): hence the `type: ignore`s on them.
class DatabaseWrapper(base.DatabaseWrapper):
    _holds_write_lock = False

    def _start_transaction_under_autocommit(self) -> None:
        # Only a transaction that takes SQLite's write lock up front queues here: a deferred one
        # may only read, and readers never wait in WAL mode.
        mode = self.transaction_mode  # type: ignore[attr-defined]
        if mode in ("IMMEDIATE", "EXCLUSIVE") and not self.is_in_memory_db():
            timeout = float(self.settings_dict["OPTIONS"].get("timeout", 5))
            if not write_lock(self.settings_dict["NAME"]).acquire(timeout=timeout):
                raise OperationalError("database is locked")
            self._holds_write_lock = True
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]  # private: not in django-stubs
        except BaseException:
            self._release_write_lock()
            raise

    def _commit(self) -> None:
        try:
            super()._commit()  # type: ignore[misc]  # private: not in django-stubs
        finally:
            self._release_write_lock()

    def _rollback(self) -> None:
        try:
            super()._rollback()  # type: ignore[misc]  # private: not in django-stubs
        finally:
            self._release_write_lock()

    def _close(self) -> None:
        try:
            super()._close()  # type: ignore[misc]  # private; closing rolls back what is open
        finally:
            self._release_write_lock()

    def _release_write_lock(self) -> None:
        if self._holds_write_lock:
            self._holds_write_lock = False
            write_lock(self.settings_dict["NAME"]).release()
