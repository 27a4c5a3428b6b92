"""Each insights page's figures, added up from the rollup rows (see `common` for the
arithmetic): `speed`, `empathy`, `calm` (de-escalation) and `care` (satisfaction)."""

from heard.insights.figures import calm, care, empathy, speed
from heard.insights.figures.common import (
    Cell,
    Context,
    Names,
    Page,
    Row,
    Section,
    Table,
    median,
    p90,
)

__all__ = [
    "Cell",
    "Context",
    "Names",
    "Page",
    "Row",
    "Section",
    "Table",
    "calm",
    "care",
    "empathy",
    "median",
    "p90",
    "speed",
]
