"""The emails the API app writes (declared for `heard.mail.kinds`; wording in data/)."""

from __future__ import annotations

from heard.mail.kinds import Audience, Caps, declare

#: To whoever set up a webhook and the team's lead, when Heard switches a failing one off.
WEBHOOK_DISABLED = declare(
    code="webhook_off",
    label="Webhook switched off",
    audience=Audience.STAFF,
    auto_submitted="auto-generated",
    caps=Caps.STAFF,
    wording=("heard.api", "webhook.toml"),
)
