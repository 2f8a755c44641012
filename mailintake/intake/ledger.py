"""The attempt ledger: one `MessageRecord` per message key, its attempts, duplicates, failures and quarantine.

`start` is the one decision, for the batch and the single-message path alike,
of whether a message needs work now or already has its outcome. Everything
here works in the caller's transaction.
"""

from __future__ import annotations

import hashlib
import logging
import traceback
from dataclasses import dataclass
from datetime import datetime, timezone
from email.parser import BytesHeaderParser
from email.utils import parsedate_to_datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..config import MailboxConfig
from ..domain import Outcome
from ..errors import AnalysisTimeout
from ..mail.message import FetchedMessage
from ..store.models import MessageRecord, utcnow

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class MessageKey:
    """What identifies a message in the ledger: mailbox name, UIDVALIDITY and UID."""

    mailbox: str
    uidvalidity: int
    uid: int


def start(
    session: Session, key: MessageKey, message: FetchedMessage, record: MessageRecord | None,
    original: MessageRecord | None, box: MailboxConfig,
) -> tuple[MessageRecord, Outcome | None]:
    """The message's record (added to the session when new) and, when no work is due, its outcome.

    No work is due when the outcome was committed before (ALREADY_DONE), when a
    new key carries the bytes of `original` (DUPLICATE), or when the message is
    too large or out of attempts (QUARANTINED). Counting the attempt is the
    caller's: the batch path counts fresh messages, the single path every one.
    """
    if record is not None and record.outcome is not None:
        return record, Outcome.ALREADY_DONE
    if record is None:
        record = new_record(key, message)
        session.add(record)
        if original is not None:
            return record, link_duplicate(record, original)
    if message.raw is None:
        return record, quarantine(record, f"message of {message.size} bytes exceeds max_message_bytes ({box.max_message_bytes})")
    if record.attempts >= box.max_attempts:
        return record, quarantine(record, too_many_attempts(record))
    return record, None


def records(session: Session, keys: list[MessageKey]) -> dict[MessageKey, MessageRecord]:
    """The stored records of these keys; a batch shares its mailbox and UIDVALIDITY."""
    if not keys:
        return {}
    first = keys[0]
    rows = session.scalars(
        select(MessageRecord).where(
            MessageRecord.mailbox == first.mailbox,
            MessageRecord.uidvalidity == first.uidvalidity,
            MessageRecord.uid.in_([key.uid for key in keys]),
        )
    )
    return {MessageKey(r.mailbox, r.uidvalidity, r.uid): r for r in rows}


def originals(session: Session, shas: set[str | None]) -> dict[str, MessageRecord]:
    """Per sha256, the first message with those bytes that already has an outcome."""
    wanted = {sha for sha in shas if sha}
    if not wanted:
        return {}
    rows = session.scalars(
        select(MessageRecord)
        .where(
            MessageRecord.sha256.in_(wanted),
            MessageRecord.outcome.is_not(None),
            MessageRecord.outcome != Outcome.QUARANTINED,
        )
        .order_by(MessageRecord.id)
    )
    found: dict[str, MessageRecord] = {}
    for row in rows:
        found.setdefault(row.sha256, row)
    return found


def new_record(key: MessageKey, message: FetchedMessage) -> MessageRecord:
    raw = message.raw
    return MessageRecord(
        mailbox=key.mailbox,
        uidvalidity=key.uidvalidity,
        uid=key.uid,
        sha256=sha256(raw),
        size=message.size,
        raw=raw,
        received_at=message.internal_date or _header_date(raw) or utcnow(),
        attempts=0,
    )


def link_duplicate(record: MessageRecord, original: MessageRecord) -> Outcome:
    """The same bytes already have an outcome under another key: link to it, make nothing new."""
    record.duplicate_of_id = original.duplicate_of_id or original.id
    record.case_id = original.case_id
    record.message_id = original.message_id
    return finish(record, Outcome.DUPLICATE, f"same content as message {record.duplicate_of_id}")


def fail(record: MessageRecord, exc: Exception, max_attempts: int) -> Outcome:
    """Keep the error for staff; the last allowed attempt quarantines at once, and so does an analysis that ran
    past its budget (another try would cost as much)."""
    record.last_error = f"{type(exc).__name__}: {str(exc)[:300]}"
    if isinstance(exc, AnalysisTimeout):
        return quarantine(record, str(exc))
    if record.attempts >= max_attempts:
        return quarantine(record, too_many_attempts(record))
    return Outcome.FAILED


def quarantine(record: MessageRecord, reason: str) -> Outcome:
    # the reason may carry the last error's text (for staff); the log gets only its first words
    log.warning("quarantined uid=%s: %s", record.uid, reason.split("; last error:")[0])
    return finish(record, Outcome.QUARANTINED, reason)


def finish(record: MessageRecord, outcome: Outcome, reason: str) -> Outcome:
    record.outcome = outcome
    record.reason = reason
    record.processed_at = utcnow()
    return outcome


def too_many_attempts(record: MessageRecord) -> str:
    return f"failed {record.attempts} attempts; last error: {record.last_error or 'process ended during processing'}"


def log_failure(key: MessageKey, exc: Exception) -> None:
    """The exception's type, and at DEBUG where it happened; never its text, which may quote the mail."""
    log.warning("message uid=%s failed: %s", key.uid, type(exc).__name__)
    if log.isEnabledFor(logging.DEBUG):
        log.debug("message uid=%s failed at:\n%s", key.uid, "".join(traceback.format_tb(exc.__traceback__)))


def sha256(raw: bytes | None) -> str | None:
    return hashlib.sha256(raw).hexdigest() if raw is not None else None


def _header_date(raw: bytes | None) -> datetime | None:
    if raw is None:
        return None
    try:
        value = BytesHeaderParser().parsebytes(raw).get("Date")
        found = parsedate_to_datetime(value) if value else None
    except (TypeError, ValueError, IndexError):
        return None
    if found is not None and found.tzinfo is None:
        found = found.replace(tzinfo=timezone.utc)
    return found
