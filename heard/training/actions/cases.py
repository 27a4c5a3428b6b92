"""Cases: the shipped ones kept in step with data/cases/, and a solved ticket made a case."""

from __future__ import annotations

from dataclasses import asdict

from django.db import connections, transaction

from heard.desk import actions as desk
from heard.desk.lead import is_lead
from heard.desk.models import Agent, Status, Ticket
from heard.training.actions.base import TrainingCode, TrainingError
from heard.training.cases import CaseSpec, shipped_cases
from heard.training.models import Case, Source
from heard.training.ticket_cases import TicketCase, from_ticket

SOLVED = (Status.SOLVED, Status.CLOSED)


def load_shipped_cases(using: str = "default") -> int:
    """Create or update a `Case` for every file under data/cases/ (cases made from tickets are
    left alone); returns how many there are. Safe to run any number of times."""
    if Case._meta.db_table not in connections[using].introspection.table_names():
        return 0  # migrated back to before the studio existed
    count = 0
    with transaction.atomic(using=using):
        for spec in shipped_cases():
            fields = _fields(spec)
            Case.objects.using(using).update_or_create(
                slug=spec.slug, source=Source.SHIPPED, defaults=fields
            )
            count += 1
    return count


def _fields(spec: CaseSpec) -> dict[str, object]:
    data = asdict(spec)
    data.pop("slug")
    data["feelings"] = list(spec.feelings)
    data["offers"] = list(spec.offers)
    data["practises"] = list(spec.practises)
    data["facts"] = dict(spec.facts)
    data["lines"] = {band: list(lines) for band, lines in spec.lines.items()}
    return data


def check_ticket_for_case(lead: Agent, ticket_id: int) -> Ticket:
    """The solved ticket a lead may make a case from: one of their teams' (else not found),
    solved or closed, and the lead a lead."""
    if not is_lead(lead):
        raise TrainingError("Only a team lead makes cases from tickets.", TrainingCode.NOT_ALLOWED)
    try:
        ticket = desk.check_ticket_access(lead, ticket_id)
    except desk.DeskError as exc:
        raise TrainingError(str(exc), TrainingCode.NOT_FOUND) from exc
    if ticket.status not in SOLVED:
        raise TrainingError(
            f"{ticket.reference} is not solved yet: make a case of it once it is.",
            TrainingCode.INVALID,
        )
    return ticket


def preview_ticket_case(lead: Agent, ticket_id: int) -> TicketCase:
    """What the case would be, and every replacement, for the lead to check before saving."""
    return from_ticket(check_ticket_for_case(lead, ticket_id))


@transaction.atomic
def make_case_from_ticket(lead: Agent, ticket_id: int) -> Case:
    """Save the anonymised case of a solved ticket for the lead's team (see `ticket_cases`)."""
    ticket = check_ticket_for_case(lead, ticket_id)
    spec = from_ticket(ticket).spec
    slug, number = spec.slug, 1
    while Case.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{spec.slug}-{number}"
    return Case.objects.create(
        slug=slug,
        source=Source.TICKET,
        team=ticket.team,
        created_by=lead.user,
        **_fields(spec),
    )
