"""The training studio's jobs: thin adapters over its actions."""

from __future__ import annotations

from heard.jobs import job
from heard.training import actions


@job
def coach_sent_reply(message_id: int) -> None:
    actions.record_reply_coaching(message_id)
