"""The suggestion: the agent's facts, steps and sign-off, with the rest rewritten.

Built in order: a greeting with the customer's name; an acknowledgement fitted to their emotion
that restates their key sentence (only when the draft has none); the agent's sentences, with
shouting toned down and hurtful clauses removed (a sentence is dropped only when nothing sound
is left of it); a next step with a time expectation and an offer of more help (when missing);
the agent's sign-off. The rewritten body is coached again and any sentence still raising a
finding is dropped, so coaching a suggestion raises nothing (tested over every golden draft).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from heard.engine.coaching._data import lexicon, load, words
from heard.engine.coaching._detect import PHRASE_CODES, analyse, name_used
from heard.engine.coaching._mood import Context
from heard.engine.coaching._restate import key_sentence, restate
from heard.engine.coaching._text import CAPS, STACKED, Layout, fold, lay_out, shouted_runs
from heard.engine.coaching._types import CoachConfig, Finding

_REWRITTEN = frozenset(PHRASE_CODES) | {"shouting"}
_CLAUSE_SEP = re.compile(r"\s*(?:[;:\u2013\u2014]|,(?!\d)|\s-\s)\s*")
_WORD = re.compile(r"[\w'\u2019]+")
_LEADING_JOINERS = re.compile(r"^(?:and|but|so|that|because|or|yet)\b[\s,]*", re.I)
_BLANKS = re.compile(r"\n[ \t]*(?:\n[ \t]*)+")
_MIN_WORDS = 4
_ROUNDS = 3


def suggest(
    layout: Layout, findings: tuple[Finding, ...], context: Context, config: CoachConfig
) -> str:
    body, dropped = _rewrite_body(layout, findings)
    body = _drop_vocative(body, context) if not layout.greeting else body
    for _ in range(_ROUNDS):  # a rewrite can still sting in its new company: drop it then
        remaining = [f for f in analyse(lay_out(body), context) if f.code in _REWRITTEN]
        if not remaining:
            break
        body = _drop_sentences(body, remaining)
    return _assemble(layout, body, dropped, context, config)


def _rewrite_body(layout: Layout, findings: tuple[Finding, ...]) -> tuple[str, set[str]]:
    """The draft between greeting and sign-off, sentence by sentence; also the codes dropped."""
    text = layout.text
    start = layout.greeting[1] if layout.greeting else 0
    end = layout.signoff[0] if layout.signoff else len(text)
    edits: list[tuple[int, int, str]] = []
    dropped: set[str] = set()
    for s_start, s_end in layout.sentences:
        s_start = max(s_start, start)  # a sentence may begin with the greeting: "Hi Jo, ..."
        codes = {f.code for f in findings if _overlaps(f, s_start, s_end)} & _REWRITTEN
        if codes and s_start < min(s_end, end):
            new = _rewrite_sentence(text[s_start:s_end])
            if not new:
                dropped |= codes
            edits.append((s_start - start, s_end - start, new))
    return _apply(text[start:end], edits), dropped


def _rewrite_sentence(sentence: str) -> str:
    """The sentence without shouting and without its hurtful clauses; "" if nothing is left."""
    calm = _unshout(sentence)
    found = _harms(calm)
    if any(f.code in load("suggest.toml")["drop_sentence_with"] for f in found):
        return ""
    harms = [(f.start, f.end) for f in found if f.start is not None and f.end is not None]
    if not harms:
        return calm
    # Whole clauses left standing read as sentences; a cut-out span must still have a verb.
    for candidate, needs_verb in (
        (_without_clauses(calm, harms), False),
        (_apply(calm, [(start, end, "") for start, end in harms]), True),
    ):
        candidate = _tidy(candidate, calm)
        if _sound(candidate, needs_verb):
            return candidate
    return ""


def _unshout(sentence: str) -> str:
    """Shouted capitals in lower case (acronyms kept), "!!!" as "!"."""
    acronyms = words("acronyms")

    def lower(match: re.Match[str]) -> str:
        word = match.group()
        return word if word.lower() in acronyms else word.lower()

    edits = [(s, e, CAPS.sub(lower, sentence[s:e])) for s, e in shouted_runs(sentence)]
    calm = STACKED.sub(lambda m: "?" if "?" in m.group() else "!", _apply(sentence, edits))
    return calm[:1].upper() + calm[1:]


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


def _tidy(candidate: str, original: str) -> str:
    candidate = re.sub(r"\s{2,}", " ", candidate).strip(" ,;:-\u2013\u2014")
    candidate = re.sub(r"\s+([.!?,;:])", r"\1", _LEADING_JOINERS.sub("", candidate))
    if not candidate:
        return ""
    if candidate[-1] not in ".!?" and original.rstrip()[-1:] in ".!?":
        candidate += original.rstrip()[-1]
    return candidate[0].upper() + candidate[1:]


def _sound(candidate: str, needs_verb: bool) -> bool:
    tokens = [t.replace("\u2019", "'") for t in _WORD.findall(candidate.lower())]
    if len(tokens) < _MIN_WORDS or tokens[-1] in words("dangling_ends"):
        return False
    if tokens[0] in words("fragment_openers"):  # "To process refunds manually."
        return False
    return (_has_verb(tokens) or not needs_verb) and not _harms(candidate)


def _has_verb(tokens: list[str]) -> bool:
    """A cut-out clause needs a verb to stand alone: an auxiliary, a past form, a common verb
    after its first word, or an imperative."""
    imperative = tokens[0] in {p.split()[0] for p in lexicon().groups["instruction"]}
    auxiliaries, verbs = words("auxiliaries"), words("verbs")
    return imperative or any(
        t in auxiliaries or t.endswith(("ed", "ing")) or _base(t) in verbs for t in tokens[1:]
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


def _assemble(
    layout: Layout, body: str, dropped: set[str], context: Context, config: CoachConfig
) -> str:
    texts = load("suggest.toml")
    body_layout = lay_out(body)
    found = {f.code for f in analyse(body_layout, context)}
    paragraphs = [_greeting(layout, context)]
    if "no_acknowledgement" in found:
        paragraphs.append(_acknowledgement(context))
    if "rtfm" in dropped:
        body = f"{body.strip()}\n\n{texts['instead']['rtfm']}"
    body = re.sub(r"(?m)^[ \t]+|[ \t]+$", "", re.sub(r"(?<=\S)[ \t]{2,}", " ", body)).strip()
    paragraphs.append(body[:1].upper() + body[1:])
    closing = []
    if "no_next_step" in found:
        closing.append(texts["next_step"].format(when=config.follow_up_when))
    if "no_offer_more_help" in found:
        closing.append(texts["offer"])
    paragraphs.append(" ".join(closing))
    if layout.signoff:
        paragraphs.append(layout.text[slice(*layout.signoff)].strip())
    return _BLANKS.sub("\n\n", "\n\n".join(p for p in paragraphs if p)).strip()


def _greeting(layout: Layout, context: Context) -> str:
    """The agent's greeting when it names the customer and is not a template; else ours."""
    if layout.greeting:
        own = lay_out(layout.text[slice(*layout.greeting)])
        robotic = any(f.code == "robotic" for f in _harms(own.text))
        if not robotic and (not context.names or name_used(own, context.names)):
            return _unshout(own.text)
    texts = load("suggest.toml")
    if context.greeting_name:
        return texts["greeting_named"].format(name=context.greeting_name)
    return texts["greeting_plain"]


def _acknowledgement(context: Context) -> str:
    """Fitted to the emotion, restating the customer's key sentence when that reads safely."""
    texts = load("suggest.toml")
    return acknowledgement(
        context.message, context.emotion, texts["acknowledge"], texts["acknowledge_plain"]
    )


def acknowledgement(
    message: str | None,
    emotion: str,
    restating: Mapping[str, str],
    plain: Mapping[str, str],
) -> str:
    """The line for this emotion from `restating` (with {restated}: the customer's key
    sentence, pronouns turned round) when their words restate safely, else from `plain`."""
    emotion = emotion if emotion in restating else "neutral"
    restated = None
    if message and (sentence := key_sentence(message, emotion)):
        restated = restate(_unshout(sentence))
    if restated:
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
