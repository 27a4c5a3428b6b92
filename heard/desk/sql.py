"""Quoted table names for the few queries the desk writes out as SQL (the forecast's live queue,
the round-robin choice): the ORM took milliseconds to compile them as subqueries on every email.
Only these names are put into SQL text; every value stays a parameter."""

from __future__ import annotations

from functools import cache

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Model

from heard.desk.models import Agent, Message, Ticket


@cache
def tables() -> dict[str, str]:
    """{agents, agent_teams, users, tickets, messages}: each model's table, quoted."""
    quote = connection.ops.quote_name
    models: dict[str, type[Model]] = {
        "agents": Agent,
        "agent_teams": Agent.teams.through,
        "users": get_user_model(),
        "tickets": Ticket,
        "messages": Message,
    }
    return {name: quote(model._meta.db_table) for name, model in models.items()}
