"""The customer's pages: one module per page family, sharing `page` (the support team's frame)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    """A customer's page, under the support team's name rather than Heard's console."""
    context = {"support_name": settings.HEARD_SUPPORT_NAME, **context}
    return render(request, template, context, status=status)
