"""The suggestion: the agent's facts, steps and sign-off, with the rest rewritten.

Built in order: a greeting with the customer's name; an acknowledgement fitted to their emotion
that restates what happened to them (only when the draft has none); the agent's sentences, with
shouting toned down and hurtful clauses removed (a sentence is dropped only when nothing sound
is left of it); where the draft has no next step, a placeholder for the agent to fill in (never
a time or promise they did not make), and an offer of more help; the agent's sign-off, last
even where they wrote it mid-text. The whole suggestion is then coached again, as the agent
would see it: a sentence of theirs still raising a harmful finding is dropped and whatever is
missing is added, until nothing is left to raise (tested over every golden draft, and over
drafts answering customers they were not written for).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from heard.engine.coaching._data import instruction_openers, load, words
from heard.engine.coaching._detect import PHRASE_CODES, analyse, name_used
from heard.engine.coaching._mood import Context
from heard.engine.coaching._restate import restatement
from heard.engine.coaching._text import Layout, Span, closings, fold, lay_out, unshout
from heard.engine.coaching._types import CoachConfig, Finding

_REWRITTEN = frozenset(PHRASE_CODES) | {"shouting"}
#: What the suggestion adds when the coach finds it missing, by finding code.
_ADDED = {
    "no_acknowledgement": "acknowledgement",
    "no_next_step": "next",
    "no_offer_more_help": "offer",
}
_CLAUSE_SEP = re.compile(r"\s*(?:[;:\u2013\u2014]|,(?!\d)|\s-\s)\s*")
_WORD = re.compile(r"[\w'\u2019]+")
_LEADING_JOINERS = re.compile(r"^(?:and|but|so|that|because|or|yet)\b[\s,]*", re.I)
_BLANKS = re.compile(r"\n[ \t]*(?:\n[ \t]*)+")
_POSTSCRIPT = re.compile(r"(?m)^[ \t]*P\.?[ \t]?S\.?(?:[ \t]*[:\-\u2013]|[ \t])[ \t]*")
_MIN_WORDS = 4


@dataclass(frozen=True, slots=True)
class _Parts:
    """The suggestion's pieces, in order; `body` is the agent's, rewritten."""

    greeting: str
    body: str
    signoff: str
    adds: frozenset[str] = frozenset()  # "acknowledgement", "next", "offer"
    plain_acknowledgement: bool = False
    closing: int = 0  # which wording of the closing lines (suggest.toml [closings])


def suggest(layout: Layout, findings: tuple[Finding, ...], context: Context) -> str:
    """The suggested wording; every knob it has lives in data/suggest.toml."""
    body, dropped = _rewrite_body(layout, findings, context)
    body = _drop_vocative(body, context) if not layout.greeting else body
    parts = _Parts(_greeting(layout, context), _clean(body, dropped), _signoff(layout, context))
    while True:  # each round drops a sentence or adds a piece, so this ends
        text, spans = _assemble(parts, context)
        better = _mend(parts, spans, analyse(lay_out(text), context), context)
        if better == parts:
            return text
        parts = better


def _mend(
    parts: _Parts, spans: Mapping[str, Span], found: Iterable[Finding], context: Context
) -> _Parts:
    """The parts with what the coach still raises in the whole suggestion put right: the
    agent's sentences that hurt dropped, our own pieces swapped for plainer ones, what is
    missing added."""
    harms: dict[str, list[Finding]] = {}
    adds = set(parts.adds)
    for finding in found:
        if finding.code in _ADDED:
            adds.add(_ADDED[finding.code])
        elif finding.code == "no_name":
            harms.setdefault("greeting", [])
        elif finding.code in _REWRITTEN and finding.start is not None:
            part = next((p for p, (s, e) in spans.items() if s <= finding.start < e), "")
            harms.setdefault(part, []).append(finding)
    better = replace(parts, adds=frozenset(adds))
    if "greeting" in harms:
        better = replace(better, greeting=_our_greeting(context))
    if "acknowledgement" in harms:
        better = replace(better, plain_acknowledgement=True)
    if "closing" in harms and parts.closing + 1 < len(load("suggest.toml")["closings"]):
        better = replace(better, closing=parts.closing + 1)  # e.g. said in an earlier reply
    for part in ("body", "signoff"):
        if part in harms:
            start = spans[part][0]
            moved = [replace(f, start=f.start - start) for f in harms[part] if f.start is not None]
            kept = _drop_sentences(getattr(parts, part), moved)
            if part == "body":
                better = replace(better, body=_clean(kept))
            else:
                better = replace(better, signoff=kept.strip())
    return better


def _assemble(parts: _Parts, context: Context) -> tuple[str, dict[str, Span]]:
    """The suggestion's text, and where each part of it stands."""
    texts = load("suggest.toml")
    pieces: list[tuple[str, str]] = [("greeting", parts.greeting)]
    if "acknowledgement" in parts.adds:
        pieces.append(("acknowledgement", _acknowledgement(context, parts.plain_acknowledgement)))
    pieces.append(("body", parts.body))
    wording = texts["closings"][parts.closing]
    closing = [wording["next_step"]] if "next" in parts.adds else []
    closing += [wording["offer"]] if "offer" in parts.adds else []
    pieces += [("closing", " ".join(closing)), ("signoff", parts.signoff)]
    text, spans = "", {}
    for name, piece in pieces:
        if piece:
            text += "\n\n" if text else ""
            spans[name] = (len(text), len(text) + len(piece))
            text += piece
    return text, spans


def _clean(body: str, dropped: Iterable[str] = ()) -> str:
    """The body tidied: no runs of spaces or blank lines, a capital to start; where a sentence
    sending them off to read was dropped, a placeholder for the answer itself."""
    if "rtfm" in dropped:
        body = f"{body.strip()}\n\n{load('suggest.toml')['instead']['rtfm']}"
    body = re.sub(r"(?m)^[ \t]+|[ \t]+$", "", re.sub(r"(?<=\S)[ \t]{2,}", " ", body))
    body = _BLANKS.sub("\n\n", body).strip()
    return body[:1].upper() + body[1:]


def _rewrite_body(
    layout: Layout, findings: tuple[Finding, ...], context: Context
) -> tuple[str, set[str]]:
    """The draft between greeting and sign-off, sentence by sentence, without a sign-off left
    mid-text (it goes last) or its P.S. label; also the codes dropped."""
    text = layout.text
    start = layout.greeting[1] if layout.greeting else 0
    end = layout.signoff[0] if layout.signoff else len(text)
    moved = closings(layout, start, end, context.names)
    edits: list[tuple[int, int, str]] = [(s - start, e - start, "") for s, e in moved]
    if moved:  # a P.S. no longer follows the sign-off: its label goes
        after = text[moved[0][1] : end]
        edits += [
            (moved[0][1] - start + m.start(), moved[0][1] - start + m.end(), "")
            for m in _POSTSCRIPT.finditer(after)
        ]
    dropped: set[str] = set()
    gone = False  # the sentence before was dropped
    for s_start, s_end in layout.sentences:
        s_start = max(s_start, start)  # a sentence may begin with the greeting: "Hi Jo, ..."
        if any(m_s <= s_start < m_e for m_s, m_e in moved) or s_start >= min(s_end, end):
            continue
        codes = {f.code for f in findings if _overlaps(f, s_start, s_end)} & _REWRITTEN
        if gone and text[s_start].islower():  # its tail: 'see "Lost your device?" which ...'
            new = ""
        elif codes:
            new = _rewrite_sentence(text[s_start:s_end])
            dropped |= codes if not new else set()
        else:
            gone = False
            continue
        edits.append((s_start - start, s_end - start, new))
        gone = not new
    return _apply(text[start:end], edits), dropped


def _signoff(layout: Layout, context: Context) -> str:
    """The agent's sign-off: any written mid-text, then the one the draft ends on."""
    start = layout.greeting[1] if layout.greeting else 0
    end = layout.signoff[0] if layout.signoff else len(layout.text)
    blocks = [layout.text[s:e].strip() for s, e in closings(layout, start, end, context.names)]
    if layout.signoff:
        blocks.append(layout.text[slice(*layout.signoff)].strip())
    return "\n".join(blocks)


def _rewrite_sentence(sentence: str) -> str:
    """The sentence without shouting and without its hurtful clauses; "" if nothing is left."""
    calm = unshout(sentence)
    found = _harms(calm)
    if any(f.code in load("suggest.toml")["drop_sentence_with"] for f in found):
        return ""
    harms = [(f.start, f.end) for f in found if f.start is not None and f.end is not None]
    if not harms:
        return calm
    # Whole clauses left standing read as sentences; a cut-out span must still have a verb,
    # and must not take a subject, verb or noun from the words around it.
    candidates = [(_without_clauses(calm, harms), False)]
    if _cuttable(calm, harms):
        candidates.append((_apply(calm, [(start, end, "") for start, end in harms]), True))
    for candidate, needs_verb in candidates:
        candidate = _tidy(candidate, calm)
        if _sound(candidate, needs_verb):
            return candidate
    return ""


def _harms(text: str) -> list[Finding]:
    """The findings a rewrite must not keep, in text read on its own."""
    return [f for f in analyse(lay_out(text), _NEUTRAL) if f.code in _REWRITTEN]


def _without_clauses(sentence: str, harms: list[tuple[int, int]]) -> str:
    pieces, pos = [], 0
    for sep in _CLAUSE_SEP.finditer(sentence):
        pieces.append((pos, sep.start(), sep.group()))
        pos = sep.end()
    pieces.append((pos, len(sentence), ""))
    kept = [
        (sentence[s:e], sep)
        for s, e, sep in pieces
        if not any(h_s < e and s < h_e for h_s, h_e in harms)
    ]
    return "".join(clause + sep for clause, sep in kept[:-1]) + (kept[-1][0] if kept else "")


def _cuttable(sentence: str, harms: list[tuple[int, int]]) -> bool:
    """Whether the spans can be cut out leaving the words around them whole: nothing that
    needs what follows right before a cut ("We [apologise for the delay] this caused"), no
    relative word right after one ("[see the guide], which explains ..."), no subject, verb
    or article cut away from what stays ("It looks like [you misconfigured] the rules",
    "is [caused by your] browser", "[Our SLA guarantees] 99.5% uptime")."""
    cut = load("suggest.toml")["cut"]
    before_ok = set(cut["no_word_before"]) | words("dangling_ends")
    for start, end in harms:
        before, span, after = (
            [t.lower().replace("\u2019", "'") for t in _WORD.findall(part)]
            for part in (sentence[:start], sentence[start:end], sentence[end:])
        )
        if not span or not after:
            continue
        if before and (before[-1] in before_ok or span[0] in cut["subjects"]):
            return False
        if after[0] in cut["no_word_after"] or span[-1] in cut["determiners"]:
            return False
        if span[-1] in words("auxiliaries") or (not before and _verb_like(span)):
            return False
    return True


def _verb_like(tokens: list[str]) -> bool:
    """Whether the last word reads as a verb: "guarantees", "covers", "was"."""
    last, previous = tokens[-1], tokens[-2] if len(tokens) > 1 else ""
    if last in words("auxiliaries") or _base(last) != last or last in words("verbs"):
        return True
    determiners = load("suggest.toml")["cut"]["determiners"]
    return last.endswith(("s", "ed")) and previous not in determiners and previous != "and"


def _tidy(candidate: str, original: str) -> str:
    candidate = re.sub(r"\s{2,}", " ", candidate).strip(" ,;:-\u2013\u2014")
    candidate = re.sub(r"\s+([.!?,;:])", r"\1", _LEADING_JOINERS.sub("", candidate))
    candidate = _drop_lead_in(candidate)
    if not candidate:
        return ""
    if candidate[-1] not in ".!?" and original.rstrip()[-1:] in ".!?":
        candidate += original.rstrip()[-1]
    return candidate[0].upper() + candidate[1:]


def _drop_lead_in(candidate: str) -> str:
    """ "You would know that deleted items ..." (once its "if" clause is cut): "Deleted items"."""
    for lead in load("suggest.toml")["cut"]["lead_ins"]:
        pattern = re.escape(lead).replace("'", "['\u2019]")
        match = re.match(rf"{pattern}\b[\s,]*", candidate, re.I)
        if match and match.end() < len(candidate):
            return candidate[match.end() :]
    return candidate


def _sound(candidate: str, needs_verb: bool) -> bool:
    tokens = [t.replace("\u2019", "'") for t in _WORD.findall(candidate.lower())]
    cut = load("suggest.toml")["cut"]
    dangling = words("dangling_ends") | set(cut["no_word_before"])
    if len(tokens) < _MIN_WORDS or tokens[-1] in dangling:
        return False
    if tokens[0] in words("fragment_openers"):  # "To process refunds manually."
        return False
    if _fragment(candidate, tokens):
        return False
    return (_has_verb(tokens) or not needs_verb) and not _harms(candidate)


def _fragment(candidate: str, tokens: list[str]) -> bool:
    """A piece that cannot stand as a sentence: a verb with no subject ("Will be processed",
    "Describes how to"), a lone subordinate clause ("Once the courier confirms"), or a
    number left after its last comma ("..., 14.")."""
    cut = load("suggest.toml")["cut"]
    if tokens[0] in cut["verb_first"] and not candidate.rstrip().endswith("?"):
        return True
    if tokens[0] in {"have", "has"} and len(tokens) > 1 and tokens[1].endswith(("ed", "en")):
        return True  # "Have forwarded it to the team"
    third_person = tokens[0].endswith("s") and tokens[0] not in cut["not_verbs"]
    if third_person and tokens[1] in cut["after_verb_first"]:
        return tokens[0] not in words("acronyms")
    if tokens[0] in cut["subordinators"] and "," not in candidate:
        return True
    tail = candidate.rsplit(",", 1)
    return len(tail) == 2 and bool(re.fullmatch(r"[\W\d]*\d[\W\d]*", tail[1]))


def _has_verb(tokens: list[str]) -> bool:
    """A cut-out clause needs a verb to stand alone: an auxiliary, a past form, a common verb
    after its first word, or an imperative. A word after "the", "all", "our" ... is a noun or
    an adjective ("the supported formats", "all changes")."""
    imperative = tokens[0] in instruction_openers()
    auxiliaries, verbs = words("auxiliaries"), words("verbs")
    determiners = set(load("suggest.toml")["cut"]["determiners"])
    return imperative or any(
        t in auxiliaries
        or (tokens[i] not in determiners and (t.endswith(("ed", "ing")) or _base(t) in verbs))
        for i, t in enumerate(tokens[1:])
    )


def _base(token: str) -> str:
    """ "takes" -> "take", "applies" -> "apply", "goes" -> "go"."""
    for suffix, replacement in (("ies", "y"), ("es", ""), ("s", "")):
        if token.endswith(suffix) and token[: -len(suffix)] + replacement in words("verbs"):
            return token[: -len(suffix)] + replacement
    return token


def _drop_vocative(body: str, context: Context) -> str:
    """ "Maria, there is ..." loses its "Maria," when the greeting already names her."""
    match = re.match(r"\s*([^\W\d_][\w'\u2019-]*)\s*,\s*", body)
    if not match or fold(match.group(1)) not in context.names:
        return body
    rest = body[match.end() :]
    return rest[:1].upper() + rest[1:]


def _greeting(layout: Layout, context: Context) -> str:
    """The agent's greeting when it names the customer and is not a template; else ours."""
    if layout.greeting:
        own = lay_out(layout.text[slice(*layout.greeting)])
        robotic = any(f.code == "robotic" for f in _harms(own.text))
        if not robotic and (not context.names or name_used(own, context.names)):
            return unshout(own.text)
    return _our_greeting(context)


def _our_greeting(context: Context) -> str:
    texts = load("suggest.toml")
    if context.greeting_name:
        return texts["greeting_named"].format(name=context.greeting_name)
    return texts["greeting_plain"]


def _acknowledgement(context: Context, plain: bool = False) -> str:
    """Fitted to the emotion, restating what happened to them when that reads safely."""
    texts = load("suggest.toml")
    return acknowledgement(
        None if plain else context.message,
        context.emotion,
        texts["acknowledge"],
        texts["acknowledge_plain"],
    )


def acknowledgement(
    message: str | None,
    emotion: str,
    restating: Mapping[str, str],
    plain: Mapping[str, str],
) -> str:
    """The line for this emotion from `restating` (with {restated}: what the customer said
    happened to them, pronouns turned round) when their words restate safely, else from
    `plain`. Their own plain actions and wishes ("I ordered", "I'd like") are never restated."""
    emotion = emotion if emotion in restating else "neutral"
    message = message[: CoachConfig().max_chars] if message else message  # its beginning says it
    if restated := restatement(message, emotion):
        candidate = restating[emotion].format(restated=restated)
        if not _harms(candidate):
            return candidate
    return plain[emotion]


def _drop_sentences(text: str, findings: Iterable[Finding]) -> str:
    layout = lay_out(text)
    doomed = {layout.sentence_of(f.start) for f in findings if f.start is not None}
    edits = [(s, e, "") for i, (s, e) in enumerate(layout.sentences) if i in doomed]
    return _apply(text, edits)


def _apply(text: str, edits: list[tuple[int, int, str]]) -> str:
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    return text


def _overlaps(finding: Finding, start: int, end: int) -> bool:
    return (
        finding.start is not None
        and finding.end is not None
        and (finding.start < end and start < finding.end)
    )


_NEUTRAL = Context("neutral", None, (), None, frozenset(), False)
