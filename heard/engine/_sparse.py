"""The word and character n-gram half of the model: TF-IDF features and a logistic regression.

It is the same computation as scikit-learn's `TfidfVectorizer` (word 1-2-grams and `char_wb`
2-5-grams, sublinear tf, smooth idf, l2 norm per vectorizer) followed by
`LogisticRegression.predict_proba`, in numpy, so that the runtime needs no scikit-learn.
`scripts/train_engine.py` fits it with scikit-learn, stores it in `data/sparse.npz` and checks
that this module gives the same probabilities on the dev split.
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass

import numpy as np

_TOKEN = re.compile(r"(?u)\b\w\w+\b")
_SPACES = re.compile(r"\s\s+")
CHAR_SIZES = range(2, 6)
# The scikit-learn settings this module reproduces; training and the bench build from them.
WORD_SETTINGS = {"ngram_range": (1, 2), "min_df": 2, "sublinear_tf": True}
CHAR_SETTINGS = {"analyzer": "char_wb", "ngram_range": (2, 5), "min_df": 3, "sublinear_tf": True}
REGRESSION_SETTINGS = {"C": 1.0, "max_iter": 2000, "class_weight": "balanced"}


@dataclass(frozen=True)
class Vectorizer:
    vocabulary: dict[str, int]
    idf: np.ndarray
    analyzer: str  # "word" or "char_wb"

    def features(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(columns, values): the l2-normalised sublinear TF-IDF of `text`."""
        grams = word_grams(text) if self.analyzer == "word" else char_grams(text)
        known = [column for column in map(self.vocabulary.get, grams) if column is not None]
        columns, counts = np.unique(np.array(known, dtype=np.int64), return_counts=True)
        values = (1.0 + np.log(counts)) * self.idf[columns]
        norm = np.sqrt(values @ values)
        return columns, values / norm if norm else values


@dataclass(frozen=True)
class SparseModel:
    words: Vectorizer
    chars: Vectorizer
    coef: np.ndarray  # classes x (word features + char features)
    intercept: np.ndarray

    def log_probabilities(self, text: str) -> np.ndarray:
        word_columns, word_values = self.words.features(text)
        char_columns, char_values = self.chars.features(text)
        offset = len(self.words.vocabulary)
        logits = (
            self.intercept
            + self.coef[:, word_columns] @ word_values
            + self.coef[:, char_columns + offset] @ char_values
        )
        return logits - _logsumexp(logits)


def word_grams(text: str) -> list[str]:
    tokens = _TOKEN.findall(text.lower())
    return tokens + [f"{a} {b}" for a, b in itertools.pairwise(tokens)]


def char_grams(text: str) -> list[str]:
    grams = []
    for word in _SPACES.sub(" ", text.lower()).split():
        padded = f" {word} "
        for n in CHAR_SIZES:
            grams += [padded[i : i + n] for i in range(max(len(padded) - n + 1, 1))]
            if len(padded) <= n:
                break
    return grams


def load(arrays: dict[str, np.ndarray]) -> SparseModel:
    """The model from the arrays of `data/sparse.npz`."""
    return SparseModel(
        Vectorizer(_vocabulary(arrays["word_terms"]), arrays["word_idf"], "word"),
        Vectorizer(_vocabulary(arrays["char_terms"]), arrays["char_idf"], "char_wb"),
        arrays["coef"].astype(np.float64),
        arrays["intercept"].astype(np.float64),
    )


def terms_array(terms: list[str]) -> np.ndarray:
    """Terms as one newline-joined UTF-8 buffer: far smaller in an .npz than a string array."""
    return np.frombuffer("\n".join(terms).encode("utf-8"), dtype=np.uint8)


def _vocabulary(terms: np.ndarray) -> dict[str, int]:
    return {term: column for column, term in enumerate(terms.tobytes().decode("utf-8").split("\n"))}


def _logsumexp(x: np.ndarray) -> float:
    top = float(x.max())
    return top + math.log(float(np.exp(x - top).sum()))
