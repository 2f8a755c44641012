"""Finding a record by what a person typed or clicked: a reference, a public id, a message number.

Each raises `NotFoundError` (shown to staff as is) when nothing matches.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session, load_only, selectinload

from ..errors import NotFoundError
from .models import Case, MessageRecord


def case_by_ref(session: Session, ref: str) -> Case | None:
    """The case a reference names, also when typed with fewer or more leading zeros ("OMB-2026-412")."""
    typed = ref.strip().upper()
    return session.scalar(select(Case).where(Case.ref.in_({typed, _our_spelling(typed)})).order_by(Case.id).limit(1))


_REF = re.compile(r"^([A-Z]+)-(\d{4})-(\d{1,9})$")


def _our_spelling(ref: str) -> str:
    found = _REF.match(ref)
    return f"{found.group(1)}-{found.group(2)}-{int(found.group(3)):05d}" if found else ref  # as cases.format_ref


def get_case(session: Session, ref: str) -> Case:
    case = case_by_ref(session, ref)
    if case is None:
        raise NotFoundError(f"geen zaak met referentie {ref}")
    return case


def get_case_by_public_id(session: Session, public_id: str) -> Case:
    case = session.scalar(select(Case).where(Case.public_id == public_id))
    if case is None:
        raise NotFoundError("onbekende zaak")
    return case


def get_message(session: Session, public_id: str) -> MessageRecord:
    record = session.scalar(select(MessageRecord).where(MessageRecord.public_id == public_id))
    if record is None:
        raise NotFoundError("onbekend bericht")
    return record


def all_cases(session: Session, limit: int | None = None, *, since: datetime | None = None,
              status: str | None = None, columns: tuple[str, ...] | None = None) -> Iterator[Case]:
    """Cases oldest first (received at `since` or later, with `status`), with their messages, streamed.

    Rows come from the database `STREAM` at a time (a server-side cursor on PostgreSQL), with only the
    case's `columns` (default all) and the messages' ids and outcome, so memory stays the same whatever the count.
    """
    query = (select(Case).options(selectinload(Case.messages).load_only(
        MessageRecord.message_id, MessageRecord.sha256, MessageRecord.outcome))
             .order_by(Case.received_at, Case.id).execution_options(yield_per=STREAM))
    if columns is not None:
        query = query.options(load_only(*(getattr(Case, name) for name in columns)))
    if since is not None:
        query = query.where(Case.received_at >= since)
    if status is not None:
        query = query.where(Case.status == status)
    if limit is not None:
        query = query.limit(limit)
    yield from session.scalars(query)


STREAM = 500
