"""What parsing makes of one message: plain frozen dataclasses, and the cleaning every mail-derived string gets.

No mail library is imported here, so every stage can use these types cheaply.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, fields
from datetime import datetime

_CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f]")
_RESERVED_NAMES = {"CON", "PRN", "AUX", "NUL", *(f"COM{n}" for n in range(1, 10)), *(f"LPT{n}" for n in range(1, 10))}


@dataclass(frozen=True)
class FetchedMessage:
    """One message as the server holds it. `raw` is None when it was too large to fetch."""

    uid: int
    size: int
    internal_date: datetime | None
    raw: bytes | None


@dataclass(frozen=True)
class Address:
    name: str
    address: str


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    size: int
    sha256: str
    payload: bytes = field(repr=False, compare=False)


@dataclass(frozen=True)
class Parsed:
    """Everything later stages need from one message. Headers are decoded text."""

    message_id: str | None
    in_reply_to: str | None
    references: tuple[str, ...]
    date: datetime | None
    sender: Address | None
    reply_to: tuple[Address, ...]
    to: tuple[Address, ...]
    cc: tuple[Address, ...]
    subject: str
    headers: tuple[tuple[str, str], ...]
    content_type: str
    text: str
    html: str | None
    reply_text: str
    signature: str
    quoted_text: str
    language: str
    attachments: tuple[Attachment, ...]
    defects: tuple[str, ...] = ()
    part_types: tuple[str, ...] = ()  # content types of the MIME parts, first ones first (text/calendar, ...)
    html_safe: str | None = None  # `html` sanitised for showing (mail.html); None when absent or unfit to show

    def header(self, name: str) -> str | None:
        """The first value of header `name` (case-insensitive), or None."""
        values = self.header_all(name)
        return values[0] if values else None

    def header_all(self, name: str) -> list[str]:
        wanted = name.lower()
        return [value for key, value in self.headers if key.lower() == wanted]

    def to_json(self) -> dict:
        """The fields as JSON values (the attachments without their bytes); built by hand, as `asdict` deep-copies
        every header and address on the committing process's path."""
        data = {name: getattr(self, name) for name in _PARSED_FIELDS}
        data["date"] = self.date.isoformat() if self.date else None
        data["sender"] = _address_json(self.sender) if self.sender else None
        for name in ("reply_to", "to", "cc"):
            data[name] = [_address_json(a) for a in data[name]]
        for name in ("references", "defects", "part_types"):
            data[name] = list(data[name])
        data["attachments"] = [{"filename": a.filename, "content_type": a.content_type, "size": a.size,
                                "sha256": a.sha256} for a in self.attachments]
        data["headers"] = [list(pair) for pair in self.headers]
        return data


def _address_json(address: Address) -> dict:
    return {"name": address.name, "address": address.address}


_PARSED_FIELDS = tuple(f.name for f in fields(Parsed))


def clean_line(value: str) -> str:
    """One line of text: control characters (CR, LF, NUL, ...) become spaces, runs collapse, and Unicode format
    characters (bidi overrides such as U+202E, zero-width joiners) are dropped, so text shows as it is."""
    return " ".join(_CONTROL_CHARS.sub(" ", strip_format_characters(value)).split())


def strip_format_characters(value: str) -> str:
    """`value` without Unicode category Cf: "evil\u202egpj.exe" can no longer pass for "evilexe.jpg"."""
    return "".join(c for c in value if unicodedata.category(c) != "Cf") if not value.isascii() else value


def safe_filename(name: str | None, fallback: str = "bijlage") -> str:
    """A file name that cannot name a path: no directories, no control characters, bounded."""
    name = strip_format_characters(unicodedata.normalize("NFC", name or ""))
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = _CONTROL_CHARS.sub("", name).strip().lstrip(".")
    name = re.sub(r"[<>:\"|?*]", "_", name)
    if name.split(".")[0].upper() in _RESERVED_NAMES:  # Windows devices: CON, NUL.txt, COM1 ...
        name = "_" + name
    if len(name) > 150:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 140] + dot + ext[:9]) if dot and len(ext) < 10 else name[:150]
    return name or fallback
