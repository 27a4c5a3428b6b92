"""The emails the portal writes (declared for `heard.mail.kinds`; wording in data/)."""

from __future__ import annotations

from heard.mail.kinds import Audience, Caps, OptOut, declare

# The sign-in link, sent only because someone asked for it on the sign-in page: limited there
# (per address and per IP), never held back by the caps of mail they did not ask for, and with
# no unsubscribe (it would lock them out of their own requests).
SIGN_IN = declare(
    code="sign_in",
    label="Sign-in link",
    audience=Audience.CUSTOMER,
    auto_submitted="auto-generated",
    caps=Caps.REQUESTED,
    wording=("heard.portal", "sign_in.toml"),
    consent=None,
    opt_out=OptOut.NONE,
    answers=False,
)
