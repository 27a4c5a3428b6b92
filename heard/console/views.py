"""Agent pages: the queue and a ticket with its conversation and actions."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    prefetch_related_objects,
)
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from heard.care.surveys import satisfaction
from heard.console.forms import MoveForm, NoteForm, QueueFilterForm, ReplyForm, TicketUpdateForm
from heard.desk import actions, routing
from heard.desk.coach import coach_draft
from heard.desk.errors import ErrorCode
from heard.desk.lead import is_lead, overview
from heard.desk.models import (
    CONSENTS_IN_FORCE,
    Agent,
    Attachment,
    ConsentKind,
    Direction,
    Emotion,
    Macro,
    Message,
    Notification,
    Team,
    Ticket,
    parse_reference,
)
from heard.engine import Coaching, Finding
from heard.lib import downloads as files
from heard.lib.csp import guard_mail_page
from heard.lib.http import AgentRequest
from heard.lib.params import id_param
from heard.mail import downloads
from heard.mail.models import RawEmail

QUEUE_PAGE_SIZE = 50
EARLIER_TICKETS = 10  # of the same customer, on the ticket page


def _agent(request: AgentRequest) -> Agent:
    """The signed-in agent, with the nav's count of their unread notices in the same query."""
    unread = Notification.objects.filter(recipient=OuterRef("user"), read_at__isnull=True)
    agent = (
        Agent.objects.filter(user=request.user)
        .annotate(unread=Subquery(unread.values("recipient").annotate(n=Count("pk")).values("n")))
        .first()
    )
    if agent is None:
        raise Http404("You are not an agent of this desk.")
    request.user.agent = agent  # both ways, so neither asks the database again
    request.unread_notifications = agent.unread or 0  # type: ignore[attr-defined]
    return agent


def _get_ticket_for_agent(request: AgentRequest, pk: int) -> tuple[Agent, Ticket]:
    """The ticket if the desk lets the agent at it (`actions.check_ticket_access`), loaded with
    what its page shows; 404 otherwise (never reveal it exists)."""
    agent = _agent(request)
    page = routing.with_routing_facts(Ticket.objects.all())
    page = page.select_related("customer", "team", "assignee__user", "follow_up_of", "survey")
    page = page.select_related(*(f"customer__{path}" for path in CONSENTS_IN_FORCE))
    try:
        return agent, actions.check_ticket_access(agent, pk, page)
    except actions.DeskError as exc:
        raise _as_http(exc) from exc


def _as_http(exc: actions.DeskError) -> Exception:
    """What a desk refusal met outside a form means to the browser: 404 or 403."""
    if exc.code == ErrorCode.NOT_FOUND:
        return Http404(str(exc))
    return PermissionDenied(str(exc))


@login_required
@vary_on_headers("HX-Request")  # the page and its rows share a URL: never cache one as the other
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
    # The rows' own refresh (htmx) gets the rows alone: the partial of the same template.
    template = "console/queue.html#queue-rows" if request.htmx else "console/queue.html"
    return render(request, template, context)


def _consents(ticket: Ticket) -> dict[str, object]:
    """The customer's consents as recorded (joined to the ticket's query, see
    `_get_ticket_for_agent`): each kind's change in force or None."""
    return {
        "consents": ticket.customer.consents_in_force(),
        "surveys_agreed": ticket.customer.has_consent(ConsentKind.SURVEYS),
    }


def _ticket_page(
    request: AgentRequest,
    agent: Agent,
    ticket: Ticket,
    *,
    reply_form: ReplyForm | None = None,
    note_form: NoteForm | None = None,
    coaching: Coaching | None = None,
    confirm: list[Finding] | None = None,
    move_form: MoveForm | None = None,
    status: int = 200,
) -> HttpResponse:
    reply_form = reply_form or ReplyForm()
    reply_form.fields["text"].widget.attrs.update(_coach_as_you_type(ticket))
    note_form = note_form or NoteForm()
    for form, error_id in ((reply_form, "reply-error"), (note_form, "note-error")):
        if form.errors:  # the box takes the focus, so the browser shows it and its error
            attrs = form.fields["text"].widget.attrs
            described = " ".join(filter(None, [attrs.get("aria-describedby"), error_id]))
            attrs.update({"autofocus": True, "aria-invalid": "true", "aria-describedby": described})
    team_agents = Agent.objects.filter(teams=ticket.team_id).select_related("user")
    update_form = TicketUpdateForm(
        initial={"status": ticket.status, "priority": ticket.priority, "assignee": ticket.assignee},
        agents=team_agents,
    )
    conversation = _conversation(ticket)
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
        "conversation": conversation,
        **_routing(ticket, conversation, move_form),
        "events": ticket.events.select_related("actor").order_by("-created_at", "-pk"),
        "earlier": earlier,
        "satisfaction": satisfaction([ticket, *earlier]),
        **_consents(ticket),
        "reply_form": reply_form,
        "coaching": coaching,
        "draft": reply_form["text"].value() or "",
        "confirm": confirm,
        "macros": _macros(ticket),
        "note_form": note_form,
        "update_form": update_form,
        "emotions": Emotion.choices,
    }
    # It may show the customer's HTML mail: sanitised, and under a strict CSP as well.
    return guard_mail_page(render(request, "console/ticket.html", context, status=status))


def _routing(
    ticket: Ticket, conversation: list[Message], move_form: MoveForm | None
) -> dict[str, object]:
    """The team the routing rules would choose now for the ticket's first email, if not its
    own, and the form that moves it (one query: every team with its rules)."""
    table = routing.routing_table()
    first = next((m for m in conversation if m.direction == Direction.CUSTOMER), None)
    raw = getattr(first, "raw_email", None) if first is not None else None
    recipients = raw.recipients() if raw is not None else []
    text = first.text if first is not None else ""
    suggested = routing.suggestion(table, ticket, text, recipients)
    others = [team for team in table.teams if team.pk != ticket.team_id]
    form = move_form or MoveForm(teams=others, initial={"team": suggested and suggested.team.pk})
    return {"suggested": suggested, "move_form": form if others else None}


def _conversation(ticket: Ticket) -> list[Message]:
    """The ticket's messages in order, each marked `has_attachments`; the attachments of those
    that have any come in one more query (none at all when no message has one)."""
    conversation: list[Message] = list(
        ticket.messages.select_related("author", "outbound_email", "raw_email")
        .defer("raw_email__data")
        .annotate(has_attachments=Exists(Attachment.objects.filter(message=OuterRef("pk"))))
        .order_by("created_at", "pk")
    )
    with_files = [message for message in conversation if getattr(message, "has_attachments", 0)]
    prefetch_related_objects(with_files, Prefetch("attachments", Attachment.objects.order_by("pk")))
    return conversation


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
        try:
            actions.post_agent_reply(
                ticket,
                agent,
                form.cleaned_data["text"],
                status=form.cleaned_data["status"] or None,
                send_anyway=bool(request.POST.get("send_anyway")),
            )
        except actions.SevereFinding as held:
            # Asked once: the agent decides, and the page keeps every word of the draft.
            return _ticket_page(
                request,
                agent,
                ticket,
                reply_form=form,
                coaching=held.coaching,
                confirm=held.findings,
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
    macro_id = id_param(request.POST.get("macro"))
    macro = _macros(ticket).filter(pk=macro_id).first() if macro_id is not None else None
    if request.POST.get("insert_macro") and macro is not None:
        filled = macro.render(ticket.customer.address_name(), agent.user.first_name)
        data["text"] = text = f"{draft.rstrip()}\n\n{filled}" if draft.strip() else filled
        coaching = coach_draft(ticket, text)  # coached like any draft
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
    agent, ticket = _get_ticket_for_agent(request, pk)
    team_agents = Agent.objects.filter(teams=ticket.team_id)
    form = TicketUpdateForm(request.POST, agents=team_agents)
    if not form.is_valid():
        messages.error(request, "That change was not understood: " + form.errors.as_text())
        return redirect("console:ticket", pk=ticket.pk)
    data = form.cleaned_data

    def apply() -> None:
        actions.update_ticket(ticket, agent, data["status"], data["priority"], data["assignee"])

    return _done(request, ticket, apply, "Ticket updated.")


@login_required
@require_POST
def move(request: AgentRequest, pk: int) -> HttpResponse:
    """Move the ticket to another team (re-routing, see `actions.move_ticket`)."""
    agent, ticket = _get_ticket_for_agent(request, pk)
    form = MoveForm(request.POST, teams=Team.objects.exclude(pk=ticket.team_id))
    if not form.is_valid():
        messages.error(request, "Choose the team to move it to.")
        return redirect("console:ticket", pk=ticket.pk)
    team = form.cleaned_data["team"]
    try:
        actions.move_ticket(ticket, team, agent, form.cleaned_data["reason"])
    except actions.DeskError as exc:
        messages.error(request, str(exc))
        return redirect("console:ticket", pk=ticket.pk)
    messages.success(request, f"{ticket.reference} moved to {team}.")
    if Ticket.objects.visible_to(agent).filter(pk=ticket.pk).exists():
        return redirect("console:ticket", pk=ticket.pk)
    return redirect("console:queue")  # out of the agent's teams now


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


def _kept_attachment(request: AgentRequest, pk: int, attachment_pk: int) -> Attachment:
    _, ticket = _get_ticket_for_agent(request, pk)
    found = get_object_or_404(Attachment, pk=attachment_pk, message__ticket=ticket)
    if not found.is_kept():
        raise Http404("Too large to keep: it is in the original email.")
    return found


@login_required
def attachment(request: AgentRequest, pk: int, attachment_pk: int) -> FileResponse:
    """A message's attachment as a download (see heard.lib.downloads), for the ticket's team."""
    found = _kept_attachment(request, pk, attachment_pk)
    return files.serve(
        found.file.open("rb"), filename=found.filename, content_type=found.content_type
    )


@login_required
def attachment_preview(request: AgentRequest, pk: int, attachment_pk: int) -> FileResponse:
    """A safe raster image shown inline, only if its bytes really are that kind of image."""
    found = _kept_attachment(request, pk, attachment_pk)
    if not found.can_preview():
        raise Http404("Only PNG, JPEG, GIF and WebP images are previewed.")
    file = found.file.open("rb")
    sniffed = files.sniff_image(file.read(12))
    file.seek(0)
    if sniffed != files.media_type(found.content_type):
        file.close()
        raise Http404("This file is not the image it says it is.")
    return files.serve(file, filename=found.filename, content_type=sniffed, inline=True)


@login_required
@require_POST
def assign_to_me(request: AgentRequest, pk: int) -> HttpResponse:
    agent, ticket = _get_ticket_for_agent(request, pk)
    return _done(request, ticket, lambda: actions.assign(ticket, agent, agent), "Assigned to you.")


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
    """The ticket after `?after=` in the agent's queue (care order), else the queue's first;
    400 for an `after` that is no ticket id."""
    agent = _agent(request)
    after = id_param(request.GET.get("after"))
    if after is None and request.GET.get("after"):
        return HttpResponseBadRequest("?after= is the id of a ticket.")
    ids = list(Ticket.objects.visible_to(agent).active().by_care().values_list("pk", flat=True))
    position = ids.index(after) + 1 if after in ids else 0
    if not ids:
        return redirect("console:queue")
    return redirect("console:ticket", pk=ids[position % len(ids)])


@login_required
def lead(request: AgentRequest) -> HttpResponse:
    """Escalations with their reasons, who is overloaded, missed reply targets: for team leads."""
    agent = _agent(request)
    if not is_lead(agent):
        raise Http404("The team lead view is for team leads.")
    context = {"agent": agent, "overview": overview(agent), "now": timezone.now()}
    return render(request, "console/lead.html", context)


@login_required
def notifications(request: AgentRequest) -> HttpResponse:
    """The agent's notices (escalations for a lead); POST marks them all read."""
    _agent(request)
    if request.method == "POST":
        actions.mark_notifications_read(request.user)
        return redirect("console:notifications")
    mine = Notification.objects.filter(recipient=request.user)
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
