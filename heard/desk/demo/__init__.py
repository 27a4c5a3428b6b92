"""Realistic demo data: three teams, their agents, 230 customers and 320 conversations.

`load_demo()` builds everything through the real desk actions with timestamps relative to `now`
(the last ~30 days, busiest in the last few), so SLA clocks, audit events, round-robin assignment
and escalations are genuine. A fixed seed makes the data the same on every load.

- `people`: the teams, agents and customers.
- `scripts`: one ticket's steps and the conversation arcs they follow.
- `timing`: when each step happens, in business hours where agents are at work.
- `slots`: the details that make each ticket its own.
- `plans`: one ticket planned from all of the above.
- `loader`: loading (rows through the desk actions, plans replayed) and resetting.
- `text`: the words.
"""

from __future__ import annotations

from heard.desk.demo.loader import DemoError, DemoSummary, demo_loaded, load_demo, reset_demo
from heard.desk.demo.people import DEMO_PASSWORD, LOGINS, TEAM_SLUGS
from heard.desk.demo.slots import example_slots

__all__ = [
    "DEMO_PASSWORD",
    "LOGINS",
    "TEAM_SLUGS",
    "DemoError",
    "DemoSummary",
    "demo_loaded",
    "example_slots",
    "load_demo",
    "reset_demo",
]
