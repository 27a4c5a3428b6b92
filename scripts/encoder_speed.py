"""How fast encoders of a given depth read support messages on one core, built and quantized
exactly as the shipped model is: the comparison behind the model card's choice of base encoder.

    .venv/bin/python scripts/encoder_speed.py [--layers 4 6 12]

MiniLM-L6's layers are used where it has them; deeper encoders (the shape of MiniLM-L12 and
bge-small, 12 layers of width 384) repeat its layers, since only their cost is measured here.
Each is exported to ONNX with both heads, rewritten to int8 with one activation scale per token
(row_int8.py), and timed with one thread on the support test split: single-message p50/p95 and
one batched pass (the engine's own batching). Needs the training extra; prints JSON lines.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import tempfile
import time
from pathlib import Path

import numpy as np
import onnxruntime as ort
import torch
import train_engine  # scripts/train_engine.py, beside this script

from heard.engine import _datasets as datasets
from heard.engine._model import _batches, _padded
from heard.engine._wordpiece import WordPiece

SINGLES = 300


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--layers", type=int, nargs="+", default=[4, 6, 12])
    args = parser.parse_args()
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    torch.set_num_threads(1)
    vocab = (train_engine.DATA / "vocab.txt").read_text(encoding="utf-8").splitlines()
    tokenizer = WordPiece(vocab)
    texts = [e.text for e in datasets.support("test")]
    ids = [tokenizer.encode(t, train_engine.MAX_TOKENS) for t in texts]
    for layers in args.layers:
        print(json.dumps({"layers": layers, **_measure(_net(layers), ids)}), flush=True)


def _net(layers: int) -> train_engine.Net:
    net = train_engine.Net(28, min(layers, 6))
    stack = net.encoder.encoder.layer
    while len(stack) < layers:
        stack.append(copy.deepcopy(stack[len(stack) % 6]))
    net.encoder.config.num_hidden_layers = layers
    return net


def _measure(net: train_engine.Net, ids: list[list[int]]) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "model.onnx"
        train_engine._export(net, target)
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        session = ort.InferenceSession(str(target), options, providers=["CPUExecutionProvider"])
        size_mb = target.stat().st_size / 1e6
    latencies = []
    for row in ids[:SINGLES]:
        start = time.perf_counter()
        session.run(None, _padded([row]))
        latencies.append(time.perf_counter() - start)
    start = time.perf_counter()
    for rows in _batches(ids):
        session.run(None, _padded([ids[r] for r in rows]))
    return {
        "model_mb": round(size_mb, 1),
        "single_p50_ms": round(float(np.percentile(latencies, 50)) * 1000, 2),
        "single_p95_ms": round(float(np.percentile(latencies, 95)) * 1000, 2),
        "batched_per_s": round(len(ids) / (time.perf_counter() - start)),
    }


if __name__ == "__main__":
    main()
