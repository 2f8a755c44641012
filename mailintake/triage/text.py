"""The text triage reads: the writer's own words split into sentences, and web-form fields.

A web form mail (the city's complaint form, sent from a no-reply address) carries the
citizen's words under a description label and their name and address in fields; for such
mail the description is the body that every other module reads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from ..mail.message import Parsed
from .vocabulary import Vocabulary
from .webform import WebForm, read_webform

_PARAGRAPH = re.compile(r"\n\s*\n")
FORWARDED_SUBJECT = re.compile(r"^\s*(fw|fwd|tr|wg|doorgestuurd)\s*:", re.I)  # "FW: ...", "TR: ...", "WG: ..."
# (a title before a name ends no sentence: "his GP, Dr. Wouters, called me", "Mevr. Peeters")
_SENTENCE_END = re.compile(r"(?<=[.!?])(?<!\bDr\.)(?<!\bdr\.)(?<!\bMr\.)(?<!\bMrs\.)(?<!\bMs\.)(?<!\bMw\.)(?<!\bMme\.)(?<!\bDhr\.)"
                           r"(?<!\bMevr\.)(?<!\bProf\.)(?<!\bprof\.)[\"'”»)]*\s+")
# Triage reads at most this much of each text: what a person writes about one complaint fits with room to spare,
# and no message can make the work grow beyond it.
TEXT_LIMIT = 64_000


@dataclass(frozen=True)
class Sentence:
    text: str
    index: int
    paragraph: int
    where: str = "body"


class Text:
    """Everything triage reads from one message, computed once and shared."""

    def __init__(self, parsed: Parsed, vocab: Vocabulary):
        self.parsed = parsed
        self.vocab = vocab
        self.subject = parsed.subject or ""
        self.webform = _webform(parsed, vocab)
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


def is_no_reply(address: str, vocab: Vocabulary) -> bool:
    """An address nobody reads: a form relay or a robot."""
    pattern = vocab.regex("identity.no_reply_senders")
    return bool(address and pattern and pattern.search(address.split("@")[0]))


def _webform(parsed: Parsed, vocab: Vocabulary) -> WebForm | None:
    text = (parsed.text or "")[:TEXT_LIMIT]
    sender = parsed.sender.address if parsed.sender else ""
    form = read_webform(parsed, text, vocab, no_reply=_relays(sender, vocab))
    return form if form is not None else _forwarded_form(parsed, text, vocab)


def _relays(sender: str, vocab: Vocabulary) -> bool:
    """An address nobody reads, or a site's own sender (wordpress@), which relays forms as well."""
    relay = vocab.regex("identity.relay_senders")
    return is_no_reply(sender, vocab) or bool(sender and relay and relay.search(sender.split("@")[0]))


_FORWARDED_FROM = re.compile(r"^\s*(?:van|from|de)\s*:\s*(?P<line>.*)$", re.I | re.M)
ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
FORWARDED_HEADER_LINES = 8


def _forwarded_form(parsed: Parsed, text: str, vocab: Vocabulary) -> WebForm | None:
    """A form relay's mail forwarded by a colleague whose mailbox it reached (a sender in the recipient's own
    domain): the form below the forwarded header block, when that header's sender is one that relays forms and
    the form gives an address that can be answered."""
    forwarded = colleagues_forward(parsed, text, vocab)
    if forwarded is None or not _relays(forwarded[0], vocab):
        return None
    body = forwarded[1].lstrip("\n").split("\n\n", 1)[-1]  # after the forwarded header block
    form = read_webform(parsed, body, vocab, no_reply=True)
    address = ADDRESS.search(form.get("email") or "") if form is not None else None
    if address is None or is_no_reply(address.group(0), vocab):
        return None
    form.forwarded = True
    return form


def colleagues_forward(parsed: Parsed, text: str, vocab: Vocabulary) -> tuple[str, str] | None:
    """(the forwarded mail's sender address, the text from its header block on) when a colleague, a sender in the
    recipient's own domain, forwards a mail that reached their mailbox."""
    if not _a_colleague(parsed):
        return None
    marker = vocab.regex("kind.forward_markers")
    found = marker.search(text) if marker else None
    if found is None:
        return None
    rest = text[found.start():].lstrip("\n")  # the marker may be the header block's own first lines ("Van: ...\nVerzonden:")
    head = "\n".join(rest.splitlines()[:FORWARDED_HEADER_LINES + 1])
    sender = _FORWARDED_FROM.search(head)
    address = ADDRESS.search(sender.group("line")) if sender else None
    return (address.group(0), rest) if address else None


def _a_colleague(parsed: Parsed) -> bool:
    sender = parsed.sender.address.lower().rpartition("@")[2] if parsed.sender else ""
    return bool(sender) and any(sender == to.address.lower().rpartition("@")[2] for to in parsed.to)
