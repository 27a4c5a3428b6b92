"""What the customer said happened to them, restated in their own words from the agent's side.

Only a problem (for praise: what went well) is restated, never the customer's own plain actions
or wishes: "I cancelled weeks ago and I'm still being charged" restates as "you're still being
charged", "I'd like to move my delivery" not at all.
The key sentence is cut into clauses (data/suggest.toml [restate]); the first run of clauses
that qualify is kept. A clause with the customer as its subject qualifies only when it says what
was done to them or what they cannot do or did not get ([[undergone]]); their feelings are left
to the acknowledgement, which names them already.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from heard.engine.coaching._data import instruction_openers, lexicon, load, phrases
from heard.engine.coaching._mood import reports_problem
from heard.engine.coaching._text import lay_out, unshout

_PRONOUN = re.compile(r"(?<![\w'\u2019])[A-Za-z]+(?:['\u2019][a-z]+)?(?![\w'\u2019])")
_FIRST_PERSON = re.compile(
    r"(?<![\w'\u2019])(?:i|i['\u2019]m|i['\u2019]ve|my|me|we|our|us)(?![\w'\u2019])", re.I
)
_TRAILING = re.compile(r"[\s.!?,;:]+$")
_THANKS = re.compile(r"\bthank", re.I)
_SECOND_PERSON = re.compile(
    r"(?<![\w'\u2019])(?:you|your|you['\u2019]re|you['\u2019]ve)(?![\w'\u2019])", re.I
)
_WORD = re.compile(r"[\w'\u2019]+")
_STRONG_BREAK = re.compile(r"\s*(?:;|:(?=\s)|\s[-\u2013\u2014]\s|\u2014)\s*")
_QUOTED = re.compile(
    r'"[^"]*"|\u201c[^\u201d]*\u201d|\u2018[^\u2019]*\u2019(?!\w)|(?<!\w)\'[^\'\n]{1,80}\'(?!\w)'
)


@dataclass(frozen=True, slots=True)
class _Clause:
    """One clause of the customer's sentence, with how it was joined to the one before."""

    text: str  # leading fillers dropped; a borrowed subject put in front
    joiner: str  # "" for the first, else e.g. " and ", ", ", " but ", "; "
    subject: str  # "first" (I, we), "other", or "none" (it opens with its verb)


def restatement(message: str | None, emotion: str) -> str | None:
    """What the customer said happened to them, from the agent's side ("you were charged
    twice for your March invoice"), or None when nothing in their message restates safely."""
    key = _key_sentence(message, emotion) if message else None
    restated = restate(unshout(key[1])) if key else None
    if not restated or _unclosed(restated):  # a cut inside their brackets or quotes
        return None
    first = restated.split()[0]
    if first[:1].isupper() and first[1:].islower() and _written_lower(first, message or ""):
        return restated[0].lower() + restated[1:]  # "that inbound was late", never "Inbound"
    return restated


def _written_lower(word: str, message: str) -> bool:
    """Whether the customer wrote `word` in lower case somewhere: a common word they began a
    sentence with (or that was capitalised for them), not a name."""
    return word.lower() in _WORD.findall(message)


def key_sentence(message: str, emotion: str) -> str | None:
    """The sentence that best says what happened and has something in it to restate."""
    key = _key_sentence(message, emotion)
    return key[0] if key else None


def _key_sentence(message: str, emotion: str) -> tuple[str, str] | None:
    """The key sentence and its words fit to restate (`restatable`), or None."""
    layout = lay_out(message)
    scored = []
    for i, sentence in enumerate(message[s:e] for s, e in layout.sentences):
        if words := restatable(sentence, emotion):
            scored.append((_score(sentence, emotion), -i, sentence, words))
    if not scored:
        return None
    best = max(scored)
    return (best[2], best[3]) if best[0] > 0 else None


def restatable(sentence: str, emotion: str) -> str | None:
    """The words of one sentence fit to restate: the clauses saying what happened to the
    customer or went wrong (for praise, what went well), else None."""
    if sentence.rstrip().endswith("?"):
        return None
    clauses = _clauses(_TRAILING.sub("", sentence.strip()))
    fits = [
        _qualifies(c, emotion) and not (i and _more_of_a_wish(clauses[i - 1], c))
        for i, c in enumerate(clauses)
    ]
    if True not in fits:
        return None
    first = fits.index(True)
    last = first
    while last + 1 < len(clauses) and not _strong(clauses[last + 1].joiner):
        if not (fits[last + 1] or _elliptical(clauses[last + 1].text)):
            break
        last += 1
    run = clauses[first : last + 1]
    text = run[0].text + "".join(c.joiner + c.text for c in run[1:])
    before = clauses[first - 1] if first else None
    if _leading_pronoun(text):  # "it still hasn't arrived": say what "it" is, or nothing
        return _with_antecedent(before, run[0], text) if before else None
    if before and emotion != "happiness":
        return _with_context(before, run[0], text)
    return text


def _more_of_a_wish(before: _Clause, clause: _Clause) -> bool:
    """Whether `clause` goes on with the wish before it: "I want the return flight and the lost
    hotel nights paid for" (joined by "and", no auxiliary of its own), not "I want a refund and
    the parcel was never delivered"."""
    joined = clause.joiner.strip(" ,").lower() in {"and", "or"}
    if not joined or not _matches("intentions", before.text):
        return False
    if clause.subject == "first" or _leading_pronoun(clause.text):  # "... and I cannot go out"
        return False
    tokens = [w.lower().replace("\u2019", "'") for w in _WORD.findall(clause.text)]
    auxiliaries = load("lexicon.toml")["words"]["auxiliaries"]
    return not any(t in auxiliaries or t.endswith("n't") or t == "cannot" for t in tokens)


def _with_context(before: _Clause, start: _Clause, text: str) -> str:
    """A problem with the plain fact before it that it turns on, where the customer wrote them
    as one thought: "your order arrived today but the scarf was missing". Never their own
    action: "I paid on Monday but my account still shows it as unpaid" restates the problem
    alone."""
    if start.joiner.strip(" ,").lower() != "but" or before.subject != "other":
        return text
    if _plain_fact(before):
        return f"{before.text}{start.joiner}{text}"
    return text


def _with_antecedent(before: _Clause, start: _Clause, text: str) -> str | None:
    """A problem told of "it" or "they", with what that is: the plain fact before it ("your
    tablets were due yesterday and they haven't come"), or what the customer's own action was
    about ("I ordered a thermostat and it still hasn't arrived": "your thermostat still hasn't
    arrived"). None when neither is there."""
    if before.subject == "other" and _plain_fact(before) and not _strong(start.joiner):
        return f"{before.text}{start.joiner}{text}"
    thing = _object_of(before.text) if before.subject == "first" else None
    pronoun = text[: _leading_pronoun(text)].lower().replace("\u2019", "'")
    if thing and pronoun in _settings()["thing_pronouns"]:
        return thing + text[len(pronoun) :]
    return None


def _plain_fact(clause: _Clause) -> bool:
    tables = ("feelings", "intentions", "went_well")
    return _statement(clause) and not any(_matches(table, clause.text) for table in tables)


def _statement(clause: _Clause) -> bool:
    """Whether a clause states something that happened, whole: its own subject and verb, no
    question ("How do I reset my pin"), no condition ("if it isn't sorted by Friday"), no
    loss the acknowledgement cannot speak to, not an answer left elliptical ("it still
    hasn't"), a phrase without a verb ("Such a small thing to get wrong") or one that points
    back at something said before ("Same as I wrote twice already")."""
    text, settings = clause.text, _settings()
    tokens = [w.lower().replace("\u2019", "'") for w in _WORD.findall(text)]
    if clause.subject == "none" or len(tokens) < 3 or _matches("grief", text):
        return False
    if _elliptical(text) or not _finite(tokens):
        return False
    if _opens_with(text, "conditionals") or _opens_with(text, "comparisons"):
        return False
    return not (tokens[0] in settings["question_words"] and tokens[1] in settings["question_verbs"])


def _leading_pronoun(text: str) -> int:
    """The length of a pronoun opening the text ("it", "they"), else 0."""
    match = _regex("pronoun_subjects", "(?:{})(?=\\s)").match(text)
    return match.end() if match else 0


def _object_of(clause: str) -> str | None:
    """What the customer's action was about, as theirs: "I ordered a smart thermostat three
    weeks ago" -> "my smart thermostat" (turned round with the rest)."""
    settings = _settings()
    lead = r"(?:i|we)\s+(?:(?:just|also|already|recently)\s+)?"
    match = _regex("object_verbs", lead + "(?:{})\\s+").match(clause)
    if not match:
        return None
    words = clause[match.end() :].split()
    if words and words[0].lower() in settings["object_determiners"]:
        words = words[1:]
    thing = []
    for word in words:
        stop = word.lower().strip(",.") in settings["object_stops"]
        if stop or any(c.isdigit() for c in word) or _unclosed(word):  # "lock (order 1042)"
            break
        thing.append(word.strip(","))
        if word.endswith(","):
            break
    if not thing or len(thing) > 5:
        return None
    return "my " + " ".join(thing) if thing[0].lower() not in {"my", "our"} else " ".join(thing)


def _unclosed(text: str) -> bool:
    """Whether a bracket or quotation mark in `text` is opened and not closed, or the reverse."""
    pairs = (("(", ")"), ("[", "]"), ("{", "}"), ("\u201c", "\u201d"))
    return any(text.count(a) != text.count(b) for a, b in pairs) or text.count('"') % 2 == 1


def _qualifies(clause: _Clause, emotion: str) -> bool:
    text = clause.text
    if not _statement(clause):
        return False
    if clause.subject == "first" and (_matches("feelings", text) or not _undergone(text)):
        return False
    if emotion == "happiness":
        went_well = _matches("went_well", text) or any(
            e.rule["emotion"] == "happiness" and e.rule["weight"] >= 1
            for _, e in phrases("mood.toml").finditer(text)
        )
        return went_well and not _SECOND_PERSON.search(text) and not _THANKS.search(text)
    if _matches("fine", text):  # "never had a problem until ..."
        return False
    return reports_problem(text) or _matches("problems", text)


def _finite(tokens: list[str]) -> bool:
    """Whether the clause has a verb of its own: an auxiliary, a past form, or a common verb
    not after "to" ("Such a small thing to get wrong" has none)."""
    lexicon_words, irregular = load("lexicon.toml")["words"], lexicon().irregular
    past = _past_forms()
    for i, token in enumerate(tokens):
        if token in lexicon_words["auxiliaries"] or token in past or token.endswith("n't"):
            return True
        base = token[:-1] if token.endswith("s") else token
        after_to = i > 0 and tokens[i - 1] == "to"
        if not after_to and (token.endswith("ed") or base in lexicon_words["verbs"]):
            return True
        if not after_to and base in irregular:
            return True
    return False


def _elliptical(text: str) -> bool:
    """A clause ending on its auxiliary, its verb left to the clause before."""
    last = _WORD.findall(text.lower().replace("\u2019", "'"))[-1:]
    return bool(last) and last[0] in _settings()["elliptical_ends"]


def _clauses(sentence: str) -> list[_Clause]:
    """The sentence cut at strong breaks, joiners and commas that open a clause of its own;
    a clause opening with a subordinator ("when", "since") is read with the one after it."""
    pieces = _split(sentence)
    merged: list[tuple[str, str]] = []
    for joiner, text in pieces:
        if merged and _opens_with(merged[-1][1], "subordinators") and joiner == ", ":
            merged[-1] = (merged[-1][0], merged[-1][1] + joiner + text)
        else:
            merged.append((joiner, text))
    clauses: list[_Clause] = []
    for joiner, raw in merged:
        text = _unwrap(_drop_leading(raw))
        subject = _subject(text)
        if subject == "none" and clauses:
            borrowed = _borrowable(clauses[-1].text)
            verb_joined = joiner.strip(" ,").lower() in _settings()["verb_joiners"]
            if borrowed and verb_joined:
                text, subject = f"{borrowed} {text}", _subject(borrowed)
            elif verb_joined:  # no subject to lend: it stays part of the clause before
                last = clauses.pop()
                text, joiner, subject = last.text + joiner + raw, last.joiner, last.subject
        clauses.append(_Clause(_headline(text), joiner, subject))
    return clauses


def _headline(text: str) -> str:
    """ "Third wrong mask in two months": "This is the third wrong mask in two months"."""
    first = _WORD.match(text)
    if first and first.group().lower() in _settings()["ordinals"]:
        return f"This is the {text[0].lower()}{text[1:]}"
    return text


def _split(sentence: str) -> list[tuple[str, str]]:
    """(joiner, text) pieces of a sentence; the first joiner is ""."""
    pieces, pos, joiner = [], 0, ""
    quoted = [m.span() for m in _QUOTED.finditer(sentence)]
    for match in _splitter().finditer(sentence):
        if any(q_s < match.start() < q_e for q_s, q_e in quoted):
            continue  # "fails with "Row 1: invalid date""
        pieces.append((joiner, sentence[pos : match.start()]))
        joiner, pos = match.group(), match.end()
    pieces.append((joiner, sentence[pos:]))
    return [(j, t.strip()) for j, t in pieces if t.strip()]


@cache
def _splitter() -> re.Pattern[str]:
    settings = _settings()
    subjects = _alternatives(settings["subjects"])
    verbs = _alternatives(load("lexicon.toml")["words"]["auxiliaries"]) + r"|[a-z]+ed"
    adverbs = _alternatives(settings["adverbs"])
    lead = rf"(?:(?:{adverbs})\s+){{0,2}}"
    joiners = _alternatives(settings["joiners"])
    verb_joiners = _alternatives(settings["verb_joiners"])
    word_end = r"(?![\w'\u2019])"
    return re.compile(
        _STRONG_BREAK.pattern
        + rf"|,?\s+(?:{joiners})\s+(?={lead}(?:{subjects}){word_end})"
        + rf"|,?\s+(?:{verb_joiners})\s+(?={lead}(?:{verbs}){word_end})"
        + rf"|,\s+(?={lead}(?:{subjects}){word_end})",
        re.IGNORECASE,
    )


def _alternatives(words: list[str]) -> str:
    ordered = sorted(words, key=len, reverse=True)
    return "|".join(re.escape(w).replace("'", "['\u2019]") for w in ordered)


def _strong(joiner: str) -> bool:
    return bool(joiner) and bool(_STRONG_BREAK.fullmatch(joiner))


def _drop_leading(text: str) -> str:
    text = _LIST_MARK.sub("", text)
    changed = True
    while changed:
        changed = False
        for filler in _fillers():
            match = filler.match(text)
            if match and match.end() < len(text):
                text, changed = text[match.end() :], True
    return text


_LIST_MARK = re.compile(r"^\s*(?:\d{1,2}[.)]|[-*\u2022])\s+")  # a list's "4." or "-"


@cache
def _fillers() -> tuple[re.Pattern[str], ...]:
    """One pattern per leading filler, longest first, each tried in turn."""
    fillers = sorted(_settings()["drop_leading"], key=len, reverse=True)
    return tuple(
        re.compile(rf"{_alternatives([filler])}(?![\w'\u2019])[\s,]*", re.I) for filler in fillers
    )


@cache
def _regex(setting: str, template: str) -> re.Pattern[str]:
    """`template` with the words of the [restate] `setting` put in for {}, compiled once."""
    return re.compile(template.replace("{}", _alternatives(_settings()[setting])), re.I)


_LEAD_IN = re.compile(r"^[\s,]*(?:(?:that|like)\s+)?", re.I)


def _unwrap(text: str) -> str:
    """Without the customer's lead-in: "I don't understand why I was charged" -> "I was charged"."""
    for match, _entry in phrases("suggest.toml", "unwrap").finditer(text):
        if match.start() == 0 and match.end() < len(text):
            rest = _LEAD_IN.sub("", text[match.end() :])
            return _unwrap(rest) if rest else text
    return text


def _subject(text: str) -> str:
    words = [w.lower().replace("\u2019", "'") for w in _WORD.findall(text)]
    settings = _settings()
    while words and words[0] in settings["adverbs"]:
        words = words[1:]
    if not words:
        return "none"
    if words[0] in settings["first_person"]:
        return "first"
    if words[0] in settings["subjects"]:
        return "other"
    starts_with_verb = (
        words[0] in load("lexicon.toml")["words"]["auxiliaries"]
        or words[0] in settings["bare_negations"]  # "cant log in"
        or (words[0] in _past_forms() and words[0] != "read")  # "Got my passport back"
        or words[0].endswith(("ed", "ing"))  # "was charged again", "Loving the app"
        or words[0] in _imperatives()  # "Tell me they're not lost"
    )
    return "none" if starts_with_verb else "other"


@cache
def _past_forms() -> frozenset[str]:
    """The past forms of the lexicon's irregular verbs ("got", "sent")."""
    return frozenset(form for forms in lexicon().irregular.values() for form in forms)


@cache
def _imperatives() -> frozenset[str]:
    """Words that open an instruction or are common verbs: a clause opening with one has no
    subject of its own."""
    verbs = load("lexicon.toml")["words"]["verbs"]
    return instruction_openers() | frozenset(verbs)


def _borrowable(text: str) -> str | None:
    """The pronoun subject of a clause, to lend to the next ("I" of "I'm", "we" of "we've")."""
    words = _WORD.findall(text)
    while words and words[0].lower() in _settings()["adverbs"]:
        words = words[1:]
    if not words:
        return None
    base = re.split(r"['\u2019]", words[0])[0]
    return base if base.lower() in {"i", "we", "it", "they", "he", "she"} else None


def _undergone(text: str) -> bool:
    """Whether a clause of the customer's opens with what was done to them (adverbs such as
    "today" or "still" before it aside)."""
    lead = _regex("adverbs", "(?:(?:{})\\s+)*").match(text)
    start = lead.end() if lead else 0
    found = phrases("suggest.toml", "undergone").finditer(text)
    return any(m.start() == start for m, _ in found)


def _matches(table: str, text: str) -> bool:
    return next(phrases("suggest.toml", table).finditer(text), None) is not None


def _opens_with(text: str, starts: str) -> bool:
    """Whether `text` opens with one of the words of the [restate] setting `starts`."""
    return bool(_regex(starts, "(?:{})(?![\\w'\u2019])").match(text))


def _settings() -> dict[str, Any]:
    settings: dict[str, Any] = load("suggest.toml")["restate"]
    return settings


def _score(sentence: str, emotion: str) -> float:
    words = sentence.split()
    score = 2.0 * reports_problem(sentence) + 1.0 * bool(_FIRST_PERSON.search(sentence))
    cues = [e.rule for _, e in phrases("mood.toml").finditer(sentence)]
    if emotion == "happiness":  # what went well to them, not thanks or praise of us
        score += 1.5 * sum(c["emotion"] == "happiness" and c["weight"] >= 1 for c in cues)
        score -= 2.0 * bool(_SECOND_PERSON.search(sentence))
    else:  # the acknowledgement already names the feeling
        score -= 0.5 * sum(c["weight"] >= 1 for c in cues)
    if _THANKS.search(sentence):
        score -= 2
    if len(words) < 5 or len(words) > _settings()["max_words"]:
        score -= 1.5
    return score


_THAT = re.compile(r"that\s+([\w'\u2019]+)", re.I)


def restate(text: str) -> str | None:
    """Turn "I was charged twice for my invoice" into "you were charged twice for your invoice".

    None when the words do not lend themselves to it (a question, an exclamation inside, too
    long).
    """
    settings = _settings()
    text = _drop_leading(_TRAILING.sub("", text.strip())).lstrip(", ")
    if not text or "?" in text or "!" in text or len(text.split()) > settings["max_words"]:
        return None
    auxiliaries = load("lexicon.toml")["words"]["auxiliaries"]
    that = _THAT.match(text)
    if that and that.group(1).lower() not in auxiliaries:  # "that it is not acceptable"
        text = text[that.start(1) :]
    swapped = _calm(_swap_pronouns(_company_you(text)))
    first, _, rest = swapped.partition(" ")
    lowered = first.lower().replace("\u2019", "'")
    if lowered == "that's":  # "sorry that that's ..." reads "sorry that this is ..."
        first = "this is"
    elif lowered == "that":  # "That is the second time"
        first = "this"
    elif lowered in settings["lowercase_starts"] or not _names_someone(first, rest):
        first = first[0].lower() + first[1:]
    return f"{first} {rest}".strip()


def _names_someone(first: str, rest: str) -> bool:
    """Whether a capitalised first word reads as a name: "Daniel fixed ...", "Paul was ..."
    (a verb follows), not "Second month in a row ..." or "Emails you send ..."."""
    if first.endswith("s") and not first.endswith("ss") and first[1:].islower():
        return False  # "Batteries arrived ...": a thing, not a name
    if not first[:1].isupper() or (first.isupper() and len(first) > 1):
        return first.isupper() and first.lower() in load("lexicon.toml")["words"]["acronyms"]
    following = [w.lower().replace("\u2019", "'") for w in _WORD.findall(rest)[:1]]
    lexicon_words = load("lexicon.toml")["words"]
    pronoun = following and following[0].split("'")[0] in {"we", "you", "i", "they", "it"}
    return (
        bool(following)
        and not pronoun
        and (
            following[0] in lexicon_words["auxiliaries"]
            or following[0].endswith("ed")
            or following[0].rstrip("s") in lexicon_words["verbs"]
        )
    )


def _calm(text: str) -> str:
    """A word in capitals said for emphasis, in lower case: "charged me TWICE" (a short one
    that is no word of emphasis may be a name: "my CPAP mask")."""
    lexicon_words = load("lexicon.toml")["words"]

    def lower(match: re.Match[str]) -> str:
        word, key = match.group(), match.group().lower()
        loud = key in lexicon_words["emphasis"] or len(key) >= 5
        return key if loud and key not in lexicon_words["acronyms"] else word

    return _CAPITALS.sub(lower, text)


_CAPITALS = re.compile(r"(?<![\w'\u2019-])[A-Z]{2,}(?![\w'\u2019-])")


def _company_you(text: str) -> str:
    """ "you guys", "you people": the company, said plainly ("you")."""
    return _company().sub("you", text)


@cache
def _company() -> re.Pattern[str]:
    phrases_ = load("suggest.toml")["swap"]["company_you"]
    return re.compile(rf"\b(?:{_alternatives(phrases_)})\b", re.I)


_CONJUNCTION = re.compile(r"(?:and|or|but)\b")


def _swap_pronouns(text: str) -> str:
    swaps = load("suggest.toml")["swap"]
    first, second = swaps["first_person"], swaps["second_person"]
    objects = set(swaps["you_as_object_after"])
    out: list[str] = []
    previous = ""
    pos = 0
    for match in _PRONOUN.finditer(text):
        word = match.group()
        key = word.lower().replace("\u2019", "'")
        if key in first:
            new = first[key]
        elif key == "you":
            after = text[match.end() :].lstrip(" ")
            ends = not after or after[0] in ",.;:)" or _CONJUNCTION.match(after)
            new = "us" if previous in objects or ends else "we"
        elif key in second:
            new = second[key]
        elif previous in {"i", "we"} and key in swaps["after_i"]:
            new = swaps["after_i"][key]
        else:
            new = word
        out.append(text[pos : match.start()] + new)
        pos = match.end()
        previous = key
    out.append(text[pos:])
    return "".join(out)
