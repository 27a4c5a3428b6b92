"""Stopping an automatic email from its link (and from a mailbox's own unsubscribe button).

Opening the link shows what it stops and a button; pressing it stops. A POST carrying RFC 8058's
`List-Unsubscribe=One-Click` (a mailbox provider's button) stops at once. Both are exempt from
CSRF: a mailbox provider posts without our cookie, and the signed link is the authority (it can
only stop mail to the customer it names, which they can start again in the portal).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from heard.mail.sending import unsubscribe as stopping
from heard.portal.views import page


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    found = stopping.from_token(token)
    if found is None:
        why = "This link is not valid. Was it copied whole? You can also reply to our emails."
        return page(request, "portal/unsubscribe.html", {"invalid": why}, 404)
    customer, kind = found
    context = {"what": stopping.what_stops(kind), "token": token}
    if request.method == "POST":
        stopping.stop(customer, kind)  # the button and a one-click POST alike
        return page(request, "portal/unsubscribe.html", {**context, "stopped": True})
    return page(request, "portal/unsubscribe.html", context)
