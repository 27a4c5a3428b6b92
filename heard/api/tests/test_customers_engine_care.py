"""Customers and their consents, the engine's reading and coach, the expected reply time for a
new request, and the care answers, each through the same code as the console and the portal."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.urls import reverse
from django.utils import timezone

from heard.api.tests.api_helpers import ApiTestCase
from heard.care.models import FollowUp, Moment, Occasion, Survey
from heard.desk import actions
from heard.desk.coach import coach_draft
from heard.desk.models import Consent, ConsentKind, Customer, Notification, Status, TicketEvent
from heard.engine import coach, read

DRAFT = "Per our policy we cannot refund. Please read the FAQ."


class CustomerTestCase(ApiTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.ticket = self.open_ticket()
        self.path = f"/customers/{self.customer.pk}"

    def test_consent_is_never_assumed(self) -> None:
        body = self.ok(self.api("GET", self.path))
        self.assertEqual({c["state"] for c in body["consents"]}, {"never_asked"})
        self.assertEqual(body["emails"], ["aleks@example.com"])

    def test_a_consent_is_recorded_as_the_customer_gave_it(self) -> None:
        body = self.ok(self.api("PUT", f"{self.path}/consents/surveys", {"given": True}))
        given = next(c for c in body["consents"] if c["kind"] == "surveys")
        recorded = (given["state"], given["source"], given["by"])
        self.assertEqual(recorded, ("given", "api", "Alice Example"))
        self.assertTrue(Customer.objects.get(pk=self.customer.pk).has_consent(ConsentKind.SURVEYS))
        self.ok(self.api("PUT", f"{self.path}/consents/surveys", {"given": True}))  # the same
        self.ok(self.api("PUT", f"{self.path}/consents/surveys", {"given": False}))
        history = self.ok(self.api("GET", f"{self.path}/consents"))
        self.assertEqual([c["given"] for c in history], [False, True])
        self.assertEqual(Consent.objects.filter(customer=self.customer).count(), 2)

    def test_preferences_change_through_the_desk(self) -> None:
        patch = {"language": "sl", "time_zone": "Europe/Ljubljana", "birthday": "1990-02-28"}
        body = self.ok(self.api("PATCH", self.path, patch))
        chosen = (body["language"], body["time_zone"], body["birthday"])
        self.assertEqual(chosen, ("sl", "Europe/Ljubljana", "1990-02-28"))
        stopped = self.ok(self.api("PATCH", self.path, {"automatic_updates": False}))
        self.assertFalse(stopped["automatic_updates"])
        self.assertEqual(stopped["language"], "sl", "what was not given stays")
        self.refused(self.api("PATCH", self.path, {"time_zone": "Mars/Olympus"}), 400, "invalid")

    def test_a_consent_recorded_through_the_api_says_by_whom_on_the_ticket_page(self) -> None:
        self.ok(self.api("PUT", f"{self.path}/consents/surveys", {"given": True}))
        self.login(self.bob)
        page = self.client.get(reverse("console:ticket", args=[self.ticket.pk])).content.decode()
        self.assertIn("</time> by Alice Example through the API</li>", page)

    def test_the_name_changes_through_the_desk(self) -> None:
        renamed = "Aleksandar Petrović-Novak"
        patch = {"name": "  Aleksandar   Petrović-Novak ", "preferred_name": "Saša"}
        body = self.ok(self.api("PATCH", self.path, patch))
        self.assertEqual((body["name"], body["preferred_name"]), (renamed, "Saša"))
        self.assertEqual(body["language"], "en", "what was not given stays")
        kept = self.ok(self.api("PATCH", self.path, {"preferred_name": ""}))
        self.assertEqual((kept["name"], kept["preferred_name"]), (renamed, ""))
        self.refused(self.api("PATCH", self.path, {"name": "   "}), 400, "empty")
        self.refused(self.api("PATCH", self.path, {"name": "x" * 201}), 400, "invalid")
        refused = self.api("PATCH", self.path, {"name": "Someone", "time_zone": "Mars/Olympus"})
        self.refused(refused, 400, "invalid")
        self.assertEqual(Customer.objects.get(pk=self.customer.pk).name, renamed, "all or nothing")

    def test_a_forgotten_customer_keeps_no_name(self) -> None:
        forget = actions.request_forgetting(self.customer)
        actions.forget_customer(forget, self.lead)
        refused = self.refused(self.api("PATCH", self.path, {"name": "Aleks"}), 403, "not_allowed")
        self.assertIn("forgotten", refused["message"])
        self.assertEqual(Customer.objects.get(pk=self.customer.pk).name, actions.FORGOTTEN_NAME)

    def test_it_validates_ownership(self) -> None:
        stranger = Customer.objects.create(name="No Tickets")
        self.refused(self.api("GET", f"/customers/{stranger.pk}"), 404, "not_found")
        theirs = actions.open_ticket(
            customer=stranger, team=self.tech, subject="Router", text="It blinks."
        )
        self.assertTrue(theirs.pk)
        path = f"/customers/{stranger.pk}/consents/surveys"
        self.refused(self.api("PUT", path, {"given": True}), 404, "not_found")
        self.assertFalse(Consent.objects.filter(customer=stranger).exists())


class EngineTestCase(ApiTestCase):
    def test_a_reading_is_the_engines(self) -> None:
        text = "Third time writing: I'm locked out and my flight is in two hours!"
        body = self.ok(self.api("POST", "/readings", {"text": text}))
        reading = read(text)
        self.assertEqual(body["emotion"], str(reading.emotion))
        self.assertEqual(body["urgent"], reading.urgent)
        self.assertEqual([c["label"] for c in body["cues"]], [c.label for c in reading.cues])
        self.assertEqual(body["explanation"], reading.explain())

    def test_the_coach_on_a_ticket_is_the_consoles(self) -> None:
        ticket = self.open_ticket("I'm furious: charged twice!")
        body = self.ok(self.api("POST", "/coach", {"draft": DRAFT, "ticket": ticket.pk}))
        self.assertEqual(body, coach_draft(ticket, DRAFT).as_dict())
        self.assertIn("policy_wall", {f["code"] for f in body["findings"]})

    def test_the_coach_on_any_draft(self) -> None:
        payload = {"draft": DRAFT, "customer_message": "Refund me!", "customer_name": "Mira"}
        body = self.ok(self.api("POST", "/coach", payload))
        self.assertEqual(body, coach(DRAFT, "Refund me!", "Mira").as_dict())

    def test_a_read_only_token_may_read_and_coach(self) -> None:
        _, token = self.make_token(self.alice, "read")
        self.ok(self.api("POST", "/readings", {"text": "Hello"}, token=token))
        self.ok(self.api("POST", "/coach", {"draft": "Hello"}, token=token))


class ExpectedReplyTestCase(ApiTestCase):
    def test_it_counts_who_stands_before_a_new_request(self) -> None:
        ask = {"team": "billing"}  # no words: placed by its reply target alone
        self.assertEqual(self.ok(self.api("POST", "/expected-reply", ask))["ahead"], 0)
        for n in range(3):
            self.open_ticket(f"Question {n} about my invoice.")
        calm = self.ok(self.api("POST", "/expected-reply", ask))
        self.assertEqual(calm["ahead"], 3)
        self.assertIn("3 people are ahead of you", calm["basis"])
        manager = {"team": "billing", "text": "I want to speak to a manager, this is urgent!"}
        hurting = self.ok(self.api("POST", "/expected-reply", manager))
        self.assertLess(hurting["ahead"], 3, "a request for a manager is escalated at once")
        self.assertLessEqual(hurting["at"], calm["at"])

    def test_it_is_the_same_forecast_the_new_ticket_gets(self) -> None:
        self.open_ticket("Question about my invoice.")
        now = timezone.now().replace(microsecond=0)
        with time_machine.travel(now, tick=False):
            ask = {"team": "billing", "text": "When does my contract end?", "time_zone": "UTC"}
            before = self.ok(self.api("POST", "/expected-reply", ask))
            made = self.ok(
                self.api(
                    "POST",
                    "/tickets",
                    {
                        "team": "billing",
                        "subject": "Contract",
                        "text": ask["text"],
                        "customer": {"email": "nina@example.com"},
                    },
                ),
                201,
            )
        after = made["expected_reply"]
        self.assertEqual(before["ahead"], after["ahead"])
        self.assertEqual(before["at"], after["at"])
        self.assertEqual(before["said"], after["said"])


class CareTestCase(ApiTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.ticket = self.open_ticket()
        actions.assign(self.ticket, self.alice, self.alice)
        actions.post_agent_reply(
            self.ticket, self.alice, "Hi Aleksandar, refunded today.", status=Status.SOLVED
        )

    def test_a_survey_answer_is_the_portals(self) -> None:
        survey = Survey.objects.create(ticket=self.ticket)
        answer = {"rating": 1, "comment": "Slow"}
        body = self.ok(self.api("POST", f"/surveys/{survey.pk}/answer", answer))
        self.assertEqual((body["rating"], body["rating_label"]), (1, "Very unhappy"))
        event = TicketEvent.objects.get(ticket=self.ticket, what="satisfaction")
        self.assertEqual(event.after, "Very unhappy")
        told = set(Notification.objects.values_list("recipient", flat=True))
        self.assertEqual(told, {self.alice.user_id, self.lead.user_id})
        listed = self.ok(self.api("GET", "/surveys", answered="true"))["items"]
        self.assertEqual([s["id"] for s in listed], [survey.pk])

    def test_a_closed_survey_is_a_conflict(self) -> None:
        long_ago = timezone.now() - timedelta(days=90)
        survey = Survey.objects.create(ticket=self.ticket, created_at=long_ago)
        self.refused(self.api("POST", f"/surveys/{survey.pk}/answer", {"rating": 5}), 409, "closed")

    def test_a_follow_up_still_broken_reopens_the_ticket(self) -> None:
        follow_up = FollowUp.objects.create(ticket=self.ticket)
        path = f"/follow-ups/{follow_up.pk}/answer"
        body = self.ok(self.api("POST", path, {"answer": "broken", "words": "Charged again"}))
        self.assertEqual(body["follow_up"]["answer"], "broken")
        self.assertEqual(body["ticket"]["status"], Status.OPEN)
        self.assertTrue(body["ticket"]["escalated"])
        self.refused(self.api("POST", path, {"answer": "maybe"}), 400, "invalid")

    def test_moments_with_this_months_greetings(self) -> None:
        Moment.objects.create(
            name="Birthdays", team=self.billing, occasion=Occasion.BIRTHDAY,
            subject="Happy birthday", greeting="Happy birthday, {name}!",
        )
        Moment.objects.create(
            name="Tech days", team=self.tech, occasion=Occasion.BIRTHDAY,
            subject="Hi", greeting="Hi {name}",
        )
        names = [m["name"] for m in self.ok(self.api("GET", "/moments"))]
        self.assertEqual(names, ["Birthdays"])
