"""The customer's pages: one module per page family, sharing `page` (the support team's frame)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from heard.lib.csp import guard_mail_page


def page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    """A customer's page, under the support team's name rather than Heard's console, and under
    the strict Content-Security-Policy (`heard.lib.csp`): the portal shows words strangers
    wrote, and its pages need no script or style of their own."""
    context = {"support_name": settings.HEARD_SUPPORT_NAME, **context}
    return guard_mail_page(render(request, template, context, status=status))
