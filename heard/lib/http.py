"""Typed requests for views."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class AgentRequest(HttpRequest):
    user: User
    htmx: HtmxDetails
