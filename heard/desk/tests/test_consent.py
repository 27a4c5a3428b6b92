"""Consent: off until given, every change a row that says when and how, nothing assumed."""

from __future__ import annotations

from datetime import UTC, datetime

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import TransactionTestCase

from heard.desk import actions
from heard.desk.models import Consent, ConsentKind, Customer
from heard.test import BaseTestCase

GIVEN_AT = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)
WITHDRAWN_AT = datetime(2026, 12, 9, 16, 0, tzinfo=UTC)


class RecordConsentTestCase(BaseTestCase):
    def test_a_new_customer_has_no_consent_of_any_kind(self) -> None:
        customer = Customer.objects.create(name="Nova Kupac")
        for kind in ConsentKind.values:
            self.assertIsNone(customer.consent(kind))
            self.assertFalse(customer.has_consent(kind))

    def test_it_keeps_each_change_with_when_and_how(self) -> None:
        actions.record_consent(self.customer, ConsentKind.SURVEYS, True, "portal", at=GIVEN_AT)
        self.assertTrue(self.customer.has_consent(ConsentKind.SURVEYS))
        actions.record_consent(
            self.customer, ConsentKind.SURVEYS, False, "agent", by=self.alice.user, at=WITHDRAWN_AT
        )
        self.assertFalse(self.customer.has_consent(ConsentKind.SURVEYS))
        history = list(self.customer.consents.order_by("at").values_list("given", "source", "at"))
        self.assertEqual(history, [(True, "portal", GIVEN_AT), (False, "agent", WITHDRAWN_AT)])
        in_force = self.customer.consent(ConsentKind.SURVEYS)
        self.assertEqual(in_force.how(), "by Alice Example")  # type: ignore[union-attr]
        self.assertFalse(self.customer.has_consent(ConsentKind.FOLLOW_UP), "one kind at a time")

    def test_the_state_in_force_is_not_recorded_again(self) -> None:
        first = actions.record_consent(self.customer, "surveys", True, "portal", at=GIVEN_AT)
        again = actions.record_consent(self.customer, "surveys", True, "email", at=WITHDRAWN_AT)
        self.assertEqual(again, first, "the day they first agreed stays true")
        self.assertEqual(Consent.objects.count(), 1)

    def test_an_unknown_kind_or_a_missing_source_is_refused(self) -> None:
        with self.assertRaises(actions.DeskError):
            actions.record_consent(self.customer, "newsletter", True, "portal")
        with self.assertRaises(actions.DeskError):
            actions.record_consent(self.customer, ConsentKind.SURVEYS, True, " ")
        self.assertFalse(Consent.objects.exists())


class ConsentMigrationTestCase(TransactionTestCase):
    """0008 carries over only what was set deliberately: never a consent nobody gave."""

    before = [("desk", "0007_ticket_manager_escalated")]
    after = [("desk", "0008_consent_records")]

    def tearDown(self) -> None:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
        super().tearDown()

    def test_customers_without_a_deliberate_consent_stay_off(self) -> None:
        executor = MigrationExecutor(connection)
        executor.migrate(self.before)
        old = executor.loader.project_state(self.before).apps.get_model("desk", "Customer")
        assumed = old.objects.create(name="Assumed")  # the old defaults: surveys and follow-ups
        declined = old.objects.create(name="Declined", consent_surveys=False)
        birthday = old.objects.create(name="Birthday", consent_birthday=True)
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(self.after)
        new = executor.loader.project_state(self.after).apps.get_model("desk", "Consent")
        rows = set(new.objects.values_list("customer_id", "kind", "given", "source"))
        self.assertEqual(
            rows,
            {
                (declined.pk, "surveys", False, "migration"),
                (birthday.pk, "birthday", True, "migration"),
            },
        )
        self.assertFalse(new.objects.filter(customer_id=assumed.pk).exists())
        customers = executor.loader.project_state(self.after).apps.get_model("desk", "Customer")
        in_force = customers.objects.filter(surveys_consent__isnull=False)
        self.assertEqual(list(in_force.values_list("pk", flat=True)), [declined.pk])
        self.assertFalse(new.objects.filter(given=True, kind="surveys").exists())
