"""Per-case deadlines: the admissibility decision and the handling, from `[deadlines]`.

Counted in the configured time zone from the day the complaint was received:
calendar days by default, or with `working_days = true` Mondays to Fridays
that are no Belgian public holiday (the `holidays` package). `days_left` is in
calendar days and negative once a deadline has passed.

>>> add_days(date(2026, 4, 3), 1, working_days=True)   # Friday before Easter Monday
datetime.date(2026, 4, 7)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

import holidays

from ..config import Config
from ..store.models import Case, utcnow


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
    settings = config.deadlines
    admissibility_due = add_days(received, settings.admissibility_days, settings.working_days)
    handling_due = add_days(received, settings.handling_days, settings.working_days)
    return CaseDeadlines(
        admissibility=Deadline(admissibility_due, (admissibility_due - today).days, case.decided_at is not None),
        handling=Deadline(handling_due, (handling_due - today).days, case.closed_at is not None),
    )


def handling_due(received_at: datetime, config: Config) -> date:
    """The last day to handle a complaint received at `received_at`."""
    received = received_at.astimezone(config.intake.zone).date()
    return add_days(received, config.deadlines.handling_days, config.deadlines.working_days)


def add_days(start: date, days: int, working_days: bool = False) -> date:
    """`start` plus `days` calendar days, or plus `days` Belgian working days."""
    if not working_days:
        return start + timedelta(days=days)
    day, left = start, days
    while left > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            left -= 1
    return day


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _belgian_holidays(day.year)


@lru_cache(maxsize=64)
def _belgian_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("BE", years=year))
