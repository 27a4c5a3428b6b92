"""IMAP polling against a real Dovecot: each message stored once, marked \\Seen, never twice."""

from __future__ import annotations

import re
import unittest
from datetime import UTC, datetime, timedelta
from io import StringIO
from pathlib import Path
from unittest import mock

from django.core.management import CommandError, call_command
from django.test import TestCase, override_settings

from heard.mail import tasks
from heard.mail.models import RawEmail
from heard.mail.tests import dovecot
from heard.mail.transports import imap

FIXTURES = Path(__file__).parent / "fixtures"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


class ImapFailureTestCase(TestCase):
    """A mail server that is down: a clear error for the command, a log line for the job."""

    def test_it_names_the_mailbox_it_could_not_reach(self) -> None:
        port = dovecot.free_port()
        with self.assertRaisesRegex(
            imap.ImapError, rf"^could not poll imap://me%40acme.example@127.0.0.1:{port}/INBOX: "
        ):
            imap.poll(imap.Mailbox("127.0.0.1", port, False, "me@acme.example", "secret"))

    @override_settings(HEARD_IMAP_HOST="127.0.0.1", HEARD_IMAP_SSL=False, HEARD_IMAP_USER="me")
    def test_the_job_logs_the_failure_and_lets_the_scheduler_go_on(self) -> None:
        with (
            override_settings(HEARD_IMAP_PORT=dovecot.free_port()),
            self.assertLogs("heard.mail.transports.imap", "ERROR") as logs,
        ):
            tasks.poll_imap()  # does not raise
        self.assertIn("IMAP polling failed, will retry at the next interval", logs.output[0])

    @override_settings(HEARD_IMAP_HOST="")
    def test_the_job_does_nothing_when_no_mailbox_is_configured(self) -> None:
        with mock.patch("imaplib.IMAP4") as client:
            self.assertEqual(imap.poll_configured(), 0)
        client.assert_not_called()

    def test_the_command_fails_with_the_reason(self) -> None:
        port = str(dovecot.free_port())
        with self.assertRaisesRegex(CommandError, "could not poll imap://"):
            call_command("imap_poll", "--host", "127.0.0.1", "--port", port, "--no-ssl")

    @override_settings(HEARD_IMAP_HOST="")
    def test_the_command_refuses_a_since_that_is_not_a_date(self) -> None:
        with self.assertRaisesRegex(CommandError, "'last week' is not a date like 2026-11-23"):
            call_command("imap_poll", "--host", "127.0.0.1", "--since", "last week")

    @override_settings(HEARD_IMAP_HOST="")
    def test_the_command_needs_a_host(self) -> None:
        with self.assertRaisesRegex(CommandError, "HEARD_IMAP_HOST"):
            call_command("imap_poll")


@unittest.skipUnless(
    dovecot.available(),
    "needs Debian's dovecot-imapd at /usr/sbin/dovecot (.ci/run installs it)",
)
class ImapTestCase(TestCase):
    server: dovecot.Dovecot

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.server = dovecot.Dovecot()  # one server for the class: it starts in ~0.1 s
        cls.server.start()
        cls.addClassCleanup(cls.server.stop)

    def setUp(self) -> None:
        super().setUp()
        # filing is tested elsewhere
        process = mock.patch("heard.mail.filing.processing.file_waiting")
        self.process = process.start()
        self.addCleanup(process.stop)
        self.mailbox = self._testMethodName  # each test its own mailbox on the shared server

    def poll(self, mailbox: str | None = None, password: str = dovecot.PASSWORD) -> int:
        server = self.server
        mailbox = mailbox or self.mailbox
        box = imap.Mailbox(server.host, server.port, False, server.user, password, mailbox)
        return imap.poll(box)

    def test_it_stores_each_message_once_and_marks_it_seen(self) -> None:
        first, second = fixture("customer-gmail-reply.eml"), fixture("customer-french-gmail.eml")
        self.server.append(self.mailbox, first, second)
        with self.captureOnCommitCallbacks(execute=True):  # the processing jobs
            self.assertEqual(self.poll(), 2)
            self.assertEqual(self.poll(), 0)  # polling again stores nothing twice
        rows = list(RawEmail.objects.order_by("pk"))
        self.assertEqual([bytes(raw.data) for raw in rows], [first, second])
        self.assertEqual([raw.source for raw in rows], ["imap", "imap"])
        url = f"imap://heard@127.0.0.1:{self.server.port}/{self.mailbox}"
        for uid, raw in enumerate(rows, start=1):
            self.assertRegex(raw.origin, rf"^{re.escape(url)};UIDVALIDITY=\d+/;UID={uid}$")
            self.assertEqual(raw.sha256, RawEmail.checksum(bytes(raw.data)))
        flags = self.server.flags(self.mailbox)
        self.assertEqual([("\\Seen" in flags[uid]) for uid in (1, 2)], [True, True])
        self.assertEqual(self.process.call_count, 2)

    def test_it_stores_only_what_arrived_since_the_last_poll(self) -> None:
        self.server.append(self.mailbox, fixture("customer-gmail-reply.eml"))
        self.assertEqual(self.poll(), 1)
        self.server.append(self.mailbox, fixture("customer-french-gmail.eml"))
        self.assertEqual(self.poll(), 1)
        self.assertEqual(self.poll(), 0)
        self.assertEqual(
            [o.rpartition("UID=")[2] for o in RawEmail.objects.values_list("origin", flat=True)],
            ["1", "2"],
        )

    def test_a_new_uidvalidity_does_not_store_the_same_message_twice(self) -> None:
        self.server.append(self.mailbox, fixture("customer-gmail-reply.eml"))
        self.assertEqual(self.poll(), 1)
        raw = RawEmail.objects.get()
        # As if the server had renumbered the mailbox since (a restore, a migration).
        current = raw.origin
        RawEmail.objects.update(origin=re.sub(r"UIDVALIDITY=\d+", "UIDVALIDITY=7", current))
        self.server.append(self.mailbox, fixture("customer-french-gmail.eml"))
        self.assertEqual(self.poll(), 1)  # only the new message
        self.assertEqual(RawEmail.objects.count(), 2)
        raw.refresh_from_db()
        self.assertEqual(raw.origin, current)  # re-keyed to the mailbox's numbering
        self.assertEqual(self.poll(), 0)

    def test_with_since_the_mailbox_history_before_that_day_is_left_alone(self) -> None:
        last_year = datetime(2025, 11, 3, 9, 0, tzinfo=UTC).timestamp()
        self.server.append(self.mailbox, fixture("customer-french-gmail.eml"), received=last_year)
        self.server.append(self.mailbox, fixture("customer-gmail-reply.eml"))  # arrived today
        server = self.server
        yesterday = datetime.now(UTC).date() - timedelta(days=1)
        box = imap.Mailbox(server.host, server.port, False, server.user, dovecot.PASSWORD,
                           self.mailbox, since=yesterday)  # fmt: skip
        self.assertEqual(imap.poll(box), 1)
        self.assertEqual(bytes(RawEmail.objects.get().data), fixture("customer-gmail-reply.eml"))
        self.assertEqual(imap.poll(box), 0)
        self.assertNotIn("\\Seen", self.server.flags(self.mailbox)[1], "the old one stays unread")
        # Polling goes on from the newest message stored: dropping `since` later does not
        # import the history either.
        self.assertEqual(self.poll(), 0)

    def test_it_polls_a_mailbox_whose_name_has_a_space(self) -> None:
        self.server.append("Support Queue", fixture("customer-gmail-reply.eml"))
        self.assertEqual(self.poll("Support Queue"), 1)
        self.assertIn("/Support%20Queue;UIDVALIDITY=", RawEmail.objects.get().origin)

    def test_it_reports_a_refused_login(self) -> None:
        # Its own server: Dovecot slows down later logins from an address that failed one.
        with (
            dovecot.Dovecot() as server,
            self.assertRaisesRegex(imap.ImapError, "could not poll imap://heard@.*: "),
        ):
            imap.poll(imap.Mailbox(server.host, server.port, False, server.user, "wrong"))

    def test_it_reports_a_missing_mailbox(self) -> None:
        with self.assertRaisesRegex(imap.ImapError, "cannot open mailbox 'Nowhere'"):
            self.poll("Nowhere")

    def test_the_command_prints_how_many_were_stored(self) -> None:
        self.server.append(self.mailbox, fixture("customer-gmail-reply.eml"))
        out = StringIO()
        server = self.server
        options = ["--host", server.host, "--port", str(server.port), "--no-ssl"]
        options += ["--user", server.user, "--password", server.password]
        call_command("imap_poll", *options, "--mailbox", self.mailbox, stdout=out)
        self.assertEqual(
            out.getvalue(),
            f"Stored 1 new email from imap://heard@127.0.0.1:{server.port}/{self.mailbox}\n",
        )
