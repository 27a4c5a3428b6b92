"""My requests: where each stands and when to expect a reply, the conversation without internal
notes, and replies and new requests through the same intake as email."""

from __future__ import annotations

from datetime import timedelta
from email import message_from_bytes, policy
from typing import TYPE_CHECKING

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone

from heard.console.tests.test_attachments import PDF, PNG, TempMedia
from heard.desk import actions
from heard.desk.models import Channel, Direction, Status, Ticket
from heard.mail import kinds as mail_kinds
from heard.mail.models import Intake, OutboundEmail, RawEmail, Source
from heard.mail.sending import signing
from heard.portal.tests.portal import PortalTestCase
from heard.test import present

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response


class RequestListTestCase(PortalTestCase):
    def test_it_lists_every_request_with_where_it_stands(self) -> None:
        waiting = self.open_ticket()
        solved = self.open_ticket(text="Where is my invoice?")
        actions.post_agent_reply(solved, self.alice, "Here it is, Aleksandar.", status="solved")
        self.sign_in()
        page = self.client.get("/portal/requests/")
        self.assertContains(page, f"/portal/requests/{waiting.pk}/")
        self.assertContains(page, "Waiting for our reply")
        self.assertContains(page, "Someone from our Billing team will reply to you")
        self.assertContains(page, "That is worked out from our queue as it is now:")
        self.assertContains(page, "Solved on")

    def test_the_expected_reply_is_the_forecast_the_acknowledgement_gives(self) -> None:
        ticket = self.open_ticket()
        actions.assign(ticket, self.alice, self.alice)
        self.sign_in()
        with self.captureOnCommitCallbacks(execute=True):
            from heard.mail.sending import acknowledge

            acknowledge.acknowledge(ticket.pk)
        ack = OutboundEmail.objects.get(kind=mail_kinds.ACKNOWLEDGEMENT.code).text
        promise = next(line for line in ack.split("\n\n") if "will reply to you" in line)
        page = self.client.get(f"/portal/requests/{ticket.pk}/").content.decode()
        self.assertIn(promise.split(". ")[0], page)  # "Alice from our Billing team will reply…"
        self.assertIn("Alice from our Billing team will reply to you", page)

    def test_a_request_waiting_on_the_customer_says_so(self) -> None:
        ticket = self.open_ticket()
        actions.post_agent_reply(ticket, self.alice, "Could you send the invoice number?")
        actions.change_status(ticket, self.alice, Status.PENDING)
        self.sign_in()
        page = self.client.get(f"/portal/requests/{ticket.pk}/")
        self.assertContains(page, "We are waiting for your answer.")
        self.assertNotContains(page, "will reply to you")

    def test_a_request_past_its_reply_target_says_we_are_late(self) -> None:
        ticket = self.open_ticket(at=timezone.now() - timedelta(days=10))
        self.sign_in()
        page = self.client.get(f"/portal/requests/{ticket.pk}/")
        self.assertContains(page, "We meant to reply by")
        self.assertContains(page, "we&#x27;re sorry.")

    def test_a_merged_request_points_to_the_one_it_joined(self) -> None:
        duplicate, kept = self.open_ticket(), self.open_ticket()
        actions.merge_tickets(duplicate, kept, self.alice)
        self.sign_in()
        page = self.client.get(f"/portal/requests/{duplicate.pk}/")
        self.assertContains(page, f"It was joined to {kept.reference}")

    def test_only_requests_waiting_on_us_cost_queries_for_their_forecast(self) -> None:
        self.open_ticket()
        self.sign_in()
        self.client.get("/portal/requests/")  # the team's calendar, built once per process
        with self.assertNumQueries(7):  # session, customer, tickets, 1 for the forecast, save
            self.client.get("/portal/requests/")
        for _ in range(3):
            answered = self.open_ticket(text="Where is my invoice?")
            actions.post_agent_reply(answered, self.alice, "Here it is.", status="solved")
        with self.assertNumQueries(7):
            self.assertContains(self.client.get("/portal/requests/"), "Solved on", count=3)


class ConversationTestCase(TempMedia, PortalTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.ticket = self.open_ticket()
        first = self.ticket.messages.get()
        self.file = actions.add_attachment(first, "statement.pdf", "application/pdf", len(PDF), PDF)
        actions.add_internal_note(self.ticket, self.alice, "He is a VIP, refund quietly.")
        note = self.ticket.messages.get(direction=Direction.NOTE)
        self.note_file = actions.add_attachment(note, "internal.pdf", "application/pdf", 3, b"abc")
        actions.post_agent_reply(self.ticket, self.alice, "I refunded the second charge.")
        self.sign_in()

    def test_it_shows_the_public_conversation_and_never_internal_notes(self) -> None:
        page = self.client.get(f"/portal/requests/{self.ticket.pk}/")
        self.assertContains(page, "I was charged twice for March.")
        self.assertContains(page, "I refunded the second charge.")
        self.assertContains(page, "Alice from our Billing team")
        self.assertNotContains(page, "VIP")
        self.assertNotContains(page, "internal.pdf")
        self.assertContains(page, f"/portal/requests/{self.ticket.pk}/files/{self.file.pk}/")
        self.assertIn("default-src 'self'", page["Content-Security-Policy"])
        self.assertIn("no-store", page["Cache-Control"])

    def test_a_file_of_a_public_message_downloads_with_safe_headers(self) -> None:
        response = self.client.get(f"/portal/requests/{self.ticket.pk}/files/{self.file.pk}/")
        self.assertEqual(b"".join(response.streaming_content), PDF)  # type: ignore[attr-defined]
        self.assertEqual(response["Content-Type"], "application/octet-stream")
        self.assertTrue(response["Content-Disposition"].startswith("attachment;"))
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        self.assertEqual(response["Content-Security-Policy"], "default-src 'none'; sandbox")

    def test_a_file_of_an_internal_note_is_not_found(self) -> None:
        url = f"/portal/requests/{self.ticket.pk}/files/{self.note_file.pk}/"
        self.assertEqual(self.client.get(url).status_code, 404)


class ReplyTestCase(TempMedia, PortalTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.ticket = self.open_ticket()
        actions.post_agent_reply(self.ticket, self.alice, "Could you tell me the amounts?")
        self.sign_in()

    def reply(self, text: str, *files: SimpleUploadedFile) -> Response:
        data: dict[str, object] = {"text": text}
        if files:
            data["files"] = list(files)
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(f"/portal/requests/{self.ticket.pk}/", data)

    def test_a_reply_is_stored_raw_first_then_filed_on_the_ticket_and_read(self) -> None:
        response = self.reply("Two charges of 49 EUR, and I am really upset about it.")
        self.assertRedirects(
            response, f"/portal/requests/{self.ticket.pk}/", fetch_redirect_response=False
        )
        raw = RawEmail.objects.get()
        self.assertEqual((raw.source, raw.intake), (Source.WEB, Intake.THREADED))
        sent = message_from_bytes(bytes(raw.data), policy=policy.default)
        self.assertEqual(sent["From"].addresses[0].display_name, "Aleksandar Petrović")
        self.assertEqual(sent["From"].addresses[0].addr_spec, "aleks@example.com")
        self.assertEqual(raw.recipients(), [signing.reply_address(self.ticket.pk)])
        self.assertEqual(raw.ticket, self.ticket)
        message = present(raw.message)
        self.assertEqual(message.direction, Direction.CUSTOMER)
        self.assertEqual(message.text, "Two charges of 49 EUR, and I am really upset about it.")
        self.assertIsNotNone(message.reading)  # read by the engine like any email
        self.assertTrue(message.emotion)
        self.ticket.refresh_from_db()
        self.assertIsNotNone(self.ticket.awaiting_since)  # the reply clock runs again
        self.assertEqual(self.ticket.channel, Channel.EMAIL)  # it came by email first
        page = self.client.get(f"/portal/requests/{self.ticket.pk}/")
        self.assertContains(page, f"your message is on its way to {self.ticket.reference}")
        self.assertContains(page, "where our Billing team sees it too")
        self.assertContains(page, "Two charges of 49 EUR")

    def test_files_come_with_the_reply(self) -> None:
        png = SimpleUploadedFile("screen shot.png", PNG, content_type="image/png")
        pdf = SimpleUploadedFile("bank.pdf", PDF, content_type="application/pdf")
        self.reply("The statement and a screenshot.", png, pdf)
        message = present(RawEmail.objects.get().message)
        files = {a.filename: a for a in message.attachments.all()}
        self.assertEqual(set(files), {"screen shot.png", "bank.pdf"})
        self.assertEqual(files["bank.pdf"].file.read(), PDF)
        self.assertEqual(files["screen shot.png"].content_type, "image/png")

    def test_a_reply_on_a_solved_request_opens_it_again_and_says_so(self) -> None:
        actions.change_status(self.ticket, self.alice, Status.SOLVED)
        self.reply("It happened again this month.")
        self.ticket.refresh_from_db()
        self.assertEqual(self.ticket.status, Status.OPEN)
        page = self.client.get(f"/portal/requests/{self.ticket.pk}/")
        self.assertContains(page, "It was marked solved, so your message opens it again.")

    def test_a_reply_on_a_closed_request_starts_one_that_follows_on(self) -> None:
        actions.change_status(self.ticket, self.alice, Status.CLOSED)
        response = self.reply("It happened again this month.")
        follow_up = Ticket.objects.get(follow_up_of=self.ticket)
        self.assertEqual(follow_up.customer, self.customer)
        page = self.client.get(f"/portal/requests/{self.ticket.pk}/")
        self.assertEqual(response.status_code, 302)
        self.assertContains(page, "starts a new request that follows on from it")

    def test_an_empty_reply_is_refused_and_nothing_is_stored(self) -> None:
        response = self.reply("")
        self.assertContains(response, "Please write your message.", status_code=400)
        self.assertFalse(RawEmail.objects.exists())


@override_settings(HEARD_PORTAL_MAX_FILES=2, HEARD_MAX_ATTACHMENT_BYTES=1000)
class FileLimitsTestCase(TempMedia, PortalTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.ticket = self.open_ticket()
        self.sign_in()

    def send(self, *files: SimpleUploadedFile) -> Response:
        data = {"text": "Here are the files.", "files": list(files)}
        return self.client.post(f"/portal/requests/{self.ticket.pk}/", data)

    def assert_refused(self, response: Response, error: str) -> None:
        self.assertContains(response, error, status_code=400)
        self.assertContains(response, "Here are the files.</textarea>", status_code=400)
        self.assertFalse(RawEmail.objects.exists())

    def test_it_takes_at_most_the_number_of_files_set(self) -> None:
        three = [SimpleUploadedFile(f"{n}.pdf", PDF) for n in range(3)]
        self.assert_refused(self.send(*three), "You can attach up to 2 files to one message.")

    def test_it_refuses_a_file_too_large(self) -> None:
        big = SimpleUploadedFile("big.pdf", PDF + b" " * 2000)
        self.assert_refused(self.send(big), "each file can be up to 1000")

    def test_it_refuses_a_type_not_allowed_and_says_what_fits(self) -> None:
        program = SimpleUploadedFile("setup.exe", b"MZ\x90\x00", content_type="image/png")
        refused = self.send(program)
        self.assert_refused(refused, "“setup.exe” is a kind of file we can")
        what_fits = "You can attach PNG, JPEG, GIF, WebP, PDF, plain text and CSV files."
        self.assertContains(refused, what_fits, status_code=400)

    def test_it_refuses_a_file_that_is_not_what_its_name_says(self) -> None:
        fake = SimpleUploadedFile("photo.png", b"<svg onload=alert(1)>", content_type="image/png")
        self.assert_refused(self.send(fake), "look like the PNG file its name says it is")

    def test_the_form_says_what_it_takes(self) -> None:
        page = self.client.get(f"/portal/requests/{self.ticket.pk}/")
        self.assertContains(page, 'enctype="multipart/form-data"')
        self.assertContains(page, "up to 2, 1000")


class NewRequestTestCase(TempMedia, PortalTestCase):
    def test_the_web_form_opens_a_ticket_that_came_by_the_portal(self) -> None:
        self.sign_in()
        self.assertContains(self.client.get("/portal/requests/new/"), "What is it about?")
        data = {
            "subject": "Router keeps dropping",
            "text": "My router drops the connection every hour.",
            "files": [SimpleUploadedFile("log.txt", b"12:00 down\n13:00 down\n")],
        }
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post("/portal/requests/new/", data)
        self.assertRedirects(response, "/portal/requests/", fetch_redirect_response=False)
        ticket = Ticket.objects.get()
        self.assertEqual(ticket.customer, self.customer)
        self.assertEqual(ticket.subject, "Router keeps dropping")
        self.assertEqual(ticket.channel, Channel.PORTAL)
        raw = RawEmail.objects.get()
        self.assertEqual((raw.source, raw.ticket), (Source.WEB, ticket))
        self.assertEqual(raw.recipients(), ["support@heard.localhost"])
        first = ticket.messages.get(direction=Direction.CUSTOMER)
        self.assertEqual([a.filename for a in first.attachments.all()], ["log.txt"])
        ack = OutboundEmail.objects.get(ticket=ticket, kind=mail_kinds.ACKNOWLEDGEMENT.code)
        self.assertEqual(ack.to_address, "aleks@example.com")
        self.assertEqual([m.to for m in mail.outbox[1:]], [["aleks@example.com"]])
        listed = self.client.get("/portal/requests/")
        self.assertContains(listed, "your request is on its way to our team")
        self.assertContains(listed, "Router keeps dropping")

    def test_a_new_request_needs_a_subject_and_words(self) -> None:
        self.sign_in()
        response = self.client.post("/portal/requests/new/", {"subject": "", "text": ""})
        said = "Please say in a few words what it is about."
        self.assertContains(response, said, status_code=400)
        self.assertContains(response, "Please write your message.", status_code=400)
        self.assertFalse(RawEmail.objects.exists())

    def test_a_line_break_in_the_subject_cannot_add_a_header(self) -> None:
        self.sign_in()
        data = {"subject": "Router\r\nBcc: someone@example.net", "text": "It drops."}
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post("/portal/requests/new/", data)
        sent = message_from_bytes(bytes(RawEmail.objects.get().data), policy=policy.default)
        self.assertIsNone(sent["Bcc"])
        self.assertEqual(Ticket.objects.get().subject, "Router Bcc: someone@example.net")
