"""The shipped emotion model, run on the CPU and loaded once, on first use.

- `data/model.onnx`: a fine-tuned MiniLM encoder (int8) with two heads, from word-piece ids to
  seven emotion logits and 28 GoEmotions label logits, run by onnxruntime;
- `data/sparse.npz`: word and character n-gram TF-IDF with a seven-emotion and a 28-label
  logistic regression (`_sparse`);
- `data/model.json`: what the training script chose on the dev splits: how much the n-gram model
  counts in each mix, the temperature and per-emotion logit offsets that calibrate the readings
  to support traffic, and the 28 label thresholds.

The emotion probabilities are
softmax(((1 - w) * log p_encoder + w * log p_ngrams) / temperature + offsets);
the label probabilities are sigmoid((1 - v) * encoder logit + v * n-gram logit).

Texts are run in batches of similar length. The int8 model quantizes each token's activations
with a scale of its own (scripts/row_int8.py), so a text reads the same alone or in any batch.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any

import numpy as np

from heard.engine import _sparse
from heard.engine._types import Emotion
from heard.engine._wordpiece import WordPiece


@dataclass(frozen=True)
class Model:
    session: Any  # onnxruntime.InferenceSession
    tokenizer: WordPiece
    ngrams: _sparse.SparseModel
    meta: dict[str, Any]

    def predict(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Emotion probabilities (n x 7, `Emotion` order) and label probabilities (n x 28)."""
        encoder, encoder_labels = self.encoder_logits(texts)
        ngrams = [self.ngrams.scores(text) for text in texts]
        emotion = mix(
            encoder,
            np.array([s.emotion for s in ngrams]),
            self.meta["ngram_weight"],
            self.meta["emotion_offsets"],
            self.meta["temperature"],
        )
        weight = self.meta["label_ngram_weight"]
        labels = (1.0 - weight) * encoder_labels + weight * np.array([s.labels for s in ngrams])
        return emotion, 1.0 / (1.0 + np.exp(-labels))

    def emotions(self, texts: list[str]) -> np.ndarray:
        """The emotion probabilities alone (n x 7, `Emotion` order): `predict()` without the
        labels, which a reading does not use (the n-gram half then skips its label head)."""
        encoder, _ = self.encoder_logits(texts)
        return mix(
            encoder,
            np.array([self._ngram_emotion(text) for text in texts]),
            self.meta["ngram_weight"],
            self.meta["emotion_offsets"],
            self.meta["temperature"],
        )

    def _ngram_emotion(self, text: str) -> np.ndarray:
        """The n-gram model's emotion log-probabilities: `ngrams.scores(text).emotion`."""
        columns, values = self.ngrams.features(text)
        logits = self.ngrams.intercept + self.ngrams.coef[:, columns] @ values
        return logits - _sparse._logsumexp(logits)  # type: ignore[no-any-return]

    def overflows(self, text: str) -> bool:
        """Whether `text` is longer than the encoder reads at once (it reads its beginning)."""
        window = self.meta["max_tokens"]
        return len(_token_ids(self.tokenizer, text, window + 1)) > window

    def token_ids(self, text: str) -> list[int]:
        """The word-piece ids the encoder reads of `text`: [CLS], at most `max_tokens` in all,
        [SEP]. Tokenized once for `overflows()` and the reading (one more id than it reads)."""
        window = self.meta["max_tokens"]
        ids = _token_ids(self.tokenizer, text, window + 1)
        return list(ids) if len(ids) <= window else [*ids[: window - 1], self.tokenizer.sep]

    def encoder_logits(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """The encoder's raw emotion logits (n x 7) and label logits (n x 28)."""
        emotion = np.zeros((len(texts), len(Emotion)), dtype=np.float32)
        labels = np.zeros((len(texts), len(self.meta["labels"])), dtype=np.float32)
        ids = [self.token_ids(text) for text in texts]
        for rows in _batches(ids):
            emotion[rows], labels[rows] = self.session.run(None, _padded([ids[r] for r in rows]))
        return emotion, labels


@lru_cache(maxsize=256)  # a burst's whole texts, asked twice: whether they overflow, then read
def _token_ids(tokenizer: WordPiece, text: str, max_tokens: int) -> tuple[int, ...]:
    return tuple(tokenizer.encode(text, max_tokens))


BATCH = 32  # texts per encoder run at most: on one core a batch costs a third less per text
BATCH_TOKENS = 512  # and at most this many token positions, padding included
# A batch pads every text to its longest. Padding costs as much as real tokens and a separate
# run costs about as much as PADDING_SLACK tokens, so a longer text starts a new batch once the
# padding it would add is worth more than that (a message's whole text and its short sentences,
# read together, would otherwise be mostly padding).
PADDING_SHARE = 0.25
PADDING_SLACK = 8


def _batches(ids: list[list[int]]) -> list[list[int]]:
    """Rows grouped by length, shortest first, so that padding stays small: a long text goes
    with few others (or alone), short ones in full batches."""
    batches: list[list[int]] = []
    real = 0  # tokens in the last batch, without padding
    for row in sorted(range(len(ids)), key=lambda r: len(ids[r])):
        batch = batches[-1] if batches else []
        length = len(ids[row])
        padded = (len(batch) + 1) * length
        if (
            batch
            and len(batch) < BATCH
            and padded <= BATCH_TOKENS
            and padded - real - length <= PADDING_SHARE * (real + length) + PADDING_SLACK
        ):
            batch.append(row)
            real += length
        else:
            batches.append([row])
            real = length
    return batches


def _padded(batch: list[list[int]]) -> dict[str, np.ndarray]:
    input_ids = np.zeros((len(batch), max(map(len, batch))), dtype=np.int64)
    mask = np.zeros_like(input_ids)
    for row, ids in enumerate(batch):
        input_ids[row, : len(ids)] = ids
        mask[row, : len(ids)] = 1
    return {"input_ids": input_ids, "attention_mask": mask}


@cache
def metadata() -> dict[str, Any]:
    """data/model.json, read once: what training chose (the model needs no more to apply it)."""
    meta = json.loads(resources.files("heard.engine").joinpath("data/model.json").read_text())
    if meta["emotions"] != [str(e) for e in Emotion]:
        raise RuntimeError("data/model.json was trained for other emotions than heard.engine's")
    return meta


@cache
def model(threads: int) -> Model:
    """The model, loaded once per thread count."""
    import onnxruntime as ort  # imported here so that importing the engine stays cheap

    data = resources.files("heard.engine").joinpath("data")
    meta = metadata()
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    session = ort.InferenceSession(
        data.joinpath("model.onnx").read_bytes(), options, providers=["CPUExecutionProvider"]
    )
    tokenizer = WordPiece(data.joinpath("vocab.txt").read_text(encoding="utf-8").splitlines())
    with np.load(io.BytesIO(data.joinpath("sparse.npz").read_bytes())) as arrays:
        ngrams = _sparse.load(dict(arrays))
    return Model(session, tokenizer, ngrams, meta)


def mix(
    encoder_logits: np.ndarray,
    ngram_log_probabilities: np.ndarray,
    weight: float,
    offsets: list[float],
    temperature: float = 1.0,
) -> np.ndarray:
    """Emotion probabilities from the encoder's logits and the n-gram model's log-probabilities,
    calibrated by `temperature` and `offsets`."""
    mixed = (1.0 - weight) * np.log(_softmax(encoder_logits)) + weight * ngram_log_probabilities
    return _softmax(mixed / temperature + np.asarray(offsets))


def _softmax(logits: np.ndarray) -> np.ndarray:
    shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)
