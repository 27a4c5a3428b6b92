"""What the desk announces, so that other apps (mail) can act without the desk knowing them.

The desk says what happened; the receiving app decides what to do (mail decides what to send).
The desk imports nothing from mail (a test checks it). Each signal is sent inside the
transaction that made the change, so a receiver's rows commit or roll back with it; receivers
that do slow work or send anything queue a job (`heard.jobs.enqueue`), which runs only after
the commit.
"""

from __future__ import annotations

from django.dispatch import Signal

#: An agent's reply was posted. Arguments: message (a desk Message, direction agent).
agent_replied = Signal()
#: A ticket was escalated (its team lead, if it has one, told in the app); sent once for every
#: escalation. Arguments: ticket_id, lead_id (the lead's user id, None for a team with no
#: lead), reason (str).
ticket_escalated = Signal()
#: A duplicate ticket was merged into another. Arguments: duplicate_id, into_id.
tickets_merged = Signal()
#: The watchdog escalated tickets because their customers wrote again with no answer.
#: Arguments: ticket_ids (list of int).
written_again_unanswered = Signal()
#: A customer was forgotten at their request: their words and details are gone from the desk, and
#: every app removes what it keeps of them. Arguments: customer_id, ticket_ids (list of int),
#: addresses (list of str: the email addresses they had).
customer_forgotten = Signal()
#: The demo desk was loaded (`heard demo`), so apps can add theirs. Arguments: now (datetime).
demo_loaded = Signal()
