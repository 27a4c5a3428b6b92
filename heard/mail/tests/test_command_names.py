"""`heard imap-poll` is written with a dash, as documented; Django names it imap_poll."""

from __future__ import annotations

import subprocess
import sys

from heard.cli import _command_name


def test_a_dashed_command_name_becomes_the_module_name() -> None:
    assert _command_name("imap-poll") == "imap_poll"
    assert _command_name("--help") == "--help"  # options are left alone
    assert _command_name("smtpd") == "smtpd"


def test_heard_imap_poll_runs_under_its_documented_name() -> None:
    result = subprocess.run(
        [sys.executable, "-c", "import sys; from heard.cli import main; "
         "sys.argv = ['heard', 'imap-poll', '--help']; main()"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "--loop" in result.stdout
