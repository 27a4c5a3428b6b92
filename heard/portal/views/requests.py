"""My requests: every ticket of the signed-in customer, its conversation, replies and new ones.

What a customer writes here goes in as email (`heard.mail.transports.web`): stored raw first,
then filed, read and acknowledged by the same code as mail, so it lands on the ticket a moment
after the page answers. Every lookup is scoped to the signed-in customer: anyone else's ticket
or file is not found.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_http_methods

from heard.desk.models import Attachment, Status, Ticket
from heard.lib import downloads
from heard.mail import filing
from heard.mail.sending import signing
from heard.mail.transports import web
from heard.portal import waiting
from heard.portal.conversation import PUBLIC, conversation
from heard.portal.customer_forms import NewRequestForm, ReplyForm
from heard.portal.session import PortalRequest, customer_required
from heard.portal.views import page

NOT_TAKEN = "We couldn't take your message just now. Nothing was lost: please send it again."


def _get_ticket_for_customer(request: PortalRequest, pk: int) -> Ticket:
    """The signed-in customer's ticket; anyone else's is not found (never says it exists)."""
    tickets = Ticket.objects.select_related("team", "assignee__user", "customer")
    return get_object_or_404(tickets, pk=pk, customer=request.customer)


@customer_required
def request_list(request: PortalRequest) -> HttpResponse:
    tickets = (
        Ticket.objects.filter(customer=request.customer)
        .select_related("team", "assignee__user", "customer")
        .order_by("-created_at")
    )
    rows = [(ticket, waiting.standing(ticket)) for ticket in tickets]
    return page(request, "portal/requests.html", {"customer": request.customer, "rows": rows})


@customer_required
@require_http_methods(["GET", "HEAD", "POST"])
def request_detail(request: PortalRequest, pk: int) -> HttpResponse:
    """A request's conversation, where it stands, and the reply form."""
    ticket = _get_ticket_for_customer(request, pk)
    form, status = ReplyForm(), 200
    if request.method == "POST":
        form, status = ReplyForm(request.POST, request.FILES), 400
        if form.is_valid() and _write(request, form, signing.reply_address(ticket.pk), ticket):
            messages.success(request, _what_happens_next(ticket))
            return redirect("portal:request", pk=ticket.pk)
    context = {
        "customer": request.customer,
        "ticket": ticket,
        "standing": waiting.standing(ticket),
        "conversation": conversation(ticket),
        "form": form,
    }
    return page(request, "portal/request.html", context, status)


@customer_required
@require_http_methods(["GET", "HEAD", "POST"])
def new_request(request: PortalRequest) -> HttpResponse:
    """The web form for a new request: Heard's intake for people who do not email."""
    form, status = NewRequestForm(), 200
    if request.method == "POST":
        form, status = NewRequestForm(request.POST, request.FILES), 400
        if form.is_valid() and _write(request, form, settings.HEARD_SUPPORT_ADDRESS, None):
            messages.success(
                request,
                "Thank you: your request is on its way to our team. In a moment it appears "
                "below, with when to expect a reply; the reply comes by email and shows here "
                "too.",
            )
            return redirect("portal:requests")
    context = {"customer": request.customer, "form": form}
    return page(request, "portal/new_request.html", context, status)


def _write(request: PortalRequest, form: ReplyForm, to: str, ticket: Ticket | None) -> bool:
    """Hand what the customer wrote to the intake, as an email from their own address."""
    customer = request.customer
    subject = form.cleaned_data.get("subject") or (f"Re: {ticket.subject}" if ticket else "")
    try:
        web.submit(
            sender=customer.primary_email(),
            sender_name=customer.name,
            to=to,
            subject=subject,
            text=form.cleaned_data["text"],
            files=form.cleaned_data["files"],
            origin=f"portal: customer {customer.pk}",
        )
    except filing.StorageError:
        form.add_error(None, NOT_TAKEN)
        return False
    return True


def _what_happens_next(ticket: Ticket) -> str:
    sent = f"Thank you: your message is on its way to {ticket.reference}."
    if ticket.status == Status.CLOSED:
        return (
            f"{sent} That request was closed, so your message starts a new request that "
            "follows on from it: it appears under My requests in a moment."
        )
    reopened = ""
    if ticket.status == Status.SOLVED:
        reopened = " It was marked solved, so your message opens it again."
    return (
        f"{sent}{reopened} It appears in the conversation below in a moment (reload the page to "
        f"see it), where our {ticket.team.name} team sees it too; their reply comes by email "
        "and shows here."
    )


@customer_required
def attachment(request: PortalRequest, pk: int, attachment_pk: int) -> FileResponse:
    """A file of a public message of the customer's ticket, as a download."""
    ticket = _get_ticket_for_customer(request, pk)
    found = get_object_or_404(
        Attachment, pk=attachment_pk, message__ticket=ticket, message__direction__in=PUBLIC
    )
    if not found.is_kept():
        raise Http404("Too large to keep.")
    return downloads.serve(
        found.file.open("rb"), filename=found.filename, content_type=found.content_type
    )
