"""Messages that did not become cases, and cases that did not come by mail: what staff do about them.

Quarantined or failing messages can be retried from their stored bytes; a
skipped message (auto-reply, bounce, bulk, spam) can be turned into a case
after all, with its acknowledgement queued; a complaint received by letter,
phone or visit is registered by hand. Each action is audited.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ..config import Config
from ..domain import COMPLAINT, LANGUAGES, SERVICE_CHOICES, Outcome
from ..errors import AnalysisError, ReviewError
from ..intake import cases
from ..intake.analysis import triage_settings
from ..intake.poll import Intake
from ..intake.workers import analyse_once
from ..mail.message import clean_line
from ..outbox.queue import queue_acknowledgement
from ..store.models import Case, MessageRecord, utcnow
from . import audit, paging
from .audit import Actor
from .choices import MANUAL_CHANNELS
from .paging import Page, PageRequest


@dataclass(frozen=True)
class ManualComplaint:
    """A complaint staff type in from a letter, a phone call or a visit."""

    channel: str
    received_at: datetime
    name: str
    text: str
    subject: str = ""
    email: str = ""
    postal_address: str = ""
    phone: str = ""
    language: str = "nl"
    service: str | None = None


NEWEST_FIRST = paging.Order((MessageRecord.id,), descending=True)
PROBLEM = or_(MessageRecord.outcome == Outcome.QUARANTINED,
              (MessageRecord.outcome.is_(None)) & (MessageRecord.last_error.is_not(None)))
HAS_RAW = MessageRecord.raw.is_not(None).label("has_raw")  # the deferred bytes themselves are never read for a list


def problem_messages(session: Session) -> list[MessageRecord]:
    """Quarantined messages, and messages whose last attempt failed and that wait for another."""
    return list(session.scalars(select(MessageRecord).where(PROBLEM).order_by(MessageRecord.id.desc())))


def problem_page(session: Session, wanted: PageRequest, size: int) -> Page:
    """One page of `problem_messages`, newest first, as rows of the columns the quarantine list shows."""
    query = select(MessageRecord.id, MessageRecord.public_id, MessageRecord.first_seen_at, MessageRecord.size,
                   MessageRecord.attempts, MessageRecord.outcome, MessageRecord.last_error, MessageRecord.reason,
                   HAS_RAW).where(PROBLEM)
    return paging.fetch(session, query, NEWEST_FIRST, wanted, size, scalars=False)


def skipped_page(session: Session, wanted: PageRequest, size: int) -> Page:
    """Skipped messages, newest first: who sent what, why it was skipped, and the case it joined if any."""
    parsed = MessageRecord.parsed
    query = (
        select(MessageRecord.id, MessageRecord.public_id, MessageRecord.received_at, MessageRecord.reason, HAS_RAW,
               parsed[("sender", "name")].as_string().label("sender_name"),
               parsed[("sender", "address")].as_string().label("sender_address"),
               parsed[("subject",)].as_string().label("subject"),
               MessageRecord.verdict[("kind",)].as_string().label("kind"),
               Case.ref.label("case_ref"), Case.public_id.label("case_public_id"))
        .outerjoin(Case, Case.id == MessageRecord.case_id)
        .where(MessageRecord.outcome == Outcome.SKIPPED)
    )
    return paging.fetch(session, query, NEWEST_FIRST, wanted, size, scalars=False)


def retry(session: Session, config: Config, actor: Actor, record: MessageRecord) -> str:
    """Decide a quarantined message again from its stored bytes; the outcome, or the new error."""
    if record.outcome not in (Outcome.QUARANTINED, None):
        raise ReviewError("dit bericht is al verwerkt")
    if record.raw is None:
        raise ReviewError("dit bericht werd nooit opgehaald (te groot); haal het in de mailbox zelf op")
    before = {"outcome": record.outcome, "reason": record.reason}
    intake = Intake(config, None)  # under the same time budget, in a worker process: not in the web server's thread
    try:
        with session.begin_nested():
            outcome = intake.decide_stored(session, record)
    except Exception as exc:  # the message stays where it was, with the new error for staff
        record.last_error = f"{type(exc).__name__}: {str(exc)[:300]}"
        audit.record(session, actor, "retry", message=record, before=before, note=f"mislukt: {record.last_error}")
        return "failed"
    record.attempts += 1
    audit.record(session, actor, "retry", case=record.case, message=record, before=before,
                 after={"outcome": record.outcome, "reason": record.reason})
    return outcome


def complaint_after_all(session: Session, config: Config, actor: Actor, record: MessageRecord) -> Case:
    """A skipped message is a complaint: make its case and queue its acknowledgement."""
    if record.outcome != Outcome.SKIPPED:
        raise ReviewError("alleen overgeslagen berichten kunnen alsnog een klacht worden")
    return _new_case_from(session, config, actor, record, "complaint_after_all", "alsnog klacht")


def split_off(session: Session, config: Config, actor: Actor, record: MessageRecord) -> Case:
    """A message that joined a case is a complaint of its own (another sender, say): its own case and acknowledgement."""
    if record.outcome != Outcome.FOLLOW_UP or record.case is None:
        raise ReviewError("alleen een opvolging bij een zaak kan een eigen zaak worden")
    return _new_case_from(session, config, actor, record, "split_off", f"eigen zaak, was opvolging bij {record.case.ref}")


def move(session: Session, actor: Actor, record: MessageRecord, into_ref: str) -> Case:
    """A message that joined the wrong case goes to another one."""
    if record.outcome != Outcome.FOLLOW_UP or record.case is None:
        raise ReviewError("alleen een opvolging kan naar een andere zaak")
    target = cases.open_case_by_ref(session, into_ref)
    if target is None or target.id == record.case_id:
        raise ReviewError(f"geen andere open zaak met referentie {into_ref}")
    before = {"case": record.case.ref}
    record.case = target
    record.reason = f"verplaatst naar {target.ref} (door {actor.name})"
    audit.record(session, actor, "move_message", case=target, message=record, before=before, after={"case": target.ref})
    return target


def _new_case_from(session: Session, config: Config, actor: Actor, record: MessageRecord, action: str,
                   why: str) -> Case:
    if record.raw is None:
        raise ReviewError("de inhoud van dit bericht is niet bewaard")
    try:  # under the same time budget as the intake, in a worker: not in the web server's thread
        parsed, verdict = analyse_once(record.raw, triage_settings(config), config.intake.workers,
                                       config.intake.analysis_seconds)
    except AnalysisError as exc:
        raise ReviewError(f"het bericht kan niet gelezen worden: {exc}") from None
    verdict = dataclasses.replace(verdict, kind=COMPLAINT)
    before = {"outcome": record.outcome, "reason": record.reason, "case": record.case.ref if record.case else None}
    case = cases.create_draft(session, config, parsed=parsed, verdict=verdict, received_at=record.received_at)
    record.case = case
    record.outcome = Outcome.CASE
    record.sender_check = None
    record.reason = f"{why} (door {actor.name}; was: {before['reason']})"
    queue_acknowledgement(session, config, case, record)
    session.flush()
    audit.record(session, actor, action, case=case, message=record, before=before,
                 after={"outcome": record.outcome, "case": case.ref})
    return case


def register(session: Session, config: Config, actor: Actor, complaint: ManualComplaint) -> Case:
    """A case for a complaint received by letter, phone or visit; acknowledged by mail when there is an address."""
    _check(complaint)
    zone = config.intake.zone
    received = complaint.received_at
    year = received.astimezone(zone).year
    ref, number = cases.next_reference(session, config.intake.case_prefix, year)
    case = Case(
        ref=ref, year=year, number=number, received_at=received,
        sender_name=clean_line(complaint.name).strip(), sender_address=complaint.email.strip(),
        reply_address=complaint.email.strip(), postal_address=complaint.postal_address.strip(),
        phone=clean_line(complaint.phone).strip(), subject=clean_line(complaint.subject).strip(),
        language=complaint.language, text=complaint.text.strip(), channel=complaint.channel,
        kind=COMPLAINT, service=complaint.service or None, flags=[], verdict=None,
    )
    session.add(case)
    session.flush()
    if case.reply_address:
        queue_acknowledgement(session, config, case, None)
    audit.record(session, actor, "manual_intake", case=case, after={"channel": case.channel, "ref": case.ref})
    return case


def _check(complaint: ManualComplaint) -> None:
    if complaint.channel not in MANUAL_CHANNELS:
        raise ReviewError(f"kanaal moet een van {', '.join(MANUAL_CHANNELS)} zijn")
    if complaint.language not in LANGUAGES:
        raise ReviewError("onbekende taal")
    if complaint.service and complaint.service not in SERVICE_CHOICES:
        raise ReviewError("onbekende dienst")
    if not complaint.text.strip():
        raise ReviewError("de klacht zelf ontbreekt")
    if complaint.email and ("@" not in complaint.email or any(c.isspace() for c in complaint.email.strip())):
        raise ReviewError("het e-mailadres is ongeldig")
    if complaint.received_at.tzinfo is None:
        raise ReviewError("ontvangstdatum zonder tijdzone")
    if complaint.received_at > utcnow():
        raise ReviewError("de ontvangstdatum ligt in de toekomst")
