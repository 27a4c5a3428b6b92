"""A customer's HTML mail as it may be shown on an agent's page."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

from heard.mail.parsing.sanitize import sanitize_html

register = template.Library()


@register.filter
def sanitized(html: str) -> SafeString:
    """`html` (stored as it arrived) through `heard.mail.parsing.sanitize.sanitize_html`, the
    only way mail HTML reaches a page; the page also sends `heard.lib.csp.MAIL_PAGE_CSP`."""
    return mark_safe(sanitize_html(html))  # noqa: S308  # sanitised by nh3 on the line itself
