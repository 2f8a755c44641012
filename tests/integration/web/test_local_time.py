"""Every time staff see is on the office's clock (`[intake] timezone`), across the DST changes, never in UTC."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import select, update

from mailintake.review import messages
from mailintake.review.audit import Actor
from mailintake.store.models import AuditEntry, Case, MessageRecord
from tests.support.mails import complaint

# Europe/Brussels: summer time starts 2026-03-29 01:00 UTC and ends 2026-10-25 01:00 UTC
BEFORE_SPRING = datetime(2026, 3, 29, 0, 30, tzinfo=timezone.utc)  # 01:30 CET
AFTER_SPRING = datetime(2026, 3, 29, 2, 30, tzinfo=timezone.utc)  # 04:30 CEST
BEFORE_AUTUMN = datetime(2026, 10, 25, 0, 30, tzinfo=timezone.utc)  # 02:30 CEST
AFTER_AUTUMN = datetime(2026, 10, 25, 2, 30, tzinfo=timezone.utc)  # 03:30 CET
NEW_YEAR_LOCAL = datetime(2025, 12, 31, 23, 30, tzinfo=timezone.utc)  # already 2026 in Leuven


def _register(world, received_at: datetime) -> str:
    complaint_ = messages.ManualComplaint(channel="letter", received_at=received_at, name="Mia Maes",
                                          text="Mijn bewonerskaart werd geweigerd.", subject=f"Brief {received_at}")
    with world.database.unit_of_work() as session:
        return messages.register(session, world.config, Actor("test"), complaint_).public_id


def test_case_pages_show_local_time_across_both_dst_changes(staff, review_world):
    shown = {
        BEFORE_SPRING: "29-03-2026 01:30", AFTER_SPRING: "29-03-2026 04:30",
        BEFORE_AUTUMN: "25-10-2026 02:30", AFTER_AUTUMN: "25-10-2026 03:30",
    }
    for received_at, local in shown.items():
        page = staff.get(f"/zaken/{_register(review_world, received_at)}").get_data(as_text=True)
        assert local in page, (received_at, local)
        assert "UTC" not in page


def test_the_queue_dates_a_case_by_the_local_day(staff, review_world):
    _register(review_world, NEW_YEAR_LOCAL)
    page = staff.get("/").get_data(as_text=True)
    assert "01-01-2026" in page and "31-12-2025" not in page


def test_lists_show_local_time(staff, admin, review_world):
    review_world.deliver(complaint(subject="You won", X_Spam_Flag="YES"))
    review_world.poll()
    _register(review_world, BEFORE_SPRING)
    with review_world.database.unit_of_work() as session:
        session.execute(update(MessageRecord).values(received_at=AFTER_SPRING))
        session.execute(update(AuditEntry).values(at=AFTER_AUTUMN))
        assert session.scalar(select(Case)).received_at == BEFORE_SPRING

    skipped = staff.get("/overgeslagen").get_data(as_text=True)
    assert "29-03-2026 04:30" in skipped and "UTC" not in skipped
    log = admin.get("/logboek").get_data(as_text=True)
    assert "25-10-2026 03:30" in log and "UTC" not in log
    queue = staff.get("/").get_data(as_text=True)
    assert "29-03-2026" in queue and "UTC" not in queue


def test_quarantine_shows_local_time(staff, review_world, monkeypatch):
    review_world.deliver(complaint())
    monkeypatch.setattr("mailintake.intake.analysis.triage", _broken)
    for _ in range(3):
        review_world.poll(workers=0)
    monkeypatch.undo()
    with review_world.database.unit_of_work() as session:
        session.execute(update(MessageRecord).values(first_seen_at=BEFORE_AUTUMN))
    page = staff.get("/quarantaine").get_data(as_text=True)
    assert "25-10-2026 02:30" in page and "UTC" not in page


def _broken(*args, **kwargs):
    raise RuntimeError("triage broke")
