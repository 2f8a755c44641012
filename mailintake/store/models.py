"""The database schema: SQLAlchemy 2.0 declarative models. Changes go through an Alembic migration."""

from __future__ import annotations

import uuid
from datetime import datetime, timezone

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from ..domain import CaseStatus


class UTCDateTime(TypeDecorator):
    """Aware datetimes in, aware UTC datetimes out, on every database (SQLite keeps no zone)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect):
        return value.replace(tzinfo=timezone.utc) if value is not None else None


class MailString(TypeDecorator):
    """VARCHAR(n) for values taken from mail headers: longer text is clipped, not refused.

    PostgreSQL enforces n and SQLite does not; a stranger's 500-character
    display name must not make the message fail on one database only.
    """

    impl = String
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect):
        limit = self.impl.length
        if isinstance(value, str) and limit and len(value) > limit:
            return value[:limit]
        return value


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def new_public_id() -> str:
    return uuid.uuid4().hex


def with_defaults(model, **values):
    """A new `model` row with every column's Python default filled in now, not at its flush: code that reads a
    defaulted attribute before the flush sees the value the row will be stored with."""
    for column in model.__table__.columns:
        default = column.default
        if column.key not in values and default is not None and (default.is_scalar or default.is_callable):
            values[column.key] = default.arg if default.is_scalar else default.arg(None)
    return model(**values)


class Base(DeclarativeBase):
    pass


class MessageRecord(Base):
    """One message seen in a mailbox, keyed by mailbox + UIDVALIDITY + UID."""

    __tablename__ = "messages"
    __table_args__ = (
        UniqueConstraint("mailbox", "uidvalidity", "uid", name="uq_messages_imap_key"),
        Index("ix_messages_outcome_first_seen_at", "outcome", "first_seen_at"),  # retention: old mail without a case
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    public_id: Mapped[str | None] = mapped_column(String(32), unique=True, index=True, default=new_public_id)
    mailbox: Mapped[str] = mapped_column(String(200))
    uidvalidity: Mapped[int] = mapped_column(BigInteger)
    uid: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(Integer)
    raw: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    message_id: Mapped[str | None] = mapped_column(MailString(998), index=True)
    parsed: Mapped[dict | None] = mapped_column(JSON, deferred=True)
    verdict: Mapped[dict | None] = mapped_column(JSON)
    outcome: Mapped[str | None] = mapped_column(String(20), index=True)
    reason: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id"), index=True)
    from_service: Mapped[str | None] = mapped_column(String(20))  # set when a service wrote it
    # set when a joined message is not plainly the case's own: another sender, or a service not verified by DMARC
    sender_check: Mapped[str | None] = mapped_column(Text)
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    processed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    case: Mapped[Case | None] = relationship(back_populates="messages", foreign_keys=[case_id])
    attachments: Mapped[list[AttachmentRecord]] = relationship(back_populates="message")


class Case(Base):
    """A draft case made from a complaint; staff confirm, correct or decline it."""

    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    ref: Mapped[str] = mapped_column(String(32), unique=True)
    year: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default=CaseStatus.DRAFT, index=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    sender_name: Mapped[str] = mapped_column(MailString(300), default="")
    sender_address: Mapped[str] = mapped_column(MailString(320), default="", index=True)
    reply_address: Mapped[str] = mapped_column(MailString(320), default="")
    subject: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(5), default="nl")
    text: Mapped[str] = mapped_column(Text, default="")
    channel: Mapped[str] = mapped_column(String(20), default="email")
    kind: Mapped[str] = mapped_column(String(20), default="complaint")
    service: Mapped[str | None] = mapped_column(String(20))
    service_confidence: Mapped[float | None] = mapped_column(Float)
    flags: Mapped[list] = mapped_column(JSON, default=list)
    uncertain_flags: Mapped[list | None] = mapped_column(JSON, default=list)  # weak evidence: staff check them
    verdict: Mapped[dict | None] = mapped_column(JSON)
    cited_ref: Mapped[str | None] = mapped_column(String(32))
    sender_verified: Mapped[bool] = mapped_column(Boolean, default=True)
    sender_check: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # contact details given on paper, by phone or at the desk (manual intake)
    postal_address: Mapped[str] = mapped_column(Text, default="")
    phone: Mapped[str] = mapped_column(String(50), default="")
    # staff decisions, as columns the annual report can count
    handler_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    admissible: Mapped[bool | None] = mapped_column(Boolean)
    decline_reason: Mapped[str | None] = mapped_column(String(40), index=True)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)  # admissibility decided
    redirected_to: Mapped[str | None] = mapped_column(String(20))
    mediation_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome: Mapped[str | None] = mapped_column(String(20), index=True)
    resolved: Mapped[bool | None] = mapped_column(Boolean)
    recommendation: Mapped[str | None] = mapped_column(Text)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)

    messages: Mapped[list[MessageRecord]] = relationship(
        back_populates="case", foreign_keys=[MessageRecord.case_id], order_by=MessageRecord.id
    )
    handler: Mapped[StaffUser | None] = relationship(foreign_keys=[handler_id])
    merged_into: Mapped[Case | None] = relationship(remote_side=[id], foreign_keys=[merged_into_id])
    themes: Mapped[list[CaseTheme]] = relationship(cascade="all, delete-orphan", order_by="CaseTheme.theme")
    norms: Mapped[list[CaseNorm]] = relationship(cascade="all, delete-orphan", order_by="CaseNorm.norm")


class CaseCounter(Base):
    """The last reference number handed out per prefix and year; locked while a case is created."""

    __tablename__ = "case_counters"

    prefix: Mapped[str] = mapped_column(String(16), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last: Mapped[int] = mapped_column(Integer, default=0)


class Blob(Base):
    """Content-addressed bytes (attachments): the key is the sha256, never a name from mail."""

    __tablename__ = "blobs"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)


class AttachmentRecord(Base):
    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id"), index=True)
    filename: Mapped[str] = mapped_column(MailString(300))
    content_type: Mapped[str] = mapped_column(MailString(200))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(ForeignKey("blobs.sha256"), index=True)

    message: Mapped[MessageRecord] = relationship(back_populates="attachments")


class OutboxStatus:
    PENDING = "pending"  # due for the relay once next_attempt_at has passed
    HELD = "held"  # waits for staff (`outbox release`): flagged with after_review, or sender not verified
    SENT = "sent"  # the SMTP server answered 250
    FAILED = "failed"  # permanent refusal (5xx) or retry deadline passed; staff see last_error
    SUPPRESSED = "suppressed"  # deliberately not sent (rate limit, unanswerable address); reason kept


class OutboxMessage(Base):
    """A mail we owe someone, committed with the case; the relay renders and sends it."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    answers_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id"), index=True)
    message_id: Mapped[str] = mapped_column(String(250), unique=True)
    recipient: Mapped[str] = mapped_column(MailString(320), index=True)
    recipient_name: Mapped[str] = mapped_column(MailString(300), default="")
    language: Mapped[str] = mapped_column(String(5), default="nl")
    status: Mapped[str] = mapped_column(String(20), index=True)
    reason: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    give_up_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    undeliverable: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # letters written by staff: the text as they approved it (acknowledgements are rendered at send time)
    subject: Mapped[str | None] = mapped_column(Text)
    body: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))

    case: Mapped[Case | None] = relationship()
    answers: Mapped[MessageRecord | None] = relationship()
    created_by: Mapped[StaffUser | None] = relationship()


class CaseTheme(Base):
    """A theme staff gave a case (from `[review] themes`); the annual report counts by theme."""

    __tablename__ = "case_themes"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), primary_key=True)
    theme: Mapped[str] = mapped_column(String(100), primary_key=True, index=True)


class CaseNorm(Base):
    """An ombudsnorm found breached when the case was closed."""

    __tablename__ = "case_norms"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), primary_key=True)
    norm: Mapped[str] = mapped_column(String(60), primary_key=True, index=True)


class StaffRole:
    STAFF = "staff"
    ADMIN = "admin"
    ALL = (STAFF, ADMIN)


class StaffUser(Base):
    """Someone who may use the review UI. The password is kept only as an argon2 hash."""

    __tablename__ = "staff_users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(10), default=StaffRole.STAFF)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # a session cookie issued before this moment is no longer accepted (logout ends every session)
    sessions_valid_after: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    totp_secret: Mapped[str | None] = mapped_column(String(64))  # the second factor, once confirmed
    totp_pending: Mapped[str | None] = mapped_column(String(64))  # shown at enrolment, until a code confirms it
    recovery_codes: Mapped[list | None] = mapped_column(JSON)  # sha256 of each unused recovery code
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class LoginThrottle(Base):
    """Failed logins per attempted name, kept in the database so every web process sees them."""

    __tablename__ = "login_throttle"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AppSetting(Base):
    """Small values the application generates once and shares between processes (the web signing key)."""

    __tablename__ = "app_settings"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class AuditEntry(Base):
    """Who did or saw what, when: every staff decision (before -> after) and every case view."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(40), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    message_record_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id"), index=True)
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)
    note: Mapped[str | None] = mapped_column(Text)

    case: Mapped[Case | None] = relationship()


class CaseStatistic(Base):
    """What the annual report needs of an erased case, and nothing that points to a person.

    Written by retention and erasure just before a case is deleted, so past
    reports stay reproducible. Dates are kept as years and a month only.
    """

    __tablename__ = "case_statistics"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)  # received, in the office's time zone
    month: Mapped[int] = mapped_column(Integer)
    channel: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    service: Mapped[str | None] = mapped_column(String(20))
    admissible: Mapped[bool | None] = mapped_column(Boolean)
    decline_reason: Mapped[str | None] = mapped_column(String(40))
    redirected_to: Mapped[str | None] = mapped_column(String(20))
    decided_year: Mapped[int | None] = mapped_column(Integer, index=True)
    outcome: Mapped[str | None] = mapped_column(String(20))
    resolved: Mapped[bool | None] = mapped_column(Boolean)
    closed_year: Mapped[int | None] = mapped_column(Integer, index=True)
    handling_days: Mapped[int | None] = mapped_column(Integer)
    in_time: Mapped[bool | None] = mapped_column(Boolean)  # closed within the handling deadline
    themes: Mapped[list] = mapped_column(JSON, default=list)
    norms: Mapped[list] = mapped_column(JSON, default=list)
    recommendation: Mapped[str | None] = mapped_column(Text)  # scrubbed of names, addresses, references
    erased_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    erased_because: Mapped[str] = mapped_column(String(20))  # "retention" or "request"
