"""What the desk announces, so that other apps (mail) can act without the desk knowing them.

Each is sent inside the transaction that made the change; receivers that do slow work queue a
job, which runs after the commit.
"""

from __future__ import annotations

from django.dispatch import Signal

#: An agent's reply was posted. Arguments: message (a desk Message, direction agent).
agent_replied = Signal()
#: A duplicate ticket was merged into another. Arguments: duplicate_id, into_id.
tickets_merged = Signal()
#: The watchdog escalated tickets because their customers wrote again with no answer.
#: Arguments: ticket_ids (list of int).
written_again_unanswered = Signal()
#: The demo desk was loaded (`heard demo`), so apps can add theirs. Arguments: now (datetime).
demo_loaded = Signal()
