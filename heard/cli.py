"""The `heard` console script: Django's management entry point with Heard's settings."""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heard.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line([*sys.argv[:1], *map(_command_name, sys.argv[1:2]), *sys.argv[2:]])


def _command_name(name: str) -> str:
    """Heard's commands are documented with dashes (`heard imap-poll`); Django names them after
    their modules, which cannot hold a dash."""
    return name.replace("-", "_") if not name.startswith("-") else name
