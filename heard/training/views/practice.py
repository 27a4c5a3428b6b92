"""Practice alone: the written-tone exercise (three steps) and the role-play."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from heard.desk.models import Agent
from heard.lib.http import AgentRequest
from heard.lib.params import id_param
from heard.training import actions, feelings
from heard.training.forms import FeelingsForm, ReplyForm
from heard.training.models import Assignment, Case, Exercise, RolePlay
from heard.training.views.common import (
    get_case,
    get_exercise,
    get_role_play,
    signed_in_agent,
)


def _assignment(request: AgentRequest, agent: Agent, case: Case) -> Assignment | None:
    """The open assignment this practice fulfils, named by the form (the agent's own only)."""
    pk = id_param(request.POST.get("assignment"))
    if pk is None:
        return None
    return Assignment.objects.filter(pk=pk, agent=agent, case=case).open().first()


# --- written-tone exercise ---------------------------------------------------------------------


@login_required
@require_POST
def start_exercise(request: AgentRequest, slug: str) -> HttpResponse:
    agent = signed_in_agent(request)
    case = get_case(agent, slug)
    assignment = _assignment(request, agent, case)
    if assignment is not None and assignment.kind != "exercise":
        assignment = None
    exercise = actions.start_exercise(agent, case, assignment)
    return redirect("training:exercise", pk=exercise.pk)


def _exercise_page(
    request: AgentRequest,
    agent: Agent,
    exercise: Exercise,
    form: FeelingsForm | ReplyForm | None = None,
    status: int = 200,
) -> HttpResponse:
    step = exercise.step()
    mine = exercise.agent_id == agent.pk
    if form is None and mine and step == "feelings":
        form = FeelingsForm()
    elif form is None and mine and step in ("reply", "rewrite"):
        initial = {"text": exercise.first_reply} if step == "rewrite" else None
        label = "Your rewrite" if step == "rewrite" else "The reply you would normally send"
        form = ReplyForm(initial=initial, label=label)
    context = {
        "agent": agent,
        "exercise": exercise,
        "case": exercise.case,
        "step": step,
        "mine": mine,
        "form": form,
        "check": feelings.check(exercise) if exercise.named_feelings else None,
    }
    return render(request, "training/exercise.html", context, status=status)


@login_required
def exercise(request: AgentRequest, pk: int) -> HttpResponse:
    agent = signed_in_agent(request)
    return _exercise_page(request, agent, get_exercise(agent, pk))


@login_required
@require_POST
def exercise_feelings(request: AgentRequest, pk: int) -> HttpResponse:
    agent = signed_in_agent(request)
    exercise = get_exercise(agent, pk, write=True)
    form = FeelingsForm(request.POST)
    if form.is_valid():
        try:
            actions.name_feelings(
                exercise, agent, form.cleaned_data["feelings"], form.cleaned_data["why"]
            )
        except actions.TrainingError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("training:exercise", pk=exercise.pk)
    return _exercise_page(request, agent, exercise, form, status=400)


@login_required
@require_POST
def exercise_reply(request: AgentRequest, pk: int) -> HttpResponse:
    """Step 2 (the first reply) or step 3 (the rewrite), whichever the exercise waits for."""
    agent = signed_in_agent(request)
    exercise = get_exercise(agent, pk, write=True)
    form = ReplyForm(request.POST)
    if form.is_valid():
        write = actions.submit_rewrite if exercise.step() == "rewrite" else actions.submit_reply
        try:
            write(exercise, agent, form.cleaned_data["text"])
        except actions.TrainingError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("training:exercise", pk=exercise.pk)
    return _exercise_page(request, agent, exercise, form, status=400)


# --- role-play ----------------------------------------------------------------------------------


@login_required
@require_POST
def start_role_play(request: AgentRequest, slug: str) -> HttpResponse:
    agent = signed_in_agent(request)
    case = get_case(agent, slug)
    assignment = _assignment(request, agent, case)
    if assignment is not None and assignment.kind != "roleplay":
        assignment = None
    role_play = actions.start_role_play(agent, case, assignment=assignment)
    return redirect("training:role_play", pk=role_play.pk)


def _role_play_page(
    request: AgentRequest,
    agent: Agent,
    role_play: RolePlay,
    form: ReplyForm | None = None,
    status: int = 200,
) -> HttpResponse:
    mine = role_play.agent_id == agent.pk
    if form is None and mine and role_play.finished_at is None:
        form = ReplyForm(label="Your message to the customer")
    context = {
        "agent": agent,
        "role_play": role_play,
        "case": role_play.case,
        "transcript": role_play.transcript,
        "mine": mine,
        "form": form,
    }
    return render(request, "training/role_play.html", context, status=status)


@login_required
def role_play(request: AgentRequest, pk: int) -> HttpResponse:
    agent = signed_in_agent(request)
    return _role_play_page(request, agent, get_role_play(agent, pk))


@login_required
@require_POST
def role_play_reply(request: AgentRequest, pk: int) -> HttpResponse:
    agent = signed_in_agent(request)
    role_play = get_role_play(agent, pk, write=True)
    form = ReplyForm(request.POST, label="Your message to the customer")
    if form.is_valid():
        try:
            actions.reply_in_role_play(role_play, agent, form.cleaned_data["text"])
        except actions.TrainingError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect(f"{role_play.get_absolute_url()}#latest")
    return _role_play_page(request, agent, role_play, form, status=400)
