"""`heard ingest`: .eml files and mbox archives stored through the one intake."""

from __future__ import annotations

import shutil
import tempfile
from io import StringIO
from pathlib import Path
from unittest import mock

from django.core.management import call_command
from django.test import TestCase

from heard.mail import filing
from heard.mail.models import RawEmail

FIXTURES = Path(__file__).parent / "fixtures"
MBOX_NAMES = ["customer-gmail-reply.eml", "customer-french-gmail.eml", "bounce-exim.eml"]


class IngestTestCase(TestCase):
    def setUp(self) -> None:
        super().setUp()
        # filing is tested elsewhere
        process = mock.patch("heard.mail.filing.processing.file_waiting")
        self.process = process.start()
        self.addCleanup(process.stop)
        self.folder = Path(tempfile.mkdtemp(prefix="heard-ingest-"))
        self.addCleanup(shutil.rmtree, self.folder)

    def write_mbox(self) -> Path:
        """Three messages as an mbox archive, each after its From_ line."""
        mbox = self.folder / "archive.mbox"
        with mbox.open("wb") as out:
            for n, name in enumerate(MBOX_NAMES):
                out.write(f"From sender{n}@example.com Mon Mar  3 10:41:09 2025\n".encode())
                out.write((FIXTURES / name).read_bytes().rstrip(b"\n") + b"\n\n")
        return mbox

    def ingest(self, *paths: Path | str) -> tuple[int, str, str]:
        out, err = StringIO(), StringIO()
        try:
            with self.captureOnCommitCallbacks(execute=True):
                call_command("ingest", *map(str, paths), stdout=out, stderr=err)
        except SystemExit as exit:
            return int(exit.code or 0), out.getvalue(), err.getvalue()
        return 0, out.getvalue(), err.getvalue()

    def test_it_stores_an_eml_file_and_each_message_of_an_mbox(self) -> None:
        eml, mbox = FIXTURES / "customer-outlook-reply.eml", self.write_mbox()
        status, out, err = self.ingest(eml, mbox)
        self.assertEqual((status, err), (0, ""))
        rows = list(RawEmail.objects.order_by("pk"))
        self.assertEqual(len(rows), 4)
        self.assertEqual(bytes(rows[0].data), eml.read_bytes())  # exactly as in the file
        self.assertEqual(
            [raw.origin for raw in rows],
            [f"{eml.resolve()}#1", *(f"{mbox.resolve()}#{n}" for n in (1, 2, 3))],
        )
        for raw, name in zip(rows[1:], MBOX_NAMES, strict=True):
            self.assertEqual(
                bytes(raw.data).rstrip(b"\n"), (FIXTURES / name).read_bytes().rstrip(b"\n")
            )
        self.assertEqual({raw.source for raw in rows}, {"file"})
        self.assertEqual(
            out.splitlines(),
            [f"{raw.origin}: stored as email {raw.pk} ({raw.size} bytes)" for raw in rows],
        )
        self.assertEqual(self.process.call_count, 4)

    def test_a_missing_file_is_reported_and_the_others_are_still_stored(self) -> None:
        missing = self.folder / "no-such-file.eml"
        status, out, err = self.ingest(missing, self.write_mbox(), self.folder)
        self.assertEqual(status, 1)
        self.assertEqual(
            err.splitlines(),
            [f"{missing}: No such file or directory", f"{self.folder}: Is a directory"],
        )
        self.assertEqual(len(out.splitlines()), 3)
        self.assertEqual(RawEmail.objects.count(), 3)

    def test_an_empty_file_is_reported(self) -> None:
        empty = self.folder / "empty.eml"
        empty.write_bytes(b"\n")
        status, _, err = self.ingest(empty)
        self.assertEqual((status, err), (1, f"{empty}: the file is empty\n"))

    def test_storage_failure_is_reported_per_file(self) -> None:
        error = filing.StorageError("could not store the email: database is locked")
        with mock.patch("heard.mail.filing.receive", side_effect=error):
            status, _, err = self.ingest(FIXTURES / "customer-outlook-reply.eml")
        self.assertEqual(status, 1)
        self.assertIn("could not store the email: database is locked", err)
