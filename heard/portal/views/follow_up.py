"""The page a link in the follow-up email opens ("is it better now?"); no login, CSRF on."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_http_methods

from heard.care import follow_ups
from heard.care.models import Answer
from heard.portal.forms import FollowUpForm
from heard.portal.views import page


@require_http_methods(["GET", "HEAD", "POST"])
def follow_up(request: HttpRequest, token: str) -> HttpResponse:
    """The answer clicked in the email is chosen, and kept only when the customer presses Send
    (mail scanners follow links, they do not press buttons)."""
    found = follow_ups.from_token(token)
    if found is None:
        return _closed(request, "This link is not valid. Was it copied whole?", 404)
    if not found.is_open():
        return _closed(request, follow_ups.closed_message(found), 410)
    if request.method == "POST":
        form = FollowUpForm(request.POST)
        if form.is_valid():
            chosen, words = form.cleaned_data["answer"], form.cleaned_data["words"]
            try:
                done = follow_ups.answer(found, chosen, words)
            except follow_ups.FollowUpError as error:
                return _closed(request, str(error), 410)
            return page(request, "portal/follow_up_thanks.html", {"done": done})
        status = 400
    else:
        clicked = request.GET.get("answer", "")
        chosen = clicked if clicked in Answer.values else found.answer
        form = FollowUpForm(initial={"answer": chosen, "words": found.words})
        status = 200
    helper = follow_ups.helper_name(found.ticket)
    context = {"follow_up": found, "ticket": found.ticket, "form": form, "helper": helper}
    return page(request, "portal/follow_up.html", context, status)


def _closed(request: HttpRequest, why: str, status: int) -> HttpResponse:
    return page(request, "portal/follow_up_closed.html", {"why": why}, status)
