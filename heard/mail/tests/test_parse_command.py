"""`heard parse` as other tools call it: a subprocess, one JSON line per file, no database."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

from heard.mail.parsing.json_lines import as_row
from heard.mail.parsing.parse import parse_email

HEARD = shutil.which("heard") or str(Path(__file__).parents[3] / ".venv" / "bin" / "heard")
FIXTURES = Path(__file__).parent / "fixtures"
ROW_KEYS = {
    "path",
    "from",
    "subject",
    "text",
    "new_text",
    "attachments",
    "automated",
    "automated_reason",
    "error",
}
ATTACHMENT_KEYS = {"filename", "content_type", "size", "text"}


def run_parse(*args: str) -> subprocess.CompletedProcess[str]:
    # A database URL that cannot be reached proves the command never needs one.
    env = {**os.environ, "DATABASE_URL": "postgres://nobody@127.0.0.1:9/none"}
    return subprocess.run(
        [HEARD, "parse", *args], capture_output=True, text=True, env=env, check=False, timeout=120
    )


def test_it_writes_a_row_per_file_and_reports_bad_ones() -> None:
    paths = [
        str(FIXTURES / "attachment-csv-gmail.eml"),
        str(FIXTURES / "malformed-garbage-bytes.eml"),
        str(FIXTURES / "no-such-file.eml"),
        str(FIXTURES / "bounce-exim.eml"),
        str(FIXTURES),  # a directory cannot be read as a file
    ]
    result = run_parse(*paths)
    assert result.returncode == 1, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [row["path"] for row in rows] == paths
    assert all(set(row) == ROW_KEYS for row in rows)
    csv, garbage, missing, bounce, directory = rows
    assert csv["error"] is None and csv["automated"] is False and csv["automated_reason"] is None
    assert csv["from"] == ["h.lindqvist@example.se"]
    assert csv["new_text"] == "Here is the full list of parts we need, as a CSV file."
    (attachment,) = csv["attachments"]
    assert set(attachment) == ATTACHMENT_KEYS
    assert attachment["filename"] == "parts-order.csv" and "JB-BP-19" in attachment["text"]
    assert garbage["error"] and garbage["from"] == [] and garbage["attachments"] == []
    assert "No such file" in missing["error"]
    assert bounce["automated"] is True and bounce["automated_reason"].startswith("bounce: ")
    assert directory["error"]


def test_it_exits_zero_and_matches_the_library_when_every_file_parses() -> None:
    paths = sorted(str(path) for path in FIXTURES.glob("customer-*.eml"))
    result = run_parse(*paths)
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert rows == [as_row(path, parse_email(Path(path).read_bytes())) for path in paths]


def test_the_attachment_limit_can_be_set_on_the_command_line() -> None:
    path = str(FIXTURES / "attachment-csv-gmail.eml")
    result = run_parse("--max-attachment-bytes", "10", path)
    (attachment,) = json.loads(result.stdout)["attachments"]
    assert (attachment["size"], attachment["text"]) == (125, None)
