"""The Content-Security-Policy every page is sent under.

`heard.mail.parsing.sanitize` is the first layer against a customer's HTML mail (it lets no
script, style, form or remote image through); this policy is the second, in case a sanitiser bug
lets one through, and guards every other page the same way: scripts, styles, images and requests
only from Heard itself (so no inline script, no style attribute, no remote image or tracking
pixel, no CSS `url()` to elsewhere), no plugins, no `<base>`, forms post only to Heard, and no
other site may frame the page. The pages obey it: their scripts and styles are files under
`static/`, htmx's own indicator style is off (`htmx-config` in `base.html`), and the browser tests
fail on any violation the pages cause.

`ContentSecurityPolicyMiddleware` (in MIDDLEWARE) sends `PAGE_CSP` with every response that has
no policy of its own; a view that needs another sets its own header (`guard_mail_page` keeps the
mail pages' policy explicit where they are served).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

PAGE_CSP = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
MAIL_PAGE_CSP = PAGE_CSP  # the pages that show a customer's HTML mail: no looser than any other
HEADER = "Content-Security-Policy"


def guard_mail_page(response: HttpResponse) -> HttpResponse:
    """`response` under `MAIL_PAGE_CSP`."""
    response[HEADER] = MAIL_PAGE_CSP
    return response


class ContentSecurityPolicyMiddleware:
    """Sends `PAGE_CSP` with every response that does not carry a policy of its own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if HEADER not in response:
            response[HEADER] = PAGE_CSP
        return response
