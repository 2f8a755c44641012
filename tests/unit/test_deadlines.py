"""Deadlines in calendar and Belgian working days, in the office's time zone; the daemon's daily jobs."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from apscheduler.schedulers.background import BackgroundScheduler

from mailintake.config import from_dict
from mailintake.daemon.daily import add_daily_jobs, digest_job
from mailintake.review.deadlines import add_days, case_deadlines
from mailintake.store.models import Case

BRUSSELS = timezone(timedelta(hours=1))


@pytest.mark.parametrize("start, days, due", [
    (date(2026, 4, 3), 1, date(2026, 4, 7)),  # Friday + 1 working day: past the weekend and Easter Monday
    (date(2026, 12, 18), 10, date(2027, 1, 5)),  # Christmas and New Year's Day do not count
    (date(2026, 7, 17), 3, date(2026, 7, 23)),  # 21 July, the National Day
    (date(2026, 3, 2), 5, date(2026, 3, 9)),  # an ordinary week
])
def test_working_days_skip_weekends_and_belgian_holidays(start, days, due):
    assert add_days(start, days, working_days=True) == due
    assert add_days(start, days) == start + timedelta(days=days)


def test_case_deadlines_in_the_configured_zone_calendar_or_working_days():
    after_midnight = datetime(2026, 3, 7, 0, 30, tzinfo=BRUSSELS)  # Saturday in Leuven, still Friday in UTC
    case = Case(received_at=after_midnight.astimezone(timezone.utc), decided_at=None, closed_at=None)
    now = datetime(2026, 3, 16, 9, tzinfo=timezone.utc)
    calendar = case_deadlines(case, from_dict({}), now)
    assert calendar.admissibility.due == date(2026, 3, 17) and calendar.admissibility.days_left == 1
    assert calendar.handling.due == date(2026, 4, 21)
    working = case_deadlines(case, from_dict({"deadlines": {"working_days": True}}), now)
    assert working.admissibility.due == date(2026, 3, 20)  # ten working days after Saturday 7 March
    assert working.handling.due == date(2026, 5, 12)  # 45 working days, Easter Monday, 1 May and Ascension off


def test_the_daemon_schedules_the_digest_and_retention_daily():
    config = from_dict({"deadlines": {"digest_to": "team@leuven.example.be", "digest_hour": 7},
                        "retention": {"run_hour": 2}})
    scheduler = BackgroundScheduler(timezone=config.intake.zone)
    add_daily_jobs(scheduler, config, database=None, active=lambda: False)
    jobs = {job.id: str(job.trigger) for job in scheduler.get_jobs()}
    assert jobs == {"digest": "cron[hour='7']", "retention": "cron[hour='2']"}
    assert digest_job(config, None, active=lambda: False) is False  # a standby daemon leaves it to the poller
