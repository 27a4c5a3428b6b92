"""Addresses of portal pages for other apps' emails (they never build portal URLs themselves)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse


def sign_in_url() -> str:
    """The absolute address of the sign-in page, where a customer asks for a sign-in link."""
    return f"{settings.SITE_URL.rstrip('/')}{reverse('portal:sign_in')}"
