"""The training studio's role-play: how long one turn takes, on one core.

    .venv/bin/python -m bench.training_bench [--repeat 3]

A turn is what the studio does for every message an agent sends in a role-play
(`heard.training.simulation.step`): the coach on the message, the signals and the table's
arithmetic, the customer's next line, and the engine's reading of that line. Every shipped case
is played with four scripted conversations (warm, blaming, a repeated template, and warm then
the case's exemplary reply), each `--repeat` times, the process pinned to one CPU, after one
cold turn that loads the model and compiles the rule files. No database: cases are read from
their files. Prints figures, asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import time

from bench._stats import summary_ms
from heard.training import simulation
from heard.training.cases import CaseSpec, shipped_cases

TARGET_P95_MS = 100
BLAME = "That is user error. You must have changed something yourself. Read the FAQ."
TEMPLATE = "Thank you for contacting us. Your request has been logged and will be handled."


def scripts(case: CaseSpec) -> list[list[str]]:
    first = case.first_name()
    warm = (
        f"Hi {first}, I'm so sorry, I can see why this is upsetting. I'm looking into it now "
        "and I'll write to you by 4 pm today with what happens next."
    )
    return [[warm, warm.replace("4 pm", "5 pm")], [BLAME], [TEMPLATE, TEMPLATE],
            [warm, case.exemplary_text()]]


def timed_turns(cases: list[CaseSpec], repeat: int) -> tuple[list[float], dict[str, int]]:
    samples: list[float] = []
    outcomes = {"resolved": 0, "lost": 0, "": 0}
    for _ in range(repeat):
        for case in cases:
            for script in scripts(case):
                conversation = simulation.begin(case, seed=1)
                for reply in script:
                    if conversation.finished:
                        break
                    start = time.perf_counter()
                    conversation = simulation.step(conversation, reply)
                    samples.append((time.perf_counter() - start) * 1000)
                outcomes[conversation.outcome] += 1
    return samples, outcomes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    cpu = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})
    cases = list(shipped_cases())
    start = time.perf_counter()
    simulation.step(simulation.begin(cases[0]), "Hello, I'm looking into it now.")
    cold = (time.perf_counter() - start) * 1000
    samples, outcomes = timed_turns(cases, args.repeat)
    print(f"== Role-play turn (coach + reading + next line), pinned to CPU {cpu} ==")
    print(f"first turn (loads the model, compiles the rules) {cold:7.1f} ms")
    print(f"{len(samples)} turns over {len(cases)} cases: {summary_ms(samples)}"
          f"   (target p95 < {TARGET_P95_MS} ms)")
    print("conversations ended: " + ", ".join(
        f"{name or 'still going'} {count}" for name, count in outcomes.items()))


if __name__ == "__main__":
    main()
