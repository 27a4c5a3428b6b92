"""The receiver's limits (issue 19): what is within SMTP's own limits is stored, what is beyond
them is refused for good (5xx) at once, and 451 only says "try again" when trying again can
work. On SQLite, files that were truncated, replaced or removed under the running receiver get
451, never a crash (a truncated shared-memory file used to kill it with SIGBUS).

The receivers listen on ports 18480-18489 (this part's range)."""

from __future__ import annotations

import contextlib
import os
import shutil
import smtplib
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

from django.db import connection
from django.test import SimpleTestCase, TransactionTestCase, override_settings

from heard.mail.filing import StorageError
from heard.mail.models import RawEmail
from heard.mail.transports import smtp
from heard.mail.transports.smtp import LINE_LENGTH_LIMIT, MAX_ADDRESS, Receiver

SUPPORT = "support@heard.localhost"
ROOT = Path(__file__).resolve().parents[3]


def message(body: bytes = b"My invoice is wrong.\r\n", header: bytes = b"") -> bytes:
    return (
        b"From: Maja <maja@example.com>\r\nTo: " + SUPPORT.encode() + b"\r\n"
        b"Subject: Invoice\r\n" + header + b"\r\n" + body
    )


def address(octets: int) -> str:
    domain = "@example.com"
    return "m" * (octets - len(domain)) + domain


@override_settings(HEARD_SUPPORT_ADDRESS=SUPPORT)
class SmtpLimitsTest(TransactionTestCase):
    def setUp(self) -> None:
        super().setUp()
        process = mock.patch("heard.mail.filing.processing.file_waiting")  # filing: elsewhere
        process.start()
        self.addCleanup(process.stop)
        self.receiver = Receiver("127.0.0.1", 18480)
        self.receiver.start()
        self.addCleanup(self.receiver.stop)

    def smtp(self) -> smtplib.SMTP:
        client = smtplib.SMTP("127.0.0.1", 18480, timeout=30)
        self.addCleanup(client.close)
        client.ehlo()
        return client

    def test_a_sender_address_of_254_octets_is_stored_whole(self) -> None:
        sender = address(MAX_ADDRESS)
        self.assertEqual(self.smtp().sendmail(sender, [SUPPORT], message()), {})
        self.assertEqual(RawEmail.objects.get().envelope_from, sender)

    def test_a_longer_sender_address_is_refused_for_good(self) -> None:
        client = self.smtp()
        code, reply = client.mail(address(MAX_ADDRESS + 1))
        self.assertEqual(code, 501)
        self.assertIn(b"Path too long", reply)
        self.assertEqual(client.mail("maja@example.com")[0], 250)  # the session goes on
        self.assertFalse(RawEmail.objects.exists())

    def test_a_longer_recipient_address_is_refused_for_good(self) -> None:
        client = self.smtp()
        client.mail("maja@example.com")
        local = "s" * (MAX_ADDRESS - len("@heard.localhost") + 1)
        code, _ = client.rcpt(f"{local}@heard.localhost")
        self.assertEqual(code, 501)

    def test_long_lines_within_the_limit_are_stored_byte_for_byte(self) -> None:
        header = b"X-Long: " + b"h" * 990 + b"\r\n"  # RFC 5322's 998 characters a line
        data = message(b"<p>" + b"x" * (LINE_LENGTH_LIMIT - 100) + b"</p>\r\n", header)
        self.assertEqual(self.smtp().sendmail("maja@example.com", [SUPPORT], data), {})
        self.assertEqual(bytes(RawEmail.objects.get().data), data)

    def test_a_line_over_the_limit_is_refused_for_good_and_the_session_goes_on(self) -> None:
        client = self.smtp()
        client.mail("maja@example.com")
        client.rcpt(SUPPORT)
        code, reply = client.data(message(b"y" * (LINE_LENGTH_LIMIT + 10) + b"\r\n"))
        self.assertEqual(code, 500)  # RFC 5321 4.5.3.1: "500 Line too long"
        self.assertIn(b"Line too long", reply)
        self.assertFalse(RawEmail.objects.exists())
        client.mail("maja@example.com")
        client.rcpt(SUPPORT)
        self.assertEqual(client.data(message())[0], 250)
        self.assertEqual(RawEmail.objects.count(), 1)


class SqliteFilesCheckTest(SimpleTestCase):
    """The checks the receiver makes before each write to a SQLite file."""

    def setUp(self) -> None:
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        self.database = Path(folder.name) / "heard.sqlite3"
        self.database.write_bytes(b"SQLite format 3\x00")
        smtp._inodes.pop(str(self.database), None)

    def test_a_healthy_file_passes(self) -> None:
        smtp.check_sqlite_files(self.database, 1000)

    def test_a_message_the_disk_has_no_room_for_is_refused(self) -> None:
        free = shutil.disk_usage(self.database.parent).free
        with self.assertRaisesMessage(StorageError, "free on the database's disk"):
            smtp.check_sqlite_files(self.database, free)

    def test_a_removed_or_replaced_file_is_refused(self) -> None:
        smtp.check_sqlite_files(self.database, 1000)
        moved = self.database.rename(self.database.with_name("moved.sqlite3"))
        with self.assertRaisesMessage(StorageError, "gone"):
            smtp.check_sqlite_files(self.database, 1000)
        moved.rename(self.database)
        other = self.database.with_name("copy.sqlite3")
        other.write_bytes(b"SQLite format 3\x00")
        other.replace(self.database)  # a copy put in its place, as a restore would
        with self.assertRaisesMessage(StorageError, "replaced"):
            smtp.check_sqlite_files(self.database, 1000)

    def test_a_truncated_shared_memory_file_is_refused(self) -> None:
        self.database.with_name("heard.sqlite3-shm").write_bytes(b"")
        with self.assertRaisesMessage(StorageError, "truncated"):
            smtp.check_sqlite_files(self.database, 1000)


class DeployedReceiverTestCase(SimpleTestCase):
    """`heard smtpd` as deployed on SQLite, in a process of its own, with its own database."""

    port = 18481

    def setUp(self) -> None:
        if connection.vendor != "sqlite":
            self.skipTest("the embedded set-up's files: SQLite only")
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        self.var = Path(folder.name)
        self.database = self.var / "heard.sqlite3"
        self.env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{self.database}",
            "HEARD_VAR_DIR": str(self.var),
            "HEARD_SUPPORT_ADDRESS": SUPPORT,
            "CELERY_BROKER_URL": "",
        }
        self.heard("migrate", "-v0")
        self.receiver = subprocess.Popen(
            [*self.command(), "smtpd", "--port", str(self.port)],
            env=self.env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.addCleanup(self.stop)
        self.wait_for_port()

    def command(self) -> list[str]:
        return [sys.executable, "-c", "from heard.cli import main; main()"]

    def heard(self, *args: str) -> None:
        subprocess.run([*self.command(), *args], env=self.env, cwd=ROOT, check=True)

    def stop(self) -> None:
        self.receiver.terminate()
        self.receiver.wait(timeout=20)

    def wait_for_port(self) -> None:
        for _ in range(300):
            try:
                smtplib.SMTP("127.0.0.1", self.port, timeout=2).quit()
                return
            except OSError:
                time.sleep(0.1)
        self.fail("the receiver did not start")

    def send(self, data: bytes | None = None) -> int:
        with smtplib.SMTP("127.0.0.1", self.port, timeout=120) as client:
            client.ehlo()
            client.mail("maja@example.com")
            client.rcpt(SUPPORT)
            return client.data(data or message())[0]


class SqliteFilesBrokenTest(DeployedReceiverTestCase):
    def test_a_truncated_index_or_a_removed_file_gets_451_and_the_receiver_lives(self) -> None:
        self.assertEqual(self.send(), 250)
        time.sleep(3)  # the acknowledgement job touches the database too; let it finish
        shm = self.database.with_name("heard.sqlite3-shm")
        os.truncate(shm, 0)
        self.assertEqual(self.send(), 451)
        self.assertIsNone(self.receiver.poll())
        shm.unlink()
        self.database.unlink()
        self.assertEqual(self.send(), 451)
        self.assertIsNone(self.receiver.poll())


class LargeEmailReceiverTest(DeployedReceiverTestCase):
    port = 18482

    def test_a_30_mb_email_is_filed_without_holding_other_senders_back(self) -> None:
        from heard.mail.tests.test_size_limits import MB, plain_text_email

        self.assertEqual(self.send(plain_text_email(30 * MB)), 250)
        waits = []
        for _ in range(10):  # other senders, while the large one is being filed
            started = time.perf_counter()
            self.assertEqual(self.send(), 250)
            waits.append(time.perf_counter() - started)
        filed_in = self.wait_until_filed()
        # 9 s before the limits. What is left is the CPU the filing jobs share with the receiver
        # (one process, as the embedded set-up runs) on two cores; with the load of a shared
        # machine (load average 10) the slowest of these took 2.8 s.
        self.assertLess(max(waits), 5.0, waits)
        self.assertLess(filed_in, 60)  # 67 s before
        self.assertLess(self.peak_memory(), 1024 * MB)  # 3.9 GB before

    def wait_until_filed(self) -> float:
        started = time.perf_counter()
        with contextlib.closing(sqlite3.connect(f"file:{self.database}?mode=ro", uri=True)) as db:
            while time.perf_counter() - started < 120:
                found = db.execute("SELECT intake FROM mail_rawemail WHERE size > 1000000")
                rows = found.fetchall()
                if rows and rows[0][0] == "threaded":
                    return time.perf_counter() - started
                time.sleep(0.25)
        self.fail("the large email was not filed in two minutes")

    def peak_memory(self) -> int:
        """The receiver's peak resident memory in bytes (Linux's VmHWM)."""
        status = Path(f"/proc/{self.receiver.pid}/status").read_text()
        line = next(line for line in status.splitlines() if line.startswith("VmHWM"))
        return int(line.split()[1]) * 1024
