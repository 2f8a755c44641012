"""Per-case deadlines: the admissibility decision and the handling, from `[deadlines]`.

Calendar days in the configured time zone, counted from the day the complaint
was received. `days_left` is negative once a deadline has passed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from .config import Config
from .models import Case, utcnow


@dataclass(frozen=True)
class Deadline:
    due: date
    days_left: int
    met: bool  # the decision it guards was taken, so it no longer runs

    @property
    def overdue(self) -> bool:
        return not self.met and self.days_left < 0

    def to_json(self) -> dict:
        return {"due": self.due.isoformat(), "days_left": self.days_left, "met": self.met, "overdue": self.overdue}


@dataclass(frozen=True)
class CaseDeadlines:
    admissibility: Deadline
    handling: Deadline


def case_deadlines(case: Case, config: Config, now: datetime | None = None) -> CaseDeadlines:
    zone = config.intake.zone
    received = case.received_at.astimezone(zone).date()
    today = (now or utcnow()).astimezone(zone).date()
    admissibility_due = received + timedelta(days=config.deadlines.admissibility_days)
    handling_due = received + timedelta(days=config.deadlines.handling_days)
    return CaseDeadlines(
        admissibility=Deadline(admissibility_due, (admissibility_due - today).days, case.decided_at is not None),
        handling=Deadline(handling_due, (handling_due - today).days, case.closed_at is not None),
    )
