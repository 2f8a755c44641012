"""Showing mail written by strangers: escaped text with the evidence marked, and the page around sanitised HTML.

Nothing from a mail reaches a page unescaped except the output of
`mail.html.sanitise()`, stored at intake, and that is only ever served inside a
sandboxed iframe under its own strict Content-Security-Policy.
"""

from __future__ import annotations

from markupsafe import Markup, escape


def mail_document(safe_html: str, language: str) -> str:
    """A complete page for the iframe, around HTML that `mail.html.sanitise` made safe."""
    return (
        f'<!doctype html><html lang="{escape(language)}"><head><meta charset="utf-8"><title>bericht</title></head>'
        f"<body>{safe_html}</body></html>"
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
