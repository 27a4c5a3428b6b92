"""Meaning, not strings: a sentence classifier for blame, rtfm, policy_wall and dismissive.

The rule files catch the wording they list; this catches paraphrases of the same four harms
("the shoes wore out because they were used for running", "it's hardly a disaster"). Each
sentence is turned into TF-IDF features (word 1-2-grams, with words in a negation's scope
marked "not_", and character 3-5-grams inside words; sublinear tf, smooth idf, one l2 norm),
and each code has its own logistic regression, evaluated here in numpy. It is the computation
of scikit-learn's `TfidfVectorizer(analyzer=grams)` and `LogisticRegression.decision_function`,
so the runtime needs no scikit-learn.

`scripts/train_coach.py` fits it on `data/training/sentences.jsonl` (written for Heard) plus
sentences derived from the eval, holdout and fresh sets (never coach_blind.jsonl), picks one
threshold per code for high precision on cross-validation, and writes `data/classifier.npz`
in the layout `ARRAYS` describes.
"""

from __future__ import annotations

import io
import itertools
import math
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np

from heard.engine.coaching._data import words

#: The codes the classifier scores, in the order of the artifact's rows.
CODES = ("blame", "rtfm", "policy_wall", "dismissive")
ARTIFACT = "classifier.npz"
#: The artifact's arrays: name -> (dtype kind, number of dimensions).
ARRAYS = {
    "codes": ("U", 1),  # CODES, in row order
    "vocabulary": ("U", 1),  # one feature per column
    "idf": ("f", 1),  # per column
    "coef": ("f", 2),  # codes x columns
    "intercept": ("f", 1),  # per code
    "threshold": ("f", 1),  # per code: the probability from which a sentence is flagged
}
CHAR_SIZES = (3, 4, 5)

_TOKEN = re.compile(r"[a-z0-9']+|[,;:.!?()\u2013\u2014\"]")
_DIGITS = re.compile(r"\d")
_NEGATION_SCOPE = 4  # words after a negator that read as negated


def prepare(text: str) -> str:
    """Lower case, curly apostrophes straight, digits as 0, spaces collapsed."""
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    return " ".join(_DIGITS.sub("0", text).split())


def word_grams(text: str) -> list[str]:
    """Word 1- and 2-grams of prepared text; up to four words after a negator are marked
    "not_" until the clause ends or a scope breaker ("but", "so", ...) stands in the way."""
    negators, breakers = words("negators"), words("scope_breakers")
    tokens: list[str] = []
    left = 0
    for token in _TOKEN.findall(text):
        if not token[0].isalnum():
            left = 0
            continue
        if token in breakers:
            left = 0
        tokens.append(f"not_{token}" if left else token)
        left = max(0, left - 1)
        if token in negators or token.endswith("n't"):
            left = _NEGATION_SCOPE
    return tokens + [f"{a} {b}" for a, b in itertools.pairwise(tokens)]


def char_grams(text: str) -> list[str]:
    grams = []
    for word in text.split():
        padded = f" {word} "
        for n in CHAR_SIZES:
            grams += [f"#{padded[i : i + n]}" for i in range(max(len(padded) - n + 1, 1))]
            if len(padded) <= n:
                break
    return grams


def grams(text: str) -> list[str]:
    """Every feature name of one sentence (the training script's analyzer)."""
    prepared = prepare(text)
    return word_grams(prepared) + char_grams(prepared)


@dataclass(frozen=True)
class Classifier:
    """The artifact, ready to score sentences (built by `from_arrays`)."""

    vocabulary: dict[str, int]  # feature name -> column
    chars: dict[str, int]  # the character n-grams of `vocabulary` without their "#"
    idf: np.ndarray
    coef: np.ndarray  # columns x codes (transposed from the artifact, for row gathers)
    intercept: np.ndarray
    threshold: np.ndarray  # per code, a probability
    limits: np.ndarray  # `threshold` as decision values, so that flagging needs no sigmoid

    def columns(self, text: str) -> dict[int, int]:
        """Known feature columns of one sentence with their counts; the same features as
        `grams(text)`, looked up without building the "#"-prefixed strings."""
        prepared = prepare(text)
        found: dict[int, int] = {}
        words_get, chars_get = self.vocabulary.get, self.chars.get
        for gram in word_grams(prepared):
            if (column := words_get(gram)) is not None:
                found[column] = found.get(column, 0) + 1
        for word in prepared.split():
            padded = f" {word} "
            size = len(padded)
            for n in CHAR_SIZES:
                for i in range(max(size - n + 1, 1)):
                    if (column := chars_get(padded[i : i + n])) is not None:
                        found[column] = found.get(column, 0) + 1
                if size <= n:
                    break
        return found

    def logits(self, text: str) -> np.ndarray:
        """The decision value of each of CODES (before the sigmoid)."""
        found = self.columns(text)
        if not found:
            return self.intercept.copy()
        columns = np.fromiter(found.keys(), dtype=np.int64, count=len(found))
        counts = np.fromiter(found.values(), dtype=np.float64, count=len(found))
        values = (1.0 + np.log(counts)) * self.idf[columns]
        values /= math.sqrt(float(values @ values))
        return self.intercept + values @ self.coef[columns]

    def probabilities(self, text: str) -> np.ndarray:
        """P(code) for each of CODES."""
        return 1.0 / (1.0 + np.exp(-self.logits(text)))

    def flags(self, text: str) -> list[str]:
        """The codes whose probability reaches their threshold."""
        reached = self.logits(text) >= self.limits
        return [code for code, flagged in zip(CODES, reached, strict=True) if flagged]


def from_arrays(arrays: dict[str, np.ndarray]) -> Classifier:
    if tuple(arrays["codes"]) != CODES:
        raise ValueError(f"artifact codes {tuple(arrays['codes'])} differ from {CODES}")
    vocabulary = {name: column for column, name in enumerate(arrays["vocabulary"].tolist())}
    threshold = arrays["threshold"].astype(np.float64)
    return Classifier(
        vocabulary=vocabulary,
        idf=arrays["idf"].astype(np.float64),
        coef=np.ascontiguousarray(arrays["coef"].astype(np.float64).T),
        intercept=arrays["intercept"].astype(np.float64),
        threshold=threshold,
        chars={name[1:]: column for name, column in vocabulary.items() if name[:1] == "#"},
        limits=np.log(threshold / (1.0 - threshold)),
    )


def read_arrays(data: bytes) -> dict[str, np.ndarray]:
    with np.load(io.BytesIO(data), allow_pickle=False) as npz:
        return {name: npz[name] for name in npz.files}


@cache
def classifier() -> Classifier:
    """The shipped classifier, read once from data/classifier.npz."""
    data = resources.files("heard.engine.coaching").joinpath("data", ARTIFACT).read_bytes()
    return from_arrays(read_arrays(data))
