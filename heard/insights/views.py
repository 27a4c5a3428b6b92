"""The insights pages: speed, empathy, de-escalation, satisfaction and care. Each is one URL
serving the page and, with ?csv=<table>, any of its tables as CSV, for the same filters."""

from __future__ import annotations

import csv
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import Count, OuterRef, Subquery
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from heard.desk.models import Agent, Customer, Notification
from heard.insights import access, figures
from heard.insights.access import Filters, Scope
from heard.insights.figures import Context, Names, Page, Row, Table
from heard.insights.forms import FilterForm
from heard.insights.models import RolledDay
from heard.lib.http import AgentRequest

KEYS = ("day", "team_id", "agent_id")
FIELDS = {
    "speed": (*KEYS, "first_replies", "first_within", "next_replies", "next_within", "breaches",
              "promise_gaps", "backlog_ages", "promises_overdue"),
    "empathy": (*KEYS, "coached", "score_sum", "empathy_sum", "respect_sum", "clarity_sum",
                "findings", "sent_anyway"),
    "deescalation": (*KEYS, "negative_start", "wrote_again", "calmer", "calmed", "moods"),
    "satisfaction": (*KEYS, "ratings", "follow_ups", "by_empathy"),
}
PAGES = (("speed", "Speed"), ("empathy", "Empathy"), ("deescalation", "De-escalation"),
         ("satisfaction", "Satisfaction and care"))


def _viewer(request: AgentRequest) -> Agent:
    """The signed-in agent, with the nav's count of their unread notices in the same query."""
    unread = Notification.objects.filter(recipient=OuterRef("user"), read_at__isnull=True)
    agent = (
        Agent.objects.filter(user=request.user)
        .select_related("user")
        .annotate(unread=Subquery(unread.values("recipient").annotate(n=Count("pk")).values("n")))
        .first()
    )
    if agent is None:
        raise Http404("You are not an agent of this desk.")
    request.user.agent = agent
    request.unread_notifications = agent.unread or 0  # type: ignore[attr-defined]
    return agent


def _context(scope: Scope, filters: Filters, slug: str) -> Context:
    rows: list[Row] = list(scope.rows(filters).values(*FIELDS[slug]))
    names = scope.names()
    missing = {row["agent_id"] for row in rows} - set(names.agents) - {None}
    if missing:  # agents who have since left the viewer's teams
        left = Agent.objects.select_related("user").filter(pk__in=missing)
        names = Names(names.teams, {**names.agents, **{a.pk: a.display_name() for a in left}})
    several = filters.team is None and len({row["team_id"] for row in rows}) > 1
    return Context(rows, filters.start, filters.end, names, several)


def _build(slug: str, scope: Scope, filters: Filters) -> Page:
    ctx = _context(scope, filters, slug)
    if slug == "deescalation":
        return figures.calm.page(ctx, _at_risk(scope, filters))
    builders: dict[str, Callable[[Context], Page]] = {
        "speed": figures.speed.page,
        "empathy": figures.empathy.page,
        "satisfaction": figures.care.page,
    }
    return builders[slug](ctx)


def _at_risk(scope: Scope, filters: Filters) -> list[figures.calm.AtRisk]:
    """From today's rows (the latest rollup), whatever the range: two queries."""
    today = timezone.localdate()
    now = Filters(today, today, filters.team, filters.agent)
    rows: list[dict[str, Any]] = [dict(r) for r in scope.rows(now).values("agent_id", "at_risk")]
    ids = {item["customer"] for row in rows for item in row["at_risk"]}
    names = dict(Customer.objects.filter(pk__in=ids).values_list("pk", "name"))
    return figures.calm.at_risk(rows, names)


def _show(request: AgentRequest, slug: str) -> HttpResponse:
    scope = access.scope_of(_viewer(request))
    form = FilterForm(scope, request.GET or None, initial=FilterForm.default_range())
    filters = form.filters()
    page = _build(slug, scope, filters)
    wanted = request.GET.get("csv")
    if wanted:
        table = page.table(wanted)
        if table is None:
            raise Http404("No such table on this page.")
        return _csv(table, filters)
    query = request.GET.copy()
    query.pop("csv", None)
    return render(request, "insights/page.html", {
        "page": page,
        "form": form,
        "filters": filters,
        "pages": PAGES,
        "query": query.urlencode(),
        "rolled": RolledDay.objects.order_by("-rolled_at").first(),
        "every": settings.HEARD_INSIGHTS_ROLLUP_MINUTES,
    })


def _csv(table: Table, filters: Filters) -> HttpResponse:
    name = f"insights-{table.slug}-{filters.start}-{filters.end}.csv"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csv.writer(response)
    for row in table.csv_rows():
        writer.writerow([_safe(value) for value in row])
    return response


def _safe(value: object) -> object:
    """A text cell a spreadsheet would run as a formula is written as plain text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


@login_required
@require_GET
def home(request: AgentRequest) -> HttpResponse:
    return redirect(reverse("insights:speed") + (f"?{request.GET.urlencode()}"
                                                 if request.GET else ""))


@login_required
@require_GET
def speed(request: AgentRequest) -> HttpResponse:
    return _show(request, "speed")


@login_required
@require_GET
def empathy(request: AgentRequest) -> HttpResponse:
    return _show(request, "empathy")


@login_required
@require_GET
def deescalation(request: AgentRequest) -> HttpResponse:
    return _show(request, "deescalation")


@login_required
@require_GET
def satisfaction(request: AgentRequest) -> HttpResponse:
    return _show(request, "satisfaction")
