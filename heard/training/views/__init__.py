"""The studio's pages, one module per part: `cases` (front page, case card, case from a ticket),
`practice` (exercise and role-play), `live` (two people) and `team` (attempts, progress, the
lead's page, "Why empathy pays"). Each view: the access helper, a form, one action, a response.
"""

from heard.training.views.cases import case_detail, home, ticket_case, ticket_case_lookup
from heard.training.views.live import live, live_end, live_say, live_switch, start_live
from heard.training.views.practice import (
    exercise,
    exercise_feelings,
    exercise_reply,
    role_play,
    role_play_reply,
    start_exercise,
    start_role_play,
)
from heard.training.views.team import assign, attempts, progress_page, team, why_empathy_pays

__all__ = [
    "assign",
    "attempts",
    "case_detail",
    "exercise",
    "exercise_feelings",
    "exercise_reply",
    "home",
    "live",
    "live_end",
    "live_say",
    "live_switch",
    "progress_page",
    "role_play",
    "role_play_reply",
    "start_exercise",
    "start_live",
    "start_role_play",
    "team",
    "ticket_case",
    "ticket_case_lookup",
    "why_empathy_pays",
]
