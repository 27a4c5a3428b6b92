"""`heard analyze` as other tools call it: a subprocess, JSON lines in and out, no database."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

HEARD = shutil.which("heard") or str(Path(__file__).parents[3] / ".venv" / "bin" / "heard")


def run_heard(command: str, stdin: str) -> subprocess.CompletedProcess[str]:
    # A database URL that cannot be reached proves the command never needs one.
    env = {**os.environ, "DATABASE_URL": "postgres://nobody@127.0.0.1:9/none"}
    return subprocess.run(
        [HEARD, command], input=stdin, capture_output=True, text=True, env=env, check=False,
        timeout=120,
    )


def run_analyze(stdin: str) -> subprocess.CompletedProcess[str]:
    return run_heard("analyze", stdin)


def test_it_reads_lines_in_order_and_reports_bad_ones() -> None:
    lines = [
        json.dumps({"id": 1, "text": "I'm locked out and my flight leaves in an hour!"}),
        "this is not json",
        json.dumps({"id": 3}),
        json.dumps({"id": 4, "text": "Thank you so much, that fixed it."}),
    ]
    result = run_analyze("\n".join(lines) + "\n")
    assert result.returncode == 1, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 4
    assert rows[0]["id"] == 1 and rows[0]["urgent"] is True
    assert set(rows[0]) >= {"text", "emotion", "scores", "urgent", "urgency", "churn_risk", "cues"}
    assert rows[1]["line"] == 2 and rows[1]["error"]
    assert rows[2]["line"] == 3 and "text" in rows[2]["error"]
    assert rows[3]["id"] == 4 and rows[3]["emotion"] == "happiness"


def test_it_exits_zero_when_every_line_is_good() -> None:
    result = run_analyze(json.dumps({"text": "Where can I download my invoice?"}) + "\n")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["emotion"] in {"neutral", "confusion"}
