"""Cases in the database: gap-free references, creating drafts, finding the case a message belongs to."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from .errors import NotFoundError
from .models import Case, CaseCounter, MessageRecord, utcnow
from .parsing import Parsed

CLOSED_FOR_FOLLOW_UPS = ("merged", "erased")
REPEAT_WINDOW = timedelta(days=1)


def format_ref(prefix: str, year: int, number: int) -> str:
    return f"{prefix}-{year}-{number:05d}"


def next_reference(session: Session, prefix: str, year: int) -> tuple[str, int]:
    """Take the next number for `year` inside the caller's transaction.

    The UPDATE locks the counter row (PostgreSQL) or the database (SQLite) until
    commit, so concurrent intakes queue and a rolled-back case frees its number.
    """
    bump = update(CaseCounter).where(CaseCounter.prefix == prefix, CaseCounter.year == year)
    if session.execute(bump.values(last=CaseCounter.last + 1)).rowcount == 0:
        try:
            with session.begin_nested():
                session.add(CaseCounter(prefix=prefix, year=year, last=1))
        except IntegrityError:  # another process created the row first
            session.execute(bump.values(last=CaseCounter.last + 1))
    number = session.scalar(
        select(CaseCounter.last).where(CaseCounter.prefix == prefix, CaseCounter.year == year)
    )
    return format_ref(prefix, year, number), number


def create_draft(
    session: Session,
    *,
    parsed: Parsed,
    verdict,
    received_at: datetime,
    prefix: str,
    zone: ZoneInfo,
    cited_ref: str | None = None,
) -> Case:
    year = received_at.astimezone(zone).year
    ref, number = next_reference(session, prefix, year)
    sender = parsed.sender
    case = Case(
        ref=ref,
        year=year,
        number=number,
        received_at=received_at,
        sender_name=sender.name if sender else "",
        sender_address=sender.address if sender else "",
        reply_address=verdict.reply_address or (sender.address if sender else ""),
        subject=parsed.subject,
        language=verdict.language or parsed.language,
        text=_citizen_text(parsed),
        channel=verdict.channel,
        kind=verdict.kind,
        service=verdict.service,
        service_confidence=verdict.confidence,
        flags=[flag.name for flag in verdict.flags],
        verdict=verdict.to_json(),
        cited_ref=cited_ref,
    )
    session.add(case)
    session.flush()
    return case


def case_by_ref(session: Session, ref: str) -> Case | None:
    return session.scalar(select(Case).where(Case.ref == ref.upper()))


def open_case_by_ref(session: Session, ref: str | None) -> Case | None:
    """The case a reference names (or the case it was merged into), unless it was erased."""
    if not ref:
        return None
    case = case_by_ref(session, ref)
    for _ in range(10):  # a merged reference points to the survivor
        if case is None or case.merged_into_id is None:
            break
        case = session.get(Case, case.merged_into_id)
    return case if case is not None and case.status not in CLOSED_FOR_FOLLOW_UPS else None


def case_in_thread(session: Session, parsed: Parsed) -> Case | None:
    """The open case whose messages this one answers (In-Reply-To, then References, newest first)."""
    ids = [i for i in (parsed.in_reply_to, *reversed(parsed.references)) if i]
    if not ids:
        return None
    rows = session.execute(
        select(MessageRecord.message_id, MessageRecord.case_id).where(
            MessageRecord.message_id.in_(ids), MessageRecord.case_id.is_not(None)
        )
    ).all()
    by_id = {message_id: case_id for message_id, case_id in rows}
    for message_id in ids:
        if message_id in by_id:
            case = session.get(Case, by_id[message_id])
            if case is not None and case.status not in CLOSED_FOR_FOLLOW_UPS:
                return case
    return None


def recent_repeat(session: Session, parsed: Parsed, window: timedelta = REPEAT_WINDOW) -> Case | None:
    """An open case from the same sender with the same words in the last day: the mail was sent again."""
    if parsed.sender is None:
        return None
    text = _citizen_text(parsed)
    since = utcnow() - window
    candidates = session.scalars(
        select(Case).where(
            Case.sender_address == parsed.sender.address,
            Case.created_at >= since,
            Case.status.not_in(CLOSED_FOR_FOLLOW_UPS),
        )
    )
    return next((case for case in candidates if case.text == text), None)


def list_cases(session: Session, limit: int | None = None) -> list[Case]:
    query = select(Case).options(selectinload(Case.messages)).order_by(Case.received_at, Case.id)
    if limit is not None:
        query = query.limit(limit)
    return list(session.scalars(query))


def get_case(session: Session, ref: str) -> Case:
    case = case_by_ref(session, ref)
    if case is None:
        raise NotFoundError(f"no case with reference {ref}")
    return case


def case_summary(case: Case) -> dict:
    return {
        "ref": case.ref,
        "status": case.status,
        "received_at": case.received_at.isoformat(),
        "sender_name": case.sender_name,
        "sender_address": case.sender_address,
        "reply_address": case.reply_address,
        "subject": case.subject,
        "language": case.language,
        "channel": case.channel,
        "service": case.service,
        "service_confidence": case.service_confidence,
        "flags": list(case.flags or []),
        "cited_ref": case.cited_ref,
        "messages": [
            {"message_id": m.message_id, "sha256": m.sha256, "outcome": m.outcome}
            for m in case.messages
        ],
    }


def case_detail(case: Case) -> dict:
    detail = case_summary(case)
    detail["text"] = case.text
    detail["verdict"] = case.verdict
    detail["attachments"] = [
        {
            "filename": a.filename,
            "content_type": a.content_type,
            "size": a.size,
            "sha256": a.sha256,
            "message_id": m.message_id,
        }
        for m in case.messages
        for a in m.attachments
    ]
    return detail


def _citizen_text(parsed: Parsed) -> str:
    parts = [parsed.reply_text, parsed.signature]
    return "\n\n".join(p for p in parts if p).strip() or parsed.text.strip()
