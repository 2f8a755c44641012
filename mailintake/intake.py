"""The intake service: every message in the mailbox becomes exactly one committed outcome.

Per message, in order:
1. a short transaction records that an attempt starts (so a message that kills
   the process is still counted, and quarantined after `max_attempts`);
2. one transaction stores the parse result, the triage verdict and the outcome:
   a draft case, a follow-up on a case, or a skip with its reason;
3. only after that commit is the message moved out of the INBOX.

A message seen again (same mailbox, UIDVALIDITY and UID, or the same bytes under
another key) changes nothing and is moved like the first.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import traceback
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from email.parser import BytesHeaderParser
from email.utils import parsedate_to_datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import answer_policy, cases, outbox
from .acknowledgements import LOOP_HEADER, message_id_domain
from .config import Config
from .db import Database, database_unavailable
from .faults import crash_point
from .mailbox import FetchedMessage, Mailbox, batches
from .models import AttachmentRecord, Blob, MessageRecord, Outcome, utcnow
from .parsing import Parsed, parse
from .services import service_for_address
from .triage import TriageSettings, triage

log = logging.getLogger(__name__)

ROBOT_KINDS = ("auto_reply", "bounce", "bulk", "spam")
FAILED = "failed"
ALREADY_DONE = "already_done"


@dataclass
class PollResult:
    """What one poll did; printed as the JSON line of `mailintake poll --once`."""

    fetched: int = 0
    cases: int = 0
    follow_ups: int = 0
    skipped: int = 0
    quarantined: int = 0
    failed: int = 0
    duplicates: int = 0
    already_done: int = 0

    def count(self, outcome: str) -> None:
        field = {
            Outcome.CASE: "cases",
            Outcome.FOLLOW_UP: "follow_ups",
            Outcome.SKIPPED: "skipped",
            Outcome.QUARANTINED: "quarantined",
            Outcome.DUPLICATE: "duplicates",
            FAILED: "failed",
            ALREADY_DONE: "already_done",
        }[outcome]
        setattr(self, field, getattr(self, field) + 1)

    def to_json(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class MessageKey:
    mailbox: str
    uidvalidity: int
    uid: int


class Intake:
    def __init__(self, config: Config, database: Database, acknowledge: bool = True):
        self.config = config
        self.acknowledge = acknowledge
        self.box_config = config.require_mailbox()
        self.db = database
        self.triage_settings = triage_settings(config)
        self.message_id_domain = message_id_domain(config)
        self.own_addresses = tuple(
            a.lower() for a in (*config.intake.own_addresses, config.smtp.from_address, self.box_config.username) if "@" in a
        )

    def poll_once(self, mailbox: Mailbox, stop: threading.Event | None = None) -> PollResult:
        """Process every message currently in the intake folder, in batches of UIDs.

        When `stop` is set, the message at hand is finished, the batch's committed
        messages are moved, and the poll returns.
        """
        box = self.box_config
        result = PollResult()
        uidvalidity = mailbox.open(box.folder)
        for batch in batches(mailbox.uids(), box.batch_size):
            if stop is not None and stop.is_set():
                break
            fetched = mailbox.fetch(batch, max_bytes=box.max_message_bytes)
            crash_point("after_fetch")
            items = [(MessageKey(box.name, uidvalidity, message.uid), message) for message in fetched]
            moves: dict[str, list[int]] = {box.processed_folder: [], box.quarantine_folder: []}
            for (key, message), outcome in zip(items, self.process_batch(items, stop)):
                if outcome is None:  # not reached before a stop
                    continue
                result.fetched += 1
                result.count(outcome)
                if outcome == Outcome.QUARANTINED:
                    moves[box.quarantine_folder].append(message.uid)
                elif outcome != FAILED:
                    moves[box.processed_folder].append(message.uid)
            for folder, uids in moves.items():
                mailbox.move(uids, folder)
            crash_point("after_move")
        return result

    def process_batch(self, items: list[tuple[MessageKey, FetchedMessage]], stop: threading.Event | None = None) -> list[str | None]:
        """Outcomes for a batch, in order, with two commits for the whole batch.

        Fresh messages are counted in one commit, analysed outside any
        transaction, and stored in one transaction with a savepoint each, so a
        failing message is rolled back alone. Messages that a previous run
        was processing when it died ("suspects") go one by one, each attempt
        committed before its work, so a message that kills the process is
        quarantined after `max_attempts` without taking the batch with it.
        """
        outcomes: dict[MessageKey, str] = {}
        group, suspects = self._begin_batch(items, outcomes)
        if group:
            analysed = {key: self._analyse_safely(key, message) for key, message in group}
            crash_point("after_parse")
            self._commit_group(group, analysed, outcomes)
            crash_point("after_commit")
        for key, message in suspects:
            if stop is not None and stop.is_set():
                break
            outcomes[key] = self.process(key, message)
        return [outcomes.get(key) for key, _ in items]

    def process(self, key: MessageKey, message: FetchedMessage) -> str:
        """Give one message its outcome on its own; returns the outcome, FAILED or ALREADY_DONE."""
        early = self._begin_attempt(key, message)
        if early is not None:
            return early
        try:
            with self.db.unit_of_work() as session:
                record = self._record(session, key)
                outcome = self._decide(session, record, message)
            crash_point("after_commit")
            return outcome
        except Exception as exc:  # one bad message must never stop the others
            if database_unavailable(exc):  # the database's fault, not the message's: stop the poll
                raise
            _log_failure(key, exc)
            with self.db.unit_of_work() as session:
                return self._fail(self._record(session, key), exc)

    def _begin_batch(self, items, outcomes: dict) -> tuple[list, list]:
        """Record the batch's attempts in one commit; settle what needs no work. Returns (group, suspects)."""
        box = self.box_config
        group, suspects, shas_in_group = [], [], set()
        with self.db.unit_of_work() as session:
            existing = self._records(session, [key for key, _ in items])
            originals = self._originals(session, {_sha(m.raw) for key, m in items if m.raw is not None and key not in existing})
            for key, message in items:
                record = existing.get(key)
                if record is not None and record.outcome is not None:
                    outcomes[key] = ALREADY_DONE
                    continue
                if record is None:
                    record = _new_record(key, message)
                    session.add(record)
                    if record.sha256 in originals:
                        outcomes[key] = _link_duplicate(record, originals[record.sha256])
                        continue
                if message.raw is None:
                    outcomes[key] = _quarantine(record, _too_large(message, box))
                elif record.attempts >= box.max_attempts:
                    outcomes[key] = _quarantine(record, _too_many_attempts(record))
                elif record.attempts > 0 or record.sha256 in shas_in_group:
                    suspects.append((key, message))
                else:
                    record.attempts = 1
                    shas_in_group.add(record.sha256)
                    group.append((key, message))
        return group, suspects

    def _analyse_safely(self, key: MessageKey, message: FetchedMessage):
        try:
            return self._analyse(message.raw)
        except Exception as exc:  # isolated: recorded as this message's failure
            _log_failure(key, exc)
            return exc

    def _commit_group(self, group, analysed: dict, outcomes: dict) -> None:
        with self.db.unit_of_work() as session:
            records = self._records(session, [key for key, _ in group])
            failures: dict[MessageKey, Exception] = {}
            for key, message in group:
                result = analysed[key]
                if isinstance(result, Exception):
                    failures[key] = result
                    continue
                try:
                    # each savepoint's release flushes; flushing before every query inside is wasted work
                    with session.begin_nested(), session.no_autoflush:
                        outcomes[key] = self._apply(session, records[key], message.raw, *result)
                except Exception as exc:  # the savepoint rolled back this message only
                    if database_unavailable(exc):  # server gone or disk full: the whole batch rolls back
                        raise
                    _log_failure(key, exc)
                    failures[key] = exc
            for key, exc in failures.items():
                outcomes[key] = self._fail(records[key], exc)

    def decide_stored(self, session: Session, record: MessageRecord) -> str:
        """Decide a stored message again from its raw bytes (staff retry a quarantined one)."""
        if record.raw is None:
            raise ValueError("the message was never fetched (too large); nothing to decide on")
        return self._decide(session, record, FetchedMessage(record.uid, record.size, record.received_at, record.raw))

    def _begin_attempt(self, key: MessageKey, message: FetchedMessage) -> str | None:
        """Record the attempt (committed before the work). Returns an outcome when no work is due."""
        box = self.box_config
        with self.db.unit_of_work() as session:
            record = self._record(session, key)
            if record is not None and record.outcome is not None:
                return ALREADY_DONE
            if record is None:
                record = _new_record(key, message)
                session.add(record)
                original = self._originals(session, {record.sha256}).get(record.sha256)
                if original is not None:
                    return _link_duplicate(record, original)
            if message.raw is None:
                return _quarantine(record, _too_large(message, box))
            if record.attempts >= box.max_attempts:
                return _quarantine(record, _too_many_attempts(record))
            record.attempts += 1
        return None

    def _analyse(self, raw: bytes) -> tuple[Parsed, object]:
        """Parse and triage: pure work, no database."""
        parsed = parse(raw)
        return parsed, triage(parsed, self.triage_settings)

    def _decide(self, session: Session, record: MessageRecord, message: FetchedMessage) -> str:
        parsed, verdict = self._analyse(message.raw)
        crash_point("after_parse")
        return self._apply(session, record, message.raw, parsed, verdict)

    def _apply(self, session: Session, record: MessageRecord, raw: bytes, parsed: Parsed, verdict) -> str:
        """Store the analysis and the outcome it leads to, in the caller's transaction."""
        record.message_id = parsed.message_id
        record.parsed = parsed.to_json()
        record.verdict = verdict.to_json()
        _store_attachments(session, record, parsed)
        own = answer_policy.is_own_mail(parsed, self.own_addresses, self.message_id_domain, LOOP_HEADER)
        if own:
            return _finish(record, Outcome.SKIPPED, f"own mail: {own}")
        if verdict.kind in ROBOT_KINDS:
            return self._skip_robot(session, record, parsed, verdict, raw)
        existing = (
            cases.open_case_by_ref(session, verdict.case_ref)
            or cases.case_in_thread(session, parsed)
            or cases.recent_repeat(session, parsed)
        )
        if existing is not None:
            return self._join(session, record, parsed, existing)
        return self._new_case(session, record, parsed, verdict)

    def _skip_robot(self, session: Session, record: MessageRecord, parsed: Parsed, verdict, raw: bytes) -> str:
        """Robots are never answered; one that cites a case is linked to it for staff to see."""
        record.case = cases.open_case_by_ref(session, verdict.case_ref) or cases.case_in_thread(session, parsed)
        reason = verdict.reason or verdict.kind
        if verdict.kind == "bounce":
            bounced = outbox.mark_undeliverable(session, raw, f"bounce {parsed.message_id or ''}: {parsed.subject}")
            if bounced is not None:
                record.case = record.case or bounced.case
                reason += f"; our mail {bounced.message_id} marked undeliverable"
        return _finish(record, Outcome.SKIPPED, reason)

    def _join(self, session: Session, record: MessageRecord, parsed: Parsed, case) -> str:
        record.case = case
        service = service_for_address(self.config, parsed.sender.address if parsed.sender else None)
        if service:  # a service answering our mediation request: theirs, not the citizen's follow-up
            record.from_service = service
            return _finish(record, Outcome.FOLLOW_UP, f"answer from service {service} on {case.ref}")
        if self.acknowledge and self.config.acknowledgement.follow_up_notice:
            outbox.queue_acknowledgement(session, self.config, case, record, parsed, kind=outbox.FOLLOW_UP_NOTICE)
        return _finish(record, Outcome.FOLLOW_UP, f"follow-up on {case.ref}")

    def _new_case(self, session: Session, record: MessageRecord, parsed: Parsed, verdict) -> str:
        case = cases.create_draft(
            session,
            parsed=parsed,
            verdict=verdict,
            received_at=record.received_at,
            prefix=self.config.intake.case_prefix,
            zone=self.config.intake.zone,
            cited_ref=verdict.case_ref,
        )
        record.case = case
        unverified = answer_policy.dmarc_failed(parsed, self.config.acknowledgement.authserv_id)
        if unverified:
            case.sender_verified = False
            case.sender_check = unverified
        if self.acknowledge:
            outbox.queue_acknowledgement(session, self.config, case, record, parsed)
        note = f"new case {case.ref}" + (f" (cited unknown or closed {verdict.case_ref})" if verdict.case_ref else "")
        return _finish(record, Outcome.CASE, note)

    def _fail(self, record: MessageRecord, exc: Exception) -> str:
        """Keep the error for staff; the last allowed attempt quarantines at once."""
        record.last_error = f"{type(exc).__name__}: {str(exc)[:300]}"
        if record.attempts >= self.box_config.max_attempts:
            return _quarantine(record, _too_many_attempts(record))
        return FAILED

    @staticmethod
    def _originals(session: Session, shas: set) -> dict[str, MessageRecord]:
        """Per sha256, the first message with those bytes that already has an outcome."""
        shas.discard(None)
        if not shas:
            return {}
        rows = session.scalars(
            select(MessageRecord)
            .where(
                MessageRecord.sha256.in_(shas),
                MessageRecord.outcome.is_not(None),
                MessageRecord.outcome != Outcome.QUARANTINED,
            )
            .order_by(MessageRecord.id)
        )
        originals: dict[str, MessageRecord] = {}
        for row in rows:
            originals.setdefault(row.sha256, row)
        return originals

    @staticmethod
    def _records(session: Session, keys: list[MessageKey]) -> dict[MessageKey, MessageRecord]:
        """The stored records of one batch; a batch shares its mailbox and UIDVALIDITY."""
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

    @staticmethod
    def _record(session: Session, key: MessageKey) -> MessageRecord | None:
        return session.scalar(
            select(MessageRecord).where(
                MessageRecord.mailbox == key.mailbox,
                MessageRecord.uidvalidity == key.uidvalidity,
                MessageRecord.uid == key.uid,
            )
        )


def triage_settings(config: Config) -> TriageSettings:
    return TriageSettings(
        stale_after_days=config.triage.stale_after_days,
        min_confidence=config.triage.min_confidence,
        case_prefix=config.intake.case_prefix,
        own_addresses=tuple(config.intake.own_addresses),
        vocabulary_overrides=config.triage.vocabulary,
    )


def _new_record(key: MessageKey, message: FetchedMessage) -> MessageRecord:
    raw = message.raw
    return MessageRecord(
        mailbox=key.mailbox,
        uidvalidity=key.uidvalidity,
        uid=key.uid,
        sha256=_sha(raw),
        size=message.size,
        raw=raw,
        received_at=message.internal_date or _header_date(raw) or utcnow(),
        attempts=0,
    )


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


def _store_attachments(session: Session, record: MessageRecord, parsed: Parsed) -> None:
    for item in parsed.attachments:
        if session.get(Blob, item.sha256) is None:
            session.add(Blob(sha256=item.sha256, size=item.size, data=item.payload))
            session.flush()
        record.attachments.append(
            AttachmentRecord(filename=item.filename, content_type=item.content_type, size=item.size, sha256=item.sha256)
        )


def _link_duplicate(record: MessageRecord, original: MessageRecord) -> str:
    """The same bytes already have an outcome under another key: link to it, make nothing new."""
    record.duplicate_of_id = original.duplicate_of_id or original.id
    record.case_id = original.case_id
    record.message_id = original.message_id
    return _finish(record, Outcome.DUPLICATE, f"same content as message {record.duplicate_of_id}")


def _sha(raw: bytes | None) -> str | None:
    return hashlib.sha256(raw).hexdigest() if raw is not None else None


def _too_large(message: FetchedMessage, box) -> str:
    return f"message of {message.size} bytes exceeds max_message_bytes ({box.max_message_bytes})"


def _too_many_attempts(record: MessageRecord) -> str:
    return f"failed {record.attempts} attempts; last error: {record.last_error or 'process ended during processing'}"


def _log_failure(key: MessageKey, exc: Exception) -> None:
    """The exception's type, and at DEBUG where it happened; never its text, which may quote the mail."""
    log.warning("message uid=%s failed: %s", key.uid, type(exc).__name__)
    if log.isEnabledFor(logging.DEBUG):
        log.debug("message uid=%s failed at:\n%s", key.uid, "".join(traceback.format_tb(exc.__traceback__)))


def _quarantine(record: MessageRecord, reason: str) -> str:
    # the reason may carry the last error's text (for staff); the log gets only its first words
    log.warning("quarantined uid=%s: %s", record.uid, reason.split("; last error:")[0])
    return _finish(record, Outcome.QUARANTINED, reason)


def _finish(record: MessageRecord, outcome: str, reason: str) -> str:
    record.outcome = outcome
    record.reason = reason
    record.processed_at = utcnow()
    return outcome
