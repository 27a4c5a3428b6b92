"""WCAG AA contrast for the console's colours: every rule that sets both a text colour and a
background, and the text colours on the page and card backgrounds, reach 4.5:1."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

CSS = (Path(__file__).parents[2] / "static" / "css" / "heard.css").read_text()
AA = 4.5
VARIABLES = dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", CSS))
# The internal-note box has a tint of its own: every text colour must read on it too.
BACKGROUNDS = {"page": VARIABLES["bg"], "card": "#ffffff", "note": VARIABLES["internal-bg"]}


def colour(value: str) -> str | None:
    value = value.strip()
    if value.startswith("var(--"):
        return VARIABLES.get(value[6:-1])
    if value == "#fff":
        return "#ffffff"
    return value if re.fullmatch(r"#[0-9a-fA-F]{6}", value) else None


def luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def rules() -> list[tuple[str, dict[str, str]]]:
    found = []
    for selector, body in re.findall(r"([^{}]+)\{([^}]*)\}", CSS):
        props = dict(re.findall(r"([\w-]+)\s*:\s*([^;]+)", body))
        found.append((selector.strip(), props))
    return found


PAIRS = [
    (selector, colour(props["color"]), colour(props["background"]))
    for selector, props in rules()
    if "color" in props and "background" in props
    and colour(props["color"]) and colour(props["background"])
]  # fmt: skip
TEXT = sorted(
    {c for _, props in rules() if "color" in props and (c := colour(props["color"]))}
)


def test_the_stylesheet_declares_pairs_to_check() -> None:
    assert len(PAIRS) >= 8  # mood chips, badges, buttons, marks


@pytest.mark.parametrize(("selector", "text", "background"), PAIRS)
def test_text_on_its_own_background(selector: str, text: str, background: str) -> None:
    assert contrast(text, background) >= AA, selector


@pytest.mark.parametrize("text", TEXT)
@pytest.mark.parametrize("surface", sorted(BACKGROUNDS))
def test_every_text_colour_on_page_and_cards(text: str, surface: str) -> None:
    if text.lower() == "#ffffff":
        pytest.skip("white text is only used on the accent colour (checked as a pair)")
    assert contrast(text, BACKGROUNDS[surface]) >= AA, f"{text} on the {surface} background"
