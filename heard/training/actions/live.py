"""Live role-plays between two people: one plays the customer, the other the agent."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import QuerySet

from heard.desk import actions as desk
from heard.desk.models import Agent
from heard.training.actions.base import (
    TrainingCode,
    TrainingError,
    check_text,
    coach_reply,
    now,
    stored,
)
from heard.training.models import Case, LiveSession, LiveTurn


def check_partner(host: Agent, guest: Agent) -> None:
    """Two people who work together: the guest shares a team with the host (an administrator
    may invite anyone), and is not the host."""
    if guest.pk == host.pk:
        raise TrainingError("A live role-play needs a second person.", TrainingCode.INVALID)
    shared = host.sees_all_teams() or guest.teams.filter(pk__in=host.teams.all()).exists()
    if not shared:
        raise TrainingError("Invite someone from one of your teams.", TrainingCode.NOT_FOUND)


@transaction.atomic
def start_live(host: Agent, case: Case, guest: Agent, at: datetime | None = None) -> LiveSession:
    """A live role-play: the host plays the customer first; the guest is told in the app."""
    check_partner(host, guest)
    session = LiveSession.objects.create(
        case=case, host=host, guest=guest, customer_side=host, created_at=now(at)
    )
    desk.notify(
        [guest.user_id], None,
        f"{host.display_name()} invited you to a live role-play: {case.title}.", at=at,
    )
    return session


def check_player(session: LiveSession, agent: Agent) -> LiveSession:
    if not session.has_player(agent):
        raise TrainingError("No such live role-play of yours.", TrainingCode.NOT_FOUND)
    return session


@transaction.atomic
def say_in_live(
    session: LiveSession, agent: Agent, text: str, at: datetime | None = None
) -> LiveTurn:
    """One message from whichever side the agent plays now; the agent side's is coached
    against the customer side's latest words."""
    text = check_text(text)
    session = LiveSession.objects.select_for_update().select_related("case").get(pk=session.pk)
    check_player(session, agent)
    if session.ended_at is not None:
        raise TrainingError("This live role-play has ended.", TrainingCode.FINISHED)
    side = session.side_of(agent)
    coaching = None
    if side == "agent":
        said = session.turns.filter(round=session.round, side="customer").order_by("-created_at")
        latest = said.values_list("text", flat=True).first()
        coaching = stored(coach_reply(session.case.spec(), text, latest))
    return LiveTurn.objects.create(
        session=session, round=session.round, side=side, author=agent, text=text,
        coaching=coaching, created_at=now(at),
    )


@transaction.atomic
def switch_roles(session: LiveSession, agent: Agent) -> LiveSession:
    """Swap who plays the customer and start again (a new round; earlier rounds are kept)."""
    session = LiveSession.objects.select_for_update().get(pk=session.pk)
    check_player(session, agent)
    if session.ended_at is not None:
        raise TrainingError("This live role-play has ended.", TrainingCode.FINISHED)
    session.customer_side = session.partner_of(session.customer_side)
    session.round += 1
    session.save(update_fields=["customer_side", "round"])
    return session


@transaction.atomic
def end_live(session: LiveSession, agent: Agent, at: datetime | None = None) -> LiveSession:
    session = LiveSession.objects.select_for_update().get(pk=session.pk)
    check_player(session, agent)
    if session.ended_at is None:
        session.ended_at = now(at)
        session.save(update_fields=["ended_at"])
    return session


def partners_for(agent: Agent) -> QuerySet[Agent]:
    """Whom the agent may invite: the other agents of their teams (everyone, for an admin)."""
    others = Agent.objects.all() if agent.sees_all_teams() else Agent.objects.filter(
        teams__in=agent.teams.all()
    )
    ids = others.exclude(pk=agent.pk).filter(user__is_active=True).values("pk")
    return Agent.objects.filter(pk__in=ids).select_related("user").order_by(
        "user__first_name", "user__username"
    )
