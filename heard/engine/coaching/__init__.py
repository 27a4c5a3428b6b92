"""The empathy coach: score a draft reply, mark what hurts and why, propose a better wording.

    >>> from heard.engine.coaching import coach
    >>> result = coach("Dear Customer, please read the manual.", "My export fails!", "Maria")
    >>> [f.code for f in result.findings][:2]
    ['rtfm', 'robotic']

It runs locally in milliseconds and never sends anything. `coach()` returns a frozen
`Coaching(score, findings, suggestion, emotion, dimensions)`; each
`Finding(code, start, end, text, why, severity)` marks characters `start:end` of the draft
(None for something missing) and says in `why`, from the customer's side, why it lands badly.

Codes (data/codes.toml; severity in brackets):
    blame [high]            it's the customer's fault ("user error", "you must have misconfigured")
    rtfm [high]             sent off to read a manual, FAQ, website, contract or earlier email
    policy_wall [high]      contract, terms, policy or obligation as the whole answer
    dismissive [high]       feelings belittled or overruled ("calm down", "no reason to be upset")
    curt_closing [medium]   closings that shut the door ("as already stated", "I trust this ...")
    robotic [medium]        template language ("Dear Customer", "your request has been logged")
    shouting [high]         capitals (acronyms excepted) or stacked "!!" in the agent's words
    no_acknowledgement [medium]  the message carries feelings or a problem; nothing shows it
                            was heard (what counts depends on the emotion: data/mood.toml)
    no_name [low]           the customer's name is known and never used
    no_next_step [medium]   nothing done, promised, to do, or a time; vague promises such as
                            "we'll look into it" only count with a time (not needed for praise)
    no_offer_more_help [low]  no invitation to come back

Matching follows meaning, not strings: rule files under data/rules/ (one per code) and marker
files under data/markers/ are written in a small phrase language (see _patterns.py) with
inflections, alternatives, word groups and gaps; a negation earlier in the clause cancels a
match ("you don't need to read the manual"); words in quotation marks and lines starting with
">" are the customer's, never the agent's. Paraphrases the rules miss are found by a sentence
classifier for blame, rtfm, policy_wall and dismissive (_classify.py, data/classifier.npz,
trained by scripts/train_coach.py; CARD.md has its measured figures). Some rules are
conditional: a link to a guide is forgiven when the draft also helps directly, a policy when an
alternative is offered, "I hope this answers your question" when more help is offered.

Dimensions (_dimensions.py, weights in data/dimensions.toml): empathy (feelings acknowledged,
personal, ownership), respect (no blame, no sending them to read, no policy wall, no dismissing
or minimising, no shouting) and clarity (a next step, an offer of more help, readable), each
0..100. The score is their weighted mean, empathy and respect weighing most (0.4 each).
`history` (the conversation before the customer's message) makes a customer who had to write
again count as at least frustrated, and marks a sentence the agent side already sent as robotic.

`acknowledgement()` is the suggestion's acknowledging line on its own, with wording given by the
caller: the mail app's automatic acknowledgement uses it in the team's voice. It restates only
what happened to the customer or went wrong ("you were charged twice"), never their own plain
actions or wishes ("I ordered", "I'd like"); with nothing safe to restate, the plain line.

The suggestion keeps the agent's facts, steps and sign-off (last, even where they wrote it
mid-text) and rewrites the rest (see _suggest.py). It never promises what the agent did not: a
missing next step is a placeholder for them to fill in ("I'll get back to you [by when] with
[what happens next]"), which the coach counts as the next step. Coaching a suggestion again
raises no finding: the whole suggestion is coached until nothing is left to raise.
"""

from __future__ import annotations

from heard.engine.coaching._coach import coach
from heard.engine.coaching._suggest import acknowledgement
from heard.engine.coaching._types import FINDING_CODES, CoachConfig, Coaching, Finding, HasEmotion

__all__ = [
    "FINDING_CODES",
    "CoachConfig",
    "Coaching",
    "Finding",
    "HasEmotion",
    "acknowledgement",
    "coach",
]
