"""The portal's answers to what the desk announces (connected in PortalConfig.ready)."""

from __future__ import annotations

from typing import Any

from heard.portal.models import SignInLink


def forget_sign_in_links(sender: Any, customer_id: int, **kwargs: Any) -> None:
    """A forgotten customer's sign-in links go (their sessions end at their next page:
    `heard.portal.session.signed_in`)."""
    SignInLink.objects.filter(customer=customer_id).delete()
