"""Insights' periodic job: a thin adapter over the rollup and the weekly digest."""

from __future__ import annotations

from heard.jobs import job


@job
def roll_up() -> int:
    """Recompute yesterday's and today's figures, then send any weekly digest now due (after the
    rollup, so a digest reads the whole of last week). Returns the rows written."""
    from heard.insights import digest, rollup

    written = rollup.roll_up_recent()
    digest.send_due()
    return written


@job
def backfill(first: str, last: str) -> int:
    """Roll up every day from `first` to `last` (ISO dates): the demo's history, after its
    commit."""
    from datetime import date

    from heard.insights import rollup

    return rollup.backfill(date.fromisoformat(first), date.fromisoformat(last))
