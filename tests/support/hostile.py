"""Builders of hostile and broken mail for the fuzz and fault tests: mutations and the dedicated monsters."""

from __future__ import annotations

import io
import random
import zipfile
from email.message import EmailMessage

from tests.support.paths import MAILS, SHARED

HEAD = (
    b"From: An Peeters <an.peeters@example.be>\r\n"
    b"To: ombudsdienst@leuven.example.be\r\n"
    b"Date: Fri, 20 Nov 2026 09:30:00 +0000\r\n"
)
BODY = b"Geachte,\r\n\r\nHet loket was dicht terwijl het open moest zijn.\r\n\r\nAn Peeters\r\n"


def seed_mails(limit: int = 60) -> list[bytes]:
    """Real-world mail from ../shared/corpus (when present) plus our own test mails."""
    folders = [SHARED / "corpus", MAILS / "intake"]
    found: list[bytes] = []
    for folder in folders:
        if folder.is_dir():
            found.extend(p.read_bytes() for p in sorted(folder.glob("*.eml")))
    return found[:limit] or [HEAD + b"Subject: klacht\r\n\r\n" + BODY]


def mutate(raw: bytes, rng: random.Random, rounds: int = 3) -> bytes:
    """Truncate, flip bytes, mangle boundaries, charsets and encoded words, a few times over."""
    data = bytearray(raw)
    for _ in range(rounds):
        how = rng.randrange(6)
        if how == 0 and data:
            del data[rng.randrange(len(data)) :]
        elif how == 1 and data:
            for _ in range(rng.randint(1, 20)):
                data[rng.randrange(len(data))] = rng.randrange(256)
        elif how == 2:
            data = bytearray(bytes(data).replace(b"boundary=", b"boundary=\"" + bytes([rng.randrange(256)]) + b"\" x="))
        elif how == 3:
            data = bytearray(bytes(data).replace(b"charset=", rng.choice([b"charset=x-unknown-", b"charset=\"", b"charset=utf-7;"])))
        elif how == 4:
            data = bytearray(bytes(data).replace(b"Subject: ", b"Subject: =?utf-8?B?" + bytes(rng.randrange(256) for _ in range(8)) + b"?= "))
        else:
            at = rng.randrange(len(data) + 1)
            data[at:at] = rng.choice([b"\x00", b"\xff\xfe", b"\r\n--", b"\r\n\r\n", b"=?", b"\xc3(", b"\r"])
    return bytes(data) or b"\x00"


def with_subject(subject: bytes, body: bytes = BODY, extra: bytes = b"") -> bytes:
    return HEAD + extra + b"Subject: " + subject + b"\r\n\r\n" + body


def deep_nesting(depth: int) -> bytes:
    """`depth` nested multipart/mixed parts, each with its own boundary."""
    opening = b"".join(
        b'Content-Type: multipart/mixed; boundary="b%d"\r\n\r\n--b%d\r\n' % (i, i) for i in range(depth)
    )
    closing = b"".join(b"\r\n--b%d--\r\n" % i for i in reversed(range(depth)))
    return HEAD + b"Subject: nest\r\nMIME-Version: 1.0\r\n" + opening + b"Content-Type: text/plain\r\n\r\n" + BODY + closing


def huge_headers(total: int) -> bytes:
    line = b"X-Filler: " + b"a" * 990 + b"\r\n"
    return HEAD + b"Subject: many headers\r\n" + line * (total // len(line)) + b"\r\n" + BODY


def many_recipients(count: int) -> bytes:
    folded = b",\r\n ".join(b"r%d@example.be" % i for i in range(count))
    return HEAD.replace(b"To: ombudsdienst@leuven.example.be\r\n", b"To: " + folded + b"\r\n") + b"Subject: aan iedereen\r\n\r\n" + BODY


def with_attachments(names: list[str], payloads: list[bytes] | None = None, subject: str = "bijlagen") -> bytes:
    message = EmailMessage()
    message["From"] = "An Peeters <an.peeters@example.be>"
    message["To"] = "ombudsdienst@leuven.example.be"
    message["Subject"] = subject
    message.set_content("Geachte,\n\nZie de bijlagen bij mijn klacht.\n\nAn Peeters\n")
    for index, name in enumerate(names):
        payload = payloads[index] if payloads else f"bijlage {index}".encode()
        message.add_attachment(payload, maintype="application", subtype="octet-stream", filename=name)
    return message.as_bytes()


def zip_bomb(unpacked_bytes: int) -> bytes:
    """A small zip that would unpack to `unpacked_bytes` of zeros."""
    buffer = io.BytesIO()
    chunk = b"\0" * (1 << 20)
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open("zeros.bin", "w", force_zip64=True) as member:
            for _ in range(unpacked_bytes // len(chunk)):
                member.write(chunk)
    return buffer.getvalue()


def invalid_utf8_everywhere() -> bytes:
    return (
        b"From: \xff\xfe An \xc3( <an\xff@example.be>\r\n"
        b"To: ombudsdienst@leuven.example.be\r\n"
        b"Subject: klacht \xed\xa0\x80 \xf0\x28\x8c\x28 =?utf-8?q?=FF=FE?=\r\n"
        b"Date: Fri, 20 Nov 2026 09:30:00 +0000\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\n"
        b"Content-Transfer-Encoding: 8bit\r\n\r\n"
        b"Geachte,\r\n\r\nHet loket \xff\xfe\xfd was \xc0\xaf dicht.\r\n\r\nAn \x80Peeters\r\n"
    )
