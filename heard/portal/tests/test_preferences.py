"""My preferences: each consent with the day and the way it was given or withdrawn, changes
recorded as new consent rows (only those that changed), automatic updates, and a few details."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from heard.desk import actions
from heard.desk.models import Consent, ConsentKind, Customer
from heard.portal.tests.portal import PortalTestCase

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

AGREED = datetime(2026, 11, 3, 10, 0, tzinfo=UTC)


class PreferencesTestCase(PortalTestCase):
    def setUp(self) -> None:
        super().setUp()
        actions.record_consent(self.customer, ConsentKind.SURVEYS, True, "email", at=AGREED)
        self.sign_in()

    def save(self, **changes: object) -> Response:
        data: dict[str, object] = {
            "consent_surveys": "on",
            "automatic_updates": "on",
            "birthday": "",
            "language": "en",
            "time_zone": "UTC",
        }
        data.update(changes)
        return self.client.post("/portal/preferences/", {k: v for k, v in data.items() if v})

    def test_it_shows_each_consent_with_when_and_how(self) -> None:
        page = self.client.get("/portal/preferences/")
        self.assertContains(page, "Agreed on <time")
        self.assertContains(page, "3 November 2026</time> by email.")
        self.assertContains(page, "Never asked: off.", count=2)
        self.assertContains(page, 'name="consent_surveys" id="id_consent_surveys" checked')

    def test_withdrawing_one_records_only_that_change_with_the_portal_as_source(self) -> None:
        response = self.save(consent_surveys="", consent_follow_up="on")
        self.assertRedirects(response, "/portal/preferences/", fetch_redirect_response=False)
        changes = Consent.objects.filter(customer=self.customer).order_by("pk")
        self.assertEqual(
            [(c.kind, c.given, c.source) for c in changes],
            [("surveys", True, "email"), ("follow_up", True, "portal"),
             ("surveys", False, "portal")],
        )  # fmt: skip
        page = self.client.get("/portal/preferences/")
        self.assertContains(page, "Saved: follow-ups, surveys.")
        self.assertContains(page, "Withdrawn on <time")
        self.assertContains(page, "by the portal.", count=2)
        self.assertFalse(Customer.objects.get(pk=self.customer.pk).has_consent("surveys"))

    def test_saving_without_a_change_records_nothing(self) -> None:
        self.save()
        self.assertEqual(Consent.objects.filter(customer=self.customer).count(), 1)
        page = self.client.get("/portal/preferences/")
        self.assertContains(page, "Nothing needed changing.")

    def test_automatic_updates_can_be_stopped_and_say_since_when(self) -> None:
        self.save(automatic_updates="")
        customer = Customer.objects.get(pk=self.customer.pk)
        self.assertIsNotNone(customer.updates_stopped_at)
        page = self.client.get("/portal/preferences/")
        self.assertContains(page, "Off since <time")
        self.save()
        self.assertIsNone(Customer.objects.get(pk=self.customer.pk).updates_stopped_at)

    def test_birthday_language_and_time_zone_are_kept(self) -> None:
        self.save(birthday="1990-03-21", language="sl", time_zone="Europe/Ljubljana")
        customer = Customer.objects.get(pk=self.customer.pk)
        self.assertEqual(customer.birthday, date(1990, 3, 21))
        self.assertEqual((customer.language, customer.time_zone), ("sl", "Europe/Ljubljana"))
        page = self.client.get("/portal/preferences/")
        self.assertContains(page, 'value="1990-03-21"')
        self.assertContains(page, '<option value="Europe/Ljubljana" selected>')

    def test_a_time_zone_we_do_not_know_is_refused(self) -> None:
        response = self.save(time_zone="Mars/Olympus_Mons")
        self.assertContains(response, "Select a valid choice.", status_code=400)
        self.assertEqual(Customer.objects.get(pk=self.customer.pk).time_zone, "UTC")

    def test_the_desk_refuses_a_time_zone_it_does_not_know_too(self) -> None:
        with self.assertRaises(actions.DeskError):
            actions.update_customer_preferences(
                self.customer, consents={}, automatic_updates=True, birthday=None,
                language="en", time_zone="Nowhere/Else", source="portal",
            )  # fmt: skip
