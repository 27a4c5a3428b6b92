"""Desk jobs: thin adapters over actions, run in-process or on Celery."""

from __future__ import annotations

from heard.desk import actions
from heard.jobs import job


@job
def watchdog() -> int:
    return actions.run_watchdog()


@job
def close_solved() -> int:
    return actions.close_solved_tickets()


@job
def read_message(message_id: int) -> None:
    actions.read_customer_message(message_id)
