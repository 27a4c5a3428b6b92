"""What every studio page shares: the signed-in agent, and the one access helper per object."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from heard.desk.lead import is_lead
from heard.desk.models import Agent
from heard.lib.http import AgentRequest
from heard.training.actions import TrainingCode, TrainingError
from heard.training.models import Case, Exercise, LiveSession, RolePlay


def signed_in_agent(request: AgentRequest) -> Agent:
    agent = Agent.objects.filter(user=request.user).select_related("user").first()
    if agent is None:
        raise Http404("You are not an agent of this desk.")
    request.user.agent = agent  # both ways, so neither asks the database again
    return agent


def as_http(exc: TrainingError) -> Exception:
    """A refusal met outside a form: 404 (never says it exists) or 403."""
    if exc.code == TrainingCode.NOT_FOUND:
        return Http404(str(exc))
    return PermissionDenied(str(exc))


def get_case(agent: Agent, slug: str) -> Case:
    case = Case.objects.available_to(agent).filter(slug=slug).first()
    if case is None:
        raise Http404("No such case.")
    return case


def get_exercise(agent: Agent, pk: int, *, write: bool = False) -> Exercise:
    """The exercise if the agent may see it (theirs, or their team's for a lead): 404
    otherwise; to write, it must be their own (a lead reading another's gets 403)."""
    exercise = Exercise.objects.visible_to(agent).select_related("case", "agent__user").filter(
        pk=pk
    ).first()
    if exercise is None:
        raise Http404("No such exercise.")
    if write and exercise.agent_id != agent.pk:
        raise PermissionDenied("Only the agent who practises it writes in it.")
    return exercise


def get_role_play(agent: Agent, pk: int, *, write: bool = False) -> RolePlay:
    """As `get_exercise`, for a role-play."""
    role_play = RolePlay.objects.visible_to(agent).select_related("case", "agent__user").filter(
        pk=pk
    ).first()
    if role_play is None:
        raise Http404("No such role-play.")
    if write and role_play.agent_id != agent.pk:
        raise PermissionDenied("Only the agent who plays it writes in it.")
    return role_play


def get_live(agent: Agent, pk: int) -> LiveSession:
    """A live role-play the agent plays in (only its two players see it); 404 otherwise."""
    session = (
        LiveSession.objects.select_related("case", "host__user", "guest__user")
        .filter(pk=pk)
        .first()
    )
    if session is None or not session.has_player(agent):
        raise Http404("No such live role-play.")
    return session


def require_lead(agent: Agent) -> None:
    if not is_lead(agent):
        raise Http404("This page is for team leads.")
