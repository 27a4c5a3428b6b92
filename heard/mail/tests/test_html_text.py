"""HTML mail as readable text: structure kept, scripts and styles gone, quotes marked."""

from __future__ import annotations

import pytest

from heard.mail.parsing.html_text import html_to_text


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<p>One</p><p>Two</p>", "One\n\nTwo"),
        ("<div>One</div><div><br></div><div>Two</div>", "One\n\nTwo"),
        ("Line one<br>Line two", "Line one\nLine two"),
        ("<ul><li>red</li><li>blue</li></ul>", "- red\n- blue"),
        ("<ol><li>first<li>second</ol>", "1. first\n2. second"),
        ('<a href="https://x.example/o/1">your order</a>', "your order (https://x.example/o/1)"),
        ('<a href="https://x.example">https://x.example</a>', "https://x.example"),
        ('<a href="mailto:a@b.example">a@b.example</a>', "a@b.example"),
        ('<a href="javascript:alert(1)">click</a>', "click"),
        ("<script>alert(1)</script><style>p{}</style>visible", "visible"),
        ("<head><title>T</title><style>x</style></head><body>Hi</body>", "Hi"),
        ("<head><title>never closed<body>Hi", "Hi"),
        ("Fish &amp; chips&nbsp;&mdash; &#8364;5", "Fish & chips \u2014 \u20ac5"),
        ("  lots   of\n\n  space  ", "lots of space"),
        ("<pre>  keep\n    indent</pre>", "keep\n    indent"),
        ("<blockquote>old<br>text</blockquote>new", "> old\n> text\nnew"),
        ("<blockquote>a<blockquote>b</blockquote></blockquote>", "> a\n> > b"),
        (
            "<table><tr><td>Name</td><td>Ines</td></tr><tr><td>Order</td><td>7</td></tr></table>",
            "Name Ines\nOrder 7",
        ),
        (
            '<p class="MsoNormal">Hello,</p><p class="MsoNormal">&nbsp;</p>'
            '<p class="MsoNormal">Bye</p>',
            "Hello,\n\nBye",
        ),
        ("<p class=MsoNormal>one<o:p></o:p></p><p class=MsoNormal>two</p>", "one\ntwo"),
        ("<!--[if mso]><p>hidden</p><![endif]-->shown", "shown"),
        ('<img src="https://t.example/p.gif" alt="pixel">text', "text"),
        ("", ""),
        ("<p>unclosed <b>bold", "unclosed bold"),
    ],
)
def test_it_turns_html_into_readable_text(html: str, text: str) -> None:
    assert html_to_text(html) == text
