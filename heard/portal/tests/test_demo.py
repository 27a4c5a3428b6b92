"""The demo says where its customers sign in, with an address that can receive the link."""

from __future__ import annotations

import re

from django.core import mail
from django.test import override_settings

from heard.desk.actions import find_or_create_customer
from heard.desk.demo.loader import DemoSummary
from heard.desk.demo.people import customer_specs
from heard.portal.tests.portal import PortalTestCase


class DemoPortalLineTestCase(PortalTestCase):
    @override_settings(EMAIL_HOST="")
    def test_the_demo_prints_the_portal_with_a_demo_customer_who_can_sign_in(self) -> None:
        line = DemoSummary(False, 0, 0, 0, 0, 0).lines()[-1]
        self.assertTrue(line.startswith("Customer portal: https://help.example/portal/ "), line)
        self.assertIn("the link is written to", line)
        found = re.search(r"e\.g\. (\S+?);", line)
        assert found is not None, line
        address = found.group(1)
        spec = next(s for s in customer_specs() if address in dict(s.emails))
        self.assertFalse(dict(spec.emails)[address], "a bouncing address gets no link")
        find_or_create_customer(address, spec.name)  # as the demo loads it
        self.sign_in(address)
        self.assertEqual(mail.outbox[-1].to, [address])
