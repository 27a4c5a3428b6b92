"""The shape of a draft: whose words are whose, sentences, greeting, sign-off and scopes."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from itertools import pairwise

from heard.engine.coaching._data import words

Span = tuple[int, int]

# Customer words inside the draft: quoted lines, quoted history, and text in quotation marks.
_QUOTED_LINE = re.compile(r"^[ \t]*>.*$", re.MULTILINE)
_HISTORY = re.compile(
    r"^[ \t]*(?:On .{1,200} wrote:|-{2,} ?Original Message ?-{2,}|From: .+@.+)[ \t]*$",
    re.MULTILINE,
)
_INLINE_QUOTE = re.compile(r'"[^"\n]{1,400}"|“[^”\n]{1,400}”|„[^“”\n]{1,400}[“”]|«[^»\n]{1,400}»')
_SENTENCE_END = re.compile(r"[.!?]+[)\"”\u2019]*[ \t]+(?=\S)")
_LINE = re.compile(r"[^\n]+")
_GREETING = re.compile(
    r"[ \t]*(?:hi|hello|hey|hiya|dear|greetings|good (?:morning|afternoon|evening)|to whom)\b"
    r"[^,\n!:.?]{0,60}?(?:[,!:.]+|[ \t]*$)",
    re.IGNORECASE,
)
_CLOSING = re.compile(
    r"(?:best|kind(?:est)? regards|warm(?:est)? regards|regards|best regards|best wishes|"
    r"all the best|cheers|thanks|thank you|many thanks|sincerely|yours|warmly|with kind regards|"
    r"with best regards|take care|stay safe|good luck|speak soon|talk soon)\b",
    re.IGNORECASE,
)
_NAME_LINE = re.compile(r"[A-ZÀ-Þ][\w.'\u2019&-]*(?: [\w.'\u2019&-]+){0,3}")
_CLAUSE_STOP = re.compile(r"[.,;:!?()\n\u2013\u2014\"\u201c\u201d]")
_LIST_MARK = re.compile(r"^\s*(?:\d+[.)]|[-*•])\s*")
_TOKEN = re.compile(r"[\w'\u2019]+")
CAPS = re.compile(r"(?<![\w'\u2019])[^\W\d_]{2,}(?:['\u2019][^\W\d_]+)?(?![\w'\u2019])")
_CAPS_GAP = re.compile(r"[ \t,;:&/-]*")
STACKED = re.compile(r"(?<![!?])[!?]{2,}")  # "!!", "?!": shouting when it holds a "!"


@dataclass(frozen=True, slots=True)
class Layout:
    """A draft split into the agent's sentences, with the customer's quoted words set apart."""

    text: str
    quoted: tuple[Span, ...]
    sentences: tuple[Span, ...]
    greeting: Span | None
    signoff: Span | None

    def in_quote(self, start: int, end: int) -> bool:
        """Whether a span begins or ends inside the customer's quoted words (a span may run
        across a quoted title: refer to our article "Lost your device?" which explains ...)."""
        return any(q_s <= start < q_e or q_s < end <= q_e for q_s, q_e in self.quoted)

    def sentence_of(self, pos: int) -> int:
        """Index of the sentence holding pos (the one before it, between sentences)."""
        return max(0, bisect_right([s for s, _ in self.sentences], pos) - 1)

    def agent_text(self) -> str:
        """The draft with the customer's quoted words blanked out (offsets kept)."""
        chars = list(self.text)
        for start, end in self.quoted:
            chars[start:end] = " " * (end - start)
        return "".join(chars)


def lay_out(text: str) -> Layout:
    quoted = _quoted_spans(text)
    sentences = tuple(_sentences(text, quoted))
    return Layout(text, quoted, sentences, _greeting(text, quoted), _signoff(text, quoted))


def _quoted_spans(text: str) -> tuple[Span, ...]:
    spans = [m.span() for m in _QUOTED_LINE.finditer(text)]
    spans += [m.span() for m in _INLINE_QUOTE.finditer(text)]
    if history := _HISTORY.search(text):
        spans.append((history.start(), len(text)))
    return tuple(sorted(spans))


def _inside(spans: tuple[Span, ...], start: int, end: int) -> bool:
    return any(s <= start and end <= e for s, e in spans)


def _lines(text: str, quoted: tuple[Span, ...]) -> list[Span]:
    return [
        m.span()
        for m in _LINE.finditer(text)
        if m.group().strip() and not _inside(quoted, m.start(), m.end())
    ]


def _sentences(text: str, quoted: tuple[Span, ...]) -> list[Span]:
    abbreviations = words("abbreviations")
    spans = []
    for line_start, line_end in _lines(text, quoted):
        start = line_start
        for m in _SENTENCE_END.finditer(text, line_start, line_end):
            before = _TOKEN.findall(text[start : m.start() + 1])
            if before and (
                before[-1].lower() in abbreviations
                or (before == [before[-1]] and before[-1].isdigit())
            ):
                continue
            spans.append(_trimmed(text, start, m.end()))
            start = m.end()
        spans.append(_trimmed(text, start, line_end))
    return [s for s in spans if s[1] > s[0]]


def _trimmed(text: str, start: int, end: int) -> Span:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _greeting(text: str, quoted: tuple[Span, ...]) -> Span | None:
    lines = _lines(text, quoted)
    if not lines:
        return None
    match = _GREETING.match(text, lines[0][0], lines[0][1])
    if not match or len(match.group().split()) > 6:
        return None
    return _trimmed(text, *match.span())


def _signoff(text: str, quoted: tuple[Span, ...]) -> Span | None:
    """The closing line ("Best,") and the name lines under it, or a bare name line at the end."""
    lines = _lines(text, quoted)[1:]  # the first line is never a sign-off
    names: list[Span] = []
    for start, end in reversed(lines):
        line = text[start:end].strip()
        if _is_closing(line):
            return start, names[-1][1] if names else end
        if len(names) < 3 and _is_name_line(line):
            names.insert(0, (start, end))
            continue
        break
    return (names[0][0], names[-1][1]) if names else None


def _is_closing(line: str) -> bool:
    return bool(_CLOSING.match(line)) and len(line.split()) <= 6 and not line.endswith((".", "?"))


def _is_name_line(line: str) -> bool:
    if not _NAME_LINE.fullmatch(line) or _GREETING.match(line):
        return False
    connectors = words("name_connectors")
    return all(w[0].isupper() or w.lower() in connectors for w in line.split()[1:])


def clause_before(text: str, start: int) -> list[str]:
    """Lower-cased words between the start of pos's clause and pos."""
    window = text[max(0, start - 80) : start]
    stops = list(_CLAUSE_STOP.finditer(window))
    if stops:
        window = window[stops[-1].end() :]
    return [t.lower() for t in _TOKEN.findall(_LIST_MARK.sub("", window))]


def negated(text: str, start: int) -> bool:
    """Whether a negation governs the words at start ("you don't need to read the manual")."""
    tokens = clause_before(text, start)[-6:]
    breakers = words("scope_breakers")
    for i in range(len(tokens) - 1, -1, -1):
        if tokens[i] in breakers:
            tokens = tokens[i + 1 :]
            break
    negators = words("negators")
    if any(t in negators or t.endswith(("n't", "n\u2019t")) for t in tokens):
        return True
    pairs = {f"{a} {b}" for a, b in pairwise(tokens)}
    return bool(pairs & words("negating_pairs"))


def opens_clause(text: str, start: int) -> bool:
    """Whether only fillers ("please", "just", a list number) stand before start in its clause."""
    fillers = words("clause_fillers")
    return all(t in fillers for t in clause_before(text, start))


def fold(text: str) -> str:
    """Case- and accent-insensitive form, for matching names."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def shouted_runs(text: str) -> list[tuple[int, int]]:
    """Spans of words in capitals that read as raised voice (acronyms such as PDF do not)."""
    return [(s, e) for s, e in _caps_runs(text) if _is_shouted(text[s:e])]


def _caps_runs(text: str) -> list[tuple[int, int]]:
    """Spans of consecutive fully capitalised words."""
    runs: list[tuple[int, int]] = []
    for match in CAPS.finditer(text):
        if not match.group().isupper():
            continue
        gap = text[runs[-1][1] : match.start()] if runs else None
        if gap is not None and _CAPS_GAP.fullmatch(gap):
            runs[-1] = (runs[-1][0], match.end())
        else:
            runs.append(match.span())
    return runs


def _is_shouted(run: str) -> bool:
    tokens = [t.lower() for t in CAPS.findall(run)]
    acronyms, emphasis = words("acronyms"), words("emphasis")
    loud = [t for t in tokens if t in emphasis or (len(t) > 4 and t not in acronyms)]
    return len(tokens) >= 3 or bool(loud)
