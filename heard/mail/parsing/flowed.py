"""format=flowed text (RFC 3676), as Thunderbird and Apple Mail send it, joined into paragraphs."""

from __future__ import annotations


def unflow(text: str, *, delsp: bool = False) -> str:
    """`text` with soft line breaks joined; quote depth and the "-- " signature line are kept."""
    lines: list[tuple[int, str]] = []  # (quote depth, text)
    open_line = False  # the previous line ended with a soft break
    for raw in text.replace("\r\n", "\n").split("\n"):
        depth = len(raw) - len(raw.lstrip(">"))
        content = raw[depth:].removeprefix(" ")  # undo space-stuffing
        flowed = content.endswith(" ") and content != "-- "
        if flowed and delsp:
            content = content[:-1]
        if open_line and lines and lines[-1][0] == depth:
            lines[-1] = (depth, lines[-1][1] + content)
        else:
            lines.append((depth, content))
        open_line = flowed
    return "\n".join(">" * depth + (" " if depth else "") + line for depth, line in lines)
