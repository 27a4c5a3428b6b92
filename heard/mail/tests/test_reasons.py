"""Every automatic email to a customer says truthfully why it was sent: their own message."""

from __future__ import annotations

from django.test import override_settings

from heard.mail import kinds
from heard.mail.models import OutboundEmail
from heard.mail.sending import acknowledge
from heard.test import BaseTestCase


@override_settings(HEARD_SUPPORT_ADDRESS="support@heard.localhost")
class ReasonLineTestCase(BaseTestCase):
    def test_the_acknowledgement_answers_the_customers_own_message(self) -> None:
        ticket = self.open_ticket()
        acknowledge.acknowledge(ticket.pk)
        text = OutboundEmail.objects.get(ticket=ticket, kind=kinds.ACKNOWLEDGEMENT.code).text
        self.assertIn("You get this note because you wrote to us about “Charged twice”", text)
        self.assertNotIn("agreed", text)

    def test_an_update_answers_the_customers_own_message(self) -> None:
        ticket = self.open_ticket()
        acknowledge.update(ticket.pk)
        text = OutboundEmail.objects.get(ticket=ticket, kind=kinds.UPDATE.code).text
        *_, reason, portal, stop = text.split("\n\n")
        self.assertEqual(
            reason,
            "(You get this note because you wrote to us again about “Charged twice” and are "
            "still waiting for our answer: we sent it automatically. The reply itself will "
            "come from a person.)",
        )
        self.assertIn("are in your support portal: http://", portal)
        self.assertIn("you can stop them here: http://", stop)
        self.assertNotIn("agreed", text)
