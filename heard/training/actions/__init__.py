"""The training studio's workflows: every write goes through these (views, jobs, the demo and
tests all call them). `check_*` validates and authorises; the others write.

- `base`: refusals (`TrainingError` with a `TrainingCode`) and the coach as stored.
- `cases`: the shipped cases kept in step; a solved ticket made a case (anonymised).
- `practice`: written-tone exercises and role-plays with the simulated customer.
- `live`: live role-plays between two people.
- `assignments`: practice a lead gives, with a due date.
- `replies`: the coach's judgement of every reply agents send.
"""

from heard.training.actions.assignments import assign, check_assign
from heard.training.actions.base import TrainingCode, TrainingError
from heard.training.actions.cases import (
    check_ticket_for_case,
    load_shipped_cases,
    make_case_from_ticket,
    preview_ticket_case,
)
from heard.training.actions.live import (
    check_partner,
    check_player,
    end_live,
    partners_for,
    say_in_live,
    start_live,
    switch_roles,
)
from heard.training.actions.practice import (
    name_feelings,
    reply_in_role_play,
    start_exercise,
    start_role_play,
    submit_reply,
    submit_rewrite,
    transcript_of,
)
from heard.training.actions.replies import record_reply_coaching

__all__ = [
    "TrainingCode",
    "TrainingError",
    "assign",
    "check_assign",
    "check_partner",
    "check_player",
    "check_ticket_for_case",
    "end_live",
    "load_shipped_cases",
    "make_case_from_ticket",
    "name_feelings",
    "partners_for",
    "preview_ticket_case",
    "record_reply_coaching",
    "reply_in_role_play",
    "say_in_live",
    "start_exercise",
    "start_live",
    "start_role_play",
    "submit_reply",
    "submit_rewrite",
    "switch_roles",
    "transcript_of",
]
