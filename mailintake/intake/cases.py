"""Cases in the database: gap-free references, creating drafts, finding the case a message belongs to."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import bindparam, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..config import Config
from ..domain import CaseStatus
from ..mail.message import Parsed
from ..store.lookup import case_by_ref
from ..store.models import Case, CaseCounter, MessageRecord, utcnow, with_defaults
from ..triage import Verdict

CLOSED_FOR_FOLLOW_UPS = (CaseStatus.MERGED,)
REPEAT_WINDOW = timedelta(days=1)


def format_ref(prefix: str, year: int, number: int) -> str:
    return f"{prefix}-{year}-{number:05d}"


def next_reference(session: Session, prefix: str, year: int) -> tuple[str, int]:
    """Take the next number for `year` inside the caller's transaction.

    The UPDATE locks the counter row (PostgreSQL) or the database (SQLite) until
    commit, so concurrent intakes queue and a rolled-back case frees its number.
    """
    bump = (update(CaseCounter).where(CaseCounter.prefix == prefix, CaseCounter.year == year)
            .values(last=CaseCounter.last + 1).returning(CaseCounter.last))
    number = session.scalar(bump)
    if number is None:  # the year's first case
        try:
            with session.begin_nested():
                session.add(CaseCounter(prefix=prefix, year=year, last=1))
            number = 1
        except IntegrityError:  # another process created the row first
            number = session.scalar(bump)
    return format_ref(prefix, year, number), number


def create_draft(
    session: Session, config: Config, *, parsed: Parsed, verdict: Verdict, received_at: datetime,
    cited_ref: str | None = None,
) -> Case:
    """A draft case for a complaint, with the next reference of the year it was received in."""
    year = received_at.astimezone(config.intake.zone).year
    ref, number = next_reference(session, config.intake.case_prefix, year)
    sender = parsed.sender
    case = with_defaults(  # whole before the batch's flush: the acknowledgement reads its defaults first
        Case,
        ref=ref,
        year=year,
        number=number,
        received_at=received_at,
        sender_name=sender.name if sender else "",
        sender_address=sender.address if sender else "",
        reply_address=verdict.reply_address,  # empty: nobody reads the sender's address, staff fill one in
        subject=parsed.subject,
        language=verdict.language or parsed.language,
        text=_citizen_text(parsed),
        channel=verdict.channel,
        kind=verdict.kind,
        service=verdict.service,
        service_confidence=verdict.confidence,
        flags=[flag.name for flag in verdict.flags],
        uncertain_flags=[flag.name for flag in verdict.uncertain_flags],
        verdict=verdict.to_json(),
        cited_ref=cited_ref,
    )
    session.add(case)
    return case


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
    found = session.scalar(_REPEAT, {"sender": parsed.sender.address, "since": utcnow() - window,
                                     "text": _citizen_text(parsed)})
    return session.get(Case, found) if found is not None else None


# built once: this lookup runs for nearly every message of a poll
_REPEAT = (select(Case.id).where(Case.sender_address == bindparam("sender"), Case.created_at >= bindparam("since"),
                                 Case.status.not_in(CLOSED_FOR_FOLLOW_UPS), Case.text == bindparam("text"))
           .order_by(Case.id).limit(1))


def _citizen_text(parsed: Parsed) -> str:
    parts = [parsed.reply_text, parsed.signature]
    return "\n\n".join(p for p in parts if p).strip() or parsed.text.strip()
