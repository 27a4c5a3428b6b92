"""HTML mail as plain text for reading: paragraphs, line breaks, list items and link targets kept.

Scripts, styles and the document head are dropped, and so are images. A <blockquote> becomes
"> " quoted lines, so that `new_text()` can tell quoted history from new words in HTML-only
mail too. Outlook writes every line as a `<p class=MsoNormal>`; those count as lines, not
paragraphs, or every Outlook mail would come out double-spaced.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_SKIPPED = frozenset({"script", "style", "head", "title", "template", "xml", "noscript"})
_LINE_BLOCKS = frozenset(
    {
        "div",
        "tr",
        "table",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "center",
        "section",
        "article",
        "header",
        "footer",
        "address",
        "form",
        "hr",
        "caption",
    }
)
_PARAGRAPHS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "pre"})
_LINKED = re.compile(r"^(?:https?:|mailto:)", re.IGNORECASE)


def html_to_text(html: str) -> str:
    """The readable text of an HTML document or fragment."""
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    return parser.text()


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.words: list[str] = []  # the line being built
        self.skipping: list[str] = []  # open elements whose content is dropped
        self.quote_depth = 0
        self.in_pre = 0
        self.lists: list[int | None] = []  # per open list: the next number, None for bullets
        self.links: list[tuple[str, int]] = []  # (href, length of the line when the link opened)
        self.outlook_line = False  # inside a <p class=MsoNormal>, which is a line
        self.blank_pending = False  # a paragraph ended: the next line starts after a blank one

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body":
            self.skipping.clear()  # a head that was never closed ends here
        if tag in _SKIPPED:
            self.skipping.append(tag)
        elif not self.skipping:
            self._open(tag, dict(attrs))

    def handle_endtag(self, tag: str) -> None:
        if tag in self.skipping:
            del self.skipping[self.skipping.index(tag) :]
        elif not self.skipping:
            self._close(tag)

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        if not self.in_pre:
            self.words.append(data)
            return
        first, *rest = data.split("\n")
        self.words.append(first)
        for line in rest:
            self._flush(keep_empty=True)
            self.words.append(line)

    def _open(self, tag: str, attrs: dict[str, str | None]) -> None:
        if tag == "br":
            self._flush(keep_empty=True)
        elif tag == "p" and "msonormal" in (attrs.get("class") or "").lower():
            self._flush()
            self.outlook_line = True
        elif tag in _PARAGRAPHS:
            self._paragraph()
            if tag == "pre":
                self.in_pre += 1
        elif tag == "blockquote":
            self._flush()
            self.quote_depth += 1
        elif tag in {"ul", "ol"}:
            self._flush()
            self.lists.append(1 if tag == "ol" else None)
        elif tag == "li":
            self._list_item()
        elif tag in {"td", "th"}:
            self.words.append(" ")
        elif tag == "a":
            self.links.append((attrs.get("href") or "", len("".join(self.words))))
        elif tag in _LINE_BLOCKS:
            self._flush()

    def _close(self, tag: str) -> None:
        if tag == "p" and self.outlook_line:
            self._flush(keep_empty=True)  # an empty Outlook paragraph is a blank line
            self.outlook_line = False
        elif tag in _PARAGRAPHS:
            self._paragraph()
            if tag == "pre":
                self.in_pre = max(0, self.in_pre - 1)
        elif tag == "blockquote":
            self._flush()
            self.quote_depth = max(0, self.quote_depth - 1)
        elif tag in {"ul", "ol"} and self.lists:
            self._flush()
            self.lists.pop()
        elif tag == "a" and self.links:
            self._link_target(*self.links.pop())
        elif tag in _LINE_BLOCKS or tag == "li":
            self._flush()

    def _list_item(self) -> None:
        self._flush()
        number = self.lists[-1] if self.lists else None
        if number is None:
            self.words.append("- ")
        else:
            self.words.append(f"{number}. ")
            self.lists[-1] = number + 1

    def _link_target(self, href: str, start: int) -> None:
        """Append " (href)" after a link whose text does not already say where it goes."""
        label = " ".join("".join(self.words)[start:].split())
        target = href.strip()
        shown = target.removeprefix("mailto:").removeprefix("MAILTO:")
        if label and _LINKED.match(target) and shown not in label and label not in target:
            self.words.append(f" ({target})")

    def _paragraph(self) -> None:
        self._flush()
        self.blank_pending = bool(self.lines)

    def _flush(self, *, keep_empty: bool = False) -> None:
        text = "".join(self.words)
        self.words = []
        if not self.in_pre:
            text = " ".join(text.split())
        if not (text or keep_empty):
            return
        if self.blank_pending and self.lines[-1].strip("> "):
            self.lines.append(self._prefix().rstrip())
        self.blank_pending = False
        self.lines.append((self._prefix() + text).rstrip())

    def _prefix(self) -> str:
        return "> " * self.quote_depth

    def text(self) -> str:
        self._flush()
        joined = "\n".join(line.rstrip() for line in self.lines)
        return re.sub(r"\n{3,}", "\n\n", joined).strip()
