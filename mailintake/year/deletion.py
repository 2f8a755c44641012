"""The set-based deletion retention and erasure share: what some cases or messages take with them, then gone.

`doomed_cases` and `doomed_mail` find, before anything is deleted, every row
that goes: the cases with those merged into them, their messages and
attachments, the mails we sent for them, and the audit entries to anonymise.
`erase` then keeps one anonymous `CaseStatistic` per case and deletes the rest
with one statement per table and chunk of ids, in the caller's transaction.
The callers keep a batch small, so a transaction stays short; no statement
binds more than `CHUNK` ids (PostgreSQL refuses more than 65,535 parameters).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Iterable, Iterator, Sequence

from sqlalchemy import bindparam, delete, func, insert, select, update
from sqlalchemy.orm import Session, selectinload

from ..config import Config
from ..store import search
from ..store.models import (
    AttachmentRecord,
    AuditEntry,
    Blob,
    Case,
    CaseNorm,
    CaseStatistic,
    CaseTheme,
    MessageRecord,
    OutboxMessage,
)
from .casefacts import fact_of, statistic_values

CHUNK = 500
AUDIT_KEEPS = ("status", "service", "flags", "themes", "handler", "admissible", "decline_reason", "redirected_to",
               "outcome", "resolved", "norms")
ANONYMISED_NOTE = "[geanonimiseerd]"

_cases, _messages, _outbox = Case.__table__, MessageRecord.__table__, OutboxMessage.__table__
_audit, _attachments, _blobs = AuditEntry.__table__, AttachmentRecord.__table__, Blob.__table__


@dataclass
class Doomed:
    """The ids of every row one erasure removes or anonymises, found before anything is deleted."""

    cases: list[int] = field(default_factory=list)
    messages: list[int] = field(default_factory=list)
    outbox: set[int] = field(default_factory=set)
    audit: set[int] = field(default_factory=set)  # anonymised, not deleted
    attachments: list[int] = field(default_factory=list)
    blob_uses: Counter = field(default_factory=Counter)  # sha256 -> how many of its attachments go


def chunked(ids: Iterable, size: int = CHUNK) -> Iterator[list]:
    batch: list = []
    for value in ids:
        batch.append(value)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


# --- finding ----------------------------------------------------------------------------------

def doomed_cases(session: Session, case_ids: Iterable[int], gone: set[int] = frozenset()) -> Doomed:
    """These cases and every case merged into one of them, with all that goes with them (`gone`: already counted)."""
    doomed = Doomed(cases=sorted(_with_merged(session, [i for i in case_ids if i not in gone], gone)))
    doomed.outbox.update(_ids_where(session, _outbox.c.id, _outbox.c.case_id, doomed.cases))
    doomed.audit.update(_ids_where(session, _audit.c.id, _audit.c.case_id, doomed.cases))
    _add_mail(session, doomed, _ids_where(session, _messages.c.id, _messages.c.case_id, doomed.cases))
    doomed.outbox.update(_ids_where(session, _outbox.c.id, _outbox.c.answers_id, doomed.messages))
    return doomed


def doomed_mail(session: Session, message_ids: Iterable[int]) -> Doomed:
    """Messages alone (mail without a case, or one person's mail in another's case): mails answering them stay."""
    doomed = Doomed()
    _add_mail(session, doomed, list(message_ids))
    return doomed


def _with_merged(session: Session, case_ids: list[int], gone: set[int]) -> set[int]:
    """The cases plus every case merged into one of them (a merged case is part of the survivor's file)."""
    found = set(case_ids)
    frontier = list(found)
    while frontier:
        merged = _ids_where(session, _cases.c.id, _cases.c.merged_into_id, frontier)
        frontier = [i for i in merged if i not in found and i not in gone]
        found.update(frontier)
    return found


def _add_mail(session: Session, doomed: Doomed, message_ids: list[int]) -> None:
    doomed.messages += message_ids
    doomed.audit.update(_ids_where(session, _audit.c.id, _audit.c.message_record_id, message_ids))
    for chunk in chunked(message_ids):
        for row_id, sha256 in session.execute(
                select(_attachments.c.id, _attachments.c.sha256).where(_attachments.c.message_id.in_(chunk))):
            doomed.attachments.append(row_id)
            doomed.blob_uses[sha256] += 1


def _ids_where(session: Session, wanted, column, values: Sequence) -> list[int]:
    found: list[int] = []
    for chunk in chunked(values):
        found += session.scalars(select(wanted).where(column.in_(chunk)).order_by(wanted))
    return found


# --- erasing ----------------------------------------------------------------------------------

def erase(session: Session, config: Config, doomed: Doomed, because: str, *, erased_in: int) -> int:
    """Keep a statistic per case, anonymise the audit entries, delete the rest; the number of blobs deleted.

    `erased_in`: the year an open case erased now counts as closed in.
    """
    _keep_statistics(session, config, doomed.cases, because, erased_in)
    touched = _cases_of_messages(session, doomed.messages) - set(doomed.cases)  # their text leaves these entries
    _anonymise_audit(session, doomed.audit)
    _delete(session, _outbox, _outbox.c.id, sorted(doomed.outbox))
    _set_null(session, _outbox, _outbox.c.answers_id, doomed.messages)
    _delete(session, _attachments, _attachments.c.id, doomed.attachments)
    _set_null(session, _messages, _messages.c.duplicate_of_id, doomed.messages)
    _delete(session, _messages, _messages.c.id, doomed.messages)
    _delete(session, CaseTheme.__table__, CaseTheme.__table__.c.case_id, doomed.cases)
    _delete(session, CaseNorm.__table__, CaseNorm.__table__.c.case_id, doomed.cases)
    _set_null(session, _cases, _cases.c.merged_into_id, doomed.cases)
    _delete(session, _cases, _cases.c.id, doomed.cases)
    search.forget(session, doomed.cases)
    search.rewrite(session, touched)
    return delete_unused_blobs(session, doomed.blob_uses)


def _cases_of_messages(session: Session, message_ids: Sequence) -> set[int]:
    found: set[int] = set()
    for chunk in chunked(message_ids):
        found |= {c for c in session.scalars(select(_messages.c.case_id).where(_messages.c.id.in_(chunk))) if c is not None}
    return found


def _keep_statistics(session: Session, config: Config, case_ids: list[int], because: str, erased_in: int) -> None:
    for chunk in chunked(case_ids):
        cases = list(session.scalars(select(Case).where(Case.id.in_(chunk)).order_by(Case.id)
                                     .options(selectinload(Case.themes), selectinload(Case.norms))))
        rows = []
        for case in cases:
            fact = fact_of(case, config)
            if fact.closed_year is None:  # an open file erased on request is no longer open after this year
                fact = replace(fact, closed_year=erased_in)
            rows.append(statistic_values(fact, because))
            session.expunge(case)  # deleted below by Core statements, which the session does not follow
        if rows:
            session.execute(insert(CaseStatistic), rows)


def _anonymise_audit(session: Session, entry_ids: set[int]) -> None:
    """Unlink the entries, clear their notes, cut before/after down to the decision fields."""
    for chunk in chunked(sorted(entry_ids)):
        snapshots = session.execute(select(_audit.c.id, _audit.c.before, _audit.c.after)
                                    .where(_audit.c.id.in_(chunk))).all()
        session.execute(update(_audit).where(_audit.c.id.in_(chunk))
                        .values(case_id=None, message_record_id=None, note=ANONYMISED_NOTE))
        for column, index in (("before", 1), ("after", 2)):
            changed = [{"entry": row[0], "kept": kept} for row in snapshots
                       if row[index] is not None and (kept := _decision_fields(row[index])) != row[index]]
            if changed:
                session.execute(update(_audit).where(_audit.c.id == bindparam("entry"))
                                .values({column: bindparam("kept", type_=_audit.c[column].type)}), changed)


def _decision_fields(snapshot: dict) -> dict:
    return {k: v for k, v in snapshot.items() if k in AUDIT_KEEPS}


def _delete(session: Session, table, column, values: Sequence) -> None:
    for chunk in chunked(values):
        session.execute(delete(table).where(column.in_(chunk)))


def _set_null(session: Session, table, column, values: Sequence) -> None:
    for chunk in chunked(values):
        session.execute(update(table).where(column.in_(chunk)).values({column.name: None}))


# --- attachment bytes -------------------------------------------------------------------------

def _unused():
    return ~select(_attachments.c.id).where(_attachments.c.sha256 == _blobs.c.sha256).exists()


def delete_unused_blobs(session: Session, candidates: Iterable[str]) -> int:
    """Delete those of these blobs no attachment uses any more (blobs are shared by content)."""
    deleted = 0
    for chunk in chunked(sorted(candidates)):
        deleted += session.execute(delete(_blobs).where(_blobs.c.sha256.in_(chunk), _unused())).rowcount
    return deleted


def delete_orphan_blobs(session: Session) -> int:
    """Delete every blob no attachment uses."""
    return session.execute(delete(_blobs).where(_unused())).rowcount


def count_orphan_blobs(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(_blobs).where(_unused()))


def count_blobs_left_unused(session: Session, uses: Counter) -> int:
    """How many of these blobs would be unused once `uses[sha256]` of their attachments are gone."""
    unused = 0
    for chunk in chunked(sorted(uses)):
        totals = session.execute(select(_attachments.c.sha256, func.count()).where(_attachments.c.sha256.in_(chunk))
                                 .group_by(_attachments.c.sha256))
        unused += sum(1 for sha256, total in totals if total == uses[sha256])
    return unused
