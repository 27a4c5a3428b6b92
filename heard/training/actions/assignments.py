"""Assignments: practice a lead gives an agent, with a due date."""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction

from heard.desk import actions as desk
from heard.desk.lead import is_lead
from heard.desk.models import Agent
from heard.training.actions.base import TrainingCode, TrainingError, now
from heard.training.models import Assignment, Case, Kind, agents_seen_by


def check_assign(lead: Agent, agent: Agent, case: Case, kind: str) -> None:
    if not is_lead(lead):
        raise TrainingError("Only a team lead assigns practice.", TrainingCode.NOT_ALLOWED)
    if not agents_seen_by(lead).filter(pk=agent.pk).exists():
        raise TrainingError("Assign practice to someone in your teams.", TrainingCode.NOT_FOUND)
    if kind not in Kind.values:
        raise TrainingError("Choose an exercise or a role-play.", TrainingCode.INVALID)
    if not Case.objects.available_to(agent).filter(pk=case.pk).exists():
        raise TrainingError("That case is not open to them.", TrainingCode.NOT_FOUND)


@transaction.atomic
def assign(
    lead: Agent,
    agent: Agent,
    case: Case,
    kind: str,
    due_on: date,
    reason: str = "",
    at: datetime | None = None,
) -> Assignment:
    """Give `agent` a case to practise by `due_on`; they are told in the app."""
    check_assign(lead, agent, case, kind)
    assignment = Assignment.objects.create(
        agent=agent, case=case, kind=kind, due_on=due_on, reason=reason.strip()[:300],
        assigned_by=lead.user, created_at=now(at),
    )
    label = Kind(kind).label.lower()
    desk.notify(
        [agent.user_id], None,
        f"{lead.display_name()} asked you to practise “{case.title}” ({label}) by "
        f"{due_on.day} {due_on:%B}.", at=at,
    )
    return assignment
