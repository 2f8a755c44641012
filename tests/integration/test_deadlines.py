"""Deadlines (calendar and Belgian working days) and the daily digest mail to staff through the outbox."""

from __future__ import annotations

import email
import email.policy
from datetime import date, datetime, timedelta, timezone

import pytest
from apscheduler.schedulers.background import BackgroundScheduler

from mailintake.config import from_dict
from mailintake.daemon.daily import add_daily_jobs, digest_job
from mailintake.intake.cases import next_reference
from mailintake.outbox.relay import Relay
from mailintake.review.deadlines import add_days, case_deadlines
from mailintake.store.models import Case, utcnow
from mailintake.year.digest import due_items, queue_digest

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


def add_case(session, config, received: datetime, status="draft", decided=False) -> str:
    ref, number = next_reference(session, config.intake.case_prefix, received.year)
    session.add(Case(ref=ref, year=received.year, number=number, status=status, received_at=received,
                     sender_name="Sofie Peeters", sender_address="sofie@example.be", reply_address="sofie@example.be",
                     subject="Klacht over Sofie's parkeerkaart", text="...",
                     decided_at=received + timedelta(days=2) if decided else None))
    return ref


def test_daily_digest_lists_overdue_and_soon_due_cases_once_a_day(make_world):
    world = make_world(deadlines={"digest_to": "Team@Leuven.example.be"})
    config, now = world.config, utcnow()
    with world.database.unit_of_work() as session:
        overdue = add_case(session, config, now - timedelta(days=12))  # admissibility 2 days late
        soon = add_case(session, config, now - timedelta(days=8))  # admissibility in 2 days
        quiet = add_case(session, config, now - timedelta(days=2))  # 8 days left: not yet
        handling = add_case(session, config, now - timedelta(days=43), status="accepted", decided=True)
        add_case(session, config, now - timedelta(days=60), status="closed", decided=True)  # closed: none
    with world.database.unit_of_work() as session:
        listed = [(i.ref, i.which, i.overdue) for i in due_items(session, config)]
    assert listed == [(overdue, "admissibility", True), (soon, "admissibility", False), (handling, "handling", False)]

    assert digest_job(config, world.database) is True
    assert digest_job(config, world.database) is False  # the same day: not again
    assert world.cli_json("deadlines", "digest") == {"queued": False}
    assert Relay(config, world.database).send_due().sent == 1

    [envelope] = world.smtp.messages
    mail = email.message_from_bytes(envelope.content, policy=email.policy.default)
    body = mail.get_body(("plain",)).get_content()
    assert envelope.rcpt_tos == ("team@leuven.example.be",)
    assert mail["Subject"].startswith("Termijnen") and "1 verstreken, 2 binnen 3 dagen" in mail["Subject"]
    assert overdue in body and soon in body and handling in body and quiet not in body
    assert "2 dagen te laat" in body and "Verstreken (1)" in body
    assert "Peeters" not in body and "sofie@" not in body and "parkeerkaart" not in body  # references only


def test_no_digest_without_an_address_or_without_anything_due(make_world):
    world = make_world()
    with world.database.unit_of_work() as session:
        add_case(session, world.config, utcnow() - timedelta(days=20))
        assert queue_digest(session, world.config) is None  # no digest_to
    other = make_world(deadlines={"digest_to": "team@leuven.example.be"})
    with other.database.unit_of_work() as session:
        assert queue_digest(session, other.config) is None  # nothing open


def test_the_daemon_schedules_the_digest_and_retention_daily():
    config = from_dict({"deadlines": {"digest_to": "team@leuven.example.be", "digest_hour": 7},
                        "retention": {"run_hour": 2}})
    scheduler = BackgroundScheduler(timezone=config.intake.zone)
    add_daily_jobs(scheduler, config, database=None, active=lambda: False)
    jobs = {job.id: str(job.trigger) for job in scheduler.get_jobs()}
    assert jobs == {"digest": "cron[hour='7']", "retention": "cron[hour='2']"}
    assert digest_job(config, None, active=lambda: False) is False  # a standby daemon leaves it to the poller
