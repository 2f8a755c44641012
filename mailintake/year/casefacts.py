"""The anonymous facts of a case: all the annual report ever reads.

A live case is turned into a `CaseFact` when the report is made; an erased
case left a `CaseStatistic` row with the same fields (retention and erasure
write it with `statistic_of`), so a report for a year comes out the same
before and after its cases are erased. Facts hold years and a month, never a
date, name, address, reference or text a person wrote; the recommendation is
staff's text, scrubbed (`anonymize.scrub`).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..config import Config
from ..domain import CaseStatus
from ..review.deadlines import handling_due
from ..store.models import Case, CaseStatistic
from .anonymize import scrub

NOT_COMPLAINTS = (CaseStatus.NOT_COMPLAINT, CaseStatus.MERGED)


@dataclass(frozen=True)
class CaseFact:
    year: int  # received, in the office's time zone
    month: int
    channel: str
    kind: str
    status: str
    service: str | None
    admissible: bool | None
    decline_reason: str | None
    redirected_to: str | None
    decided_year: int | None
    outcome: str | None
    resolved: bool | None
    closed_year: int | None
    handling_days: int | None  # received to closed, in calendar days
    in_time: bool | None  # closed within the handling deadline
    themes: tuple[str, ...]
    norms: tuple[str, ...]
    recommendation: str | None

    @property
    def complaint(self) -> bool:
        """A contact that was a complaint: not an information request or spam, not merged into another."""
        return self.status not in NOT_COMPLAINTS

    def open_at_end_of(self, year: int) -> bool:
        return self.year <= year and (self.closed_year is None or self.closed_year > year)


def fact_of(case: Case, config: Config) -> CaseFact:
    zone = config.intake.zone
    received = case.received_at.astimezone(zone)
    closed = case.closed_at.astimezone(zone) if case.closed_at else None
    return CaseFact(
        year=received.year,
        month=received.month,
        channel=case.channel or "email",
        kind=case.kind or "complaint",
        status=case.status,
        service=case.service,
        admissible=case.admissible,
        decline_reason=case.decline_reason,
        redirected_to=case.redirected_to,
        decided_year=_year(case.decided_at, zone),
        outcome=case.outcome,
        resolved=case.resolved,
        closed_year=closed.year if closed else None,
        handling_days=(closed.date() - received.date()).days if closed else None,
        in_time=closed.date() <= handling_due(case.received_at, config) if closed else None,
        themes=tuple(sorted(t.theme for t in case.themes)),
        norms=tuple(sorted(n.norm for n in case.norms)),
        recommendation=scrub(case.recommendation, names=_known_names(case), phrases=_known_phrases(case)),
    )


def _year(moment, zone: ZoneInfo) -> int | None:
    return moment.astimezone(zone).year if moment is not None else None


def _known_names(case: Case) -> list[str]:
    return [case.sender_name, case.sender_address, case.reply_address]


def _known_phrases(case: Case) -> list[str]:
    """The case's postal address, its street alone, and its phone number."""
    postal = (case.postal_address or "").strip()
    return [postal, postal.split(",")[0], case.phone or ""]


def statistic_of(fact: CaseFact, because: str) -> CaseStatistic:
    """The row that stands in for an erased case."""
    return CaseStatistic(**statistic_values(fact, because))


def statistic_values(fact: CaseFact, because: str) -> dict:
    """The column values of that row, for a bulk insert."""
    values = {f.name: getattr(fact, f.name) for f in fields(CaseFact)}
    values["themes"], values["norms"] = list(fact.themes), list(fact.norms)
    return {**values, "erased_because": because}


def fact_of_statistic(row: CaseStatistic) -> CaseFact:
    values = {f.name: getattr(row, f.name) for f in fields(CaseFact)}
    values["themes"], values["norms"] = tuple(row.themes or ()), tuple(row.norms or ())
    return CaseFact(**values)


def all_facts(session: Session, config: Config, up_to_year: int | None = None) -> list[CaseFact]:
    """Facts of every case received up to `up_to_year`: live cases and erased ones."""
    cases = select(Case).options(selectinload(Case.themes), selectinload(Case.norms))
    stored = select(CaseStatistic)
    if up_to_year is not None:
        stored = stored.where(CaseStatistic.year <= up_to_year)
    facts = [fact_of(case, config) for case in session.scalars(cases)]
    facts += [fact_of_statistic(row) for row in session.scalars(stored)]
    return [f for f in facts if up_to_year is None or f.year <= up_to_year]
