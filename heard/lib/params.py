"""Ids from a request's parameters, read so that no value can make a page fail.

`"²".isdigit()` is true and `int("²")` raises; `int()` of a 5,000-digit string raises too
(Python refuses more than 4,300 digits), and a 30-digit id overflows the database's integer. A
page that reads an id from its query string or form uses `id_param`, and answers a value that
is no id as a bad request or as "not found", never with a server error.
"""

from __future__ import annotations

MAX_ID_DIGITS = 18  # every id fits: a signed 64-bit integer has up to 19 digits


def id_param(value: str | None) -> int | None:
    """`value` as a database id, or None when it is none: empty, not plain ASCII digits, or
    longer than any id."""
    if not value or len(value) > MAX_ID_DIGITS or not (value.isascii() and value.isdigit()):
        return None
    return int(value)


def id_params(values: list[str]) -> list[int]:
    """The values that are ids, as ids."""
    return [found for value in values if (found := id_param(value)) is not None]
