"""The shape of a draft: whose words are whose, sentences, greeting, sign-off and scopes."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise

from heard.engine.coaching._data import load, words

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
_FORMAL = re.compile(
    r"(?:(?:with )?(?:kind(?:est)?|warm(?:est)?|best) regards|regards|sincerely|yours sincerely|"
    r"yours faithfully|yours truly|best wishes|warm wishes|kind wishes)\b",
    re.IGNORECASE,
)
_NAME_LINE = re.compile(r"[A-ZÀ-Þ][\w.'\u2019&-]*(?: [\w.'\u2019&-]+){0,3}")
_CLAUSE_STOP = re.compile(r"[.,;:!?()\n\u2013\u2014\"\u201c\u201d]")
_LIST_MARK = re.compile(r"^\s*(?:\d+[.)]|[-*•])\s*")
_TOKEN = re.compile(r"[\w'\u2019]+")
_AFTER_ANY_END = 2**63  # (pos, this) sorts after every sentence that starts at pos
CAPS = re.compile(r"(?<![\w'\u2019])[^\W\d_]{2,}(?:['\u2019][^\W\d_]+)?(?![\w'\u2019])")
_CAPS_GAP = re.compile(r"[ \t,;:&/-]*")
STACKED = re.compile(r"(?<![!?])[!?]{2,}")  # "!!", "?!": shouting when it holds a "!"
_LETTERS = re.compile(r"(?<![\w'\u2019-])[^\W\d_]+(?:['\u2019][^\W\d_]+)?(?![\w'\u2019-])")
_DATE_NAME = re.compile(
    r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b|"
    r"(?<=\d )(?:january|february|march|april|may|june|july|august|september|october|"
    r"november|december)\b|\b(?:january|february|march|april|may|june|july|august|september|"
    r"october|november|december)(?= \d)"
)


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
        return max(0, bisect_right(self.sentences, (pos, _AFTER_ANY_END)) - 1)

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
    abbreviations, before_numbers = words("abbreviations"), words("number_abbreviations")
    spans = []
    for line_start, line_end in _lines(text, quoted):
        start = line_start
        for m in _SENTENCE_END.finditer(text, line_start, line_end):
            before = _TOKEN.findall(text[start : m.start() + 1])
            last = before[-1].lower() if before else ""
            if before and (
                last in abbreviations
                or (last in before_numbers and text[m.end() : m.end() + 1].isdigit())
                or (before == [before[-1]] and last.isdigit() and len(last) <= 2)  # "4. Then"
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


def closings(layout: Layout, start: int, end: int, names: Iterable[str] = ()) -> list[Span]:
    """Sign-offs between start and end, where the layout's own sign-off (the last lines) is
    not: a closing line with the name lines under it and more text after them ("Best,\nAnna\n
    \nP.S. ..."), or a closing sentence with a name, or a formal one, written into the body
    ("... today. Regards, Support Team."). Never the draft's first line or the body's first
    sentence, and never a closing that names the customer ("Thanks, Maria.")."""
    text, found = layout.text, []
    all_lines = _lines(text, layout.quoted)
    lines = [(max(s, start), e) for s, e in all_lines if s < end and start < e]
    taken = -1
    for i, (s, e) in enumerate(lines):
        if s == all_lines[0][0]:  # the first line is never a sign-off
            continue
        line = text[s:e].strip()
        names_under = _names_under(text, lines[i + 1 :])
        if e <= taken or not _is_closing(line):
            continue
        if line.endswith(",") or names_under or _FORMAL.match(line):
            block_end = names_under[-1][1] if names_under else e
            found.append((s, block_end))
            taken = block_end
    body = [(max(s, start), e) for s, e in layout.sentences if s < end and start < e]
    for s, e in body[1:]:
        if any(f_s <= s < f_e for f_s, f_e in found):
            continue
        if _closing_sentence(text[s:e], names):
            found.append((s, e))
    return sorted(found)


def _names_under(text: str, lines: list[Span]) -> list[Span]:
    names: list[Span] = []
    for s, e in lines[:3]:
        if not _is_name_line(text[s:e].strip()):
            break
        names.append((s, e))
    return names


def _closing_sentence(sentence: str, names: Iterable[str]) -> bool:
    """ "Regards, Support Team.", "Kind regards, Anna", "Best regards." (not "Thanks, Maria.",
    nor "Thanks for waiting.")."""
    match = _CLOSING.match(sentence)
    if not match:
        return False
    rest = sentence[match.end() :].strip().rstrip(".!")
    if not rest:
        return bool(_FORMAL.match(sentence))
    if not rest.startswith(","):
        return False
    name = rest[1:].strip()
    folded = {fold(n) for n in names}
    return bool(name) and _is_name_line(name) and not set(map(fold, name.split())) & folded


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


def unshout(sentence: str) -> str:
    """Shouted capitals in lower case, "!!!" as "!". Acronyms keep theirs (but "IT" and "US"
    inside a shouted run are pronouns); in a sentence that shouts, so do the words in capitals
    around the run ("WE ANSWERED ON 12 MAY": "We answered on 12 May")."""
    acronyms, pronouns = words("acronyms"), set(load("suggest.toml")["unshout"]["pronouns"])
    runs = shouted_runs(sentence)

    def lower(match: re.Match[str]) -> str:
        word = match.group()
        key = word.lower()
        in_run = any(s <= match.start() < e and len(sentence[s:e].split()) > 1 for s, e in runs)
        keep = key in acronyms and not (in_run and key in pronouns)
        return word if keep or word == "I" or not word.isupper() else key

    calm = _LETTERS.sub(lower, sentence) if runs else sentence
    calm = _DATE_NAME.sub(lambda m: m.group()[:1].upper() + m.group()[1:], calm) if runs else calm
    calm = STACKED.sub(lambda m: "?" if "?" in m.group() else "!", calm)
    return calm[:1].upper() + calm[1:]


def _replaced(text: str, edits: list[tuple[int, int, str]]) -> str:
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    return text
