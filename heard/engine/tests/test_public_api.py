"""The engine's public surface is explicit, and the engine stays a plain library."""

from __future__ import annotations

import subprocess
import sys
from types import ModuleType

import heard.engine

EXPECTED = [
    "FINDING_CODES",
    "CoachConfig",
    "Coaching",
    "Cue",
    "Emotion",
    "EngineConfig",
    "Finding",
    "HasEmotion",
    "Reading",
    "Span",
    "Turn",
    "coach",
    "in_context",
    "new_text",
    "read",
    "read_many",
]


def test_it_exports_exactly_the_public_api() -> None:
    assert heard.engine.__all__ == EXPECTED
    public = {
        name
        for name, value in vars(heard.engine).items()
        if not name.startswith("_") and not isinstance(value, ModuleType)
    }
    assert public - {"annotations"} == set(EXPECTED)
    for name in set(EXPECTED) - {"FINDING_CODES"}:
        assert getattr(heard.engine, name).__module__.startswith("heard.engine")


def test_it_imports_nothing_from_django() -> None:
    program = (
        "import sys, heard.engine, heard.engine.cli, heard.engine.coaching.cli\n"
        "heard.engine.read('I am locked out and my flight leaves in an hour!')\n"
        "print(sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
