"""The daily deadline digest: one mail to staff (`[deadlines] digest_to`) through the outbox.

It lists the open cases whose admissibility or handling deadline falls within
`digest_days_ahead` days, and those past it, by reference only: the mail stays
in staff mailboxes longer than cases are kept, so it carries no names,
addresses or subjects. Its Message-ID is fixed per day, so the digest is
queued at most once a day however many daemons or commands ask.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from ..config import Config
from ..domain import SERVICE_CHOICES, UNKNOWN_SERVICE, CaseStatus
from ..outbox.compose import environment, message_id_domain
from ..outbox.queue import DIGEST
from ..review.choices import STATUSES
from ..review.deadlines import Deadline, case_deadlines
from ..store.models import Case, OutboxMessage, OutboxStatus, utcnow

log = logging.getLogger(__name__)

WHICH = {"admissibility": "ontvankelijkheid", "handling": "behandeling"}


@dataclass(frozen=True)
class DueItem:
    ref: str
    status: str
    service: str
    handler: str
    which: str  # "admissibility" or "handling"
    deadline: Deadline

    @property
    def overdue(self) -> bool:
        return self.deadline.overdue


def due_items(session: Session, config: Config, now: datetime | None = None) -> list[DueItem]:
    """Unmet deadlines of open cases due within `digest_days_ahead` days or past, most urgent first."""
    ahead = config.deadlines.digest_days_ahead
    cases = session.scalars(
        select(Case).where(Case.status.in_(CaseStatus.OPEN)).options(selectinload(Case.handler)).order_by(Case.id)
    )
    items = []
    for case in cases:
        deadlines = case_deadlines(case, config, now)
        for which in ("admissibility", "handling"):
            deadline = getattr(deadlines, which)
            if not deadline.met and deadline.days_left <= ahead:
                items.append(DueItem(case.ref, case.status, case.service or UNKNOWN_SERVICE,
                                     case.handler.name if case.handler else "", which, deadline))
    return sorted(items, key=lambda i: (i.deadline.due, i.ref, i.which))


def queue_digest(session: Session, config: Config, now: datetime | None = None) -> OutboxMessage | None:
    """Queue today's digest unless it is off, already queued, or there is nothing due."""
    to = config.deadlines.digest_to
    if not to:
        return None
    now = now or utcnow()
    today = now.astimezone(config.intake.zone).date()
    message_id = digest_message_id(config, today)
    if session.scalar(select(OutboxMessage.id).where(OutboxMessage.message_id == message_id)) is not None:
        return None
    items = due_items(session, config, now)
    if not items:
        log.info("digest: nothing due on %s", today)
        return None
    subject, body = render_digest(items, today, config)
    row = OutboxMessage(
        kind=DIGEST, message_id=message_id, recipient=to.lower(), recipient_name="", language="nl",
        status=OutboxStatus.PENDING, next_attempt_at=now, give_up_at=now + timedelta(hours=config.smtp.retry_for_hours),
        subject=subject, body=body,
    )
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:  # another process queued today's digest first
        return None
    log.info("digest: queued for %s with %d deadlines", today, len(items))
    return row


def digest_message_id(config: Config, day: date) -> str:
    return f"<digest.{day.isoformat()}@{message_id_domain(config)}>"


def render_digest(items: list[DueItem], today: date, config: Config) -> tuple[str, str]:
    overdue = [i for i in items if i.overdue]
    soon = [i for i in items if not i.overdue]
    context = {
        "today": today, "overdue": overdue, "soon": soon, "ahead": config.deadlines.digest_days_ahead,
        "which": WHICH, "statuses": STATUSES, "services": SERVICE_CHOICES, "office": config.office,
        "working_days": config.deadlines.working_days,
    }
    env = environment()
    subject = env.get_template("digest/nl.subject.txt").render(context).strip()
    body = env.get_template("digest/nl.txt").render(context)
    return subject, body.rstrip("\n") + "\n"
