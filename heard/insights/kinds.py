"""The email insights writes (declared for `heard.mail.kinds`; wording in data/)."""

from __future__ import annotations

from heard.mail.kinds import Audience, Caps, declare

WEEKLY_DIGEST = declare(
    code="insights_week",
    label="Weekly insights digest",
    audience=Audience.STAFF,
    auto_submitted="auto-generated",
    caps=Caps.STAFF,
    wording=("heard.insights", "digest.toml"),
)
