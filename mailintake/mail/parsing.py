"""Raw message bytes -> `Parsed`. The only module that imports mail-parser (and its reply splitter, html2text, lingua, tnefparse).

Parsing never raises for bad mail: mail-parser fails on some truncated or
mangled messages, and then the standard library's parser takes over. What
could not be understood is listed in `Parsed.defects`.
"""

from __future__ import annotations

import base64
import email
import email.errors
import email.header
import email.parser
import email.policy
import email.utils
import hashlib
import logging
import re
from datetime import datetime, timezone
from email.message import Message
from functools import lru_cache

import html2text
import mailparser
from mailparser_reply import EmailReplyParser

from ..domain import LANGUAGES
from .html import sanitise
from .message import Address, Attachment, Parsed, clean_line, safe_filename

log = logging.getLogger(__name__)
MAX_ATTACHMENTS = 500  # per message; the raw mail keeps every part
# mail-parser warns about every MIME part it does not render (delivery reports,
# rfc822 headers); we keep those parts as attachments, so the warning is noise.
logging.getLogger("mailparser").setLevel(logging.ERROR)



def parse(raw: bytes) -> Parsed:
    """Parse raw RFC 5322 bytes. Never raises for malformed mail."""
    failure = None
    raw, clipped = bounded_headers(raw)
    try:
        mail = mailparser.MailParser(message_from_bytes(raw))
        message = mail.message  # the standard library's tree, parsed once and reused for headers
        text, html, attachments = _bodies_with_mailparser(mail)
    except Exception as exc:  # mail-parser raises many kinds on mangled mail
        log.info("mail-parser failed (%s); using the standard library parser", type(exc).__name__)
        failure = f"mailparser:{type(exc).__name__}"
        message, (text, html, attachments) = _parse_with_stdlib(raw)
    headers = tuple(_decoded_headers(message))
    defects = [type(d).__name__ for d in message.defects] + ([failure] if failure else []) + (
        [f"headers:{clipped} header(s) over {HEADER_LIMIT} bytes clipped for reading (the raw mail keeps them)"]
        if clipped else [])
    attachments = _unpack_tnef(attachments, defects)
    if len(attachments) > MAX_ATTACHMENTS:
        attachments = attachments[:MAX_ATTACHMENTS]
        defects.append(f"attachments:only the first {MAX_ATTACHMENTS} are kept apart; the rest stay in the raw mail")
    if html and len(text.strip()) <= STUB_TEXT:
        text = _text_or_html(text, html)
    returned = _returned_headers(message)
    if returned and returned not in text:
        text = f"{text}\n\n{returned}" if text.strip() else returned
    reply_text, signature, quoted_text = split_reply(text)
    header = _first_header(headers)
    raw_header = _first_raw_header(message)  # address lists are split before their names are decoded
    return Parsed(
        message_id=_msgid(header("message-id")),
        in_reply_to=_msgid(header("in-reply-to")),
        references=tuple(_msgids(" ".join(v for k, v in headers if k.lower() == "references"))),
        date=_date(header("date")),
        sender=_first(_addresses(raw_header("from"))),
        reply_to=tuple(_addresses(raw_header("reply-to"))),
        to=tuple(_addresses(raw_header("to"))),
        cc=tuple(_addresses(raw_header("cc"))),
        subject=clean_line(header("subject") or ""),
        headers=headers,
        content_type=message.get_content_type(),
        text=text,
        html=html,
        reply_text=reply_text,
        signature=signature,
        quoted_text=quoted_text,
        language=_language_of(reply_text or text or "", clean_line(header("subject") or "")),
        attachments=tuple(attachments),
        defects=tuple(defects),
        part_types=_part_types(message),
        html_safe=sanitise(html) if html else None,
    )


MAX_PART_TYPES = 100  # parts named per message: enough to see a calendar invitation, bounded for hostile trees


def _part_types(message: Message) -> tuple[str, ...]:
    """Content types of the parts, breadth first without recursion (MIME trees can be 10,000 deep)."""
    found, queue = [], [message]
    while queue and len(found) < MAX_PART_TYPES:
        part = queue.pop(0)
        found.append(part.get_content_type())
        payload = part.get_payload() if part.is_multipart() else None
        if isinstance(payload, list):
            queue.extend(payload[:MAX_PART_TYPES])
    return tuple(found)


RETURNED_HEADERS_LIMIT = 16_384


def _returned_headers(message: Message) -> str:
    """The headers of our own mail a delivery report returns (text/rfc822-headers), which mail-parser leaves
    out: its subject carries the case reference the bounce belongs to."""
    found, queue = [], [message]
    for _ in range(MAX_PART_TYPES):
        if not queue:
            break
        part = queue.pop(0)
        if part.get_content_type() == "text/rfc822-headers":
            payload = part.get_payload(decode=True) or b""
            text = _decode(payload[:RETURNED_HEADERS_LIMIT], part.get_content_charset()).strip()
            found.append(_ENCODED_WORD.sub(lambda word: _decode_header(word.group(0)), text))
        payload = part.get_payload() if part.is_multipart() else None
        if isinstance(payload, list):
            queue.extend(payload[:MAX_PART_TYPES])
    return "\n\n".join(f for f in found if f)


# an RFC 2047 encoded word in a returned header ("Subject: =?utf-8?q?...OMB-2026-00195?="): decoded, so the
# reference reads as itself
_ENCODED_WORD = re.compile(r"=\?[\w.-]+\?[QqBb]\?[^?\s]*\?=")

HTML_LIMIT = 1 << 20  # of a larger HTML part, the first MiB is read as text (the raw mail keeps it all)
REPLY_SPLIT_LIMIT = 64_000  # a longer text is kept whole: the reply splitter's patterns are not linear
_NBSP_RUN = re.compile(r"(?:&nbsp;|&#160;|&#xa0;|\s){8,}", re.IGNORECASE)
_BLANK_RUN = re.compile(r"[ \t\u00a0]{8,}")


HEADER_LIMIT = 8192  # bytes of one header (folded lines together) the parser reads; RFC 5322 lines are 998


def bounded_headers(raw: bytes) -> tuple[bytes, int]:
    """`raw` with every header longer than HEADER_LIMIT clipped, in the message's and each MIME part's header
    block, and how many were clipped. The standard library reads header parameters in quadratic time
    (`Message._parseparam`): a 600 KB file name took 36 s. Mail without such headers is returned as it is."""
    if max(map(len, raw.splitlines()), default=0) <= HEADER_LIMIT and raw.count(b"\n\t") + raw.count(b"\n ") < 1000:
        return raw, 0
    out, clipped, in_headers, header_size = [], 0, True, 0
    for line in raw.splitlines(keepends=True):
        bare = line.rstrip(b"\r\n")
        if in_headers and not bare:
            in_headers = False
        elif not in_headers and bare.startswith(b"--") and len(bare) < 200:
            in_headers = True  # a MIME boundary: a part's headers follow
            header_size = 0
        elif in_headers:
            header_size = header_size + len(line) if line[:1] in (b" ", b"\t") else len(line)
            if header_size > HEADER_LIMIT:
                clipped += header_size - len(line) <= HEADER_LIMIT  # count each header once
                keep = max(0, HEADER_LIMIT - (header_size - len(line)))
                if keep:
                    out.append(line[:keep].rstrip(b"\r\n") + b"\r\n")
                continue
        out.append(line)
    return b"".join(out), clipped


# A plain alternative this short may be a stub ("Deze melding bevat HTML. Open ze in een mailprogramma dat HTML
# ondersteunt.") beside the real message in HTML: a web form's table, a letter.
STUB_TEXT = 200
STUB_RATIO = 3  # the HTML says this many times more: it is the message


def _text_or_html(text: str, html: str) -> str:
    from_html = html_to_text(html)
    return from_html if len(from_html) > STUB_RATIO * len(text.strip()) else text


def html_to_text(html: str) -> str:
    html = _NBSP_RUN.sub(" ", html[:HTML_LIMIT])
    converter = html2text.HTML2Text()
    converter.body_width = 0
    converter.ignore_images = True
    converter.ignore_emphasis = True
    converter.ignore_links = False
    return converter.handle(html).strip()


def split_reply(text: str) -> tuple[str, str, str]:
    """(the writer's own words, their signature, the quoted history below them)."""
    if not text.strip():
        return "", "", ""
    if len(text) > REPLY_SPLIT_LIMIT:
        return text.strip(), "", ""
    try:
        replies = _reply_parser().read(_BLANK_RUN.sub(" ", text)).replies
    except Exception as exc:  # the reply parser is heuristic; never let it lose the text
        log.info("reply splitting failed (%s); keeping the whole text", type(exc).__name__)
        return text.strip(), "", ""
    if not replies:
        return text.strip(), "", ""
    latest = replies[0]
    body, signature = (latest.body or "").strip(), (latest.signatures or "").strip()
    continued = _continuation_after_pasted_answer(body, replies[1].content or "") if len(replies) == 2 else ""
    if continued:  # "Hun antwoord:", the answer pasted, and the writer goes on below it
        body = f"{body}\n\n{continued}"
        replies[1].content = replies[1].content.replace(continued, "").rstrip()
    quoted = "\n\n".join(part for r in replies[1:] for part in (r.headers, r.content) if part)
    if _list_or_prose(signature):  # "- item" lines are a list in the writer's words, not a signature
        return f"{body}\n{signature}".strip(), "", quoted.strip()
    return body, signature, quoted.strip()


_INTRODUCES = re.compile(r"(:|\b(antwoord|reactie|reply|answer|réponse)\b.{0,20})\s*$", re.I)
_SEPARATOR = re.compile(r"^\s*-{2,}.*-{2,}\s*$|^\s*$")
_SIGN_OFF = re.compile(
    r"^\s*(met )?(vriendelijke|beste|hartelijke) groet(en)?\b|^\s*groeten\b|^\s*(met )?(de meeste )?hoogachting\b|"
    r"^\s*(kind|best|warm) regards\b|^\s*regards\b|^\s*sincerely\b|^\s*yours (sincerely|faithfully)\b|"
    r"^\s*cordialement\b|^\s*bien à vous\b|^\s*(meilleures |sincères )?salutations\b|^\s*veuillez agréer\b", re.I)


def _continuation_after_pasted_answer(body: str, quoted: str) -> str:
    """The writer's own words below an answer they pasted after introducing it ("Hun antwoord:"): what follows
    the pasted answer's sign-off and the few lines of its signature, up to the end. Empty when the quote was
    not introduced so, or nothing follows its sign-off."""
    lines = [line for line in body.splitlines() if not _SEPARATOR.match(line)]
    if not lines or not _INTRODUCES.search(lines[-1]):
        return ""
    quoted_lines = quoted.splitlines()
    for index, line in enumerate(quoted_lines):
        if not _SIGN_OFF.match(line):
            continue
        rest = quoted_lines[index + 1:]
        blank = next((i for i, r in enumerate(rest[:5]) if not r.strip()), None)  # the signature's end
        if blank is None:
            return ""
        continued = "\n".join(rest[blank:]).strip()
        return continued if len(continued) > 40 else ""
    return ""


_LIST_ITEM = re.compile(r"^[-*•] \S")
SIGNATURE_MAX_CHARS = 600  # beyond this, what the splitter took for a signature is the writer's text


def _list_or_prose(signature: str) -> bool:
    return bool(signature) and (bool(_LIST_ITEM.match(signature)) or len(signature) > SIGNATURE_MAX_CHARS)


FEW_WORDS = 5  # "hi, any news? thx": too few words to tell a language by; the subject is read with them


def _language_of(own_words: str, subject: str) -> str:
    if len(own_words.split()) < FEW_WORDS:
        return detect_language(f"{subject}\n{own_words}")
    return detect_language(own_words)


def detect_language(text: str) -> str:
    """nl, fr or en; Dutch when the text gives no clear answer."""
    sample = text[:2000]
    if len(sample.strip()) < 3:
        return "nl"
    language = _language_detector().detect_language_of(sample)
    return {"DUTCH": "nl", "FRENCH": "fr", "ENGLISH": "en"}.get(
        language.name if language else "", "nl"
    )


@lru_cache(maxsize=1)
def _reply_parser() -> EmailReplyParser:
    return EmailReplyParser(languages=list(LANGUAGES))


@lru_cache(maxsize=1)
def _language_detector():
    from lingua import Language, LanguageDetectorBuilder

    # Low-accuracy mode uses trigrams only: ~10 MB instead of ~120 MB of models, and
    # as accurate as the full mode on paragraph-length mail (not on single words).
    return (
        LanguageDetectorBuilder.from_languages(Language.DUTCH, Language.FRENCH, Language.ENGLISH)
        .with_low_accuracy_mode()
        .build()
    )


def _bodies_with_mailparser(mail) -> tuple[str, str | None, list[Attachment]]:
    text = "\n\n".join(part for part in mail.text_plain if part.strip())
    html = "\n".join(mail.text_html) or None
    attachments = [
        _attachment(a.get("filename"), a.get("mail_content_type"), _payload_bytes(a))
        for a in mail.attachments[: MAX_ATTACHMENTS + 1]  # one more, so that the cut is noticed
    ]
    return text, html, attachments


def _payload_bytes(item: dict) -> bytes:
    payload = item.get("payload") or ""
    if item.get("binary"):
        return base64.b64decode(payload)
    return payload.encode(item.get("charset") or "utf-8", errors="replace")


def _parse_with_stdlib(raw: bytes) -> tuple[Message, tuple[str, str | None, list[Attachment]]]:
    """The standard library's tree; MIME nested deeper than Python's stack is read flat (headers, body as text)."""
    try:
        message = message_from_bytes(raw)
        return message, _bodies_with_stdlib(message)
    except RecursionError:
        message = email.parser.BytesHeaderParser(policy=email.policy.compat32).parsebytes(raw)
        message.defects.append(errors_too_deep())
        _, _, body = raw.partition(b"\r\n\r\n") if b"\r\n\r\n" in raw else raw.partition(b"\n\n")
        return message, (_decode(body[:FLAT_BODY_LIMIT], "utf-8"), None, [])


def message_from_bytes(raw: bytes) -> Message:
    """`email.message_from_bytes`, fed in slices: the one-call form holds the whole text as a str and then four
    bytes per character in a StringIO, eight times the message at its peak; this stays near three."""
    parser = email.parser.BytesFeedParser(policy=email.policy.compat32)
    for start in range(0, len(raw), FEED_BYTES):
        parser.feed(raw[start:start + FEED_BYTES])
    return parser.close()


FEED_BYTES = 1 << 16
FLAT_BODY_LIMIT = 1 << 16  # of a message too deeply nested to parse, this much of the body is kept as text


def errors_too_deep() -> email.errors.MessageDefect:
    return email.errors.MessageDefect("MIME nesting too deep to parse; body read as text")


def _bodies_with_stdlib(message: Message) -> tuple[str, str | None, list[Attachment]]:
    texts: list[str] = []
    htmls: list[str] = []
    attachments: list[Attachment] = []
    for part in message.walk():
        if part.is_multipart():
            continue
        payload = part.get_payload(decode=True) or b""
        filename = part.get_filename()
        kind = part.get_content_type()
        if filename or part.get_content_disposition() == "attachment":
            if len(attachments) <= MAX_ATTACHMENTS:
                attachments.append(_attachment(filename, kind, payload))
        elif kind == "text/plain":
            texts.append(_decode(payload, part.get_content_charset()))
        elif kind == "text/html":
            htmls.append(_decode(payload, part.get_content_charset()))
    return "\n\n".join(texts), "\n".join(htmls) or None, attachments


def _unpack_tnef(attachments: list[Attachment], defects: list[str]) -> list[Attachment]:
    result: list[Attachment] = []
    for item in attachments:
        if item.content_type != "application/ms-tnef" and item.filename.lower() != "winmail.dat":
            result.append(item)
            continue
        try:
            from tnefparse import TNEF

            tnef = TNEF(item.payload)
            inner = [_attachment(a.long_filename() or a.name, None, a.data) for a in tnef.attachments]
        except Exception as exc:
            defects.append(f"tnef:{type(exc).__name__}")
            inner = []
        result.extend(inner or [item])
    return result


def _attachment(filename: str | None, content_type: str | None, payload: bytes) -> Attachment:
    if isinstance(filename, bytes):
        filename = filename.decode("utf-8", errors="replace")
    return Attachment(
        filename=safe_filename(filename),
        content_type=(content_type or "application/octet-stream").lower(),
        size=len(payload),
        sha256=hashlib.sha256(payload).hexdigest(),
        payload=payload,
    )


def _decode(payload: bytes, charset: str | None) -> str:
    try:
        return payload.decode(charset or "utf-8", errors="replace")
    except LookupError:
        return payload.decode("utf-8", errors="replace")


def _decoded_headers(message: Message):
    for key, value in message.items():
        yield key, _decode_header(value)


def _decode_header(value) -> str:
    try:
        text = str(email.header.make_header(email.header.decode_header(str(value))))
    except Exception:
        text = str(value)
    return text


def _first_header(headers: tuple[tuple[str, str], ...]):
    index: dict[str, str] = {}
    for key, value in headers:
        index.setdefault(key.lower(), value)
    return index.get


def _first_raw_header(message: Message):
    """The first value of a header as it came (RFC 2047 words still encoded)."""
    index: dict[str, str] = {}
    for key, value in message.items():
        index.setdefault(key.lower(), str(value))
    return index.get


def _addresses(raw: str | None) -> list[Address]:
    """The addresses of a raw header value. Splitting comes first and only display names are decoded, so an
    encoded name that reads "Name <someone@else>" stays a name and never becomes an address."""
    if not raw:
        return []
    pairs = email.utils.getaddresses([raw])
    return [
        Address(name=clean_line(_decode_header(name)), address=clean_line(addr).lower())
        for name, addr in pairs
        if addr and "@" in addr and not _has_encoded_word(addr)
    ]


def _has_encoded_word(value: str) -> bool:
    return "=?" in value and "?=" in value


def _first(items: list):
    return items[0] if items else None


_MSGID = re.compile(r"<[^<>\s]+>")


def _msgid(value: str | None) -> str | None:
    if not value:
        return None
    found = _MSGID.search(value)
    return found.group(0) if found else (clean_line(value) or None)


def _msgids(value: str) -> list[str]:
    return _MSGID.findall(value)


def _date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if parsed is not None and parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed
