"""Forget requests: customers who asked in the portal to be forgotten, for a team lead or an
administrator to confirm (`heard.desk.actions.forget_customer`)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from heard.console.views import _agent
from heard.desk import actions
from heard.desk.lead import is_lead
from heard.desk.models import Agent, ForgetRequest
from heard.lib.http import AgentRequest

DONE_SHOWN = 20


def _lead(request: AgentRequest) -> Agent:
    """The signed-in lead or administrator; anyone else is not found."""
    agent = _agent(request)
    if not is_lead(agent):
        raise Http404("Forget requests are for team leads and administrators.")
    return agent


@login_required
def forget_requests(request: AgentRequest) -> HttpResponse:
    agent = _lead(request)
    waiting = (
        ForgetRequest.objects.filter(forgotten_at=None)
        .select_related("customer")
        .prefetch_related("customer__emails")
        .annotate(tickets=Count("customer__tickets"))
        .order_by("requested_at")
    )
    done = (
        ForgetRequest.objects.exclude(forgotten_at=None)
        .select_related("confirmed_by")
        .order_by("-forgotten_at")[:DONE_SHOWN]
    )
    context = {"agent": agent, "waiting": waiting, "done": done}
    return render(request, "console/forget_requests.html", context)


@login_required
@require_POST
def confirm_forgetting(request: AgentRequest, pk: int) -> HttpResponse:
    agent = _lead(request)
    waiting = get_object_or_404(ForgetRequest, pk=pk, forgotten_at=None)
    try:
        actions.forget_customer(waiting, agent)
    except actions.DeskError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, "Forgotten: their words, details and addresses are removed; tickets kept."
        )
    return redirect("console:forget_requests")
