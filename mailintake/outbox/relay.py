"""The outbox relay: claims one due mail at a time, renders it, sends it, marks it sent after the 250.

A claim is a lease (and `FOR UPDATE SKIP LOCKED` where the database has it),
so several relays never send one row at once. A row is marked sent only after
the server's 250. A crash between the 250 and that mark means the lease runs
out and the same mail, with the same Message-ID, goes once more: at most one
duplicate, never none. 4xx and timeouts are retried with backoff until the
row's `give_up_at`; 5xx marks it failed with the server's answer.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from datetime import timedelta

from sqlalchemy import or_, select

from ..backoff import backoff
from ..config import Config
from ..errors import PermanentFailure, TemporaryFailure
from ..faults import crash_point
from ..mail.smtp import SmtpTransport
from ..store.database import Database
from ..store.models import OutboxMessage, OutboxStatus, utcnow
from . import letters
from .acknowledgements import AckRequest, compose
from .queue import STAFF_NOTICES

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)
FIRST_RETRY_SECONDS = 30.0
MAX_RETRY_SECONDS = 3600.0


@dataclass
class RelayResult:
    sent: int = 0
    deferred: int = 0
    failed: int = 0

    def to_json(self) -> dict:
        return asdict(self)


class Relay:
    """Sends what is due. Safe to run in several processes at once."""

    def __init__(self, config: Config, database: Database, transport: SmtpTransport | None = None, mailbox_factory=None):
        self.config = config
        self.db = database
        self.transport = transport or SmtpTransport.from_config(config)
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
            row.next_attempt_at = now + timedelta(seconds=backoff(row.attempts, FIRST_RETRY_SECONDS, MAX_RETRY_SECONDS))
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
