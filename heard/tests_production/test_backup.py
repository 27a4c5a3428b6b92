"""`heard backup` and `heard restore`, as the README documents them: a desk with an email and its
attachment is backed up, wiped, and comes back whole (on SQLite, and on PostgreSQL where it is
reachable)."""

from __future__ import annotations

import os
import subprocess
import tempfile
import unittest
from pathlib import Path

from heard.tests_production.shape import BIN, POSTGRES, REPO, drop_database, reachable

FIXTURE = REPO / "heard" / "mail" / "tests" / "fixtures" / "attachment-pdf-outlook.eml"
COUNTS = """
from heard.desk.models import Attachment, Ticket
from heard.mail.models import RawEmail
a = Attachment.objects.first()
print(Ticket.objects.count(), RawEmail.objects.count(), Attachment.objects.count(),
      a.file.size if a else 0, a.file.read()[:5] if a else b"")
"""


class BackupTestMixin:
    database_url = ""

    def heard(self, var: Path, *args: str) -> subprocess.CompletedProcess[str]:
        env = {
            "PATH": f"{BIN}:/usr/bin:/bin",
            "HEARD_VAR_DIR": str(var),
            **({"DATABASE_URL": self.database_url} if self.database_url else {}),
            **({"PYTHONPATH": os.environ["PYTHONPATH"]} if "PYTHONPATH" in os.environ else {}),
        }
        return subprocess.run(  # noqa: S603
            [str(BIN / "heard"), *args], env=env, capture_output=True, text=True, check=False
        )

    def ok(self, var: Path, *args: str) -> str:
        done = self.heard(var, *args)
        assert done.returncode == 0, f"heard {' '.join(args)}: {done.stdout}{done.stderr}"
        return done.stdout

    def journey(self, tmp: Path) -> None:
        var, backup = tmp / "var", tmp / "backups" / "2026-12-01-0300"
        self.ok(var, "migrate", "--noinput", "-v0")
        self.ok(var, "ingest", str(FIXTURE))
        before = self.ok(var, "shell", "--no-imports", "-c", COUNTS)
        assert before.split()[:3] == ["1", "1", "1"], before

        self.ok(var, "backup", str(backup))
        assert {p.name for p in backup.iterdir()} >= {"backup.json", "media.tar"}
        self.ok(var, "flush", "--noinput")
        media = var / "media"
        for path in sorted(media.rglob("*"), reverse=True):
            path.unlink() if path.is_file() else path.rmdir()
        assert self.ok(var, "shell", "--no-imports", "-c", COUNTS).split()[:3] == ["0", "0", "0"]

        out = self.ok(var, "restore", str(backup), "--noinput")
        assert "Restored" in out, out
        assert self.ok(var, "shell", "--no-imports", "-c", COUNTS) == before
        assert list(var.glob("media.before-restore-*")), "the replaced media folder is kept"

    def damaged(self, tmp: Path) -> None:
        var, backup = tmp / "var", tmp / "backup"
        self.ok(var, "migrate", "--noinput", "-v0")
        self.ok(var, "backup", str(backup))
        with (backup / "media.tar").open("ab") as tar:
            tar.write(b"x")
        done = self.heard(var, "restore", str(backup), "--noinput")
        assert done.returncode != 0
        assert "damaged" in done.stderr, done.stderr
        done = self.heard(var, "backup", str(backup))
        assert done.returncode != 0 and "not empty" in done.stderr, done.stderr


class SqliteBackupTestCase(BackupTestMixin, unittest.TestCase):
    def test_it_restores_a_desk_with_its_attachment(self) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            self.journey(Path(tmp))

    def test_it_refuses_a_damaged_backup_and_a_used_folder(self) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            self.damaged(Path(tmp))


@unittest.skipUnless(reachable("127.0.0.1", 5432), "needs PostgreSQL on 127.0.0.1 (.ci/run)")
class PostgresBackupTestCase(BackupTestMixin, unittest.TestCase):
    database = "heard_prod_backup"
    database_url = f"{POSTGRES}/{database}"

    def setUp(self) -> None:
        from heard.tests_production.shape import admin_connection

        drop_database(self.database)
        with admin_connection() as db:
            db.execute(f'CREATE DATABASE "{self.database}"')
        self.addCleanup(drop_database, self.database)

    def test_it_restores_a_desk_with_its_attachment(self) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            self.journey(Path(tmp))

    def test_it_refuses_while_heard_is_connected(self) -> None:
        import psycopg

        with tempfile.TemporaryDirectory() as tmp:
            var, backup = Path(tmp) / "var", Path(tmp) / "backup"
            self.ok(var, "migrate", "--noinput", "-v0")
            self.ok(var, "backup", str(backup))
            with psycopg.connect(self.database_url):  # a web process still running
                done = self.heard(var, "restore", str(backup), "--noinput")
        self.assertNotEqual(done.returncode, 0)
        self.assertIn("stop Heard's services first", done.stderr)
