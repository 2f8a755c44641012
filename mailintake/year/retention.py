"""Retention and erasure: what may no longer be kept is deleted, leaving only an anonymous remainder.

- `run_retention`: closed cases (closed, declined, redirected, not a complaint,
  merged) `[retention] retention_years` after closing, and raw mail that made
  no case after `skipped_days` / `quarantined_days`. The daemon runs it daily.
- `erase_address`: everything about one person on request (`mailintake erase
  --address`), open cases included.

Erasing a case deletes the case, its messages (raw mail, parse, verdict), its
attachments, the blobs no remaining attachment uses, the mails we sent for it
and cases merged into it. Its audit entries stay, anonymised: unlinked, notes
cleared, before/after cut down to decision fields. An anonymous `CaseStatistic`
takes its place, so the annual report of its year does not change. Each run
writes one audit entry with the counts, never an address or reference.
Everything happens in the caller's transaction; `dry_run` rolls back a savepoint
and reports what would have gone.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timedelta

from sqlalchemy import Text, cast, delete, func, or_, select, update
from sqlalchemy.orm import Session

from ..config import Config
from ..domain import CaseStatus, Outcome
from ..errors import ReviewError
from ..review import audit
from ..review.audit import Actor
from ..store import search
from ..store.models import (
    AttachmentRecord,
    AuditEntry,
    Blob,
    Case,
    CaseNorm,
    CaseTheme,
    MessageRecord,
    OutboxMessage,
    utcnow,
)
from .casefacts import fact_of, statistic_of

RETENTION = "retention"
REQUEST = "request"
AUDIT_KEEPS = ("status", "service", "flags", "themes", "handler", "admissible", "decline_reason", "redirected_to",
               "outcome", "resolved", "norms")
ANONYMISED_NOTE = "[geanonimiseerd]"


@dataclass
class Erasure:
    """What a run removed (or, in a dry run, would remove)."""

    cases: int = 0
    messages: int = 0
    attachments: int = 0
    blobs: int = 0
    outbox: int = 0
    audit_anonymised: int = 0
    statistics_kept: int = 0
    skipped_mail: int = 0
    quarantined_mail: int = 0
    dry_run: bool = False
    refs: list[str] = field(default_factory=list)  # only for an erasure on request: staff answer the person

    def counts(self) -> dict:
        return {k: v for k, v in asdict(self).items() if k != "refs"}

    def to_json(self) -> dict:
        return asdict(self)


# --- the two entry points ---------------------------------------------------------------------

def run_retention(session: Session, config: Config, actor: Actor, *, now: datetime | None = None,
                  dry_run: bool = False) -> Erasure:
    now = now or utcnow()
    settings = config.retention
    with _savepoint(session, dry_run):
        cases = _expired_cases(session, years_before(now, settings.retention_years))
        result = erase_cases(session, config, cases, RETENTION)
        result.refs = []
        result.skipped_mail = _erase_unlinked_mail(session, result, (Outcome.SKIPPED, Outcome.DUPLICATE),
                                                   now - timedelta(days=settings.skipped_days))
        result.quarantined_mail = _erase_unlinked_mail(session, result, (Outcome.QUARANTINED,),
                                                       now - timedelta(days=settings.quarantined_days))
        result.blobs += delete_orphan_blobs(session)
        result.dry_run = dry_run
        if not dry_run:
            audit.record(session, actor, "retention", after=result.counts(),
                         note=f"bewaartermijn {settings.retention_years} jaar")
    return result


def erase_address(session: Session, config: Config, actor: Actor, address: str, *, dry_run: bool = False) -> Erasure:
    wanted = address.strip().lower()
    if "@" not in wanted:
        raise ReviewError(f"geen e-mailadres: {address!r}")
    with _savepoint(session, dry_run):
        cases = list(session.scalars(select(Case).where(or_(
            func.lower(Case.sender_address) == wanted, func.lower(Case.reply_address) == wanted,
        )).order_by(Case.id)))
        result = erase_cases(session, config, cases, REQUEST)
        result.messages += _erase_messages(session, result, _unlinked_mail_from(session, wanted))
        result.messages += _erase_messages(session, result, _their_mail_in_other_cases(session, wanted))
        their_mail = func.lower(OutboxMessage.recipient) == wanted
        letters_in = set(session.scalars(select(OutboxMessage.case_id).where(their_mail)))
        result.outbox += session.execute(delete(OutboxMessage).where(their_mail)).rowcount
        search.rewrite(session, letters_in)  # other cases' entries held the letters to this address
        result.blobs += delete_orphan_blobs(session)
        result.dry_run = dry_run
        if not dry_run:
            audit.record(session, actor, "erase", after=result.counts(), note="gegevens gewist op verzoek")
    return result


# --- erasing cases ----------------------------------------------------------------------------

def erase_cases(session: Session, config: Config, cases: list[Case], because: str) -> Erasure:
    """Delete these cases (and those merged into them), keeping one anonymous statistic each."""
    cases = _with_merged(session, cases)
    result = Erasure(refs=sorted(c.ref for c in cases))
    if not cases:
        return result
    case_ids = [c.id for c in cases]
    erased_in = utcnow().astimezone(config.intake.zone).year
    for case in cases:
        fact = fact_of(case, config)
        if fact.closed_year is None:  # an open file erased on request is no longer open after this year
            fact = replace(fact, closed_year=erased_in)
        session.add(statistic_of(fact, because))
    result.statistics_kept = len(cases)
    message_ids = list(session.scalars(select(MessageRecord.id).where(MessageRecord.case_id.in_(case_ids))))
    result.outbox = session.execute(delete(OutboxMessage).where(or_(
        OutboxMessage.case_id.in_(case_ids), OutboxMessage.answers_id.in_(message_ids or [-1]),
    ))).rowcount
    result.audit_anonymised = _anonymise_audit(session, AuditEntry.case_id.in_(case_ids))
    result.messages = _erase_messages(session, result, message_ids)
    session.execute(delete(CaseTheme).where(CaseTheme.case_id.in_(case_ids)))
    session.execute(delete(CaseNorm).where(CaseNorm.case_id.in_(case_ids)))
    session.execute(update(Case).where(Case.merged_into_id.in_(case_ids)).values(merged_into_id=None))
    for case in cases:
        session.expunge(case)
    result.cases = session.execute(delete(Case).where(Case.id.in_(case_ids))).rowcount
    search.forget(session, case_ids)
    return result


def _with_merged(session: Session, cases: list[Case]) -> list[Case]:
    """The cases plus every case merged into one of them (a merged case is part of the survivor's file)."""
    found = {c.id: c for c in cases}
    frontier = list(found)
    while frontier:
        merged = session.scalars(select(Case).where(Case.merged_into_id.in_(frontier))).all()
        frontier = [c.id for c in merged if c.id not in found]
        found.update((c.id, c) for c in merged)
    return list(found.values())


def _expired_cases(session: Session, cutoff: datetime) -> list[Case]:
    return list(session.scalars(select(Case).where(
        Case.status.not_in(CaseStatus.OPEN), Case.closed_at.is_not(None), Case.closed_at < cutoff,
    ).order_by(Case.id)))


# --- erasing mail -----------------------------------------------------------------------------

def _erase_messages(session: Session, result: Erasure, message_ids: list[int]) -> int:
    """Delete message records with their attachments; audit entries pointing at them are anonymised."""
    if not message_ids:
        return 0
    result.audit_anonymised += _anonymise_audit(session, AuditEntry.message_record_id.in_(message_ids))
    session.execute(update(OutboxMessage).where(OutboxMessage.answers_id.in_(message_ids)).values(answers_id=None))
    result.attachments += session.execute(
        delete(AttachmentRecord).where(AttachmentRecord.message_id.in_(message_ids))
    ).rowcount
    session.execute(update(MessageRecord).where(MessageRecord.duplicate_of_id.in_(message_ids))
                    .values(duplicate_of_id=None))
    cases_of = set(session.scalars(select(MessageRecord.case_id).where(MessageRecord.id.in_(message_ids))))
    erased = session.execute(delete(MessageRecord).where(MessageRecord.id.in_(message_ids))).rowcount
    search.rewrite(session, cases_of)  # their text leaves the entries of the cases they were in
    return erased


def _erase_unlinked_mail(session: Session, result: Erasure, outcomes: tuple[str, ...], cutoff: datetime) -> int:
    ids = list(session.scalars(select(MessageRecord.id).where(
        MessageRecord.case_id.is_(None), MessageRecord.outcome.in_(outcomes), MessageRecord.first_seen_at < cutoff,
    )))
    return _erase_messages(session, result, ids)


def _unlinked_mail_from(session: Session, address: str) -> list[int]:
    """Mail without a case (skipped, quarantined) that names the address in its parsed headers."""
    return list(session.scalars(select(MessageRecord.id).where(MessageRecord.case_id.is_(None), _names(address))))


def _names(address: str):
    """The parse result mentions `address` (a first, cheap filter)."""
    pattern = "%" + address.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return func.lower(cast(MessageRecord.parsed, Text)).like(pattern, escape="\\")


def _their_mail_in_other_cases(session: Session, address: str) -> list[int]:
    """Messages this person sent that sit in someone else's case (a follow-up from another sender, say)."""
    rows = session.execute(select(MessageRecord.id, MessageRecord.parsed).where(
        MessageRecord.case_id.is_not(None), _names(address))).all()
    return [row_id for row_id, parsed in rows if ((parsed or {}).get("sender") or {}).get("address", "").lower() == address]


def delete_orphan_blobs(session: Session) -> int:
    """Delete attachment bytes no attachment record refers to any more (blobs are shared by content)."""
    used = select(AttachmentRecord.sha256).where(AttachmentRecord.sha256 == Blob.sha256).exists()
    return session.execute(delete(Blob).where(~used).execution_options(synchronize_session=False)).rowcount


# --- audit ------------------------------------------------------------------------------------

def _anonymise_audit(session: Session, condition) -> int:
    entries = list(session.scalars(select(AuditEntry).where(condition)))
    for entry in entries:
        entry.case_id = None
        entry.message_record_id = None
        entry.before = _decision_fields(entry.before)
        entry.after = _decision_fields(entry.after)
        entry.note = ANONYMISED_NOTE
    session.flush()
    return len(entries)


def _decision_fields(snapshot: dict | None) -> dict | None:
    if snapshot is None:
        return None
    return {k: v for k, v in snapshot.items() if k in AUDIT_KEEPS}


# --- helpers ----------------------------------------------------------------------------------

class _savepoint:
    """A nested transaction that is rolled back for a dry run and kept otherwise."""

    def __init__(self, session: Session, dry_run: bool):
        self.session, self.dry_run = session, dry_run

    def __enter__(self):
        self.nested = self.session.begin_nested()
        return self.nested

    def __exit__(self, kind, error, trace):
        if kind is not None or self.dry_run:
            self.nested.rollback()
            self.session.expire_all()
        else:
            self.nested.commit()
        return False


def years_before(moment: datetime, years: int) -> datetime:
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year - years, day=28)
