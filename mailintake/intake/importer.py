"""`mailintake import PATH`: old mail from an mbox file or a Maildir folder, through the same intake.

Imported mail has no IMAP UID. Its key is the sha256 of its bytes, so importing
the same file twice changes nothing, and a message that also reaches the
mailbox is recognised as the same content. Old mail is not acknowledged unless
asked (`--ack`).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Iterator

from tqdm import tqdm

from ..mail.message import FetchedMessage
from ..mail.sources import open_source
from .ledger import MessageKey
from .poll import Intake, PollResult

IMPORT_MAILBOX = "import"


def import_path(intake: Intake, path: Path, progress: bool = True) -> PollResult:
    """Give every message in the mbox or Maildir one outcome; returns the counts."""
    source = open_source(path)
    result = PollResult()
    bar = tqdm(total=len(source), unit="msg", disable=not progress, desc=f"import {path.name}")
    with bar:
        for chunk in _chunks(source.messages(), intake.box_config.batch_size):
            items = [(MessageKey(IMPORT_MAILBOX, 0, content_uid(raw)), _fetched(raw)) for raw in chunk]
            first, repeats = _split_repeats(items)
            # a repeat within the chunk shares its key with the first copy: it comes out already_done
            for outcome in intake.process_batch(first) + (intake.process_batch(repeats) if repeats else []):
                result.fetched += 1
                result.count(outcome)
            bar.update(len(chunk))
    return result


def _fetched(raw: bytes) -> FetchedMessage:
    return FetchedMessage(uid=0, size=len(raw), internal_date=None, raw=raw)


def _split_repeats(items: list) -> tuple[list, list]:
    first, repeats, seen = [], [], set()
    for key, message in items:
        (repeats if key in seen else first).append((key, message))
        seen.add(key)
    return first, repeats


def _chunks(messages: Iterator[bytes], size: int) -> Iterator[list[bytes]]:
    chunk: list[bytes] = []
    for raw in messages:
        chunk.append(raw)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def content_uid(raw: bytes) -> int:
    """A stable 63-bit key from the content: imported mail has no UID of its own."""
    return int.from_bytes(hashlib.sha256(raw).digest()[:8], "big") >> 1
