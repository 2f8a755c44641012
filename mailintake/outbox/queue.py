"""The transactional outbox: mail we owe is queued in the caller's transaction, with the case it belongs to.

Queueing happens inside the intake transaction (or staff's decision), so a case
and the mail it is owed are committed together; `relay` sends it later. Here it
is decided, once, whether a mail is due, held for staff or suppressed, and why.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..config import Config
from ..store.models import Case, MessageRecord, OutboxMessage, OutboxStatus, utcnow
from . import answer_policy, letters
from .acknowledgements import ACKNOWLEDGEMENT, FOLLOW_UP_NOTICE
from .compose import make_message_id, message_id_domain

log = logging.getLogger(__name__)

AUTOMATIC_KINDS = (ACKNOWLEDGEMENT, FOLLOW_UP_NOTICE)  # counted against the per-address limit
DIGEST = "deadline_digest"
STAFF_NOTICES = (DIGEST,)  # mail to staff with a fixed text (year.digest), sent like a letter


def queue_acknowledgement(
    session: Session, config: Config, case: Case, record: MessageRecord | None, kind: str = ACKNOWLEDGEMENT
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


NO_REPLY_ADDRESS = "geen antwoordadres"  # the reason of an acknowledgement that waits for staff to fill in an address


def no_reply_address_condition():
    """Outbox rows that are an acknowledgement waiting for an address (for counts, filters and markers)."""
    return ((OutboxMessage.kind == ACKNOWLEDGEMENT) & (OutboxMessage.status == OutboxStatus.HELD)
            & OutboxMessage.reason.like(f"{NO_REPLY_ADDRESS}%"))


def _decide_status(session: Session, config: Config, case: Case, kind: str, now: datetime) -> tuple[str, str | None]:
    unanswerable = answer_policy.unanswerable_address(case.reply_address)
    if unanswerable and kind == ACKNOWLEDGEMENT:  # a complaint is never left unanswered in silence
        return OutboxStatus.HELD, f"{NO_REPLY_ADDRESS}: {unanswerable}"
    if unanswerable:
        return OutboxStatus.SUPPRESSED, unanswerable
    if not case.sender_verified:
        return OutboxStatus.HELD, f"afzender niet geverifieerd: {case.sender_check}"
    if kind == ACKNOWLEDGEMENT and case.flags and config.acknowledgement.ack_flagged == "after_review":
        return OutboxStatus.HELD, "na beoordeling: " + ", ".join(case.flags)
    limits = config.acknowledgement
    domain = case.reply_address.rpartition("@")[2].lower()
    sent_today, to_domain, this_hour = _automatic_mails_counts(session, now, case.reply_address.lower(), domain)
    if sent_today >= limits.max_acks_per_address_per_day:
        return OutboxStatus.SUPPRESSED, (
            f"limiet: al {sent_today} automatische mails aan {case.reply_address} in 24 uur"
        )
    # our mail must not become a mailer for third parties: beyond these, staff decide (release or not)
    if to_domain >= limits.max_acks_per_domain_per_day:
        return OutboxStatus.HELD, f"limiet: al {to_domain} automatische mails aan @{domain} in 24 uur"
    if this_hour >= limits.max_acks_per_hour:
        return OutboxStatus.HELD, f"limiet: al {this_hour} automatische mails dit uur"
    return OutboxStatus.PENDING, None


def _automatic_mails_counts(session: Session, now: datetime, address: str, domain: str) -> tuple[int, int, int]:
    """Acknowledgements and notices owed or sent (addresses are stored lower-cased), in one statement: to
    `address` in the last 24 hours, to any address `@domain` in the last 24 hours, to anyone in the last hour."""
    hour_ago = now - timedelta(hours=1)
    row = session.execute(
        select(func.count().filter(OutboxMessage.recipient == address),
               func.count().filter(OutboxMessage.recipient.like(f"%@{domain}")),
               func.count().filter(OutboxMessage.created_at >= hour_ago))
        .select_from(OutboxMessage)
        .where(
            OutboxMessage.created_at >= now - timedelta(days=1),
            OutboxMessage.kind.in_(AUTOMATIC_KINDS),
            OutboxMessage.status.in_((OutboxStatus.PENDING, OutboxStatus.HELD, OutboxStatus.SENT)),
        )
    ).one()
    return tuple(row)


def release(session: Session, case: Case) -> int:
    """Staff release the held mails of a case; returns how many became due. A mail without a usable
    address stays held until one is filled in (`set_recipient`)."""
    held = session.scalars(
        select(OutboxMessage).where(OutboxMessage.case_id == case.id, OutboxMessage.status == OutboxStatus.HELD)
    ).all()
    held = [row for row in held if answer_policy.unanswerable_address(row.recipient) is None]
    now = utcnow()
    for row in held:
        row.status = OutboxStatus.PENDING
        row.reason = f"vrijgegeven ({row.reason})"
        row.next_attempt_at = now
        row.give_up_at = max(row.give_up_at, now + timedelta(hours=1))
    return len(held)


def set_recipient(session: Session, case: Case, address: str) -> list[OutboxMessage]:
    """The acknowledgements that waited for an address go to `address` now; returns them."""
    waiting = session.scalars(select(OutboxMessage).where(OutboxMessage.case_id == case.id, no_reply_address_condition())).all()
    now = utcnow()
    for row in waiting:
        row.recipient = address.lower()
        row.status = OutboxStatus.PENDING
        row.reason = f"antwoordadres ingevuld ({row.reason})"
        row.next_attempt_at = now
        row.give_up_at = max(row.give_up_at, now + timedelta(hours=1))
    return list(waiting)


def waiting_for_address(session: Session, case_ids: list[int] | None = None) -> set[int] | int:
    """Cases whose acknowledgement waits for an address: their ids among `case_ids`, or how many in all."""
    query = select(OutboxMessage.case_id).where(no_reply_address_condition()).distinct()
    if case_ids is None:
        return session.scalar(select(func.count()).select_from(query.subquery()))
    return set(session.scalars(query.where(OutboxMessage.case_id.in_(case_ids)))) if case_ids else set()


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


def outbox_rows(session: Session) -> list[OutboxMessage]:
    """Every mail owed or sent, oldest first."""
    return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
