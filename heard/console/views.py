"""Agent pages: the queue and a ticket with its conversation and actions."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from heard.care.surveys import satisfaction
from heard.console.forms import NoteForm, QueueFilterForm, ReplyForm, TicketUpdateForm
from heard.desk import actions
from heard.desk.coaching import coach_draft, severe_findings
from heard.desk.lead import is_lead, overview
from heard.desk.models import (
    Agent,
    Emotion,
    Macro,
    Notification,
    Ticket,
    agent_for,
    parse_reference,
)
from heard.engine import Coaching, Finding
from heard.lib.http import AgentRequest
from heard.mail import downloads
from heard.mail.models import RawEmail

QUEUE_PAGE_SIZE = 50
EARLIER_TICKETS = 10  # of the same customer, on the ticket page


def _agent(request: AgentRequest) -> Agent:
    agent = agent_for(request.user)
    if agent is None:
        raise Http404("You are not an agent of this desk.")
    return agent


def _get_ticket_for_agent(request: AgentRequest, pk: int) -> tuple[Agent, Ticket]:
    """The ticket if the agent's teams may see it; 404 otherwise (never reveal it exists)."""
    agent = _agent(request)
    ticket = (
        Ticket.objects.visible_to(agent)
        .select_related("customer", "team", "assignee__user", "follow_up_of", "survey")
        .filter(pk=pk)
        .first()
    )
    if ticket is None:
        raise Http404("No such ticket in your teams.")
    return agent, ticket


@login_required
def queue(request: AgentRequest) -> HttpResponse:
    agent = _agent(request)
    form = QueueFilterForm(request.GET, teams=agent.teams.order_by("name"))
    chosen = form.queue_filter()
    # Page through ids alone, then load the page's rows with their joins: sorting narrow rows
    # keeps SQLite from sorting every active ticket with its customer, team and assignee.
    ids = chosen.apply(agent).by_care().values_list("pk", flat=True)
    page = Paginator(ids, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = Ticket.objects.select_related("customer", "team", "assignee__user").in_bulk(list(page))
    tickets = [rows[pk] for pk in page if pk in rows]
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "agent": agent,
        "page": page,
        "tickets": tickets,
        "form": form,
        "narrowed": chosen.is_narrowed(),
        "filters": params.urlencode(),
        "refresh_seconds": settings.HEARD_QUEUE_REFRESH_SECONDS,
    }
    return render(request, "console/queue.html", context)


def _ticket_page(
    request: AgentRequest,
    agent: Agent,
    ticket: Ticket,
    *,
    reply_form: ReplyForm | None = None,
    note_form: NoteForm | None = None,
    coaching: Coaching | None = None,
    confirm: list[Finding] | None = None,
    status: int = 200,
) -> HttpResponse:
    reply_form = reply_form or ReplyForm()
    reply_form.fields["text"].widget.attrs.update(_coach_as_you_type(ticket))
    team_agents = Agent.objects.filter(teams=ticket.team_id).select_related("user")
    update_form = TicketUpdateForm(
        initial={"status": ticket.status, "priority": ticket.priority, "assignee": ticket.assignee},
        agents=team_agents,
    )
    earlier = list(
        Ticket.objects.visible_to(agent)
        .filter(customer=ticket.customer_id)
        .exclude(pk=ticket.pk)
        .select_related("survey")
        .order_by("-created_at")[:EARLIER_TICKETS]
    )
    context = {
        "agent": agent,
        "ticket": ticket,
        "conversation": ticket.messages.select_related("author", "outbound_email", "raw_email")
        .defer("raw_email__data")
        .order_by("created_at", "pk"),
        "events": ticket.events.select_related("actor").order_by("-created_at", "-pk"),
        "earlier": earlier,
        "satisfaction": satisfaction([ticket, *earlier]),
        "reply_form": reply_form,
        "coaching": coaching,
        "draft": reply_form["text"].value() or "",
        "confirm": confirm,
        "macros": _macros(ticket),
        "note_form": note_form or NoteForm(),
        "update_form": update_form,
        "emotions": Emotion.choices,
    }
    return render(request, "console/ticket.html", context, status=status)


@login_required
def ticket_detail(request: AgentRequest, pk: int) -> HttpResponse:
    agent, ticket = _get_ticket_for_agent(request, pk)
    return _ticket_page(request, agent, ticket)


@login_required
@require_POST
def reply(request: AgentRequest, pk: int) -> HttpResponse:
    agent, ticket = _get_ticket_for_agent(request, pk)
    form = ReplyForm(request.POST)
    if form.is_valid():
        text = form.cleaned_data["text"]
        coaching = coach_draft(ticket, text)
        severe = severe_findings(coaching)
        if severe and not request.POST.get("send_anyway"):
            # Asked once: the agent decides, and the page keeps every word of the draft.
            return _ticket_page(
                request, agent, ticket, reply_form=form, coaching=coaching, confirm=severe
            )
        try:
            actions.post_agent_reply(
                ticket,
                agent,
                text,
                status=form.cleaned_data["status"] or None,
                despite=sorted({f.code for f in severe}),
            )
        except actions.DeskError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Reply sent.")
            return redirect("console:ticket", pk=ticket.pk)
    # Re-render with the agent's words intact, never lose a draft.
    return _ticket_page(request, agent, ticket, reply_form=form, status=400)


@login_required
@require_POST
def coach_reply(request: AgentRequest, pk: int) -> HttpResponse:
    """The coach on the draft: as the agent types (htmx, the coaching panel alone), or from the
    "Check with the coach" and "Use suggested wording" buttons (the whole page, without script)."""
    agent, ticket = _get_ticket_for_agent(request, pk)
    draft = request.POST.get("text", "")
    coaching = coach_draft(ticket, draft) if draft.strip() else None
    if request.htmx and not request.POST.get("use_suggestion"):
        context = {"ticket": ticket, "coaching": coaching, "draft": draft}
        return render(request, "console/_coaching.html", context)
    data = request.POST.copy()
    if coaching is not None and request.POST.get("use_suggestion"):
        data["text"] = coaching.suggestion  # in the editor to review: never sent by itself
        coaching = coach_draft(ticket, coaching.suggestion)
    macro_id = request.POST.get("macro", "")
    macro = _macros(ticket).filter(pk=macro_id).first() if macro_id.isdigit() else None
    if request.POST.get("insert_macro") and macro is not None:
        filled = macro.render(ticket.customer.address_name(), agent.user.first_name)
        data["text"] = f"{draft.rstrip()}\n\n{filled}" if draft.strip() else filled
        coaching = coach_draft(ticket, data["text"])  # coached like any draft
    return _ticket_page(request, agent, ticket, reply_form=ReplyForm(data), coaching=coaching)


def _macros(ticket: Ticket) -> QuerySet[Macro]:
    """The canned responses this ticket's team may use."""
    return Macro.objects.filter(Q(team=None) | Q(team=ticket.team_id))


def _coach_as_you_type(ticket: Ticket) -> dict[str, str]:
    return {
        "hx-post": reverse("console:coach", args=[ticket.pk]),
        "hx-trigger": "input changed delay:300ms",
        "hx-target": "#coaching",
        "hx-swap": "outerHTML",
    }


@login_required
@require_POST
def note(request: AgentRequest, pk: int) -> HttpResponse:
    agent, ticket = _get_ticket_for_agent(request, pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        actions.add_internal_note(ticket, agent, form.cleaned_data["text"])
        messages.success(request, "Note added.")
        return redirect("console:ticket", pk=ticket.pk)
    return _ticket_page(request, agent, ticket, note_form=form, status=400)


@login_required
@require_POST
def update(request: AgentRequest, pk: int) -> HttpResponse:
    _, ticket = _get_ticket_for_agent(request, pk)
    team_agents = Agent.objects.filter(teams=ticket.team_id)
    form = TicketUpdateForm(request.POST, agents=team_agents)
    if not form.is_valid():
        messages.error(request, "That change was not understood: " + form.errors.as_text())
        return redirect("console:ticket", pk=ticket.pk)
    data = form.cleaned_data

    def apply() -> None:
        actions.update_ticket(
            ticket, request.user, data["status"], data["priority"], data["assignee"]
        )

    return _done(request, ticket, apply, "Ticket updated.")


def _done(
    request: AgentRequest, ticket: Ticket, act: Callable[[], object], success: str
) -> HttpResponse:
    """Do one desk action, say how it went, and go back to the ticket."""
    try:
        act()
    except actions.DeskError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, success)
    return redirect("console:ticket", pk=ticket.pk)


@login_required
def original_email(request: AgentRequest, pk: int, raw_pk: int) -> HttpResponse:
    """The email exactly as it was received, for an agent of the ticket's team."""
    _, ticket = _get_ticket_for_agent(request, pk)
    raw = get_object_or_404(RawEmail, pk=raw_pk, ticket=ticket)
    return downloads.original(raw, f"{ticket.reference}-{raw.pk}.eml")


@login_required
@require_POST
def assign_to_me(request: AgentRequest, pk: int) -> HttpResponse:
    agent, ticket = _get_ticket_for_agent(request, pk)
    return _done(
        request, ticket, lambda: actions.assign(ticket, request.user, agent), "Assigned to you."
    )


@login_required
@require_POST
def merge(request: AgentRequest, pk: int) -> HttpResponse:
    """Merge this ticket, a duplicate, into the ticket whose reference the agent gave."""
    agent, duplicate = _get_ticket_for_agent(request, pk)
    target_pk = parse_reference(request.POST.get("into", ""))
    into = Ticket.objects.visible_to(agent).filter(pk=target_pk).first() if target_pk else None
    if into is None:
        messages.error(request, "No ticket with that reference in your teams.")
        return redirect("console:ticket", pk=duplicate.pk)
    try:
        into = actions.merge_tickets(duplicate, into, agent)
    except actions.DeskError as exc:
        messages.error(request, str(exc))
        return redirect("console:ticket", pk=duplicate.pk)
    messages.success(request, f"{duplicate.reference} was merged into {into.reference}.")
    return redirect("console:ticket", pk=into.pk)


@login_required
def next_ticket(request: AgentRequest) -> HttpResponse:
    """The ticket after `?after=` in the agent's queue (care order), else the queue's first."""
    agent = _agent(request)
    ids = list(Ticket.objects.visible_to(agent).active().by_care().values_list("pk", flat=True))
    after = request.GET.get("after", "")
    position = ids.index(int(after)) + 1 if after.isdigit() and int(after) in ids else 0
    if not ids:
        return redirect("console:queue")
    return redirect("console:ticket", pk=ids[position % len(ids)])


@login_required
def lead(request: AgentRequest) -> HttpResponse:
    """Escalations with their reasons, who is overloaded, breaches today: for team leads."""
    agent = _agent(request)
    if not is_lead(agent):
        raise Http404("The team lead view is for team leads.")
    context = {"agent": agent, "overview": overview(agent), "now": timezone.now()}
    return render(request, "console/lead.html", context)


@login_required
def notifications(request: AgentRequest) -> HttpResponse:
    """The agent's notices (escalations for a lead); POST marks them all read."""
    _agent(request)
    mine = Notification.objects.filter(recipient=request.user)
    if request.method == "POST":
        mine.filter(read_at__isnull=True).update(read_at=timezone.now())
        return redirect("console:notifications")
    notices = mine.select_related("ticket").order_by("-created_at")[:100]
    return render(request, "console/notifications.html", {"notices": notices})


@login_required
@require_POST
def correct_emotion(request: AgentRequest, pk: int, message_pk: int) -> HttpResponse:
    agent, ticket = _get_ticket_for_agent(request, pk)
    message = get_object_or_404(ticket.messages, pk=message_pk)
    try:
        actions.correct_emotion(message, agent, request.POST.get("emotion", ""))
    except actions.DeskError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Thank you: the mood is corrected and the queue re-ranked.")
    return redirect("console:ticket", pk=ticket.pk)
