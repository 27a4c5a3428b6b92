"""The word and character n-gram half of the model: TF-IDF features and two linear heads.

The features are the same computation as scikit-learn's `TfidfVectorizer` (word 1-2-grams and
`char_wb` 2-5-grams, sublinear tf, smooth idf, l2 norm per vectorizer), in numpy, so that the
runtime needs no scikit-learn. On them sit a seven-emotion multinomial logistic regression
(`LogisticRegression.predict_proba`) and one binary logistic regression per GoEmotions label,
kept sparse: only each label's largest weights are stored. `scripts/train_engine.py` fits both
with scikit-learn, stores them in `data/sparse.npz` and checks this module against scikit-learn
on the dev split.
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass, field

import numpy as np

_TOKEN = re.compile(r"(?u)\b\w\w+\b")
_SPACES = re.compile(r"\s\s+")
CHAR_SIZES = range(2, 6)
# The scikit-learn settings this module reproduces; training and the bench build from them.
WORD_SETTINGS = {"ngram_range": (1, 2), "min_df": 2, "sublinear_tf": True}
CHAR_SETTINGS = {"analyzer": "char_wb", "ngram_range": (2, 5), "min_df": 3, "sublinear_tf": True}
REGRESSION_SETTINGS = {"C": 1.0, "max_iter": 2000, "class_weight": "balanced"}
LABEL_SETTINGS = {"C": 1.0, "solver": "liblinear", "class_weight": "balanced"}
LABEL_KEEP = 0.1  # share of each label's weights kept, the largest by magnitude
_WORD_CACHE = 100_000  # char_wb columns remembered per distinct word


@dataclass(frozen=True)
class Vectorizer:
    vocabulary: dict[str, int]
    idf: np.ndarray
    analyzer: str  # "word" or "char_wb"
    _word_columns: dict[str, list[int]] = field(default_factory=dict, compare=False, repr=False)

    def features(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(columns, values): the l2-normalised sublinear TF-IDF of `text`."""
        if self.analyzer == "word":
            known = [c for c in map(self.vocabulary.get, word_grams(text)) if c is not None]
        else:
            known = [c for word in char_words(text) for c in self._char_columns(word)]
        columns, counts = np.unique(np.array(known, dtype=np.int64), return_counts=True)
        values = (1.0 + np.log(counts)) * self.idf[columns]
        norm = np.sqrt(values @ values)
        return columns, values / norm if norm else values

    def _char_columns(self, word: str) -> list[int]:
        """A word's known character n-gram columns: words repeat, so they are remembered."""
        columns = self._word_columns.get(word)
        if columns is None:
            if len(self._word_columns) >= _WORD_CACHE:
                self._word_columns.clear()
            grams = word_char_grams(word)
            columns = [c for c in map(self.vocabulary.get, grams) if c is not None]
            self._word_columns[word] = columns
        return columns


@dataclass(frozen=True)
class Scores:
    emotion: np.ndarray  # log-probabilities of the seven emotions
    labels: np.ndarray  # logits of the 28 labels


@dataclass(frozen=True)
class SparseModel:
    words: Vectorizer
    chars: Vectorizer
    coef: np.ndarray  # emotions x (word features + char features)
    intercept: np.ndarray
    label_coef: np.ndarray  # labels x features, zero outside the kept weights
    label_intercept: np.ndarray

    def scores(self, text: str) -> Scores:
        columns, values = self.features(text)
        logits = self.intercept + self.coef[:, columns] @ values
        labels = self.label_intercept + self.label_coef[:, columns] @ values
        return Scores(logits - _logsumexp(logits), labels)

    def features(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        word_columns, word_values = self.words.features(text)
        char_columns, char_values = self.chars.features(text)
        columns = np.concatenate([word_columns, char_columns + len(self.words.vocabulary)])
        return columns, np.concatenate([word_values, char_values])


def word_grams(text: str) -> list[str]:
    tokens = _TOKEN.findall(text.lower())
    return tokens + [f"{a} {b}" for a, b in itertools.pairwise(tokens)]


def char_words(text: str) -> list[str]:
    return _SPACES.sub(" ", text.lower()).split()


def word_char_grams(word: str) -> list[str]:
    grams = []
    padded = f" {word} "
    for n in CHAR_SIZES:
        grams += [padded[i : i + n] for i in range(max(len(padded) - n + 1, 1))]
        if len(padded) <= n:
            break
    return grams


def char_grams(text: str) -> list[str]:
    return [gram for word in char_words(text) for gram in word_char_grams(word)]


def pruned(coef: np.ndarray, keep: float = LABEL_KEEP) -> dict[str, np.ndarray]:
    """The largest `keep` share of each row's weights, as coordinate arrays for `sparse.npz`."""
    rows, columns, values = [], [], []
    for row, weights in enumerate(coef):
        kept = np.sort(np.argsort(-np.abs(weights))[: max(1, round(keep * len(weights)))])
        rows.append(np.full(len(kept), row, dtype=np.uint8))
        columns.append(kept.astype(np.int32))
        values.append(weights[kept].astype(np.float32))
    return {
        "label_rows": np.concatenate(rows),
        "label_columns": np.concatenate(columns),
        "label_values": np.concatenate(values),
    }


def load(arrays: dict[str, np.ndarray]) -> SparseModel:
    """The model from the arrays of `data/sparse.npz`."""
    words = Vectorizer(_vocabulary(arrays["word_terms"]), arrays["word_idf"], "word")
    chars = Vectorizer(_vocabulary(arrays["char_terms"]), arrays["char_idf"], "char_wb")
    label_coef = np.zeros(
        (len(arrays["label_intercept"]), len(words.vocabulary) + len(chars.vocabulary)),
        dtype=np.float32,
    )
    label_coef[arrays["label_rows"], arrays["label_columns"]] = arrays["label_values"]
    return SparseModel(
        words,
        chars,
        arrays["coef"].astype(np.float64),
        arrays["intercept"].astype(np.float64),
        label_coef,
        arrays["label_intercept"].astype(np.float64),
    )


def terms_array(terms: list[str]) -> np.ndarray:
    """Terms as one newline-joined UTF-8 buffer: far smaller in an .npz than a string array."""
    return np.frombuffer("\n".join(terms).encode("utf-8"), dtype=np.uint8)


def _vocabulary(terms: np.ndarray) -> dict[str, int]:
    return {term: column for column, term in enumerate(terms.tobytes().decode("utf-8").split("\n"))}


def _logsumexp(x: np.ndarray) -> float:
    top = float(x.max())
    return top + math.log(float(np.exp(x - top).sum()))
