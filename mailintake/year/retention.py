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
writes one audit entry with the counts, never an address or reference. The
deletion itself is `deletion`'s, set-based.

Retention finds the due cases' ids first, then works in batches of `BATCH` of
them (then of old mail), each checked again and committed on its own: the write lock is held for one batch only, so the intake and the
UI go on, and a run that dies keeps what it finished (the next run goes on
from there). A dry run deletes nothing: it finds what each batch would take,
counting every row once. An erasure on request is small and runs in the
caller's transaction; its dry run rolls back a savepoint.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Callable

from sqlalchemy import Text, cast, delete, func, or_, select
from sqlalchemy.orm import Session

from ..config import Config
from ..domain import CaseStatus, Outcome
from ..errors import ReviewError
from ..review import audit
from ..review.audit import Actor
from ..store import search
from ..store.models import Case, MessageRecord, OutboxMessage, utcnow
from .deletion import (
    Doomed,
    chunked,
    count_blobs_left_unused,
    count_orphan_blobs,
    delete_orphan_blobs,
    doomed_cases,
    doomed_mail,
    erase,
)

RETENTION = "retention"
REQUEST = "request"
BATCH = 500  # due cases (or messages) per transaction


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

    def add(self, doomed: Doomed, *, as_messages: bool = True) -> None:
        """Count what `doomed` holds; retention counts old mail without a case apart (`as_messages=False`)."""
        self.cases += len(doomed.cases)
        self.statistics_kept += len(doomed.cases)
        self.messages += len(doomed.messages) if as_messages else 0
        self.attachments += len(doomed.attachments)
        self.outbox += len(doomed.outbox)
        self.audit_anonymised += len(doomed.audit)


# --- retention --------------------------------------------------------------------------------

def run_retention(session: Session, config: Config, actor: Actor, *, now: datetime | None = None,
                  dry_run: bool = False, batch: int = BATCH,
                  after_batch: Callable[[Erasure], None] | None = None) -> Erasure:
    """Erase what is past its retention period, one committed batch at a time (`after_batch` is told of each)."""
    now = now or utcnow()
    settings = config.retention
    sweep = (_DrySweep if dry_run else _Sweep)(session, config, batch, after_batch)
    cutoff = years_before(now, settings.retention_years)
    sweep.cases(_due_cases(session, cutoff), lambda ids: _due_cases(session, cutoff, among=ids))
    sweep.result.skipped_mail = sweep.mail(lambda after: _due_mail(
        session, (Outcome.SKIPPED, Outcome.DUPLICATE), now - timedelta(days=settings.skipped_days), after, batch))
    sweep.result.quarantined_mail = sweep.mail(lambda after: _due_mail(
        session, (Outcome.QUARANTINED,), now - timedelta(days=settings.quarantined_days), after, batch))
    result = sweep.finish()
    if not dry_run:
        audit.record(session, actor, "retention", after=result.counts(),
                     note=f"bewaartermijn {settings.retention_years} jaar")
        session.commit()
    return result


def _due_cases(session: Session, cutoff: datetime, among: list[int] | None = None) -> list[int]:
    """Closed cases past the cutoff (through the index on closed_at), by id; `among`: of these (checked again
    just before their batch goes, as staff may have reopened one meanwhile)."""
    query = select(Case.id).where(Case.closed_at < cutoff, Case.status.not_in(CaseStatus.OPEN))
    if among is not None:
        query = query.where(Case.id.in_(among))
    return sorted(session.scalars(query))  # sorted here: ORDER BY id would lead SQLite past the index


def _due_mail(session: Session, outcomes: tuple[str, ...], cutoff: datetime, after: int, limit: int) -> list[int]:
    return list(session.scalars(select(MessageRecord.id).where(
        MessageRecord.outcome.in_(outcomes), MessageRecord.first_seen_at < cutoff, MessageRecord.case_id.is_(None),
        MessageRecord.id > after,
    ).order_by(MessageRecord.id).limit(limit)))


class _Sweep:
    """Erases batch by batch, each batch in its own transaction."""

    def __init__(self, session: Session, config: Config, batch: int, after_batch):
        self.session, self.config, self.batch, self.after_batch = session, config, batch, after_batch
        self.result = Erasure()
        self.erased_in = utcnow().astimezone(config.intake.zone).year

    def cases(self, due: list[int], still_due: Callable[[list[int]], list[int]]) -> None:
        for ids in chunked(due, self.batch):
            self._take(doomed_cases(self.session, still_due(ids), self._gone()))

    def mail(self, due: Callable[[int], list[int]]) -> int:
        """Erase old mail without a case; how many messages went."""
        erased, after = 0, 0
        while ids := due(after):
            after = ids[-1]
            doomed = doomed_mail(self.session, ids)
            erased += len(doomed.messages)
            self._take(doomed, as_messages=False)
        return erased

    def _gone(self) -> set[int]:
        return set()  # what this run erased is no longer in the database

    def _take(self, doomed: Doomed, as_messages: bool = True) -> None:
        self.result.add(doomed, as_messages=as_messages)
        self.result.blobs += erase(self.session, self.config, doomed, RETENTION, erased_in=self.erased_in)
        self._end_batch()

    def _end_batch(self) -> None:
        self.session.commit()
        if self.after_batch:
            self.after_batch(self.result)

    def finish(self) -> Erasure:
        self.result.blobs += delete_orphan_blobs(self.session)
        return self.result


class _DrySweep(_Sweep):
    """Finds what each batch would erase and counts it once, deleting nothing."""

    def __init__(self, *args):
        super().__init__(*args)
        self.result.dry_run = True
        self.gone_cases: set[int] = set()
        self.gone_outbox: set[int] = set()
        self.gone_audit: set[int] = set()
        self.blob_uses: dict[str, int] = {}

    def _gone(self) -> set[int]:
        return self.gone_cases

    def _take(self, doomed: Doomed, as_messages: bool = True) -> None:
        doomed.outbox -= self.gone_outbox  # a row two batches reach goes with the first
        doomed.audit -= self.gone_audit
        self.gone_cases.update(doomed.cases)
        self.gone_outbox |= doomed.outbox
        self.gone_audit |= doomed.audit
        for sha256, uses in doomed.blob_uses.items():
            self.blob_uses[sha256] = self.blob_uses.get(sha256, 0) + uses
        self.result.add(doomed, as_messages=as_messages)
        self._end_batch()

    def finish(self) -> Erasure:
        self.result.blobs = count_orphan_blobs(self.session) + count_blobs_left_unused(self.session, self.blob_uses)
        self.session.commit()  # nothing was written: this only ends the read
        return self.result


# --- erasure on request -----------------------------------------------------------------------

def erase_address(session: Session, config: Config, actor: Actor, address: str, *, dry_run: bool = False) -> Erasure:
    wanted = address.strip().lower()
    if "@" not in wanted:
        raise ReviewError(f"geen e-mailadres: {address!r}")
    with _savepoint(session, dry_run):
        case_ids = session.scalars(select(Case.id).where(or_(
            func.lower(Case.sender_address) == wanted, func.lower(Case.reply_address) == wanted,
        )).order_by(Case.id))
        result = Erasure()
        erased_in = utcnow().astimezone(config.intake.zone).year
        theirs = doomed_cases(session, case_ids)
        result.refs = sorted(_refs(session, theirs.cases))
        result.add(theirs)
        result.blobs += erase(session, config, theirs, REQUEST, erased_in=erased_in)
        mail = doomed_mail(session, _unlinked_mail_from(session, wanted) + _their_mail_in_other_cases(session, wanted))
        result.add(mail)
        result.blobs += erase(session, config, mail, REQUEST, erased_in=erased_in)
        their_mail = func.lower(OutboxMessage.recipient) == wanted
        letters_in = set(session.scalars(select(OutboxMessage.case_id).where(their_mail)))
        result.outbox += session.execute(delete(OutboxMessage.__table__).where(their_mail)).rowcount
        search.rewrite(session, letters_in - {None})  # other cases' entries held the letters to this address
        result.blobs += delete_orphan_blobs(session)
        result.dry_run = dry_run
        if not dry_run:
            audit.record(session, actor, "erase", after=result.counts(), note="gegevens gewist op verzoek")
    return result


def _refs(session: Session, case_ids: list[int]) -> list[str]:
    return [ref for chunk in chunked(case_ids) for ref in session.scalars(select(Case.ref).where(Case.id.in_(chunk)))]


def _unlinked_mail_from(session: Session, address: str) -> list[int]:
    """Mail without a case (skipped, quarantined) that names the address in its parsed headers."""
    return list(session.scalars(select(MessageRecord.id).where(MessageRecord.case_id.is_(None), _names(address))
                                .order_by(MessageRecord.id)))


def _names(address: str):
    """The parse result mentions `address` (a first, cheap filter)."""
    pattern = "%" + address.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return func.lower(cast(MessageRecord.parsed, Text)).like(pattern, escape="\\")


def _their_mail_in_other_cases(session: Session, address: str) -> list[int]:
    """Messages this person sent that sit in someone else's case (a follow-up from another sender, say)."""
    rows = session.execute(select(MessageRecord.id, MessageRecord.parsed).where(
        MessageRecord.case_id.is_not(None), _names(address)).order_by(MessageRecord.id)).all()
    return [row_id for row_id, parsed in rows if ((parsed or {}).get("sender") or {}).get("address", "").lower() == address]


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
