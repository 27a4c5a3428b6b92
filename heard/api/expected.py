"""When a person will reply: the live queue's honest forecast (`heard.desk.forecast`), for a
ticket that waits on us, and for a request not written yet.

A new request is placed in care order as the desk would place it (`heard.desk.care_order`): its
first-reply target from the team's SLA policy and calendar, moved by how its words read (the
engine's reading, an urgent one raising the priority to high, a request for a manager escalating
it at once), and then the forecast counts who stands before it. Nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import cast

from django.utils import timezone

from heard.desk import actions, care_order, forecast
from heard.desk.models import (
    MANAGER_CUE_KIND,
    Priority,
    SlaPolicy,
    Team,
    Ticket,
)
from heard.engine import read


def for_ticket(ticket: Ticket, now: datetime | None = None) -> dict[str, object] | None:
    """The forecast while the ticket's customer waits on a reply, else None."""
    now = now or timezone.now()
    if not ticket.is_active() or ticket.awaiting_since is None or ticket.needs_person():
        return None
    expected = forecast.expected_first_reply(ticket, now)
    return _said(expected, ticket.reply_due_at, now, ticket.customer.zone())


def for_new_request(
    team: Team, priority: str, text: str, zone: tzinfo, now: datetime | None = None
) -> dict[str, object]:
    """The forecast for a request written to `team` now, with these words (may be empty)."""
    now = now or timezone.now()
    signals, priority = _signals(text, priority, now)
    due = team.calendar().add(now, SlaPolicy.targets(team, priority, first=True))
    probe = _NewRequest(team, care_order.care_at(due, signals), now)
    # The forecast reads only these five attributes of a ticket: the same code as the
    # acknowledgement's, for a request that is not a row.
    expected = forecast.expected_first_reply(cast(Ticket, probe), now)
    return _said(expected, due, now, zone)


@dataclass(frozen=True)
class _NewRequest:
    """What the forecast reads of a ticket, for one not written yet: it would be the newest
    (the highest id), so ties in care order stand before it."""

    team: Team
    care_at: datetime | None
    created_at: datetime
    pk: int = 2**62

    @property
    def team_id(self) -> int:
        return self.team.pk


def _said(
    expected: forecast.Forecast, due: datetime | None, now: datetime, zone: tzinfo
) -> dict[str, object]:
    return {
        "at": expected.at,
        "said": forecast.describe(expected.at, now, zone),
        "ahead": expected.ahead,
        "agents_on_shift": expected.agents_on_shift,
        "rate_per_hour": expected.rate_per_hour,
        "basis": expected.basis,
        "later_than_target": due is not None and expected.at > due,
        "reply_due_at": due,
    }


def _signals(text: str, priority: str, now: datetime) -> tuple[care_order.CareSignals, str]:
    """How the words move the request in care order, and its priority after reading them."""
    if not text.strip():
        return care_order.CareSignals(unanswered=1), priority
    reading = read(text)
    if reading.urgent and priority not in actions.URGENT_PRIORITIES:
        priority = Priority.HIGH
    cues = sorted(
        (c for c in reading.cues if c.kind in actions.CARE_CUE_KINDS), key=lambda c: -c.weight
    )
    manager = any(c.kind == MANAGER_CUE_KIND for c in reading.cues)
    signals = care_order.CareSignals(
        emotion=str(reading.emotion),
        confidence=reading.confidence,
        urgency=reading.urgency,
        churn_risk=reading.churn_risk,
        unanswered=1,
        cue_labels=tuple(c.label for c in cues),
        asked_for_manager=manager,
        escalated_at=now if manager else None,
    )
    return signals, priority
