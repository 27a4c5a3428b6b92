"""Cursor pagination: a page is the rows after the last one of the page before, in a fixed order.

A cursor is the signed sort key of the last row served (so it cannot be forged into another
query), and the next page is one indexed range query, however deep: no OFFSET, and rows added
or changed meanwhile never make a page repeat or skip one that stayed put.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from django.core import signing
from django.db.models import F, Model, Q, QuerySet
from django.db.models.expressions import OrderBy

from heard.api.errors import ApiError
from heard.desk.errors import ErrorCode

M = TypeVar("M", bound=Model)
_SALT = "heard.api.cursor"
MAX_LIMIT = 100


@dataclass(frozen=True)
class Key:
    """One sort key: a field, its direction, and whether it may be null (nulls come last)."""

    field: str
    descending: bool = False
    nullable: bool = False

    def order(self) -> OrderBy:
        expression = F(self.field)
        if self.descending:
            return expression.desc(nulls_last=True) if self.nullable else expression.desc()
        return expression.asc(nulls_last=True) if self.nullable else expression.asc()

    def beyond(self, value: Any) -> Q:
        """Rows after `value` in this key's order."""
        if value is None:  # nulls come last: nothing is after a null but other nulls
            return Q(pk__in=[])
        after = Q(**{f"{self.field}__{'lt' if self.descending else 'gt'}": value})
        return after | Q(**{f"{self.field}__isnull": True}) if self.nullable else after

    def same(self, value: Any) -> Q:
        if value is None:
            return Q(**{f"{self.field}__isnull": True})
        return Q(**{self.field: value})


@dataclass(frozen=True)
class Ordering:
    """A named order; its last key must be unique (the primary key) so every row has a place."""

    name: str
    keys: tuple[Key, ...]

    def apply(self, rows: QuerySet[M]) -> QuerySet[M]:
        return rows.order_by(*(key.order() for key in self.keys))

    def after(self, values: Sequence[Any]) -> Q:
        """Rows strictly after the row whose sort key is `values`."""
        found, equal = Q(pk__in=[]), Q()
        for key, value in zip(self.keys, values, strict=True):
            found |= equal & key.beyond(value)
            equal &= key.same(value)
        return found

    def values(self, row: Model) -> list[Any]:
        return [_attr(row, key.field) for key in self.keys]


def _attr(row: Model, field: str) -> Any:
    value: Any = row
    for part in field.split("__"):
        value = getattr(value, part)
    return value


def encode(ordering: Ordering, values: Sequence[Any]) -> str:
    plain = [v.isoformat() if isinstance(v, datetime) else v for v in values]
    return signing.dumps([ordering.name, plain], salt=_SALT, compress=True)


def decode(ordering: Ordering, cursor: str) -> list[Any]:
    """The sort key a cursor names; 400 for one that was altered or made for another order."""
    try:
        name, plain = signing.loads(cursor, salt=_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        raise ApiError(400, ErrorCode.INVALID, "This cursor is not one Heard gave.") from None
    if name != ordering.name or len(plain) != len(ordering.keys):
        raise ApiError(400, ErrorCode.INVALID, "This cursor belongs to another order.")
    return [_datetime(v) for v in plain]


def _datetime(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return value
    return value


def page(
    rows: QuerySet[M], ordering: Ordering, cursor: str | None, limit: int
) -> tuple[list[M], str | None]:
    """One page of `rows` after `cursor`, and the cursor of the next page (None at the end).

    The page is found by its ids alone, then its rows are loaded with their joins: sorting
    narrow rows keeps SQLite from sorting every matching row with its joined columns (as the
    console's queue does)."""
    ordered = ordering.apply(rows)
    if cursor:
        ordered = ordered.filter(ordering.after(decode(ordering, cursor)))
    ids = list(ordered.values_list("pk", flat=True)[: limit + 1])
    more = len(ids) > limit
    ids = ids[:limit]
    loaded = rows.order_by().in_bulk(ids)
    found = [loaded[pk] for pk in ids if pk in loaded]
    next_cursor = encode(ordering, ordering.values(found[-1])) if more and found else None
    return found, next_cursor
