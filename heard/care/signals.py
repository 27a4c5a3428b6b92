"""What the care app announces, so that other apps (the API's webhooks) can act on it.

Each signal is sent inside the transaction that recorded the change, like the desk's
(`heard.desk.signals`): a receiver that does slow work or sends anything queues a job
(`heard.jobs.enqueue`), which runs only after the commit.
"""

from __future__ import annotations

from django.dispatch import Signal

#: A customer answered a satisfaction survey (or changed their answer). Arguments: survey (a
#: care Survey, its ticket loaded).
survey_answered = Signal()
#: A customer answered a follow-up (or changed their answer). Arguments: follow_up (a care
#: FollowUp, its ticket loaded), ticket (where the request goes on: the ticket, or the
#: follow-up ticket a closed one goes on in).
follow_up_answered = Signal()
