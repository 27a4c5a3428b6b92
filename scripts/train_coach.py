"""Train the coach's sentence classifier and write heard/engine/coaching/data/classifier.npz.

    .venv/bin/python scripts/train_coach.py [--seed 7] [--precision 0.90] [--check]

What it does, with a fixed seed and a report on standard error:
1. reads the sentences written for Heard (heard/engine/coaching/data/training/sentences.jsonl:
   each labelled with the codes it carries, none for a sound sentence);
2. adds the sentences of coach_eval, coach_holdout and coach_fresh: a sentence is positive for
   a code where the rule files mark that code in it, negative where its draft must not raise
   the code, and left out for that code otherwise. coach_blind.jsonl is never read;
3. fits TF-IDF (the analyzer of heard/engine/coaching/_classify.py) and one logistic
   regression per code, and picks each code's threshold on 5-fold cross-validation: the
   lowest probability (not under 0.5) at which out-of-fold precision reaches --precision;
4. refits on everything, writes the artifact and checks that the numpy runtime gives the
   same probabilities as scikit-learn. With --check it writes nothing and fails when the
   shipped artifact differs from what it would write.

Needs scikit-learn (training only; the runtime reads the artifact with numpy).
"""

from __future__ import annotations

import argparse
import io
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import make_pipeline

from heard.engine.coaching import _classify
from heard.engine.coaching._classify import ARRAYS, CODES
from heard.engine.coaching._detect import _phrase_harms, markers, units
from heard.engine.coaching._text import lay_out

REPO = Path(__file__).resolve().parents[1]
COACHING = REPO / "heard" / "engine" / "coaching"
SENTENCES = COACHING / "data" / "training" / "sentences.jsonl"
ARTIFACT = COACHING / "data" / _classify.ARTIFACT
CASES = REPO / "heard" / "engine" / "tests" / "cases"
DERIVED_FROM = ("coach_eval.jsonl", "coach_holdout.jsonl", "coach_fresh.jsonl")
C = 16.0  # inverse regularisation strength, one for every code (from 1..32 on training cv)
MIN_DF = 2
FOLDS = 5

Labels = dict[str, int]  # code -> 1 or 0; a code left out is unknown


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def written() -> list[tuple[str, Labels]]:
    rows = []
    for line in SENTENCES.read_text("utf-8").splitlines():
        row = json.loads(line)
        unknown = set(row["codes"]) - set(CODES)
        if unknown:
            raise ValueError(f"unknown codes {unknown} in {row}")
        rows.append((row["text"], {code: int(code in row["codes"]) for code in CODES}))
    return rows


def derived() -> list[tuple[str, Labels]]:
    """Sentences of the tuned-on evaluation sets, labelled by the rules and the draft labels."""
    rows = []
    for name in DERIVED_FROM:
        for line in (CASES / name).read_text("utf-8").splitlines():
            case = json.loads(line)
            layout = lay_out(case["draft"])
            harms = _phrase_harms(layout, markers(layout), model=False)
            agent = layout.agent_text()
            for start, end in units(layout):
                labels = {}
                for code in CODES:
                    if any(h.label == code and start <= h.start < end for h in harms):
                        labels[code] = 1
                    elif code in case["must_not_raise"]:
                        labels[code] = 0
                if labels:
                    rows.append((agent[start:end], labels))
    return rows


def merged(rows: list[tuple[str, Labels]]) -> list[tuple[str, Labels]]:
    """One row per distinct text; a positive label wins over a negative one."""
    by_text: dict[str, Labels] = {}
    for text, labels in rows:
        known = by_text.setdefault(" ".join(text.split()), {})
        for code, value in labels.items():
            known[code] = max(known.get(code, 0), value)
    return sorted(by_text.items())


def model(seed: int) -> Any:
    return make_pipeline(
        TfidfVectorizer(analyzer=_classify.grams, sublinear_tf=True, min_df=MIN_DF),
        LogisticRegression(C=C, class_weight="balanced", max_iter=5000, random_state=seed),
    )


def threshold(y: np.ndarray, p: np.ndarray, precision: float) -> float:
    """The lowest threshold (0.50 .. 0.99) whose out-of-fold precision reaches the target."""
    for t in np.arange(0.50, 0.995, 0.01):
        flagged = p >= t
        if flagged.any() and y[flagged].mean() >= precision:
            return round(float(t), 2)
    return 0.99


def fit(rows: list[tuple[str, Labels]], seed: int, precision: float) -> dict[str, np.ndarray]:
    texts = np.array([text for text, _ in rows], dtype=object)
    vectorizer = TfidfVectorizer(analyzer=_classify.grams, sublinear_tf=True, min_df=MIN_DF)
    matrix = vectorizer.fit_transform(texts)
    coef, intercept, thresholds = [], [], []
    for code in CODES:
        keep = np.array([code in labels for _, labels in rows])
        y = np.array([labels[code] for _, labels in rows if code in labels])
        oof = np.zeros(len(y))
        folds = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=seed)
        for train, test in folds.split(texts[keep], y):
            pipe = model(seed).fit(texts[keep][train], y[train])
            oof[test] = pipe.predict_proba(texts[keep][test])[:, 1]
        t = threshold(y, oof, precision)
        flagged = oof >= t
        log(
            f"{code:12s} rows {len(y):5d} positive {int(y.sum()):4d}  threshold {t:.2f}  "
            f"cv precision {y[flagged].mean():.3f} recall {flagged[y == 1].mean():.3f}"
        )
        regression = LogisticRegression(
            C=C, class_weight="balanced", max_iter=5000, random_state=seed
        ).fit(matrix[keep], y)
        coef.append(regression.coef_[0])
        intercept.append(regression.intercept_[0])
        thresholds.append(t)
    vocabulary = sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.__getitem__)
    arrays = {
        "codes": np.array(CODES),
        "vocabulary": np.array(vocabulary),
        "idf": vectorizer.idf_.astype(np.float32),
        "coef": np.array(coef, dtype=np.float32),
        "intercept": np.array(intercept, dtype=np.float32),
        "threshold": np.array(thresholds, dtype=np.float32),
    }
    _check_runtime(arrays, vectorizer, matrix, texts)
    return arrays


def _check_runtime(
    arrays: dict[str, np.ndarray], vectorizer: Any, matrix: Any, texts: np.ndarray
) -> None:
    """The numpy runtime must give scikit-learn's probabilities (float32 weights aside)."""
    runtime = _classify.from_arrays(arrays)
    logits = matrix @ arrays["coef"].T.astype(np.float64) + arrays["intercept"]
    expected = 1 / (1 + np.exp(-logits))
    got = np.array([runtime.probabilities(text) for text in texts])
    worst = float(np.abs(got - expected).max())
    if worst > 1e-4:
        raise SystemExit(f"runtime differs from scikit-learn by {worst:.2e}")
    log(f"runtime matches scikit-learn on {len(texts)} sentences (max difference {worst:.1e})")


def encode(arrays: dict[str, np.ndarray]) -> bytes:
    missing = set(ARRAYS) ^ set(arrays)
    if missing:
        raise ValueError(f"artifact arrays differ from ARRAYS: {sorted(missing)}")
    buffer = io.BytesIO()
    ordered: dict[str, Any] = {name: arrays[name] for name in ARRAYS}  # Any: **kwds below
    np.savez_compressed(buffer, **ordered)
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--precision", type=float, default=0.90, help="target cv precision")
    parser.add_argument("--check", action="store_true", help="compare with the shipped artifact")
    args = parser.parse_args()
    own, more = written(), derived()
    rows = merged(own + more)
    log(f"{len(own)} written sentences, {len(more)} derived, {len(rows)} distinct")
    arrays = fit(rows, args.seed, args.precision)
    if args.check:
        shipped = _classify.read_arrays(ARTIFACT.read_bytes())
        same = shipped.keys() == arrays.keys() and all(
            np.array_equal(shipped[name], arrays[name]) for name in ARRAYS
        )
        raise SystemExit(0 if same else f"{ARTIFACT} differs from a fresh training run")
    data = encode(arrays)
    ARTIFACT.write_bytes(data)
    log(f"wrote {ARTIFACT.relative_to(REPO)} ({len(data) / 1024:.0f} KiB)")


if __name__ == "__main__":
    main()
