"""The way to stop an automatic email, from the email itself: a page with a button, and the
mailbox provider's one-click POST (RFC 8058)."""

from __future__ import annotations

from email import message_from_bytes, policy
from urllib.parse import urlsplit

from django.core import mail
from django.test import Client, override_settings

from heard.care import kinds as care_kinds
from heard.desk import actions
from heard.desk.models import ConsentKind
from heard.mail import kinds
from heard.mail.models import OutboundEmail
from heard.mail.sending import acknowledge, outbound, unsubscribe
from heard.test import BaseTestCase, present


@override_settings(SITE_URL="https://help.example")
class UnsubscribeTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.ticket = self.open_ticket()
        actions.record_consent(self.customer, ConsentKind.SURVEYS, True, "portal")

    def survey_email(self) -> OutboundEmail | None:
        with self.captureOnCommitCallbacks(execute=True):
            return outbound.queue_automatic(
                care_kinds.SURVEY,
                ticket=self.ticket,
                to_address="aleks@example.com",
                subject="Charged twice",
                text="How was our help?",
            )

    def path(self, url: str) -> str:
        return urlsplit(url).path

    def test_a_survey_carries_one_click_unsubscribe_that_withdraws_the_consent(self) -> None:
        email = present(self.survey_email())
        parsed = message_from_bytes(mail.outbox[-1].message().as_bytes(), policy=policy.default)
        self.assertEqual(parsed["List-Unsubscribe"].strip(), f"<{email.unsubscribe_url}>")
        self.assertEqual(parsed["List-Unsubscribe-Post"], "List-Unsubscribe=One-Click")
        self.assertTrue(email.text.endswith(f"at any time here: {email.unsubscribe_url}"))
        # The mailbox provider's button: a POST without our cookie or CSRF token.
        client = Client(enforce_csrf_checks=True)
        page = client.post(
            self.path(email.unsubscribe_url), {"List-Unsubscribe": "One-Click"}
        )
        self.assertContains(page, "you will not get satisfaction survey emails any more")
        self.customer.refresh_from_db()
        consent = present(self.customer.consent(ConsentKind.SURVEYS))
        self.assertEqual((consent.given, consent.source), (False, "email"))
        self.assertIsNone(self.survey_email(), "no survey after the withdrawal")
        held = self.ticket.events.filter(what="email held back").last()
        self.assertIn("withdrew their consent to surveys on", present(held).note)

    def test_opening_the_link_stops_nothing_until_the_button_is_pressed(self) -> None:
        email = present(self.survey_email())
        page = self.client.get(self.path(email.unsubscribe_url))
        self.assertContains(page, "Do you want to stop satisfaction survey emails?")
        self.assertContains(page, "Stop these emails</button>")
        self.assertTrue(self.customer.has_consent(ConsentKind.SURVEYS), "scanners follow links")
        self.client.post(self.path(email.unsubscribe_url), {"confirm": "1"})
        self.customer.refresh_from_db()
        self.assertFalse(self.customer.has_consent(ConsentKind.SURVEYS))

    def test_stopping_automatic_updates_stops_acknowledgements_but_not_replies(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            ack = present(acknowledge.acknowledge(self.ticket.pk))
        self.assertIn("automatic updates on your requests", ack.text)
        page = self.client.post(self.path(ack.unsubscribe_url))
        self.assertContains(page, "automatic updates on your requests")
        self.customer.refresh_from_db()
        self.assertIsNotNone(self.customer.updates_stopped_at)
        with self.captureOnCommitCallbacks(execute=True):
            self.assertIsNone(acknowledge.update(self.ticket.pk))
            held = present(self.ticket.events.filter(what="email held back").last())
            self.assertIn("the customer stopped automatic updates on", held.note)
            actions.post_agent_reply(self.ticket, self.alice, "Hello Aleksandar, refunded.")
        self.assertEqual(OutboundEmail.objects.filter(kind=kinds.REPLY.code).count(), 1)
        self.assertTrue(self.customer.has_consent(ConsentKind.SURVEYS), "only updates stopped")

    def test_an_altered_link_stops_nothing(self) -> None:
        email = present(self.survey_email())
        token = email.unsubscribe_url.rstrip("/").rsplit("/", 1)[1]
        altered = self.path(email.unsubscribe_url).replace(token, token[:-2] + "xx")
        self.assertEqual(self.client.post(altered).status_code, 404)
        self.assertTrue(self.customer.has_consent(ConsentKind.SURVEYS))

    def test_a_link_names_one_customer_and_one_kind(self) -> None:
        found = unsubscribe.from_token(
            present(self.survey_email()).unsubscribe_url.rstrip("/").rsplit("/", 1)[1]
        )
        self.assertEqual(found, (self.customer, care_kinds.SURVEY))


class ConsentIsNeverAssumedTestCase(BaseTestCase):
    def test_mail_sent_by_consent_needs_it_given_and_the_address_to_be_theirs(self) -> None:
        ticket = self.open_ticket()

        def survey(to: str = "aleks@example.com") -> OutboundEmail | None:
            return outbound.queue_automatic(
                care_kinds.SURVEY, ticket=ticket, to_address=to, subject="Hi", text="Hi"
            )

        self.assertIsNone(survey())
        note = present(ticket.events.filter(what="email held back").last()).note
        self.assertIn("the customer never agreed to surveys", note)
        actions.record_consent(self.customer, ConsentKind.SURVEYS, True, "portal")
        self.assertIsNone(survey(to="someone.else@example.com"))
        note = present(ticket.events.filter(what="email held back").last()).note
        self.assertIn("it is not the address of the customer it is for", note)
        email = present(survey())
        self.assertIn("You get this one question because you agreed on", email.text)
