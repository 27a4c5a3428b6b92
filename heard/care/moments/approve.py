"""Approving a moment's batch (its greetings awaiting approval): by a lead of its team or an
administrator, or by the rule itself when the batch is small enough and fits the budget.

A batch is approved under the moment's lock (`budget.lock`), its greetings locked too, one by one
in the order of their days while `budget.Tally.refusal` says each fits: what does not fit stays
awaiting, with the reason shown to the lead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from heard.care.models import OPEN_STATES, Greeting, GreetingEvent, GreetingState, Moment
from heard.care.moments import audit, budget
from heard.desk.models import Agent


class MomentError(Exception):
    """What a lead may not do with a moment; the message is for them."""


@dataclass(frozen=True)
class Approval:
    approved: list[Greeting] = field(default_factory=list)
    waiting: list[tuple[Greeting, str]] = field(default_factory=list)  # and why: the budget


class _Declined(Exception):
    """The rule does not approve this batch by itself (too many, or over the budget)."""


def may_approve(agent: Agent, moment: Moment) -> bool:
    return Moment.objects.led_by(agent).filter(pk=moment.pk).exists()


def check_can_approve(agent: Agent, moment: Moment) -> None:
    if not may_approve(agent, moment):
        raise MomentError(
            "Only a lead of the moment's team, or an administrator, approves its greetings."
        )


def approve_batch(
    moment: Moment,
    agent: Agent,
    greeting_ids: list[int] | None = None,
    now: datetime | None = None,
) -> Approval:
    """Approve the batch (or those of its greetings the lead saw: `greeting_ids`), each while
    it fits the budget, in the order of their days."""
    check_can_approve(agent, moment)
    return _approve(moment.pk, agent.user, greeting_ids, now or timezone.now())


def auto_approve(moment: Moment, now: datetime | None = None) -> int:
    """Approve the whole batch by the rule if it has at most `auto_approve_under` greetings and
    every one fits the budget; otherwise approve none. Returns how many were approved."""
    if not moment.auto_approve_under:
        return 0
    try:
        approval = _approve(moment.pk, None, None, now or timezone.now(), moment.auto_approve_under)
    except _Declined:
        return 0
    return len(approval.approved)


def _approve(
    moment_id: int, by: User | None, ids: list[int] | None, now: datetime, limit: int | None = None
) -> Approval:
    approval = Approval()
    with transaction.atomic():
        moment = budget.lock(moment_id)
        batch = Greeting.objects.filter(moment=moment).awaiting()
        if ids is not None:
            batch = batch.filter(pk__in=ids)
        greetings = list(batch.select_for_update().order_by("occasion_date", "pk"))
        if limit is not None and not 0 < len(greetings) <= limit:
            raise _Declined
        committed = budget.tally(moment, greetings)
        for greeting in greetings:
            greeting.cost_cents, greeting.currency = moment.cost(), moment.currency
            why = committed.refusal(greeting)
            if why is not None:
                if limit is not None:
                    raise _Declined  # all or nothing
                approval.waiting.append((greeting, why))
                continue
            committed.add(greeting)
            approval.approved.append(greeting)
        _record(moment, approval.approved, by, now)
    return approval


def _record(moment: Moment, approved: list[Greeting], by: User | None, now: datetime) -> None:
    """The approved greetings (locked, awaiting) approved, each with its audit row."""
    fields = {"approved_by": by, "approved_at": now, "cost_cents": moment.cost()}
    for start in range(0, len(approved), budget.CHUNK):
        chunk = [g.pk for g in approved[start : start + budget.CHUNK]]
        Greeting.objects.filter(pk__in=chunk).update(
            state=GreetingState.APPROVED, why="", currency=moment.currency, **fields
        )
    what = "approved" if by else "approved by the rule"
    GreetingEvent.objects.bulk_create(
        (GreetingEvent(greeting=g, at=now, actor=by, what=what) for g in approved),
        batch_size=budget.CHUNK,
    )
    for greeting in approved:
        greeting.state, greeting.approved_by, greeting.approved_at = GreetingState.APPROVED, by, now
    if approved:
        audit.log_on_commit(f"moment {moment.pk}: {len(approved)} greeting(s) {what}")


def skip(greeting: Greeting, agent: Agent, now: datetime | None = None) -> bool:
    """A lead takes one greeting out: it is never sent. True if it was still to be sent."""
    check_can_approve(agent, greeting.moment)
    who = agent.display_name()
    return audit.move(
        greeting,
        GreetingState.SKIPPED,
        from_states=OPEN_STATES,
        at=now or timezone.now(),
        by=agent.user,
        why=f"skipped by {who}",
    )
