"""A lead turns a solved ticket into a case: everything identifying is replaced, the lead sees
every replacement first, and nothing identifying reaches the case."""

from __future__ import annotations

from django.urls import reverse

from heard.desk import actions as desk
from heard.desk.models import Role, Status, Ticket
from heard.test import BaseTestCase, make_agent, make_customer
from heard.training import actions
from heard.training.anonymise import Anonymiser
from heard.training.models import Case, Source

FIRST = """Hello,

My name is Marija Horvat-Kos and I am writing about order PO-55812 and invoice INV-2291-B.
You charged my card twice. Please refund to my IBAN SI56 1910 0000 0123 438 (or to
DE89 3704 0044 0532 0130 00 if that is easier). My customer number is 4471120.

You can call me on +386 41 555 123 or on my landline 01 234 5678, or write to
marija.horvat@example.net. I live at Slovenska cesta 12, 1000 Ljubljana; before that at
221B Baker Street, London NW1 6XE. Order #88213 was the first one.

Kind regards,
Marija
"""
SECOND = "Marija again: order PO-55812 is still not refunded. Call me on +386 41 555 123!"
REPLY = """Hi Marija,

I'm sorry you were charged twice. I have refunded order PO-55812 today to
SI56 1910 0000 0123 438; you'll see it within 3 working days.

If it hasn't arrived by Friday, reply here and I'll chase it.

Alice Example"""
IDENTIFYING = (
    "Marija", "Horvat", "Kos", "PO-55812", "INV-2291-B", "SI56 1910 0000 0123 438",
    "DE89 3704 0044 0532 0130 00", "4471120", "+386 41 555 123", "01 234 5678",
    "marija.horvat@example.net", "marija.h@example.org", "Slovenska cesta 12", "1000 Ljubljana",
    "221B Baker Street", "NW1 6XE", "#88213", "88213", "Alice", "Example", "alice@",
)


class AnonymiserTestCase(BaseTestCase):
    def test_it_replaces_every_kind_and_keeps_the_rest(self) -> None:
        hide = Anonymiser(names=["Marija Horvat-Kos", "Alice Example"], seed=1)
        text = hide.anonymise(FIRST)
        for original in IDENTIFYING:
            self.assertNotIn(original, text)
        for kept in ("You charged my card twice", "Kind regards", "refund"):
            self.assertIn(kept, text)
        kinds = {r.kind for r in hide.replacements}
        self.assertEqual(kinds, {"name", "reference", "IBAN", "phone", "email", "address",
                                 "number"})
        self.assertEqual(hide.anonymise(FIRST), text, "the same person, the same stand-in")

    def test_a_year_after_a_month_is_kept(self) -> None:
        self.assertEqual(Anonymiser(seed=1).anonymise("Since March 2026."), "Since March 2026.")


class CaseFromTicketTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.customer = make_customer("Marija Horvat-Kos", "marija.horvat@example.net")
        desk.find_or_create_customer("marija.h@example.org", "Marija")  # another of hers
        self.ticket = desk.open_ticket(
            customer=self.customer, team=self.billing,
            subject="Charged twice for PO-55812, Marija Horvat-Kos", text=FIRST,
        )
        desk.record_customer_message(self.ticket, SECOND)
        desk.post_agent_reply(self.ticket, self.alice, REPLY, status=Status.SOLVED)

    def case_texts(self, case: Case) -> str:
        return " ".join(str(value) for value in (
            case.slug, case.title, case.name, case.situation, case.tried, case.resolution,
            case.feeling_why, case.opening, case.exemplary, case.offers, case.facts, case.lines,
        ))

    def test_the_lead_sees_every_replacement_before_saving(self) -> None:
        self.login(self.lead)
        url = reverse("training:ticket_case", args=[self.ticket.pk])
        page = self.client.get(url)
        self.assertContains(page, "What was replaced")
        for original in ("PO-55812", "SI56 1910 0000 0123 438", "+386 41 555 123",
                         "marija.horvat@example.net", "Marija Horvat-Kos", "Slovenska cesta 12"):
            self.assertContains(page, original)  # in the list of replacements, for the lead
        self.assertFalse(Case.objects.filter(source=Source.TICKET).exists(), "nothing saved yet")

    def test_saving_leaves_nothing_identifying_in_the_case(self) -> None:
        self.login(self.lead)
        page = self.client.post(reverse("training:ticket_case", args=[self.ticket.pk]))
        case = Case.objects.get(source=Source.TICKET)
        self.assertRedirects(page, case.get_absolute_url())
        texts = self.case_texts(case)
        for original in IDENTIFYING:
            self.assertNotIn(original, texts)
        self.assertIn("charged my card twice", case.opening)
        self.assertEqual(case.team, self.billing)
        self.assertEqual(case.created_by, self.lead.user)
        self.assertNotIn(self.ticket.reference, texts)
        self.assertIn("If it hasn't arrived by Friday", case.exemplary)
        self.assertTrue(case.lines["upset"] or case.lines["calm"])

    def test_the_case_is_seen_by_its_team_only(self) -> None:
        case = actions.make_case_from_ticket(self.lead, self.ticket.pk)
        self.login(self.olga)
        self.assertEqual(self.client.get(case.get_absolute_url()).status_code, 404)
        self.login(self.alice)
        self.assertEqual(self.client.get(case.get_absolute_url()).status_code, 200)

    def test_it_validates_ownership(self) -> None:
        url = reverse("training:ticket_case", args=[self.ticket.pk])
        self.login(self.alice)  # an agent, not a lead
        self.assertEqual(self.client.post(url).status_code, 403)
        tech_lead = make_agent("theo", [self.tech], Role.LEAD)
        self.login(tech_lead)  # a lead, but of another team
        self.assertEqual(self.client.get(url).status_code, 404)
        self.assertEqual(self.client.post(url).status_code, 404)
        self.assertFalse(Case.objects.filter(source=Source.TICKET).exists())

    def test_an_unsolved_ticket_makes_no_case(self) -> None:
        open_one = self.open_ticket()
        self.login(self.lead)
        page = self.client.post(reverse("training:ticket_case", args=[open_one.pk]), follow=True)
        self.assertContains(page, "is not solved yet")
        self.assertEqual(Ticket.objects.get(pk=open_one.pk).status, Status.NEW)
        self.assertFalse(Case.objects.filter(source=Source.TICKET).exists())

    def test_the_lookup_takes_a_reference(self) -> None:
        self.login(self.lead)
        page = self.client.get(reverse("training:ticket_case_lookup"),
                               {"reference": self.ticket.reference})
        self.assertRedirects(page, reverse("training:ticket_case", args=[self.ticket.pk]))
