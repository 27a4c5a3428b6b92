"""Live role-plays between two people, in the browser: the page polls for the partner's words
(htmx, every few seconds) and still works without script (the Refresh link)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from heard.desk.models import Agent
from heard.lib.http import AgentRequest
from heard.training import actions
from heard.training.forms import LiveForm, ReplyForm
from heard.training.models import LiveSession
from heard.training.views.common import as_http, get_case, get_live, signed_in_agent

POLL_SECONDS = 2


@login_required
@require_POST
def start_live(request: AgentRequest, slug: str) -> HttpResponse:
    agent = signed_in_agent(request)
    case = get_case(agent, slug)
    form = LiveForm(request.POST, partners=actions.partners_for(agent))
    if not form.is_valid():
        messages.error(request, "Choose someone from your teams to play it with.")
        return redirect("training:case", slug=case.slug)
    try:
        session = actions.start_live(agent, case, form.cleaned_data["partner"])
    except actions.TrainingError as exc:
        raise as_http(exc) from exc
    return redirect("training:live", pk=session.pk)


def _context(
    agent: Agent, session: LiveSession, form: ReplyForm | None = None
) -> dict[str, object]:
    side = session.side_of(agent)
    turns = list(
        session.turns.filter(round=session.round).select_related("author__user")
        .order_by("created_at", "pk")
    )
    label = "You, as the customer" if side == "customer" else "You, as the agent"
    earlier = list(
        session.turns.filter(round__lt=session.round, side="agent").exclude(coaching=None)
        .values_list("round", "coaching")
    )
    return {
        "agent": agent,
        "session": session,
        "case": session.case,
        "side": side,
        "partner": session.partner_of(agent),
        "turns": turns,
        "form": form or ReplyForm(label=label),
        "poll_seconds": POLL_SECONDS,
        "earlier_rounds": _round_scores(earlier),
    }


def _round_scores(rows: list[tuple[int, Any]]) -> list[tuple[int, int]]:
    """(round, mean coach score of the agent side) for each earlier round."""
    by_round: dict[int, list[int]] = {}
    for number, coaching in rows:
        by_round.setdefault(number, []).append(int(coaching["score"]))
    return [(n, round(sum(s) / len(s))) for n, s in sorted(by_round.items())]


@login_required
@vary_on_headers("HX-Request")
def live(request: AgentRequest, pk: int) -> HttpResponse:
    """The page; polled by htmx for the turns alone. A poll that finds the roles switched (a
    new round) tells the browser to reload the whole page (HX-Refresh)."""
    agent = signed_in_agent(request)
    session = get_live(agent, pk)
    if request.htmx:
        seen = request.GET.get("round", "")
        if seen != str(session.round) or session.ended_at is not None:
            response = HttpResponse(status=204)
            response["HX-Refresh"] = "true"
            return response
        return render(request, "training/live.html#turns", _context(agent, session))
    return render(request, "training/live.html", _context(agent, session))


@login_required
@require_POST
def live_say(request: AgentRequest, pk: int) -> HttpResponse:
    agent = signed_in_agent(request)
    session = get_live(agent, pk)
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            actions.say_in_live(session, agent, form.cleaned_data["text"])
        except actions.TrainingError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("training:live", pk=session.pk)
    return render(request, "training/live.html", _context(agent, session, form), status=400)


@login_required
@require_POST
def live_switch(request: AgentRequest, pk: int) -> HttpResponse:
    agent = signed_in_agent(request)
    session = get_live(agent, pk)
    try:
        actions.switch_roles(session, agent)
    except actions.TrainingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Roles switched: a new round starts.")
    return redirect("training:live", pk=session.pk)


@login_required
@require_POST
def live_end(request: AgentRequest, pk: int) -> HttpResponse:
    agent = signed_in_agent(request)
    actions.end_live(get_live(agent, pk), agent)
    messages.success(request, "The live role-play has ended.")
    return redirect("training:home")
