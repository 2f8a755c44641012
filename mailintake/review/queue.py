"""The review queue: the cases staff work through, filtered and paged (by seeking, see `paging`), and a case opened for reading.

Shared by the web UI and the CLI. Opening a case is logged in the audit
trail: complaint files are confidential.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Text, cast, select
from sqlalchemy.orm import Session, selectinload

from ..config import Config, WebConfig
from ..domain import CaseStatus
from ..outbox.queue import no_reply_address_condition, waiting_for_address
from ..store import search
from ..store.models import Case, OutboxMessage
from . import audit, paging
from .audit import Actor
from .deadlines import case_deadlines
from .paging import Page, PageRequest

OLDEST_FIRST = paging.Order((Case.received_at, Case.id))


RANK_LIMIT = search.RANK_LIMIT  # a search with more hits than this lists them oldest first
UNCERTAIN_PREFIX = "te-controleren:"  # the "vlag" filter's value for a flag proposed on weak evidence


@dataclass(frozen=True)
class QueueFilter:
    status: str = "open"  # "open" (drafts and accepted), "all", or one status
    service: str = ""
    flag: str = ""  # a flag, or UNCERTAIN_PREFIX + a flag
    search: str = ""
    no_reply_address: bool = False  # only cases whose acknowledgement waits for an address ("geen antwoordadres")
    page: int = 1
    per_page: int = WebConfig.page_size
    after: str = ""  # a case's key (see `paging`): the page that follows it
    before: str = ""  # the page that precedes it
    last: bool = False

    def page_request(self) -> PageRequest:
        return PageRequest(self.page, self.after, self.before, self.last)


@dataclass
class QueuePage:
    listing: Page
    deadlines: dict = field(default_factory=dict)
    without_address: set = field(default_factory=set)  # ids of the cases on this page waiting for an address
    ranked: bool = False  # a search's hits, best first (else oldest first)
    snippets: dict = field(default_factory=dict)  # case id -> (text, is a hit) pieces: where the search hit

    @property
    def cases(self) -> list[Case]:
        return self.listing.rows

    @property
    def total(self) -> int:
        return self.listing.total

    @property
    def page(self) -> int:
        return self.listing.number

    @property
    def pages(self) -> int:
        return self.listing.pages


def list_queue(session: Session, config: Config, wanted: QueueFilter) -> QueuePage:
    """Cases matching the filter, one page, with their deadlines: oldest first, or a search's hits best first
    (up to search.RANK_LIMIT of them; more are listed oldest first), each with a snippet of where it hit."""
    options = (selectinload(Case.themes), selectinload(Case.handler))
    ranked = search.ranking(session, wanted.search)
    if ranked is not None:
        query = select(Case).join(ranked, ranked.c.case_id == Case.id).where(*_conditions(session, wanted, False))
        number = paging.LAST if wanted.last else wanted.page
        listing = paging.fetch_numbered(session, query, (ranked.c.score, Case.id), number, wanted.per_page,
                                        options=options)
    else:
        query = select(Case).where(*_conditions(session, wanted))
        listing = paging.fetch(session, query, OLDEST_FIRST, wanted.page_request(), wanted.per_page, options=options)
    return QueuePage(listing, {c.id: case_deadlines(c, config) for c in listing.rows},
                     waiting_for_address(session, [c.id for c in listing.rows]), ranked is not None,
                     _snippets(session, listing.rows, wanted.search) if wanted.search else {})


def _snippets(session: Session, cases: list[Case], wanted: str) -> dict:
    """Where each case's hit is: in its subject or text, else in the rest of its file (read for those only)."""
    found = {c.id: search.snippet([c.subject, c.text], wanted, c.language) for c in cases}
    rest = search.file_texts(session, [i for i, pieces in found.items() if pieces is None])
    for case in cases:
        if found[case.id] is None and case.id in rest:
            found[case.id] = search.snippet(rest[case.id], wanted, case.language)
    return {i: pieces for i, pieces in found.items() if pieces}


def _conditions(session: Session, wanted: QueueFilter, with_search: bool = True) -> list:
    conditions = []
    if wanted.status == "open":
        conditions.append(Case.status.in_(CaseStatus.OPEN))
    elif wanted.status != "all":
        conditions.append(Case.status == wanted.status)
    if wanted.service:
        conditions.append(Case.service == wanted.service)
    if wanted.flag:
        uncertain = wanted.flag.startswith(UNCERTAIN_PREFIX)
        column, name = (Case.uncertain_flags, wanted.flag[len(UNCERTAIN_PREFIX):]) if uncertain else (Case.flags, wanted.flag)
        conditions.append(cast(column, Text).like(f'%"{_like_escape(name)}"%', escape="\\"))
    if wanted.no_reply_address:
        conditions.append(Case.id.in_(select(OutboxMessage.case_id).where(no_reply_address_condition())))
    found = search.matching(session, wanted.search) if with_search else None
    if found is not None:
        conditions.append(found)
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
