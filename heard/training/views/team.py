"""Attempts, progress, a lead's team page (suggestions and assignments) and "Why empathy pays"."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from heard.desk.lead import is_lead
from heard.desk.models import Agent
from heard.lib.http import AgentRequest
from heard.lib.params import id_param
from heard.training import actions, pays, progress, suggestions
from heard.training.forms import AssignForm, TicketCaseForm
from heard.training.models import Assignment, Case, Exercise, RolePlay, agents_seen_by
from heard.training.views.common import require_lead, signed_in_agent

ATTEMPTS_SHOWN = 100
DUE_IN_DAYS = 7  # the assignment form's suggested due date


def _chosen_agent(request: AgentRequest, agent: Agent) -> Agent:
    """`?agent=` among the agents this one may see (a lead's team), else themselves."""
    pk = id_param(request.GET.get("agent"))
    if pk is None:
        return agent
    chosen = agents_seen_by(agent).select_related("user").filter(pk=pk).first()
    if chosen is None:
        raise Http404("No such agent in your teams.")
    return chosen


@login_required
def attempts(request: AgentRequest) -> HttpResponse:
    """The agent's attempts; a lead's page lists their team's, or one agent's (`?agent=`)."""
    agent = signed_in_agent(request)
    seen = agents_seen_by(agent)
    if "agent" in request.GET:
        seen = seen.filter(pk=_chosen_agent(request, agent).pk)
    context = {
        "agent": agent,
        "lead": is_lead(agent),
        "exercises": Exercise.objects.filter(agent__in=seen)
        .select_related("case", "agent__user").order_by("-started_at")[:ATTEMPTS_SHOWN],
        "role_plays": RolePlay.objects.filter(agent__in=seen)
        .select_related("case", "agent__user").order_by("-started_at")[:ATTEMPTS_SHOWN],
        "agents": seen.select_related("user").order_by("user__first_name"),
    }
    return render(request, "training/attempts.html", context)


@login_required
def progress_page(request: AgentRequest) -> HttpResponse:
    """Progress per dimension over time: the agent's own; a lead sees each of their team."""
    agent = signed_in_agent(request)
    chosen = _chosen_agent(request, agent)
    whole_team = is_lead(agent) and "agent" not in request.GET
    people = list(agents_seen_by(agent).select_related("user").order_by("user__first_name")) \
        if whole_team else [chosen]
    context = {
        "agent": agent,
        "chosen": chosen,
        "whole_team": whole_team,
        "progress": progress.progress_of(people),
        "dimensions": progress.DIMENSIONS,
    }
    return render(request, "training/progress.html", context)


@login_required
def team(request: AgentRequest) -> HttpResponse:
    agent = signed_in_agent(request)
    require_lead(agent)
    return _team_page(request, agent)


def _team_page(
    request: AgentRequest, lead: Agent, form: AssignForm | None = None, status: int = 200
) -> HttpResponse:
    people = list(agents_seen_by(lead).exclude(pk=lead.pk).select_related("user")
                  .order_by("user__first_name"))
    due_on = timezone.localdate() + timedelta(days=DUE_IN_DAYS)
    form = form or AssignForm(
        agents=agents_seen_by(lead).exclude(pk=lead.pk).select_related("user"),
        cases=Case.objects.available_to(lead),
        initial={"due_on": due_on},
    )
    context = {
        "agent": lead,
        "form": form,
        "due_on": due_on,
        "suggestions": suggestions.suggestions_for(lead, people),
        "assignments": Assignment.objects.visible_to(lead).exclude(agent=lead)
        .select_related("case", "agent__user").order_by("done_at", "due_on")[:100],
        "today": timezone.localdate(),
        "ticket_form": TicketCaseForm(),
    }
    return render(request, "training/team.html", context, status=status)


@login_required
@require_POST
def assign(request: AgentRequest) -> HttpResponse:
    lead = signed_in_agent(request)
    require_lead(lead)
    form = AssignForm(
        request.POST,
        agents=agents_seen_by(lead).exclude(pk=lead.pk),
        cases=Case.objects.available_to(lead),
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.assign(lead, data["agent"], data["case"], data["kind"], data["due_on"],
                           data["reason"])
        except actions.TrainingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Assigned to {data['agent']}: {data['case'].title}.")
            return redirect("training:team")
    return _team_page(request, lead, form, status=400)


@login_required
def why_empathy_pays(request: AgentRequest) -> HttpResponse:
    agent = signed_in_agent(request)
    context = {"agent": agent, "bands": pays.figures(agent), "days": pays.WINDOW.days,
               "few": pays.FEW}
    return render(request, "training/pays.html", context)
