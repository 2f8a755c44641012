"""The transactional outbox: acknowledgements are queued with the case and relayed by their own job.

Queueing happens inside the intake transaction, so a case and the mail it is
owed are committed together. The relay claims one due row at a time (a lease,
and `FOR UPDATE SKIP LOCKED` where the database has it), renders it, sends it
and marks it sent only after the server's 250. A crash between the 250 and
that mark means the lease runs out and the same mail, with the same
Message-ID, goes once more: at most one duplicate, never none.
"""

from __future__ import annotations

import logging
import random
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from . import answer_policy, letters
from .acknowledgements import AckRequest, compose, make_message_id, message_id_domain
from .config import Config
from .db import Database
from .errors import NotFoundError
from .faults import crash_point
from .models import Case, MessageRecord, OutboxMessage, OutboxStatus, utcnow
from .parsing import Parsed
from .smtp import PermanentFailure, SmtpTransport, TemporaryFailure

log = logging.getLogger(__name__)

ACKNOWLEDGEMENT = "acknowledgement"
FOLLOW_UP_NOTICE = "follow_up_notice"
AUTOMATIC_KINDS = (ACKNOWLEDGEMENT, FOLLOW_UP_NOTICE)  # counted against the per-address limit
STAFF_NOTICES = ("deadline_digest",)  # mail to staff with a fixed text (digest.py), sent like a letter
LEASE = timedelta(minutes=5)
FIRST_RETRY = timedelta(seconds=30)
MAX_RETRY = timedelta(hours=1)


@dataclass
class RelayResult:
    sent: int = 0
    deferred: int = 0
    failed: int = 0

    def to_json(self) -> dict:
        return asdict(self)


def queue_acknowledgement(
    session: Session, config: Config, case: Case, record: MessageRecord, parsed: Parsed, kind: str = ACKNOWLEDGEMENT
) -> OutboxMessage:
    """Add the mail owed for this message, deciding now whether it is due, held or suppressed."""
    now = utcnow()
    status, reason = _decide_status(session, config, case, kind, now)
    row = OutboxMessage(
        kind=kind,
        case=case,
        answers=record,
        message_id=make_message_id(message_id_domain(config)),
        recipient=case.reply_address,
        recipient_name=case.sender_name,
        language=case.language,
        status=status,
        reason=reason,
        next_attempt_at=now,
        give_up_at=now + timedelta(hours=config.smtp.retry_for_hours),
    )
    session.add(row)
    log.info("outbox: %s for %s is %s%s", kind, case.ref, status, f" ({reason})" if reason else "")
    return row


def queue_letter(
    session: Session, config: Config, case: Case, letter: letters.Letter, *, author_id: int | None = None
) -> OutboxMessage:
    """Add a letter staff approved; it answers the case's latest message from the citizen."""
    now = utcnow()
    unanswerable = answer_policy.unanswerable_address(letter.recipient)
    row = OutboxMessage(
        kind=letter.kind,
        case=case,
        answers=_latest_citizen_message(case) if letter.kind in letters.TO_CITIZEN else None,
        message_id=make_message_id(message_id_domain(config)),
        recipient=letter.recipient,
        recipient_name=letter.recipient_name,
        language=letter.language,
        status=OutboxStatus.SUPPRESSED if unanswerable else OutboxStatus.PENDING,
        reason=unanswerable or None,
        next_attempt_at=now,
        give_up_at=now + timedelta(hours=config.smtp.retry_for_hours),
        subject=letter.subject,
        body=letter.body,
        created_by_id=author_id,
    )
    session.add(row)
    log.info("outbox: %s for %s is %s", letter.kind, case.ref, row.status)
    return row


def _latest_citizen_message(case: Case) -> MessageRecord | None:
    mine = [m for m in case.messages if m.message_id and not m.from_service]
    return mine[-1] if mine else None


def _decide_status(session: Session, config: Config, case: Case, kind: str, now: datetime) -> tuple[str, str | None]:
    unanswerable = answer_policy.unanswerable_address(case.reply_address)
    if unanswerable:
        return OutboxStatus.SUPPRESSED, unanswerable
    if not case.sender_verified:
        return OutboxStatus.HELD, f"afzender niet geverifieerd: {case.sender_check}"
    if kind == ACKNOWLEDGEMENT and case.flags and config.acknowledgement.ack_flagged == "after_review":
        return OutboxStatus.HELD, "na beoordeling: " + ", ".join(case.flags)
    sent_today = _mails_to_address_since(session, case.reply_address, now - timedelta(days=1))
    if sent_today >= config.acknowledgement.max_acks_per_address_per_day:
        return OutboxStatus.SUPPRESSED, (
            f"limiet: al {sent_today} automatische mails aan {case.reply_address} in 24 uur"
        )
    return OutboxStatus.PENDING, None


def _mails_to_address_since(session: Session, address: str, since: datetime) -> int:
    return session.scalar(
        select(func.count())
        .select_from(OutboxMessage)
        .where(
            OutboxMessage.recipient == address.lower(),  # addresses are stored lower-cased; keeps the index usable
            OutboxMessage.created_at >= since,
            OutboxMessage.kind.in_(AUTOMATIC_KINDS),
            OutboxMessage.status.in_((OutboxStatus.PENDING, OutboxStatus.HELD, OutboxStatus.SENT)),
        )
    )


def release(session: Session, ref: str) -> int:
    """Staff release the held mails of a case; returns how many became due."""
    case = session.scalar(select(Case).where(Case.ref == ref.upper()))
    if case is None:
        raise NotFoundError(f"no case with reference {ref}")
    held = session.scalars(
        select(OutboxMessage).where(OutboxMessage.case_id == case.id, OutboxMessage.status == OutboxStatus.HELD)
    ).all()
    now = utcnow()
    for row in held:
        row.status = OutboxStatus.PENDING
        row.reason = f"vrijgegeven ({row.reason})"
        row.next_attempt_at = now
        row.give_up_at = max(row.give_up_at, now + timedelta(hours=1))
    return len(held)


def mark_undeliverable(session: Session, raw: bytes, evidence: str) -> OutboxMessage | None:
    """A bounce that quotes one of our Message-IDs marks that mail undeliverable."""
    text = raw.decode("latin-1")
    candidates = session.scalars(
        select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.SENT).order_by(OutboxMessage.id.desc()).limit(500)
    )
    for row in candidates:
        if row.message_id in text:
            row.undeliverable = evidence
            return row
    return None


def list_outbox(session: Session) -> list[dict]:
    rows = session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    return [outbox_summary(row) for row in rows]


def outbox_summary(row: OutboxMessage) -> dict:
    return {
        "id": row.id,
        "kind": row.kind,
        "ref": row.case.ref if row.case else None,
        "message_id": row.message_id,
        "recipient": row.recipient,
        "language": row.language,
        "status": row.status,
        "reason": row.reason,
        "attempts": row.attempts,
        "last_error": row.last_error,
        "undeliverable": row.undeliverable,
        "created_at": row.created_at.isoformat(),
        "sent_at": row.sent_at.isoformat() if row.sent_at else None,
    }


class Relay:
    """Sends what is due. Safe to run in several processes at once."""

    def __init__(self, config: Config, database: Database, transport: SmtpTransport | None = None, mailbox_factory=None):
        self.config = config
        self.db = database
        self.transport = transport or SmtpTransport(config.smtp)
        self.mailbox_factory = mailbox_factory

    def send_due(self, limit: int = 1000) -> RelayResult:
        result = RelayResult()
        for _ in range(limit):
            row_id = self._claim()
            if row_id is None:
                break
            outcome = self._deliver(row_id)
            setattr(result, outcome, getattr(result, outcome) + 1)
        return result

    def _claim(self):
        """Lease the oldest due row so other relays leave it alone."""
        now = utcnow()
        with self.db.unit_of_work() as session:
            row = session.scalar(
                select(OutboxMessage)
                .where(
                    OutboxMessage.status == OutboxStatus.PENDING,
                    OutboxMessage.next_attempt_at <= now,
                    or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now),
                )
                .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
                .limit(1)
                .with_for_update(skip_locked=True)
            )
            if row is None:
                return None
            row.claimed_until = now + LEASE
            row.attempts += 1
            return row.id

    def _request(self, row: OutboxMessage) -> AckRequest:
        answered = row.answers
        parsed = (answered.parsed or {}) if answered is not None else {}
        references = tuple(parsed.get("references") or ())
        in_reply_to = answered.message_id if answered is not None else None
        return AckRequest(
            ref=row.case.ref,
            language=row.language,
            received_at=row.case.received_at,
            flags=tuple(row.case.flags or ()),
            service=row.case.service,
            recipient_name=row.recipient_name,
            recipient_address=row.recipient,
            in_reply_to=in_reply_to,
            references=references + ((in_reply_to,) if in_reply_to else ()),
            kind=row.kind,
            message_id=row.message_id,
        )

    def _render(self, row_id: int):
        with self.db.unit_of_work() as session:
            row = session.get(OutboxMessage, row_id)
            if row.kind in letters.KINDS or row.kind in STAFF_NOTICES:
                return letters.compose(row, self.config)
            return compose(self._request(row), self.config)

    def _deliver(self, row_id: int) -> str:
        try:
            message = self._render(row_id)
        except Exception as exc:  # a broken template must not stop the other mails
            return self._fail(row_id, f"cannot render: {type(exc).__name__}: {exc}")
        try:
            self.transport.send(message)
        except TemporaryFailure as exc:
            return self._defer(row_id, str(exc))
        except PermanentFailure as exc:
            return self._fail(row_id, str(exc))
        crash_point("after_smtp_250")
        self._copy_to_sent(message)
        crash_point("before_mark_sent")
        with self.db.unit_of_work() as session:
            row = session.get(OutboxMessage, row_id)
            row.status = OutboxStatus.SENT
            row.sent_at = utcnow()
            row.claimed_until = None
            row.last_error = None
        log.info("outbox: sent %s (%s)", row_id, message["Message-ID"])
        return "sent"

    def _defer(self, row_id: int, error: str) -> str:
        with self.db.unit_of_work() as session:
            row = session.get(OutboxMessage, row_id)
            row.last_error = error
            row.claimed_until = None
            now = utcnow()
            if now >= row.give_up_at:
                row.status = OutboxStatus.FAILED
                row.reason = "opgegeven na herhaalde tijdelijke fouten"
                log.warning("outbox: gave up on %s: %s", row_id, error)
                return "failed"
            row.next_attempt_at = now + backoff(row.attempts)
        log.info("outbox: deferred %s: %s", row_id, error)
        return "deferred"

    def _fail(self, row_id: int, error: str) -> str:
        with self.db.unit_of_work() as session:
            row = session.get(OutboxMessage, row_id)
            row.status = OutboxStatus.FAILED
            row.last_error = error
            row.claimed_until = None
        log.warning("outbox: failed %s: %s", row_id, error)
        return "failed"

    def _copy_to_sent(self, message) -> None:
        folder = self.config.smtp.sent_folder
        if not folder or self.mailbox_factory is None:
            return
        try:
            with self.mailbox_factory() as mailbox:
                mailbox.append(folder, message.as_bytes(), flags=(b"\\Seen",))
        except Exception as exc:  # the mail went out; a missing copy must not resend it
            log.warning("outbox: could not copy to %s: %s", folder, type(exc).__name__)


def backoff(attempts: int) -> timedelta:
    """Exponential, capped, with jitter so several relays do not retry in step."""
    base = min(FIRST_RETRY * (2 ** max(attempts - 1, 0)), MAX_RETRY)
    return base * random.uniform(0.8, 1.2)
