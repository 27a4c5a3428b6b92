"""The leads' moment pages in the console: budgets, the batch, approving and skipping."""

from __future__ import annotations

from datetime import date

import time_machine
from django.contrib.auth.models import User
from django.urls import reverse

from heard.care.models import Greeting, GreetingState, Moment
from heard.care.moments import plan
from heard.care.tests.moment_helpers import NOW, MomentTestCase, birthday_moment
from heard.desk.models import Role
from heard.test import make_agent


class MomentPagesTestCase(MomentTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.friend = self.customer_born("Gordana Ilić", "gordana@example.com", date(1980, 11, 25))
        self.upset(self.customer)  # Aleksandar's greeting is held
        plan.plan_moment(self.moment, NOW)
        self.batch_url = reverse("console:moment", args=[self.moment.pk])

    def test_the_lead_sees_the_month_budget_and_what_awaits(self) -> None:
        self.login(self.lead)
        with time_machine.travel(NOW, tick=False):
            page = self.client.get(reverse("console:moments"))
        self.assertContains(page, "Birthday minutes")
        self.assertContains(page, "€0.00 used of €30.00")
        self.assertContains(page, f'<a href="{self.batch_url}">1 greeting</a> · €3.00', html=True)

    def test_the_batch_shows_its_cost_the_budget_left_and_who_is_held_why(self) -> None:
        self.login(self.lead)
        page = self.client.get(self.batch_url)
        self.assertContains(page, "Gordana Ilić")
        self.assertContains(
            page, "November 2026: €0.00 of €30.00 committed, €30.00 left; this batch: €3.00"
        )
        self.assertContains(page, "Approve 1 greeting (€3.00)")
        held = page.content.decode().split('id="held"')[1].split("</section>")[0]
        self.assertIn("Aleksandar Petrović", held)
        self.assertIn("is open and the customer is angry", held)

    def test_approving_approves_what_the_lead_saw(self) -> None:
        seen = Greeting.objects.get(customer=self.friend)
        later = self.customer_born("Planned Later", "later@example.com", date(1980, 11, 25))
        plan.plan_moment(self.moment, NOW)
        self.login(self.lead)
        response = self.client.post(
            reverse("console:moment_approve", args=[self.moment.pk]),
            {"greeting": [seen.pk]},
            follow=True,
        )
        self.assertRedirects(response, self.batch_url)
        self.assertContains(response, "1 greeting approved.")
        seen.refresh_from_db()
        self.assertEqual((seen.state, seen.approved_by), (GreetingState.APPROVED, self.lead.user))
        self.assertEqual(Greeting.objects.get(customer=later).state, GreetingState.AWAITING)

    def test_what_does_not_fit_the_budget_stays_and_says_why(self) -> None:
        self.moment.monthly_budget_cents = 200
        self.moment.save()
        self.login(self.lead)
        response = self.client.post(
            reverse("console:moment_approve", args=[self.moment.pk]),
            {"greeting": list(Greeting.objects.awaiting().values_list("pk", flat=True))},
            follow=True,
        )
        self.assertContains(response, "0 greetings approved.")
        self.assertContains(response, "1 still awaits approval: it does not fit the budget")

    def test_skipping_one_greeting(self) -> None:
        greeting = Greeting.objects.get(customer=self.friend)
        self.login(self.lead)
        url = reverse("console:moment_skip", args=[self.moment.pk, greeting.pk])
        self.assertRedirects(self.client.post(url), self.batch_url)
        greeting.refresh_from_db()
        self.assertEqual(greeting.state, GreetingState.SKIPPED)
        self.assertEqual(greeting.why, "skipped by Lena Example")

    def test_it_validates_ownership(self) -> None:
        """An agent who leads nothing, and a lead of another team, get 404 and change nothing."""
        greeting = Greeting.objects.get(customer=self.friend)
        other_lead = make_agent("theo", [self.tech], Role.LEAD)
        urls = [
            reverse("console:moments"),
            self.batch_url,
        ]
        posts = [
            reverse("console:moment_approve", args=[self.moment.pk]),
            reverse("console:moment_skip", args=[self.moment.pk, greeting.pk]),
        ]
        self.login(self.alice)
        for url in urls + posts:
            self.assertEqual(self.client.post(url).status_code if url in posts
                             else self.client.get(url).status_code, 404, url)  # fmt: skip
        self.login(other_lead)
        self.assertNotContains(self.client.get(reverse("console:moments")), "Birthday minutes")
        for url in [self.batch_url, *posts]:
            response = self.client.post(url) if url in posts else self.client.get(url)
            self.assertEqual(response.status_code, 404, url)
        greeting.refresh_from_db()
        self.assertEqual(greeting.state, GreetingState.AWAITING)
        other = birthday_moment(name="Tech birthdays", team=self.tech)
        self.login(self.lead)
        self.assertEqual(
            self.client.get(reverse("console:moment", args=[other.pk])).status_code, 404
        )

    def test_an_administrator_sees_every_moment(self) -> None:
        birthday_moment(name="Tech birthdays", team=self.tech)
        admin = make_agent("ines", [], Role.ADMIN)
        self.login(admin)
        page = self.client.get(reverse("console:moments"))
        self.assertContains(page, "Birthday minutes")
        self.assertContains(page, "Tech birthdays")

    def test_leads_find_it_in_the_navigation_and_agents_do_not(self) -> None:
        link = f'<a href="{reverse("console:moments")}">Moments</a>'
        self.login(self.lead)
        self.assertContains(self.client.get(reverse("console:queue")), link, html=True)
        self.login(self.alice)
        self.assertNotContains(self.client.get(reverse("console:queue")), link, html=True)

    def test_the_list_is_one_query_for_its_figures(self) -> None:
        birthday_moment(name="Another", team=self.billing)
        self.login(self.lead)
        self.client.get(reverse("console:moments"))
        with self.assertNumQueries(4):  # session, user, agent, the moments with their figures
            self.client.get(reverse("console:moments"))


class MomentAdminTestCase(MomentTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.admin = User.objects.create_superuser("root", "root@example.org", "pw-for-tests")
        self.client.force_login(self.admin)
        self.form = {
            "name": "Ten years with us", "team": self.billing.pk, "active": "on",
            "occasion": "anniversary", "years": "10", "yearly": "on", "plan_days": "3",
            "active_months": "24", "gift_kind": "voucher", "gift_text": "a €5 voucher",
            "gift_cost_cents": "500", "currency": "EUR", "subject": "Ten years, {name}",
            "greeting": "Thank you for ten years, {name}. Here is {gift} for you.",
            "monthly_budget_cents": "5000", "per_customer_per_year": "1",
            "auto_approve_under": "0", "new_vouchers": "TEN-1\nTEN-2\n\nTEN-2\n",
        }  # fmt: skip

    def test_an_administrator_sets_up_a_moment_with_its_voucher_codes(self) -> None:
        response = self.client.post(reverse("admin:care_moment_add"), self.form)
        self.assertEqual(response.status_code, 302, response.content.decode()[:3000])
        moment = Moment.objects.get(name="Ten years with us")
        self.assertEqual(sorted(moment.vouchers.values_list("code", flat=True)), ["TEN-1", "TEN-2"])

    def test_a_greeting_that_would_hurt_is_refused_with_why(self) -> None:
        self.form["greeting"] = "Dear Customer, as per our policy you get {gift}."
        response = self.client.post(reverse("admin:care_moment_add"), self.form)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "“Dear Customer”")
        self.assertFalse(Moment.objects.filter(name="Ten years with us").exists())

    def test_a_code_already_given_is_refused(self) -> None:
        self.form["new_vouchers"] = "BDAY-0001"
        response = self.client.post(reverse("admin:care_moment_add"), self.form)
        self.assertContains(response, "Already on a list: BDAY-0001.")

    def test_greetings_are_shown_read_only_with_their_gift_and_audit(self) -> None:
        plan.plan_moment(self.moment, NOW)
        greeting = Greeting.objects.get()
        page = self.client.get(reverse("admin:care_greeting_change", args=[greeting.pk]))
        self.assertContains(page, "planned: Awaiting approval")
        self.assertEqual(
            self.client.get(reverse("admin:care_greeting_changelist") + "?gift_state=retrying")
            .status_code, 200,
        )  # fmt: skip
        self.assertEqual(self.client.get(reverse("admin:care_greeting_add")).status_code, 403)
