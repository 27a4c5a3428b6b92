"""Heard's Message-IDs and reply addresses name their ticket, and cannot be forged."""

from __future__ import annotations

from django.test import SimpleTestCase, override_settings

from heard.mail.sending import signing


@override_settings(HEARD_SUPPORT_ADDRESS="help@acme.example", SECRET_KEY="k" * 50)
class AddressesTest(SimpleTestCase):
    def test_a_message_id_names_its_ticket(self) -> None:
        message_id = signing.new_message_id(41)
        self.assertTrue(message_id.endswith("@acme.example"))
        self.assertIn(".HRD-1041.", message_id)
        self.assertEqual(signing.ticket_from_message_id(f"<{message_id}>"), 41)

    def test_message_ids_are_unique(self) -> None:
        self.assertNotEqual(signing.new_message_id(41), signing.new_message_id(41))

    def test_a_changed_ticket_number_or_domain_is_refused(self) -> None:
        message_id = signing.new_message_id(41)
        self.assertIsNone(signing.ticket_from_message_id(message_id.replace("1041", "1042")))
        self.assertIsNone(signing.ticket_from_message_id(message_id.replace("acme", "evil")))
        self.assertIsNone(signing.ticket_from_message_id("abc@acme.example"))

    def test_a_message_id_signed_with_another_key_is_refused(self) -> None:
        with self.settings(SECRET_KEY="x" * 50):
            foreign = signing.new_message_id(41)
        self.assertIsNone(signing.ticket_from_message_id(foreign))

    def test_the_reply_address_threads_back_and_cannot_be_guessed(self) -> None:
        address = signing.reply_address(41)
        self.assertRegex(address, r"^help\+HRD-1041\.[a-z2-7]{10}@acme\.example$")
        self.assertEqual(signing.ticket_from_address(address.upper()), 41)
        self.assertIsNone(signing.ticket_from_address(address.replace("1041", "1042")))
        self.assertIsNone(signing.ticket_from_address("help+HRD-1041.aaaaaaaaaa@acme.example"))
        self.assertIsNone(signing.ticket_from_address(address.replace("acme", "evil")))

    def test_a_message_id_without_a_ticket_names_none(self) -> None:
        self.assertIsNone(signing.ticket_from_message_id(signing.new_message_id()))
