"""heard/mail is four rooms (parsing, transports, filing, sending) around the app's own modules.
What each room may import is checked on the source, so a shortcut across rooms fails here."""

from __future__ import annotations

import ast
from pathlib import Path

MAIL = Path(__file__).resolve().parents[1]
ROOMS = ("parsing", "transports", "filing", "sending")


def imports(path: Path) -> set[str]:
    """Every module `path` imports, at the top or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def room_imports(room: str) -> dict[str, set[str]]:
    return {
        str(path.relative_to(MAIL)): imports(path) for path in sorted((MAIL / room).glob("*.py"))
    }


def offending(room: str, forbidden: tuple[str, ...]) -> dict[str, list[str]]:
    return {
        path: sorted(name for name in names if name.startswith(forbidden))
        for path, names in room_imports(room).items()
        if any(name.startswith(forbidden) for name in names)
    }


def test_parsing_is_pure() -> None:
    """No Django (so no models and no database), no desk, no other mail room: bytes in, data out."""
    assert "parse.py" in {Path(path).name for path in room_imports("parsing")}
    allowed = ("heard.mail.parsing", "heard.engine")
    found = {
        path: sorted(
            name
            for name in names
            if name.split(".")[0] == "django"
            or (name.startswith("heard.") and not name.startswith(allowed))
        )
        for path, names in room_imports("parsing").items()
    }
    assert {path: names for path, names in found.items() if names} == {}


def test_sending_knows_nothing_of_how_mail_arrives() -> None:
    assert offending("sending", ("heard.mail.transports", "heard.mail.filing")) == {}


def test_filing_knows_nothing_of_transports() -> None:
    assert offending("filing", ("heard.mail.transports",)) == {}


def test_transports_only_hand_bytes_to_filing() -> None:
    """A transport stores through `heard.mail.filing.receive`, never parses or files itself."""
    forbidden = ("heard.mail.parsing", "heard.mail.filing.processing", "heard.mail.filing.matching")
    assert offending("transports", forbidden) == {}


def test_no_two_modules_share_a_name() -> None:
    names = [path.stem for room in ("", *ROOMS) for path in (MAIL / room).glob("*.py")]
    names = [name for name in names if name != "__init__"]
    assert sorted(name for name in set(names) if names.count(name) > 1) == []
    assert not {"intake", "ingest", "inbound", "smtpd"} & set(names)
