"""The audit log: who decided or saw what, and when, with the case's state before and after.

Complaint files are confidential, so opening a case is logged like a decision.
Entries are written in the caller's transaction: a decision and its entry
commit together or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..store.models import AuditEntry, Case, MessageRecord
from . import paging
from .paging import Page, PageRequest

VIEW = "view"
NEWEST_FIRST = paging.Order((AuditEntry.id,), descending=True)


@dataclass(frozen=True)
class Actor:
    """The person acting: a staff user (id set) or a named script on the command line."""

    name: str
    id: int | None = None


def record(
    session: Session,
    actor: Actor,
    action: str,
    *,
    case: Case | None = None,
    message: MessageRecord | None = None,
    before: dict | None = None,
    after: dict | None = None,
    note: str | None = None,
) -> AuditEntry:
    entry = AuditEntry(
        actor_id=actor.id,
        actor=actor.name,
        action=action,
        case_id=case.id if case is not None else None,
        message_record_id=message.id if message is not None else None,
        before=before,
        after=after,
        note=note,
    )
    session.add(entry)
    return entry


def record_view(session: Session, actor: Actor, case: Case) -> AuditEntry:
    return record(session, actor, VIEW, case=case)


def for_case(session: Session, case: Case) -> list[AuditEntry]:
    return list(session.scalars(select(AuditEntry).where(AuditEntry.case_id == case.id).order_by(AuditEntry.id)))


def latest_page(session: Session, wanted: PageRequest, size: int) -> Page:
    """One page of the log, newest first, with each entry's case reference (and nothing else of the case)."""
    case = selectinload(AuditEntry.case).load_only(Case.ref, Case.public_id)
    return paging.fetch(session, select(AuditEntry), NEWEST_FIRST, wanted, size, options=(case,))


def changes(before: dict | None, after: dict | None) -> list[tuple[str, object, object]]:
    """(field, before, after) for each field that differs: what the log page shows."""
    before, after = before or {}, after or {}
    keys = [k for k in after if before.get(k) != after.get(k)] + [k for k in before if k not in after]
    return [(k, before.get(k), after.get(k)) for k in keys]
