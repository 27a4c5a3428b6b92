"""format=flowed bodies joined back into paragraphs (RFC 3676)."""

from __future__ import annotations

import pytest

from heard.mail.parsing.flowed import unflow


@pytest.mark.parametrize(
    ("text", "delsp", "joined"),
    [
        ("This is one \nparagraph.\n\nNext.", False, "This is one paragraph.\n\nNext."),
        ("Hard\nbreaks\nstay", False, "Hard\nbreaks\nstay"),
        ("DelSp removes the \nspace", True, "DelSp removes thespace"),
        ("> quoted \n> line\n>> deeper \n>> line", False, "> quoted line\n>> deeper line"),
        ("> quoted \nnot quoted", False, "> quoted \nnot quoted"),
        (" From the stuffed line", False, "From the stuffed line"),
        ("Name\n-- \nSignature", False, "Name\n-- \nSignature"),
        ("crlf \r\nline", False, "crlf line"),
    ],
)
def test_it_joins_soft_line_breaks_only(text: str, delsp: bool, joined: str) -> None:
    assert unflow(text, delsp=delsp) == joined
