"""The studio's front page, a case's card, and a case made from a solved ticket."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render

from heard.desk.lead import is_lead
from heard.desk.models import parse_reference
from heard.lib.http import AgentRequest
from heard.training import actions
from heard.training.forms import LiveForm, TicketCaseForm
from heard.training.models import Assignment, Case, Exercise, LiveSession, RolePlay
from heard.training.views.common import as_http, get_case, require_lead, signed_in_agent

RECENT = 5


@login_required
def home(request: AgentRequest) -> HttpResponse:
    agent = signed_in_agent(request)
    cases = Case.objects.available_to(agent).order_by("industry", "title")
    context = {
        "agent": agent,
        "lead": is_lead(agent),
        "assignments": Assignment.objects.filter(agent=agent).open()
        .select_related("case").order_by("due_on"),
        "cases": cases,
        "exercises": Exercise.objects.filter(agent=agent).select_related("case")
        .order_by("-started_at")[:RECENT],
        "role_plays": RolePlay.objects.filter(agent=agent).select_related("case")
        .order_by("-started_at")[:RECENT],
        "live": LiveSession.objects.filter(Q(host=agent) | Q(guest=agent), ended_at__isnull=True)
        .select_related("case", "host__user", "guest__user").order_by("-created_at"),
    }
    return render(request, "training/home.html", context)


@login_required
def case_detail(request: AgentRequest, slug: str) -> HttpResponse:
    agent = signed_in_agent(request)
    case = get_case(agent, slug)
    partners = actions.partners_for(agent)
    context = {
        "agent": agent,
        "case": case,
        "assignments": Assignment.objects.filter(agent=agent, case=case).open(),
        "live_form": LiveForm(partners=partners) if partners.exists() else None,
    }
    return render(request, "training/case.html", context)


@login_required
def ticket_case_lookup(request: AgentRequest) -> HttpResponse:
    """The lead's "make a case from a ticket" form: the reference, then the preview."""
    agent = signed_in_agent(request)
    require_lead(agent)
    form = TicketCaseForm(request.GET)
    if form.is_valid():
        pk = parse_reference(form.cleaned_data["reference"])
        if pk is not None:
            return redirect("training:ticket_case", pk=pk)
        form.add_error("reference", "That is not a ticket reference.")
    return render(request, "training/ticket_lookup.html", {"form": form}, status=400)


@login_required
def ticket_case(request: AgentRequest, pk: int) -> HttpResponse:
    """What the case from this solved ticket would say, and everything replaced, before the
    lead saves it (POST, one action)."""
    agent = signed_in_agent(request)
    try:
        if request.method == "POST":
            case = actions.make_case_from_ticket(agent, pk)
            messages.success(request, f"Saved as a case: {case.title}.")
            return redirect("training:case", slug=case.slug)
        preview = actions.preview_ticket_case(agent, pk)
    except actions.TrainingError as exc:
        if exc.code == actions.TrainingCode.INVALID:
            messages.error(request, str(exc))
            return redirect("training:team")
        raise as_http(exc) from exc
    return render(request, "training/ticket_case.html", {"preview": preview, "ticket_pk": pk})
