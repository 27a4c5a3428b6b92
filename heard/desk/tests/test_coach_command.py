"""`heard coach` as other tools call it: a subprocess, JSON lines in and out, no database."""

from __future__ import annotations

import json

from heard.desk.tests.test_analyze_command import run_heard


def test_it_coaches_lines_in_order_and_reports_bad_ones() -> None:
    lines = [
        json.dumps({
            "draft": "Dear Customer, you must have misconfigured it. Read the user guide.",
            "customer_message": "Your update deleted my project and my deadline is tomorrow!",
            "customer_name": "Sofia",
        }),
        "{broken",
        json.dumps({"draft": 5}),
    ]
    result = run_heard("coach", "\n".join(lines) + "\n")
    assert result.returncode == 1, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 3
    codes = {finding["code"] for finding in rows[0]["findings"]}
    assert {"blame", "rtfm", "robotic", "no_name"} <= codes
    blame = next(f for f in rows[0]["findings"] if f["code"] == "blame")
    draft = json.loads(lines[0])["draft"]
    assert draft[blame["start"] : blame["end"]] == blame["text"] == "you must have misconfigured"
    assert set(blame) == {"code", "start", "end", "text", "why", "severity"}
    assert "Sofia" in rows[0]["suggestion"]
    assert rows[1]["line"] == 2 and rows[1]["error"]
    assert rows[2]["line"] == 3 and "draft" in rows[2]["error"]


def test_a_good_reply_scores_high_and_exits_zero() -> None:
    draft = (
        "Hi Sofia, I'm so sorry the update deleted your project with your deadline this close. "
        "I have restored it from last night's backup; it is in your workspace now. I'll check "
        "in with you tomorrow morning, and if anything is still missing just reply here."
    )
    line = json.dumps({
        "draft": draft, "customer_name": "Sofia",
        "customer_message": "Your update deleted my project and my deadline is tomorrow!",
    })
    result = run_heard("coach", line + "\n")
    assert result.returncode == 0, result.stderr
    row = json.loads(result.stdout)
    assert row["findings"] == [] and row["score"] >= 90
