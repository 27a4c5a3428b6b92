"""Customer HTML made safe to show inside Heard's agent pages.

Heard stores the HTML of a mail as it arrived and sanitises it when rendering, never when
storing: a better sanitiser later then improves old mail too, and nothing is lost. The HTML is
written by whoever sent the mail, so it is hostile until proven otherwise.

Threat model, and what stops each threat:

- XSS in an agent's session (stealing the session, acting as the agent): no <script>,
  <iframe>, <object>, <embed>, <svg>, <math>, <base> or <meta>; no event-handler attributes
  (onerror, onload...); link URLs only http, https and mailto, so no javascript: or data: URLs.
  An allow-list of tags and attributes, so anything not listed here is dropped.
- Tracking pixels and remote images (telling the sender when, where and from which IP an
  agent read the mail): <img> keeps its src only for "cid:" URLs, i.e. images attached to the
  mail itself; remote, data: and relative sources are removed. No background attributes.
- CSS exfiltration and UI redress (attribute selectors leaking page content through
  background URLs, fixed-position overlays faking Heard's own buttons): no <style>, no style
  attribute, no class or id, so mail can neither load URLs from CSS nor borrow Heard's styles
  or clobber its element ids.
- Phishing forms (a fake "log in again" form posting an agent's password elsewhere): no
  <form>, <input>, <button>, <select> or <textarea>; the text inside a form is kept.
- Links: rel="noopener noreferrer nofollow" so the opened page cannot reach back into
  Heard's window, learns nothing from the Referer and earns no ranking; target="_blank" so an
  agent never navigates away from the ticket. Relative URLs are removed, since they would
  resolve against Heard's own origin (a GET to an agent-only URL).
- Comments are removed (conditional comments are a parser-differential vector).

The result is still to be rendered in a page with a strict Content-Security-Policy; this
function is one layer, not the only one. Heard shows it in one place: on the console's ticket
page, a customer message that came with HTML offers "Show as formatted" (a closed <details>),
and that page is sent under `heard.lib.csp.MAIL_PAGE_CSP` (scripts, styles and images only from
Heard itself, so a remote image or CSS url() that slipped through would still not load).
"""

from __future__ import annotations

import re

import nh3

_TAGS = frozenset(
    {
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "caption",
        "cite",
        "code",
        "dd",
        "del",
        "div",
        "dl",
        "dt",
        "em",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "img",
        "ins",
        "li",
        "ol",
        "p",
        "pre",
        "q",
        "s",
        "small",
        "span",
        "strike",
        "strong",
        "sub",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "u",
        "ul",
    }
)
_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
    "ol": {"start"},
}
# Tags dropped together with everything inside them; other unknown tags keep their text.
_DROPPED_WITH_CONTENT = frozenset(
    {"script", "style", "title", "head", "template", "noscript", "textarea", "select", "xml"}
)
_LINK_SCHEMES = ("http:", "https:", "mailto:")
# nh3's output names each attribute once, in lower case, its value in double quotes (a quote
# inside is &quot;), so an <img> start tag without an alt is exactly this.
_IMG_WITHOUT_ALT = re.compile(r'<img((?:\s(?!alt=)[a-z]+="[^"]*")*)>')


def sanitize_html(html: str) -> str:
    """`html` reduced to a strict allow-list of tags and attributes; see the module docstring.
    An image that says nothing about itself (a tracking pixel, once its source is gone) gets
    alt="", so a screen reader passes over it instead of announcing an unnamed image."""
    cleaned = nh3.clean(
        html,
        tags=set(_TAGS),
        clean_content_tags=set(_DROPPED_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in _ATTRIBUTES.items()},
        attribute_filter=_keep_attribute,
        url_schemes={"http", "https", "mailto", "cid"},
        url_relative="deny",
        link_rel="noopener noreferrer nofollow",
        set_tag_attribute_values={"a": {"target": "_blank"}},
        strip_comments=True,
    )
    return _IMG_WITHOUT_ALT.sub(r'<img\1 alt="">', cleaned)


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    """Images only from the mail itself (cid:), links only to the web and to mail addresses."""
    url = value.strip()
    if tag == "img" and attribute == "src":
        return url if url.lower().startswith("cid:") else None
    if tag == "a" and attribute == "href":
        return url if url.lower().startswith(_LINK_SCHEMES) else None
    return value
