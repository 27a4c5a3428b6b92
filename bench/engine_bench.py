"""Heard's reading engine beside its peers, in one run: accuracy, then speed on one core.

    .venv/bin/python -m bench.engine_bench [--data DIR]      (part of `make bench`)

Accuracy: seven-class macro-F1 on GoEmotions' test split for Heard (the shipped model through
read_many) and, trained here on the same train split, TF-IDF + logistic regression; VADER
(negative -> frustration, positive -> happiness) and the NRC emotion lexicon (from the NRCLex
package). 28-label macro-F1 for the models that predict the 28 labels. Then the support-domain
test set written for Heard: accuracy and per-class F1, and how well `urgent` is flagged.
Speed: a fresh process pinned to one CPU with one thread: model load time, single-message
latency p50/p95, batched throughput and peak resident memory.

Needs the bench extra (scikit-learn, vaderSentiment, NRCLex); prints figures, asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from importlib import resources
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from heard.engine import Emotion, EngineConfig, _sparse, read_many
from heard.engine import _datasets as datasets
from heard.engine._model import model

EMOTIONS = [str(e) for e in Emotion]
PROBE = datasets.REPO / "scripts" / "engine_probe.py"
ONE_THREAD = EngineConfig(threads=1)
# NRC's emotions onto Heard's; words with only "negative"/"positive" fall back like VADER.
NRC = {
    "anger": "anger",
    "disgust": "anger",
    "fear": "anxiety",
    "sadness": "disappointment",
    "joy": "happiness",
}
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
Classifier = Callable[[list[str]], list[str]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=datasets.DEFAULT_GOEMOTIONS)
    args = parser.parse_args()
    train = datasets.goemotions("train", args.data)
    dev = datasets.goemotions("dev", args.data)
    test = datasets.goemotions("test", args.data)
    support = datasets.support("test")
    labels = datasets.goemotions_labels(args.data)
    print(f"GoEmotions test: {len(test)} comments; support test: {len(support)} messages\n")

    tfidf7, tfidf28 = _tfidf(train, dev, labels)
    peers: dict[str, tuple[Classifier, Classifier | None]] = {
        "Heard (read_many)": (_heard, _heard_labels),
        "TF-IDF + LR": (tfidf7, tfidf28),
        "VADER": (_vader, None),
        "NRC lexicon": (_nrc, None),
    }
    _accuracy_table(peers, test, support, labels)
    _per_class("GoEmotions test", test)
    _per_class("the support test set", support)
    _urgency(support)
    print()
    _speed(args.data)


def _accuracy_table(
    peers: dict[str, tuple[Classifier, Classifier | None]],
    test: list[datasets.Example],
    support: list[datasets.Example],
    labels: list[str],
) -> None:
    gold = [str(e.emotion) for e in test]
    gold28 = _label_matrix(test, labels)
    support_gold = [str(e.emotion) for e in support]
    print(
        f"{'':20} {'GoEm 7-class F1':>16} {'GoEm 28-label F1':>17} {'support acc':>12} "
        f"{'support F1':>11}"
    )
    for name, (seven, fine) in peers.items():
        predicted = seven([e.text for e in test])
        on_support = seven([e.text for e in support])
        fine_f1 = f"{_macro(gold28, fine([e.text for e in test])):.3f}" if fine else "-"
        support_acc = accuracy_score(support_gold, on_support)
        print(
            f"{name:20} {_macro(gold, predicted):16.3f} {fine_f1:>17} "
            f"{support_acc:12.3f} {_macro(support_gold, on_support):11.3f}"
        )
    print(f"{'published BERT-base':20} {'-':>16} {0.46:17.3f}   (GoEmotions paper, 28 labels)\n")


def _per_class(name: str, examples: list[datasets.Example]) -> None:
    gold = [str(e.emotion) for e in examples]
    predicted = _heard([e.text for e in examples])
    scores = f1_score(gold, predicted, labels=EMOTIONS, average=None, zero_division=0)
    counts = Counter(gold)
    print(f"Heard on {name}, F1 per class:")
    print(
        "  "
        + "  ".join(f"{e} {s:.2f} (n={counts[e]})" for e, s in zip(EMOTIONS, scores, strict=True))
    )


def _urgency(support: list[datasets.Example]) -> None:
    readings = read_many([e.text for e in support], ONE_THREAD)
    gold = [bool(e.urgent) for e in support]
    flagged = [r.urgent for r in readings]
    churn_gold = [bool(e.churn) for e in support]
    churn = [r.churn_risk >= 0.5 for r in readings]
    for name, g, p in (("urgent", gold, flagged), ("churn risk >= 0.5", churn_gold, churn)):
        tp = sum(a and b for a, b in zip(g, p, strict=True))
        print(
            f"Heard {name} on the support test set: accuracy {accuracy_score(g, p):.3f}, "
            f"precision {tp / max(sum(p), 1):.3f}, recall {tp / max(sum(g), 1):.3f} "
            f"({sum(g)} of {len(g)} labelled so)"
        )


def _speed(data: Path) -> None:
    """Run scripts/engine_probe.py (a fresh process that loads only the engine, pinned to one
    CPU) and print what it measured."""
    probe = [sys.executable, str(PROBE), "--data", str(data)]
    run = subprocess.run(probe, check=True, capture_output=True, text=True)  # noqa: S603  (our own module)
    result = json.loads(run.stdout)
    print("Speed on one core (fresh process, one CPU, one thread):")
    print(f"  model load (first read, import included): {result['load_s'] * 1000:.0f} ms")
    for name in ("goemotions", "support"):
        r = result[name]
        print(
            f"  {name} messages: single p50 {r['p50_ms']:.2f} ms, p95 {r['p95_ms']:.2f} ms; "
            f"batched {r['per_s']:.0f} messages/s"
        )
    long_email = result["long_email"]
    print(
        f"  one long email ({long_email['chars']} chars, {long_email['sentences']} sentences): "
        f"p50 {long_email['p50_ms']:.1f} ms"
    )
    print(f"  peak resident memory: {result['rss_mb']:.0f} MB")


def _heard(texts: list[str]) -> list[str]:
    return [str(r.emotion) for r in read_many(texts, ONE_THREAD)]


def _heard_labels(texts: list[str]) -> np.ndarray:
    shipped = model(1)
    return shipped.predict(texts)[1] >= np.array(shipped.meta["label_thresholds"])


def _tfidf(
    train: list[datasets.Example], dev: list[datasets.Example], labels: list[str]
) -> tuple[Classifier, Classifier]:
    """Word 1-2-gram + character 2-5-gram TF-IDF with class-weighted logistic regression: one
    seven-class model, and one binary model per GoEmotions label with its threshold set on dev."""
    print(
        "training TF-IDF + LR on GoEmotions train (seven classes, then 28 labels) ...", flush=True
    )
    words = TfidfVectorizer(**_sparse.WORD_SETTINGS)
    chars = TfidfVectorizer(**_sparse.CHAR_SETTINGS)
    texts = [e.text for e in train]
    x = hstack([words.fit_transform(texts), chars.fit_transform(texts)]).tocsr()

    def features(batch: list[str]) -> csr_matrix:
        return hstack([words.transform(batch), chars.transform(batch)]).tocsr()

    seven = LogisticRegression(**_sparse.REGRESSION_SETTINGS).fit(
        x, [str(e.emotion) for e in train]
    )
    fine = [_binary().fit(x, column) for column in _label_matrix(train, labels).T]
    dev_x = features([e.text for e in dev])
    dev_gold = _label_matrix(dev, labels)
    thresholds = [
        _best_threshold(dev_gold[:, j], m.predict_proba(dev_x)[:, 1]) for j, m in enumerate(fine)
    ]

    def predict28(batch: list[str]) -> np.ndarray:
        x_batch = features(batch)
        columns = [
            m.predict_proba(x_batch)[:, 1] >= t for m, t in zip(fine, thresholds, strict=True)
        ]
        return np.column_stack(columns)

    return (lambda batch: list(seven.predict(features(batch)))), predict28


def _binary() -> LogisticRegression:
    """One label's model: liblinear is the quick solver for a binary problem on sparse data."""
    return LogisticRegression(C=1.0, class_weight="balanced", solver="liblinear")


def _best_threshold(gold: np.ndarray, probabilities: np.ndarray) -> float:
    grid = np.round(np.arange(0.05, 0.951, 0.05), 2)
    return float(max(grid, key=lambda t: f1_score(gold, probabilities >= t, zero_division=0)))


def _vader(texts: list[str]) -> list[str]:
    analyzer = SentimentIntensityAnalyzer()
    return [_polarity(analyzer.polarity_scores(text)["compound"]) for text in texts]


def _polarity(compound: float) -> str:
    if compound >= 0.05:
        return "happiness"
    if compound <= -0.05:
        return "frustration"
    return "neutral"


def _nrc(texts: list[str]) -> list[str]:
    lexicon = json.loads(resources.files("nrclex.data").joinpath("nrc_en.json").read_text())
    predicted = []
    for text in texts:
        affects = Counter(a for w in _WORD.findall(text.lower()) for a in lexicon.get(w, ()))
        emotions = Counter(NRC[a] for a in affects.elements() if a in NRC)
        if emotions:
            predicted.append(emotions.most_common(1)[0][0])
        else:
            predicted.append(_polarity(affects["positive"] - affects["negative"]))
    return predicted


def _label_matrix(examples: list[datasets.Example], labels: list[str]) -> np.ndarray:
    matrix = np.zeros((len(examples), len(labels)), dtype=bool)
    for row, example in enumerate(examples):
        matrix[row, [labels.index(label) for label in example.labels]] = True
    return matrix


def _macro(gold: list[str] | np.ndarray, predicted: list[str] | np.ndarray) -> float:
    return float(f1_score(gold, predicted, average="macro", zero_division=0))


if __name__ == "__main__":
    main()
