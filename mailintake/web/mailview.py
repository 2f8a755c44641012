"""Showing mail written by strangers: escaped text with the evidence marked, HTML sanitised with nh3.

Nothing from a mail reaches a page unescaped except the output of `sanitise()`,
and that is only ever served inside a sandboxed iframe under its own strict
Content-Security-Policy.
"""

from __future__ import annotations

import re

import nh3
from markupsafe import Markup, escape

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "div", "em", "h1", "h2", "h3", "h4", "h5", "h6",
    "hr", "i", "img", "li", "ol", "p", "pre", "s", "small", "span", "strong", "sub", "sup", "table", "tbody",
    "td", "tfoot", "th", "thead", "tr", "u", "ul",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "width", "height"}, "td": {"colspan", "rowspan"},
                      "th": {"colspan", "rowspan"}}
INLINE_IMAGE = re.compile(r"^data:image/(png|jpeg|gif);base64,[A-Za-z0-9+/=\s]+$")
LINK = re.compile(r"^(https?:|mailto:)", re.IGNORECASE)


def sanitise(html: str) -> str:
    """Mail HTML with everything active removed: no scripts, styles, events, forms or remote images."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "data"},
        attribute_filter=_filter_attribute,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src":
        return value if INLINE_IMAGE.match(value) else None  # remote and cid: images are not loaded
    if tag == "a" and attribute == "href":
        return value if LINK.match(value.strip()) else None
    return value


def mail_document(html: str) -> str:
    """A complete page for the iframe."""
    return (
        '<!doctype html><html><head><meta charset="utf-8"><title>bericht</title></head>'
        f"<body>{sanitise(html)}</body></html>"
    )


def highlight(text: str, marks: list[tuple[str, str]]) -> Markup:
    """The text, escaped, with each (label, snippet) found in it wrapped in <mark>."""
    spans = []
    for label, snippet in marks:
        snippet = (snippet or "").strip()
        if len(snippet) < 3:
            continue
        start = text.find(snippet)
        if start >= 0:
            spans.append((start, start + len(snippet), label))
    spans.sort()
    out, position = [], 0
    for start, end, label in spans:
        if start < position:
            continue  # overlapping evidence: the first one wins
        out.append(escape(text[position:start]))
        out.append(Markup('<mark title="{}">{}</mark>').format(label, text[start:end]))
        position = end
    out.append(escape(text[position:]))
    return Markup("").join(out)
