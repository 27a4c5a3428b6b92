"""The email package, used so that hostile bytes cannot make it raise.

`POLICY` is `email.policy.default` with two changes:

- A header that the structured header parser cannot read (CPython's parameter parser raises
  IndexError on some malformed parameters, e.g. a trailing `filename*`) becomes an
  unstructured header instead of an exception. Content-Type and friends stay plain strings
  then, which is all that `get_content_type()`, `get_param()` and `get_filename()` need.
- Headers are written back as they came (`refold_source="none"`), so that re-serialising an
  attached message (`as_bytes()`) never re-encodes 8-bit bytes it cannot represent.
- Each part parses each header once (`_Message`): the default policy builds a structured
  header on every read, and reading one email asks for its Content-Type some twenty times
  (`get_content_type()`, `get_param()`, `get_filename()` and the like all read it).

`children()` reads a part's sub-parts without `get_payload()`'s charset decoding of text
payloads, which raises ValueError for a charset name with a NUL byte in it. `walk()` and
`nesting()` stop at `MAX_DEPTH`: `Message.walk()` and the generator recurse once per level
and a MIME bomb nests thousands deep.
"""

from __future__ import annotations

from collections.abc import Iterator
from email import message_from_bytes, policy
from email.headerregistry import BaseHeader, HeaderRegistry
from email.message import EmailMessage, Message
from typing import Any, cast


class _TolerantHeaders(HeaderRegistry):
    def __call__(self, name: str, value: str) -> BaseHeader:
        try:
            return super().__call__(name, value)
        except Exception:  # the parser's own bugs, whatever they raise
            return self["x-heard-unparsable"](name, value)


class _Message(EmailMessage):
    """An `EmailMessage` that keeps each header it parsed, for the raw (name, value) pair it
    parsed it from: a header set, changed or removed later is a new pair, parsed anew."""

    def get(self, name: str, failobj: Any = None) -> Any:
        name = name.lower()
        for item in self._raw_headers():
            if item[0].lower() == name:
                return self._parsed(item)
        return failobj

    def get_all(self, name: str, failobj: Any = None) -> Any:
        name = name.lower()
        found = [self._parsed(item) for item in self._raw_headers() if item[0].lower() == name]
        return found or failobj

    def _raw_headers(self) -> list[tuple[str, str]]:
        return self._headers  # type: ignore[attr-defined,no-any-return]  # the email package's own

    def _parsed(self, item: tuple[str, str]) -> Any:
        parsed: dict[int, tuple[tuple[str, str], Any]] | None
        parsed = self.__dict__.get("_parsed_headers")
        if parsed is None:
            parsed = self.__dict__["_parsed_headers"] = {}
        kept = parsed.get(id(item))
        if kept is not None and kept[0] is item:  # (the pair is kept, so its id is not reused)
            return kept[1]
        value = self.policy.header_fetch_parse(*item)
        parsed[id(item)] = (item, value)
        return value


POLICY = policy.default.clone(
    header_factory=_TolerantHeaders(), refold_source="none", message_factory=_Message
)
MAX_DEPTH = 20  # deeper nesting is a MIME bomb, not mail


def parse_bytes(raw: bytes) -> Message:
    """`raw` as a message, read with `POLICY`."""
    return message_from_bytes(raw, policy=POLICY)


def children(part: Message) -> list[Message]:
    """The sub-parts of a multipart or message/* part; none for any other part."""
    payload = part.get_payload() if part.is_multipart() else None
    # A multipart's payload is its list of sub-messages; get_payload() is typed for every case.
    return cast(list[Message], payload) if isinstance(payload, list) else []


def walk(msg: Message, *, into_messages: bool = True, depth: int = 0) -> Iterator[Message]:
    """`msg` and its parts, depth first, down to `MAX_DEPTH` levels."""
    yield msg
    if depth < MAX_DEPTH and (into_messages or msg.get_content_maintype() == "multipart"):
        for part in children(msg):
            yield from walk(part, into_messages=into_messages, depth=depth + 1)


def nesting(msg: Message) -> int:
    """How many levels of parts `msg` has, counted up to `MAX_DEPTH` + 1."""
    return _nesting(msg, 0)


def _nesting(msg: Message, depth: int) -> int:
    if depth > MAX_DEPTH:
        return depth
    return max((_nesting(part, depth + 1) for part in children(msg)), default=depth)


def as_bytes(msg: Message) -> bytes:
    """`msg` written back as bytes, headers and 8-bit content as they came.

    The bytes generator fails on a multipart whose boundary was never found (it writes the
    body out through a lossy decode); such a message is written as text instead.
    """
    try:
        return msg.as_bytes(policy=POLICY)
    except UnicodeEncodeError:
        return msg.as_string(policy=POLICY).encode("utf-8", "surrogateescape")
