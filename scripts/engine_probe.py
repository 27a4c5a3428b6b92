"""Speed and memory of Heard's reading engine, measured in a process that loads nothing else.

    .venv/bin/python scripts/engine_probe.py [--data DIR]

Pins itself to one CPU, reads with one thread, and prints one JSON object: the time of the first
read (model load and imports included), single-message latency p50/p95 and batched throughput on
GoEmotions' test comments and on the support test messages, the latency of one long email, and
the peak resident memory. bench/engine_bench.py runs it and prints the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

started = time.perf_counter()
os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})

import numpy as np  # noqa: E402

from heard.engine import EngineConfig, read_many  # noqa: E402
from heard.engine import _datasets as datasets  # noqa: E402
from heard.engine._sentences import sentence_spans  # noqa: E402

ONE_THREAD = EngineConfig(threads=1)
SINGLES = 1000  # messages timed one by one, per set


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=datasets.DEFAULT_GOEMOTIONS)
    args = parser.parse_args()
    read_many(["Hello."], ONE_THREAD)
    figures: dict[str, object] = {"load_s": time.perf_counter() - started}
    sets = {
        "goemotions": [e.text for e in datasets.goemotions("test", args.data)],
        "support": [e.text for e in datasets.support("test")],
    }
    for name, texts in sets.items():
        figures[name] = _timings(texts)
    long_email = "\n\n".join(sets["support"][:12])
    figures["long_email"] = {
        "chars": len(long_email),
        "sentences": len(sentence_spans(long_email)),
        "p50_ms": float(np.percentile(_latencies([long_email] * 20), 50) * 1000),
    }
    figures["rss_mb"] = _peak_rss_mb()
    print(json.dumps(figures))


def _peak_rss_mb() -> float:
    """VmHWM, the peak resident memory of this program (ru_maxrss would also count the memory of
    the process that started it, from before the exec)."""
    status = Path("/proc/self/status").read_text()
    return int(status.split("VmHWM:")[1].split()[0]) / 1024


def _timings(texts: list[str]) -> dict[str, float]:
    latencies = _latencies(texts[:SINGLES])
    start = time.perf_counter()
    read_many(texts, ONE_THREAD)
    return {
        "p50_ms": float(np.percentile(latencies, 50) * 1000),
        "p95_ms": float(np.percentile(latencies, 95) * 1000),
        "per_s": len(texts) / (time.perf_counter() - start),
    }


def _latencies(texts: list[str]) -> list[float]:
    latencies = []
    for text in texts:
        start = time.perf_counter()
        read_many([text], ONE_THREAD)
        latencies.append(time.perf_counter() - start)
    return latencies


if __name__ == "__main__":
    main()
