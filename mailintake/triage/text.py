"""The text triage reads: the writer's own words split into sentences, and web-form fields.

A web form mail (the city's complaint form, sent from a no-reply address) carries the
citizen's words under a description label and their name and address in fields; for such
mail the description is the body that every other module reads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from ..mail.message import Parsed
from .vocabulary import Vocabulary

_PARAGRAPH = re.compile(r"\n\s*\n")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”»)]*\s+")
_FIELD = re.compile(r"^[ \t]*+([^:\n]{2,80}?)[ \t]*+:[ \t]*+(.*)$")  # possessive: no backtracking into spaces
MAX_FIELD_LINE = 1_000  # a longer line is no "label: value" field
# Triage reads at most this much of each text: what a person writes about one complaint fits with room to spare,
# and no message can make the work grow beyond it.
TEXT_LIMIT = 64_000
_FOOTER = re.compile(r"^\s*(--\s*|_{3,})$", re.M)


@dataclass(frozen=True)
class Sentence:
    text: str
    index: int
    paragraph: int
    where: str = "body"


@dataclass
class WebForm:
    fields: dict[str, str] = field(default_factory=dict)
    description: str = ""

    def get(self, name: str) -> str | None:
        return self.fields.get(name)


class Text:
    """Everything triage reads from one message, computed once and shared."""

    def __init__(self, parsed: Parsed, vocab: Vocabulary):
        self.parsed = parsed
        self.vocab = vocab
        self.subject = parsed.subject or ""
        self.webform = _webform(parsed, vocab) if _is_webform(parsed, vocab) else None
        body = (self.webform.description if self.webform else parsed.reply_text) or parsed.text or ""
        self.body = body[:TEXT_LIMIT]
        self.quoted = (parsed.quoted_text or "")[:TEXT_LIMIT]
        self.full = (parsed.text or "")[:TEXT_LIMIT]  # own words, signature and quotes together

    @cached_property
    def sentences(self) -> list[Sentence]:
        return split_sentences(self.body)

    @cached_property
    def quoted_sentences(self) -> list[Sentence]:
        return split_sentences(self.quoted, where="quoted")

    @cached_property
    def lowered(self) -> str:
        return self.body.lower()

    def find(self, path: str, text: str | None = None) -> re.Match | None:
        pattern = self.vocab.regex(path)
        return pattern.search(self.body if text is None else text) if pattern else None

    def sentences_matching(self, path: str) -> list[Sentence]:
        pattern = self.vocab.regex(path)
        if not pattern:
            return []
        return [s for s in self.sentences if pattern.search(s.text)]


def split_sentences(text: str, where: str = "body") -> list[Sentence]:
    """Paragraphs, then sentences; wrapped lines inside a paragraph are joined."""
    result: list[Sentence] = []
    for p_index, paragraph in enumerate(_PARAGRAPH.split(text)):
        joined = " ".join(line.strip(" >\t") for line in paragraph.splitlines() if line.strip(" >\t"))
        for piece in _SENTENCE_END.split(joined):
            piece = piece.strip()
            if piece:
                result.append(Sentence(piece, len(result), p_index, where))
    return result


def _is_webform(parsed: Parsed, vocab: Vocabulary) -> bool:
    marker = vocab.regex("identity.webform_markers")
    head = (parsed.text or "")[:1500]
    return bool(marker and re.search(marker.pattern, head, re.I | re.M))


def _webform(parsed: Parsed, vocab: Vocabulary) -> WebForm:
    """Fields `name`, `email`, `service`, `contacted` and the free-text description."""
    text = (parsed.text or "")[:TEXT_LIMIT]
    footer = _FOOTER.search(text)
    if footer:
        text = text[: footer.start()]
    form = WebForm()
    lines = text.splitlines()
    for i, line in enumerate(lines):
        found = _FIELD.match(line) if len(line) <= MAX_FIELD_LINE else None
        if not found:
            continue
        label, value = found.group(1).strip(), found.group(2).strip()
        name = _field_name(label, vocab)
        if name == "description":
            rest = "\n".join([value] + lines[i + 1:]).strip()
            form.description = rest
            break
        if name and name not in form.fields:
            form.fields[name] = value
    return form


def _field_name(label: str, vocab: Vocabulary) -> str | None:
    for name in ("contacted", "service", "email", "name", "description"):
        pattern = vocab.regex(f"identity.webform_fields.{name}")
        if pattern and re.fullmatch(pattern.pattern, label, re.I):
            return name
    return None
