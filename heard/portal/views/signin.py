"""Signing in by a link sent by email, and signing out (see `heard.portal.signin`)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from heard.jobs import enqueue
from heard.lib.http import client_ip
from heard.portal import session, signin, tasks
from heard.portal.customer_forms import SignInForm
from heard.portal.views import page

PROBLEM_STATUS = {
    signin.Problem.UNKNOWN: 404,
    signin.Problem.USED: 410,
    signin.Problem.EXPIRED: 410,
    signin.Problem.OTHER_BROWSER: 403,
}


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    """Ask for a link. The answer is the same whether the address is known, unknown or over
    its limit: the job decides after it, and the customer learns it from their inbox alone."""
    if request.method != "POST":
        if session.signed_in(request) is not None:
            return redirect("portal:requests")
        return _sign_in_page(request, SignInForm())
    form = SignInForm(request.POST)
    if not form.is_valid():
        return _sign_in_page(request, form, 400)
    nonce = signin.browser_nonce(request.COOKIES.get(signin.BROWSER_COOKIE))
    address, ip = form.cleaned_data["email"], client_ip(request)
    enqueue(tasks.send_sign_in_link, address, ip, signin.digest(nonce))
    minutes = settings.HEARD_PORTAL_LINK_MINUTES
    response = page(request, "portal/sign_in_sent.html", {"address": address, "minutes": minutes})
    response.set_cookie(
        signin.BROWSER_COOKIE,
        nonce,
        max_age=minutes * 60,
        path="/portal/",
        secure=request.is_secure(),
        httponly=True,
        samesite="Lax",
    )
    return response


def _sign_in_page(request: HttpRequest, form: SignInForm, status: int = 200) -> HttpResponse:
    context = {"form": form, "minutes": settings.HEARD_PORTAL_LINK_MINUTES}
    return page(request, "portal/sign_in.html", context, status)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def link(request: HttpRequest, token: str) -> HttpResponse:
    """The link from the email: opening it shows a "Sign in" button and uses nothing (mail
    scanners open links); pressing the button uses it, once, in the browser that asked."""
    nonce = request.COOKIES.get(signin.BROWSER_COOKIE)
    if request.method == "POST":
        found = signin.use(token, nonce)
        if not isinstance(found, signin.Problem):
            session.sign_in(request, found)
            return redirect("portal:requests")
        problem = found
    else:
        checked = signin.check(token, nonce)
        if not isinstance(checked, signin.Problem):
            return page(request, "portal/link.html", {"customer_name": checked.customer.name})
        problem = checked
    context = {"problem": problem.value, "minutes": settings.HEARD_PORTAL_LINK_MINUTES}
    return page(request, "portal/link_problem.html", context, PROBLEM_STATUS[problem])


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    session.sign_out(request)
    messages.success(request, "You are signed out.")
    return redirect("portal:sign_in")
