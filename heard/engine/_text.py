"""What the customer wrote now: quoted history, signatures and disclaimers left out.

The mail app reuses `new_text()` on email bodies. The engine itself uses `history_spans()`, which
returns the left-out parts as spans of the original text, so that every offset the engine reports
points into the text the caller passed in.
"""

from __future__ import annotations

import re

from heard.engine._types import Span

# Everything from one of these lines to the end of the body is earlier mail.
_HISTORY_START = re.compile(
    r"""^[ \t]*(?:
        -{2,}[ \t]*(?:original[ \t]+message|forwarded[ \t]+message)[ \t]*-{2,}
      | begin[ \t]+forwarded[ \t]+message:
      | _{10,}
      | (?:on|am|le|el|op)\b(?=[^\n]*\d)[^\n]{0,200}?(?:\n[^\n]{0,200}?)?
        (?:wrote|schrieb|a[ \t]+écrit|escribió|schreef)[ \t]*:
    )[ \t]*$""",
    re.IGNORECASE | re.MULTILINE | re.VERBOSE,
)
# An Outlook header block: "From:" followed within a few lines by "Sent:" or "Date:".
_OUTLOOK_HEADER = re.compile(
    r"^[ \t]*\*?from:\*?[^\n]*\n(?:[^\n]*\n){0,3}?[ \t]*\*?(?:sent|date):",
    re.IGNORECASE | re.MULTILINE,
)
_QUOTED_LINE = re.compile(r"^[ \t]*>[^\n]*(?:\n|$)", re.MULTILINE)
_SIGNATURE_DELIMITER = re.compile(r"^--[ \t]?$", re.MULTILINE)
_SENT_FROM = re.compile(
    r"^[ \t]*(?:sent[ \t]+from[ \t]+my[ \t]+\S[^\n]{0,40}|get[ \t]+outlook[ \t]+for[ \t]+\S+)"
    r"[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
# A closing line ("Best regards,") followed only by a few short lines (name, role, phone).
_VALEDICTION = re.compile(
    r"""^[ \t]*(?:(?:best|kind|warm|warmest|many|with)[ \t]+)?
        (?:regards|wishes|thanks|thank[ \t]+you|cheers|best|sincerely|yours[ \t]+(?:truly|sincerely)
          |all[ \t]+the[ \t]+best|take[ \t]+care|thanks[ \t]+in[ \t]+advance)
        [ \t]*(?:,[ \t]*\n|[,.!]?[ \t]*\n(?:[ \t]*[^\n]{1,60}\n){1,4})\s*\Z""",
    re.IGNORECASE | re.MULTILINE | re.VERBOSE,
)
_DISCLAIMER = re.compile(
    r"confidential|intended\s+(?:solely\s+|only\s+)?for\s+the|received\s+this\s+(?:e-?mail|message)"
    r"\s+in\s+error|privileged|disclaimer|please\s+consider\s+the\s+environment",
    re.IGNORECASE,
)
# Possessive: the plain form keeps a backtracking entry per character (100 MB for a 1 MB text).
_PARAGRAPH = re.compile(r"(?:[^\n]++|\n(?![ \t]*\n))++")


def history_spans(text: str) -> list[Span]:
    """The parts of `text` that are not what the customer wrote now, in order, not overlapping."""
    end = _history_start(text)
    spans = [Span(m.start(), m.end(), "quoted line") for m in _QUOTED_LINE.finditer(text, 0, end)]
    spans += _disclaimers(text, end)
    tail = _signature_start(mask(text[:end], spans))
    if tail < end:
        spans.append(Span(tail, end, "signature"))
    if end < len(text):
        spans.append(Span(end, len(text), "quoted history"))
    return _merged(spans)


def new_text(body: str) -> str:
    """The text of `body` without quoted history, signatures and legal disclaimers."""
    kept = []
    cursor = 0
    for span in history_spans(body):
        kept.append(body[cursor : span.start])
        cursor = span.end
    kept.append(body[cursor:])
    lines = [line.rstrip() for line in "".join(kept).splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def mask(text: str, spans: list[Span]) -> str:
    """`text` with each span blanked out (newlines kept), so that offsets stay the same."""
    parts = []
    cursor = 0
    for span in spans:
        parts.append(text[cursor : span.start])
        parts.append(re.sub(r"[^\n]", " ", text[span.start : span.end]))
        cursor = span.end
    parts.append(text[cursor:])
    return "".join(parts)


def _history_start(text: str) -> int:
    starts = [m.start() for m in (_HISTORY_START.search(text), _OUTLOOK_HEADER.search(text)) if m]
    return min(starts, default=len(text))


def _signature_start(head: str) -> int:
    """Where the signature begins; a "signature" with no text before it is the message itself."""
    found = (
        _SIGNATURE_DELIMITER.search(head),
        _SENT_FROM.search(head),
        _VALEDICTION.search(head.rstrip() + "\n"),
    )
    starts = [m.start() for m in found if m and any(ch.isalnum() for ch in head[: m.start()])]
    return min(starts, default=len(head))


def _disclaimers(text: str, end: int) -> list[Span]:
    return [
        Span(m.start(), m.end(), "disclaimer")
        for m in _PARAGRAPH.finditer(text, 0, end)
        if len(_DISCLAIMER.findall(m.group())) >= 2
    ]


def _merged(spans: list[Span]) -> list[Span]:
    merged: list[Span] = []
    for span in sorted(spans, key=lambda s: s.start):
        if merged and span.start < merged[-1].end:
            last = merged.pop()
            span = Span(last.start, max(last.end, span.end), last.label)
        merged.append(span)
    return merged
