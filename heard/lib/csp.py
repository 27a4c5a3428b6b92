"""The Content-Security-Policy of pages that show a customer's HTML mail.

`heard.mail.parsing.sanitize` is the first layer (it lets no script, style, form or remote image
through); this policy is the second, in case a sanitiser bug lets one through: scripts,
styles, images and requests only from Heard itself (so no inline script, no style attribute,
no remote image or tracking pixel, no CSS `url()` to elsewhere), no plugins, no `<base>`,
forms post only to Heard, and no other site may frame the page. The pages it guards obey it:
their scripts and styles are files under `static/` and htmx's own indicator style is off
(`htmx-config` in `base.html`).
"""

from __future__ import annotations

from django.http import HttpResponse

MAIL_PAGE_CSP = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def guard_mail_page(response: HttpResponse) -> HttpResponse:
    """`response` under `MAIL_PAGE_CSP`."""
    response["Content-Security-Policy"] = MAIL_PAGE_CSP
    return response
