"""What surveys and follow-ups share: offering one ticket at a time, and answer windows."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import datetime

log = logging.getLogger(__name__)


def offer_each(
    what: str,
    ticket_ids: Iterable[int],
    offer: Callable[[int, datetime], object | None],
    now: datetime,
) -> tuple[int, set[int]]:
    """Offer on each ticket; (how many were offered, the tickets whose offer failed). A ticket
    whose offer fails is logged and left for the next run, never holding back the others."""
    offered, failed = 0, set[int]()
    for pk in ticket_ids:
        try:
            offered += offer(pk, now) is not None
        except Exception:
            log.exception("could not offer the %s of ticket %s", what, pk)
            failed.add(pk)
    return offered, failed
