"""The empathy coach: score a draft reply, mark what hurts and why, propose a better wording.

    >>> from heard.engine.coaching import coach
    >>> result = coach("Dear Customer, please read the manual.", "My export fails!", "Maria")
    >>> [f.code for f in result.findings][:2]
    ['rtfm', 'robotic']

It runs locally in milliseconds and never sends anything. `coach()` returns a frozen
`Coaching(score, findings, suggestion)`; each `Finding(code, start, end, text, why, severity)`
marks characters `start:end` of the draft (None for something missing) and says in `why`, from
the customer's side, why it lands badly.

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

Score: 100 minus, for each code found, its severity weight (high 25, medium 12, low 6) plus
4 for each further finding of the same code; never below 0 (CoachConfig holds the weights).

`acknowledgement()` is the suggestion's acknowledging line on its own, with wording given by the
caller: the mail app's automatic acknowledgement uses it in the team's voice.

The suggestion keeps the agent's facts, steps and sign-off and rewrites the rest (see
_suggest.py); coaching a suggestion again raises no finding.
"""

from __future__ import annotations

from heard.engine.coaching._coach import coach, score
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
    "score",
]
