"""Mail HTML made safe to show: everything active removed, with nh3. The only module that imports nh3.

Sanitising runs once, when a message is parsed (in the analysis worker, under
its time budget), and the result is stored with the parse result; the case
page only reads it. HTML too large or too deeply nested to sanitise in
bounded time is not shown at all (nh3 is quadratic in the nesting depth:
200,000 nested <div>s took 146 s); staff download the raw mail instead.
"""

from __future__ import annotations

import re

import nh3

MAX_HTML_BYTES = 512 * 1024
MAX_DEPTH = 100
ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "div", "em", "h1", "h2", "h3", "h4", "h5", "h6",
    "hr", "i", "img", "li", "ol", "p", "pre", "s", "small", "span", "strong", "sub", "sup", "table", "tbody",
    "td", "tfoot", "th", "thead", "tr", "u", "ul",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "width", "height"}, "td": {"colspan", "rowspan"},
                      "th": {"colspan", "rowspan"}}
INLINE_IMAGE = re.compile(r"^data:image/(png|jpeg|gif);base64,[A-Za-z0-9+/=\s]+$")
LINK = re.compile(r"^(https?:|mailto:)", re.IGNORECASE)
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]{0,20})[^>]{0,4000}?(/?)>")
_VOID = {"br", "hr", "img", "meta", "link", "input", "col", "area", "base", "wbr", "source", "track", "param", "embed"}


def sanitise(html: str) -> str | None:
    """Mail HTML with everything active removed (no scripts, styles, events, forms or remote images);
    None when it is too large or too deeply nested to show."""
    if len(html) > MAX_HTML_BYTES or nesting_depth(html) > MAX_DEPTH:
        return None
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "data"},
        attribute_filter=_filter_attribute,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def nesting_depth(html: str) -> int:
    """How deeply elements nest, at most (a linear scan of the tags; void and self-closed tags do not nest)."""
    depth = deepest = 0
    for closing, name, self_closing in _TAG.findall(html):
        if name.lower() in _VOID or self_closing:
            continue
        depth = max(depth - 1, 0) if closing else depth + 1
        deepest = max(deepest, depth)
    return deepest


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src":
        return value if INLINE_IMAGE.match(value) else None  # remote and cid: images are not loaded
    if tag == "a" and attribute == "href":
        return value if LINK.match(value.strip()) else None
    return value
