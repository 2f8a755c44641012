"""The review queue: the cases staff work through, filtered and paged, and a case opened for reading.

Shared by the web UI and the CLI. Opening a case is logged in the audit
trail: complaint files are confidential.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from sqlalchemy import Text, cast, func, or_, select
from sqlalchemy.orm import Session, selectinload

from ..config import Config, WebConfig
from ..domain import CaseStatus
from ..outbox.queue import no_reply_address_condition, waiting_for_address
from ..store.models import Case, OutboxMessage
from . import audit
from .audit import Actor
from .deadlines import case_deadlines


@dataclass(frozen=True)
class QueueFilter:
    status: str = "open"  # "open" (drafts and accepted), "all", or one status
    service: str = ""
    flag: str = ""
    search: str = ""
    no_reply_address: bool = False  # only cases whose acknowledgement waits for an address ("geen antwoordadres")
    page: int = 1
    per_page: int = WebConfig.page_size


@dataclass
class QueuePage:
    cases: list[Case]
    total: int
    page: int
    per_page: int
    deadlines: dict = field(default_factory=dict)
    without_address: set = field(default_factory=set)  # ids of the cases on this page waiting for an address

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))


def list_queue(session: Session, config: Config, wanted: QueueFilter) -> QueuePage:
    """Cases matching the filter, oldest first, one page, with their deadlines."""
    query = select(Case).where(*_conditions(wanted))
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    page = max(1, wanted.page)
    rows = list(session.scalars(
        query.options(selectinload(Case.themes), selectinload(Case.handler))
        .order_by(Case.received_at, Case.id)
        .limit(wanted.per_page)
        .offset((page - 1) * wanted.per_page)
    ))
    return QueuePage(rows, total, page, wanted.per_page, {c.id: case_deadlines(c, config) for c in rows},
                     waiting_for_address(session, [c.id for c in rows]))


def _conditions(wanted: QueueFilter) -> list:
    conditions = []
    if wanted.status == "open":
        conditions.append(Case.status.in_(CaseStatus.OPEN))
    elif wanted.status != "all":
        conditions.append(Case.status == wanted.status)
    if wanted.service:
        conditions.append(Case.service == wanted.service)
    if wanted.flag:
        conditions.append(cast(Case.flags, Text).like(f'%"{_like_escape(wanted.flag)}"%', escape="\\"))
    if wanted.no_reply_address:
        conditions.append(Case.id.in_(select(OutboxMessage.case_id).where(no_reply_address_condition())))
    for word in wanted.search.split()[:10]:
        pattern = f"%{_like_escape(word.lower())}%"
        conditions.append(or_(*(
            func.lower(column).like(pattern, escape="\\")
            for column in (Case.ref, Case.sender_name, Case.sender_address, Case.reply_address, Case.subject, Case.text)
        )))
    return conditions


def _like_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def open_case(session: Session, actor: Actor, case: Case) -> Case:
    """The case for reading; the view is logged (complaint files are confidential)."""
    audit.record_view(session, actor, case)
    return case


def case_mail(session: Session, case: Case) -> list[OutboxMessage]:
    """Every mail we sent or owe for this case, oldest first."""
    return list(session.scalars(select(OutboxMessage).where(OutboxMessage.case_id == case.id).order_by(OutboxMessage.id)))
