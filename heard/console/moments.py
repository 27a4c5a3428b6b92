"""Leads' pages for proactive moments: their moments with the month's budget, a batch awaiting
approval (with its cost and what is left), approving it and taking one greeting out.

The rule itself is set in the admin; every write here is an action of `heard.care.moments`.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from heard.care.models import Greeting, Moment
from heard.care.moments import approve as approving
from heard.care.moments import overview
from heard.console.views import _agent
from heard.desk.lead import is_lead
from heard.desk.models import Agent
from heard.lib.http import AgentRequest
from heard.lib.params import id_params


def _get_lead(request: AgentRequest) -> Agent:
    agent = _agent(request)
    if not is_lead(agent):
        raise Http404("Moments are for team leads.")
    return agent


def _get_moment_for_lead(request: AgentRequest, pk: int) -> tuple[Agent, Moment]:
    """The moment if the agent may approve its greetings; 404 otherwise (never reveal it)."""
    agent = _get_lead(request)
    moment = Moment.objects.led_by(agent).select_related("team").filter(pk=pk).first()
    if moment is None:
        raise Http404("No such moment in your teams.")
    return agent, moment


@login_required
def moments(request: AgentRequest) -> HttpResponse:
    agent = _get_lead(request)
    context = {"agent": agent, "moments": overview.moments_for(agent)}
    return render(request, "console/moments.html", context)


@login_required
def moment(request: AgentRequest, pk: int) -> HttpResponse:
    agent, found = _get_moment_for_lead(request, pk)
    context = {"agent": agent, "batch": overview.batch(found)}
    return render(request, "console/moments_batch.html", context)


@login_required
@require_POST
def approve(request: AgentRequest, pk: int) -> HttpResponse:
    """Approve the greetings the lead saw (their ids came with the form)."""
    agent, found = _get_moment_for_lead(request, pk)
    ids = id_params(request.POST.getlist("greeting"))
    approval = approving.approve_batch(found, agent, ids)
    count = len(approval.approved)
    messages.success(request, f"{count} greeting{'' if count == 1 else 's'} approved.")
    if approval.waiting:
        _, why = approval.waiting[0]
        left = len(approval.waiting)
        messages.error(request, f"{left} still await{'s' if left == 1 else ''} approval: {why}.")
    return redirect("console:moment", pk=found.pk)


@login_required
@require_POST
def skip(request: AgentRequest, pk: int, greeting_pk: int) -> HttpResponse:
    """Take one greeting out of the batch: it is never sent."""
    agent, found = _get_moment_for_lead(request, pk)
    greetings = Greeting.objects.select_related("customer", "moment__team")
    greeting = get_object_or_404(greetings, pk=greeting_pk, moment=found)
    if approving.skip(greeting, agent):
        messages.success(request, f"The greeting to {greeting.customer.name} is skipped.")
    else:
        messages.error(request, "That greeting was already sent or skipped.")
    return redirect("console:moment", pk=found.pk)
