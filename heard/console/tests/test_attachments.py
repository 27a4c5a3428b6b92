"""Agents of the ticket's team open a message's attachments: always as a download that no browser
renders, except a safe raster image, which may also be previewed inline under a strict CSP."""

from __future__ import annotations

import shutil
import struct
import tempfile
import unittest
import zlib
from email.message import EmailMessage

from django.core.files.base import ContentFile
from django.http import FileResponse
from django.test import override_settings
from django.urls import reverse

from heard.console.tests.browser import LiveBrowserTestCase
from heard.console.tests.test_accessibility import WCAG_AA
from heard.desk import actions
from heard.desk.models import Attachment, Team, Ticket
from heard.mail import filing
from heard.test import BaseTestCase, make_agent, make_customer


def _png(width: int = 2, height: int = 2) -> bytes:
    """A real, tiny, grey PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    pixels = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(pixels))
        + chunk(b"IEND", b"")
    )


PNG = _png()
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
HTML = b"<html><script>alert(document.cookie)</script></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
PREVIEW_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"


class TempMedia(unittest.TestCase):
    """A media folder of the test class's own, removed afterwards: attachments are real files."""

    media: str

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.media = tempfile.mkdtemp(prefix="heard-media-")
        cls.enterClassContext(override_settings(MEDIA_ROOT=cls.media))

    @classmethod
    def tearDownClass(cls) -> None:
        super().tearDownClass()
        shutil.rmtree(cls.media, ignore_errors=True)


class AttachmentTestCase(TempMedia, BaseTestCase):
    def receive(self, *files: tuple[str, str, bytes]) -> Ticket:
        """A customer's email with these (filename, content type, bytes) attached, filed."""
        email = EmailMessage()
        email["From"] = "Aleksandar Petrović <aleks@example.com>"
        email["To"] = "support@heard.localhost"
        email["Subject"] = "Here is what I was sent"
        email.set_content("Please look at the attached files.")
        for filename, content_type, data in files:
            maintype, subtype = content_type.split("/")
            email.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
        with self.captureOnCommitCallbacks(execute=True):
            filing.receive(email.as_bytes(), source="smtp")
        ticket = Ticket.objects.get(subject="Here is what I was sent")
        ticket.team = self.billing
        ticket.save()
        return ticket

    def download(self, ticket: Ticket, attachment: Attachment) -> str:
        return reverse("console:attachment", args=[ticket.pk, attachment.pk])

    def preview(self, ticket: Ticket, attachment: Attachment) -> str:
        return reverse("console:attachment_preview", args=[ticket.pk, attachment.pk])

    def only(self, ticket: Ticket) -> Attachment:
        return Attachment.objects.get(message__ticket=ticket)

    def test_it_serves_a_pdf_as_a_download(self) -> None:
        ticket = self.receive(("invoice.pdf", "application/pdf", PDF))
        self.login(self.alice)
        response = self.client.get(self.download(ticket, self.only(ticket)))
        self.assertEqual(response.status_code, 200)
        assert isinstance(response, FileResponse)
        self.assertEqual(b"".join(response.streaming_content), PDF)  # type: ignore[arg-type]
        self.assertEqual(response["Content-Type"], "application/octet-stream")
        self.assertEqual(
            response["Content-Disposition"],
            "attachment; filename=\"invoice.pdf\"; filename*=UTF-8''invoice.pdf",
        )
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        self.assertEqual(response["Content-Length"], str(len(PDF)))
        self.assertIn("private", response["Cache-Control"])

    def test_an_html_file_is_never_rendered(self) -> None:
        ticket = self.receive(("page.html", "text/html", HTML))
        self.login(self.alice)
        response = self.client.get(self.download(ticket, self.only(ticket)))
        self.assertEqual(response["Content-Type"], "application/octet-stream")
        self.assertTrue(response["Content-Disposition"].startswith("attachment; "))
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        self.assertIn("sandbox", response["Content-Security-Policy"])
        preview = self.client.get(self.preview(ticket, self.only(ticket)))
        self.assertEqual(preview.status_code, 404)

    def test_an_svg_is_a_download_and_never_previewed(self) -> None:
        ticket = self.receive(("logo.svg", "image/svg+xml", SVG))
        self.login(self.alice)
        response = self.client.get(self.download(ticket, self.only(ticket)))
        self.assertEqual(response["Content-Type"], "application/octet-stream")
        self.assertTrue(response["Content-Disposition"].startswith("attachment; "))
        self.assertEqual(self.client.get(self.preview(ticket, self.only(ticket))).status_code, 404)
        page = self.client.get(reverse("console:ticket", args=[ticket.pk]))
        self.assertNotContains(page, self.preview(ticket, self.only(ticket)))

    def test_a_png_is_previewed_inline_under_a_strict_policy(self) -> None:
        ticket = self.receive(("screenshot.png", "image/png", PNG))
        attachment = self.only(ticket)
        self.login(self.alice)
        response = self.client.get(self.preview(ticket, attachment))
        self.assertEqual(response.status_code, 200)
        assert isinstance(response, FileResponse)
        self.assertEqual(b"".join(response.streaming_content), PNG)  # type: ignore[arg-type]
        self.assertEqual(response["Content-Type"], "image/png")
        self.assertEqual(
            response["Content-Disposition"],
            "inline; filename=\"screenshot.png\"; filename*=UTF-8''screenshot.png",
        )
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        self.assertEqual(response["Content-Security-Policy"], PREVIEW_CSP)
        download = self.client.get(self.download(ticket, attachment))
        self.assertEqual(download["Content-Type"], "image/png")
        self.assertTrue(download["Content-Disposition"].startswith("attachment; "))

    def test_an_image_whose_bytes_are_not_that_image_is_not_previewed(self) -> None:
        ticket = self.receive(("cat.png", "image/png", HTML))
        self.login(self.alice)
        self.assertEqual(self.client.get(self.preview(ticket, self.only(ticket))).status_code, 404)

    def test_a_hostile_filename_is_made_safe_in_the_header(self) -> None:
        # RFC 2231 lets an email name its attachment with any bytes, CR and LF included
        name = "..%2F..%2Fetc%2Fpass%22wd%0D%0ASet-Cookie%3A%20x%3D1%3B%20%C4%8Ca%C5%A1a.pdf"
        raw = (
            "From: aleks@example.com\r\nTo: support@heard.localhost\r\n"
            "Subject: Here is what I was sent\r\nMIME-Version: 1.0\r\n"
            'Content-Type: multipart/mixed; boundary="b"\r\n\r\n'
            "--b\r\nContent-Type: text/plain\r\n\r\nAttached.\r\n"
            "--b\r\nContent-Type: application/pdf\r\n"
            f"Content-Disposition: attachment; filename*=UTF-8''{name}\r\n\r\n%PDF-1.4\r\n"
            "--b--\r\n"
        )
        with self.captureOnCommitCallbacks(execute=True):
            filing.receive(raw.encode(), source="smtp")
        ticket = Ticket.objects.get(subject="Here is what I was sent")
        ticket.team = self.billing
        ticket.save()
        self.login(self.alice)
        header = self.client.get(self.download(ticket, self.only(ticket)))["Content-Disposition"]
        self.assertNotIn("\r", header)
        self.assertNotIn("\n", header)
        self.assertNotIn("/", header.split("filename*=")[0])
        self.assertNotIn("..", header)
        disposition, fallback, encoded = header.split("; ", 2)
        self.assertEqual(disposition, "attachment")
        self.assertEqual(fallback.count('"'), 2)  # the quotes around it, none inside
        self.assertTrue(fallback.isascii())
        self.assertTrue(encoded.startswith("filename*=UTF-8''"))
        self.assertIn("%C4%8Ca%C5%A1a.pdf", encoded)  # Čaša.pdf, percent-encoded
        self.assertNotIn('"', encoded)
        self.assertNotIn(" ", encoded)

    def test_it_validates_ownership(self) -> None:
        ticket = self.receive(("screenshot.png", "image/png", PNG))
        attachment = self.only(ticket)
        self.login(self.olga)  # tech team
        self.assertEqual(self.client.get(self.download(ticket, attachment)).status_code, 404)
        self.assertEqual(self.client.get(self.preview(ticket, attachment)).status_code, 404)

    def test_anonymous_visitors_are_sent_to_log_in(self) -> None:
        ticket = self.receive(("invoice.pdf", "application/pdf", PDF))
        url = self.download(ticket, self.only(ticket))
        self.assertRedirects(self.client.get(url), f"/login/?next={url}")

    def test_an_attachment_of_another_ticket_is_not_served_through_this_one(self) -> None:
        ticket = self.receive(("invoice.pdf", "application/pdf", PDF))
        other = self.open_ticket()
        self.login(self.alice)
        url = reverse("console:attachment", args=[other.pk, self.only(ticket).pk])
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_the_ticket_page_lists_attachments_with_size_and_a_thumbnail(self) -> None:
        ticket = self.receive(
            ("invoice.pdf", "application/pdf", PDF * 40), ("screenshot.png", "image/png", PNG)
        )
        pdf = Attachment.objects.get(filename="invoice.pdf")
        png = Attachment.objects.get(filename="screenshot.png")
        self.login(self.alice)
        page = self.client.get(reverse("console:ticket", args=[ticket.pk]))
        self.assertContains(page, "invoice.pdf")
        self.assertContains(page, "1.9\xa0KB")  # 1,920 bytes
        self.assertContains(page, "application/pdf")
        self.assertContains(page, f'href="{self.download(ticket, pdf)}"')
        self.assertContains(page, f'href="{self.download(ticket, png)}"')
        self.assertContains(page, f'src="{self.preview(ticket, png)}"')
        self.assertContains(page, 'alt="Preview of screenshot.png"')
        self.assertNotContains(page, self.preview(ticket, pdf))

    @override_settings(HEARD_MAX_ATTACHMENT_BYTES=100)
    def test_an_attachment_too_large_to_keep_is_listed_but_not_served(self) -> None:
        ticket = self.receive(("huge.pdf", "application/pdf", PDF * 10))
        huge = self.only(ticket)
        self.assertFalse(huge.file)
        self.assertEqual(huge.size, len(PDF) * 10)
        self.login(self.alice)
        page = self.client.get(reverse("console:ticket", args=[ticket.pk]))
        self.assertContains(page, "huge.pdf")
        self.assertContains(page, "too large to keep; in the original email")
        self.assertNotContains(page, self.download(ticket, huge))
        self.assertEqual(self.client.get(self.download(ticket, huge)).status_code, 404)

    def test_the_ticket_page_loads_all_attachments_in_one_query(self) -> None:
        ticket = self.receive(("a.pdf", "application/pdf", PDF), ("b.png", "image/png", PNG))
        for i in range(5):
            message = actions.record_customer_message(ticket, f"And another one, {i}.")
            attachment = Attachment(
                message=message, filename=f"c{i}.pdf", content_type="application/pdf", size=3
            )
            attachment.file.save(f"c{i}.pdf", ContentFile(b"pdf"))
        self.login(self.alice)
        with self.assertNumQueries(11):  # the page's 10, and one for every attachment at once
            self.client.get(reverse("console:ticket", args=[ticket.pk]))


class AttachmentPageBrowserTestCase(TempMedia, LiveBrowserTestCase):
    """In a real browser: the thumbnail loads, the list meets WCAG 2 AA, and the download link
    saves the file instead of showing it."""

    def test_the_ticket_page_shows_attachments_to_its_team(self) -> None:
        from axe_playwright_python.sync_playwright import Axe

        team = Team.objects.create(name="Billing", slug="billing", auto_assign=False)
        make_agent("maya", [team])
        ticket = actions.open_ticket(
            customer=make_customer(), team=team, subject="Screens", text="See attached."
        )
        message = ticket.messages.get()
        for name, kind, data in (
            ("screen.png", "image/png", _png(40, 30)),
            ("a.html", "text/html", HTML),
        ):
            attachment = Attachment(
                message=message, filename=name, content_type=kind, size=len(data)
            )
            attachment.file.save(name, ContentFile(data))
        page = self.browser.new_page()
        self.login(page, "maya")
        page.goto(f"{self.live_server_url}/tickets/{ticket.pk}/")
        thumbnail = page.get_by_alt_text("Preview of screen.png")
        thumbnail.wait_for()
        page.wait_for_function("img => img.complete", arg=thumbnail.element_handle())
        self.assertEqual(thumbnail.evaluate("img => img.naturalWidth"), 40)
        options = {"runOnly": {"type": "tag", "values": WCAG_AA}, "resultTypes": ["violations"]}
        results = Axe().run(page, options=options)
        self.assertEqual(results.violations_count, 0, results.generate_report())
        with page.expect_download() as download:
            page.get_by_role("link", name="a.html").click()
        self.assertEqual(download.value.suggested_filename, "a.html")
