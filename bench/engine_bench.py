"""Heard's reading engine beside its peers, in one run: accuracy and calibration, then speed.

    .venv/bin/python -m bench.engine_bench [--data DIR] [--sgd-data DIR]   (part of `make bench`)

Accuracy: seven-class macro-F1, accuracy and expected calibration error (ECE, top label, ten
bins) on GoEmotions' test split and on the test split of the support messages written for Heard
(heard/engine/GUIDE.md: whole situations never trained or tuned on), for Heard (the shipped
model through read_many); TF-IDF + logistic regression trained here on the same training data
as Heard (GoEmotions train, the same SGD requests and the support train split); VADER
(negative -> frustration, positive -> happiness); the NRC emotion lexicon; and answering
"neutral" every time. A peer without probabilities counts as fully confident. Then: 28-label
macro-F1, per-emotion F1, the support test read with and without its conversation history,
the share of SGD's held-out plain requests read as neutral, and how well `urgent`, churn risk
and a request for a manager are flagged. Speed: a fresh process pinned to one CPU with one
thread: model load time, single-message latency p50/p95, batched throughput and peak memory.

Needs the bench extra (scikit-learn, vaderSentiment, NRCLex); prints figures, asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import random
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
from heard.engine._metrics import expected_calibration_error
from heard.engine._model import metadata, model

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
# A peer reads texts into labels and, when it has them, probabilities (n x 7, EMOTIONS order).
Prediction = tuple[list[str], np.ndarray | None]
Peer = Callable[[list[str]], Prediction]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=datasets.DEFAULT_GOEMOTIONS)
    parser.add_argument("--sgd-data", type=Path, default=datasets.DEFAULT_SGD)
    args = parser.parse_args()
    test = datasets.goemotions("test", args.data)
    support = datasets.support("test")
    labels = datasets.goemotions_labels(args.data)
    print(
        f"GoEmotions test: {len(test)} comments; support test: {len(support)} messages in "
        f"{len({e.situation for e in support})} situations never trained or tuned on\n"
    )
    tfidf7, tfidf28 = _tfidf(_training_set(args), datasets.goemotions("dev", args.data), labels)
    peers: dict[str, Peer] = {
        "Heard (read_many)": _heard,
        "TF-IDF + LR": tfidf7,
        "VADER": _vader,
        "NRC lexicon": _nrc,
        'always "neutral"': _always_neutral,
    }
    _accuracy_table(peers, {"GoEmotions test": test, "support test": support})
    _labels_table(test, labels, tfidf28)
    _per_class("GoEmotions test", test)
    _per_class("the support test split", support)
    _context(support)
    _calm_requests(peers, datasets.sgd("check", args.sgd_data))
    _flags(support)
    print()
    _speed(args.data)


def _training_set(args: argparse.Namespace) -> list[datasets.Example]:
    """What Heard's model was trained on, rebuilt the way scripts/train_engine.py builds it."""
    training = metadata()["training"]
    requests = random.Random(training["seed"]).sample(
        datasets.sgd("train", args.sgd_data), training["sgd_requests"]
    )
    return (
        datasets.goemotions("train", args.data)
        + requests
        + datasets.support("train") * training["support_repeat"]
    )


def _accuracy_table(peers: dict[str, Peer], sets: dict[str, list[datasets.Example]]) -> None:
    """Macro-F1, accuracy and ECE of every peer on every set, side by side."""
    columns = [f"{name} {figure}" for name in sets for figure in ("F1", "acc", "ECE")]
    print(f"{'':20}" + "".join(f" {c:>19}" for c in columns))
    for name, peer in peers.items():
        cells = []
        for examples in sets.values():
            gold = [str(e.emotion) for e in examples]
            predicted, probabilities = peer([e.text for e in examples])
            cells += [
                _macro(gold, predicted),
                accuracy_score(gold, predicted),
                _ece(gold, predicted, probabilities),
            ]
        print(f"{name:20}" + "".join(f" {c:19.3f}" for c in cells))
    print()


def _labels_table(test: list[datasets.Example], labels: list[str], tfidf28: Callable) -> None:
    gold = _label_matrix(test, labels)
    texts = [e.text for e in test]
    print("GoEmotions test, 28-label macro-F1:")
    heard, tfidf = _macro(gold, _heard_labels(texts)), _macro(gold, tfidf28(texts))
    print(f"  Heard {heard:.3f}, TF-IDF + LR {tfidf:.3f}, published BERT-base 0.46 (paper)\n")


def _ece(gold: list[str], predicted: list[str], probabilities: np.ndarray | None) -> float:
    truth = np.array([EMOTIONS.index(g) for g in gold])
    if probabilities is None:  # a label alone: fully confident in it
        probabilities = np.zeros((len(gold), len(EMOTIONS)))
        probabilities[np.arange(len(gold)), [EMOTIONS.index(p) for p in predicted]] = 1.0
    return expected_calibration_error(probabilities, truth)


def _per_class(name: str, examples: list[datasets.Example]) -> None:
    gold = [str(e.emotion) for e in examples]
    predicted, _ = _heard([e.text for e in examples])
    scores = f1_score(gold, predicted, labels=EMOTIONS, average=None, zero_division=0)
    counts = Counter(gold)
    print(f"Heard on {name}, F1 per emotion:")
    print(
        "  "
        + "  ".join(f"{e} {s:.2f} (n={counts[e]})" for e, s in zip(EMOTIONS, scores, strict=True))
    )


def _context(support: list[datasets.Example]) -> None:
    """The support test messages written with a conversation before them, read alone and in it."""
    with_history = [e for e in support if e.history]
    if not with_history:
        return
    gold = [str(e.emotion) for e in with_history]
    texts = [e.text for e in with_history]
    alone = [str(r.emotion) for r in read_many(texts, ONE_THREAD)]
    histories = [list(e.history) for e in with_history]
    read_in_context = read_many(texts, ONE_THREAD, histories=histories)
    in_context = [str(r.emotion) for r in read_in_context]
    print(f"Heard on the {len(with_history)} support test messages with a history:")
    for name, predicted in (("read alone", alone), ("read in context", in_context)):
        print(
            f"  {name:16} accuracy {accuracy_score(gold, predicted):.3f}, "
            f"macro-F1 {_macro(gold, predicted):.3f}"
        )


def _calm_requests(peers: dict[str, Peer], requests: list[datasets.Example]) -> None:
    """SGD's held-out dialogues: plain requests to an assistant, all neutral by the guide."""
    texts = [e.text for e in requests]
    print(f"\nSGD plain requests never trained on ({len(texts)}), share read as neutral:")
    print(
        "  "
        + ", ".join(
            f"{name} {np.mean([p == 'neutral' for p in peer(texts)[0]]):.3f}"
            for name, peer in peers.items()
        )
    )


def _flags(support: list[datasets.Example]) -> None:
    readings = read_many(
        [e.text for e in support], ONE_THREAD, histories=[list(e.history) for e in support]
    )
    flags = (
        ("urgent", [bool(e.urgent) for e in support], [r.urgent for r in readings]),
        (
            "churn risk >= 0.5",
            [bool(e.churn) for e in support],
            [r.churn_risk >= 0.5 for r in readings],
        ),
        (
            "asks for a manager",
            [bool(e.escalation) for e in support],
            [any(c.kind == "escalation" for c in r.cues) for r in readings],
        ),
    )
    print()
    for name, gold, flagged in flags:
        tp = sum(a and b for a, b in zip(gold, flagged, strict=True))
        print(
            f"Heard {name} on the support test split: "
            f"accuracy {accuracy_score(gold, flagged):.3f}, "
            f"precision {tp / max(sum(flagged), 1):.3f}, recall {tp / max(sum(gold), 1):.3f} "
            f"({sum(gold)} of {len(gold)} labelled so)"
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


def _heard(texts: list[str]) -> Prediction:
    readings = read_many(texts, ONE_THREAD)
    probabilities = np.array([[r.scores[e] for e in Emotion] for r in readings])
    return [str(r.emotion) for r in readings], probabilities


def _heard_labels(texts: list[str]) -> np.ndarray:
    shipped = model(1)
    return shipped.predict(texts)[1] >= np.array(shipped.meta["label_thresholds"])


def _tfidf(
    train: list[datasets.Example], dev: list[datasets.Example], labels: list[str]
) -> tuple[Peer, Callable[[list[str]], np.ndarray]]:
    """Word 1-2-gram + character 2-5-gram TF-IDF with class-weighted logistic regression on
    Heard's training data: one seven-class model, and one binary model per GoEmotions label
    (on the GoEmotions comments) with its threshold set on GoEmotions dev."""
    print(f"training TF-IDF + LR on Heard's {len(train)} training texts ...", flush=True)
    words = TfidfVectorizer(**_sparse.WORD_SETTINGS)
    chars = TfidfVectorizer(**_sparse.CHAR_SETTINGS)
    x = hstack(
        [words.fit_transform([e.text for e in train]), chars.fit_transform([e.text for e in train])]
    ).tocsr()

    def features(batch: list[str]) -> csr_matrix:
        return hstack([words.transform(batch), chars.transform(batch)]).tocsr()

    seven = LogisticRegression(**_sparse.REGRESSION_SETTINGS).fit(
        x, [str(e.emotion) for e in train]
    )
    order = [list(seven.classes_).index(e) for e in EMOTIONS]
    labelled = np.array([bool(e.labels) for e in train])
    fine = [
        _binary().fit(x[labelled], column)
        for column in _label_matrix([e for e in train if e.labels], labels).T
    ]
    dev_x = features([e.text for e in dev])
    dev_gold = _label_matrix(dev, labels)
    thresholds = [
        _best_threshold(dev_gold[:, j], m.predict_proba(dev_x)[:, 1]) for j, m in enumerate(fine)
    ]

    def predict7(batch: list[str]) -> Prediction:
        probabilities = seven.predict_proba(features(batch))[:, order]
        return [EMOTIONS[i] for i in probabilities.argmax(1)], probabilities

    def predict28(batch: list[str]) -> np.ndarray:
        x_batch = features(batch)
        columns = [
            m.predict_proba(x_batch)[:, 1] >= t for m, t in zip(fine, thresholds, strict=True)
        ]
        return np.column_stack(columns)

    return predict7, predict28


def _binary() -> LogisticRegression:
    """One label's model: liblinear is the quick solver for a binary problem on sparse data."""
    return LogisticRegression(C=1.0, class_weight="balanced", solver="liblinear")


def _best_threshold(gold: np.ndarray, probabilities: np.ndarray) -> float:
    grid = np.round(np.arange(0.05, 0.951, 0.05), 2)
    return float(max(grid, key=lambda t: f1_score(gold, probabilities >= t, zero_division=0)))


def _vader(texts: list[str]) -> Prediction:
    analyzer = SentimentIntensityAnalyzer()
    return [_polarity(analyzer.polarity_scores(text)["compound"]) for text in texts], None


def _polarity(compound: float) -> str:
    if compound >= 0.05:
        return "happiness"
    if compound <= -0.05:
        return "frustration"
    return "neutral"


def _nrc(texts: list[str]) -> Prediction:
    lexicon = json.loads(resources.files("nrclex.data").joinpath("nrc_en.json").read_text())
    predicted = []
    for text in texts:
        affects = Counter(a for w in _WORD.findall(text.lower()) for a in lexicon.get(w, ()))
        emotions = Counter(NRC[a] for a in affects.elements() if a in NRC)
        if emotions:
            predicted.append(emotions.most_common(1)[0][0])
        else:
            predicted.append(_polarity(affects["positive"] - affects["negative"]))
    return predicted, None


def _always_neutral(texts: list[str]) -> Prediction:
    return ["neutral"] * len(texts), None


def _label_matrix(examples: list[datasets.Example], labels: list[str]) -> np.ndarray:
    matrix = np.zeros((len(examples), len(labels)), dtype=bool)
    for row, example in enumerate(examples):
        matrix[row, [labels.index(label) for label in example.labels]] = True
    return matrix


def _macro(gold: list[str] | np.ndarray, predicted: list[str] | np.ndarray) -> float:
    return float(f1_score(gold, predicted, average="macro", zero_division=0))


if __name__ == "__main__":
    main()
