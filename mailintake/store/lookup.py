"""Finding a record by what a person typed or clicked: a reference, a public id, a message number.

Each raises `NotFoundError` (shown to staff as is) when nothing matches.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..errors import NotFoundError
from .models import Case, MessageRecord


def case_by_ref(session: Session, ref: str) -> Case | None:
    return session.scalar(select(Case).where(Case.ref == ref.strip().upper()))


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


def all_cases(session: Session, limit: int | None = None) -> list[Case]:
    """Every case, oldest first, with its messages loaded."""
    query = select(Case).options(selectinload(Case.messages)).order_by(Case.received_at, Case.id)
    if limit is not None:
        query = query.limit(limit)
    return list(session.scalars(query))
