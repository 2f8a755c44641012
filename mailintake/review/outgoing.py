"""The outbox as staff see it: every mail we owe or sent, newest first, a page at a time.

Rows carry only the columns the list shows; a letter's body stays in the
database until its case page is opened.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..store.models import Case, OutboxMessage
from . import paging
from .paging import Page, PageRequest

NEWEST_FIRST = paging.Order((OutboxMessage.id,), descending=True)


def outbox_page(session: Session, wanted: PageRequest, size: int, status: str = "") -> Page:
    """One page of the outbox, optionally only rows with `status` (pending, held, sent, failed, suppressed)."""
    query = (
        select(OutboxMessage.id, OutboxMessage.kind, OutboxMessage.recipient, OutboxMessage.status,
               OutboxMessage.reason, OutboxMessage.attempts, OutboxMessage.last_error, OutboxMessage.created_at,
               OutboxMessage.sent_at, OutboxMessage.next_attempt_at,
               Case.ref.label("case_ref"), Case.public_id.label("case_public_id"))
        .outerjoin(Case, Case.id == OutboxMessage.case_id)
    )
    if status:
        query = query.where(OutboxMessage.status == status)
    return paging.fetch(session, query, NEWEST_FIRST, wanted, size, scalars=False)
