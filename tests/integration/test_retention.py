"""Retention and erasure: nothing personal left in the database or the attachment store, reports unchanged."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select

from devkit.yeargen import SHARED_ATTACHMENT
from mailintake.domain import Outcome
from mailintake.review.audit import Actor
from mailintake.store.models import AttachmentRecord, AuditEntry, Blob, Case, CaseStatistic, MessageRecord
from mailintake.year.report import make_report, render
from mailintake.year.retention import erase_address, run_retention
from tests.support.yearkit import database_text, found_in, generate, only_in

LATER = datetime(2030, 9, 1, tzinfo=timezone.utc)  # five years after mid-2025
ROBOT = Actor("test")


def reports(world, years=(2024, 2025)) -> dict:
    with world.database.unit_of_work() as session:
        return {(y, fmt): render(make_report(session, world.config, y), fmt)
                for y in years for fmt in ("csv", "html")}


def count(world, model) -> int:
    with world.database.unit_of_work() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_retention_erases_old_closed_cases_leaving_no_personal_data_and_the_same_reports(world):
    plans = generate(world)
    before = reports(world)
    cutoff = LATER - timedelta(days=5 * 365 + 1)  # five years back (2025-09-01 up to a leap day)
    gone = [p for p in plans if p.closed and p.status != "accepted" and p.closed < cutoff]
    kept = [p for p in plans if p not in gone]
    assert len(gone) > 100 and len(kept) > 50

    with world.database.unit_of_work() as session:
        dry = run_retention(session, world.config, ROBOT, now=LATER, dry_run=True)
    assert count(world, Case) == len(plans) and count(world, CaseStatistic) == 0  # a dry run changes nothing
    with world.database.unit_of_work() as session:
        done = run_retention(session, world.config, ROBOT, now=LATER)

    assert done.counts() == {**dry.counts(), "dry_run": False}
    assert done.cases == done.statistics_kept == len(gone)
    assert count(world, Case) == len(kept) and count(world, CaseStatistic) == len(gone)
    text = database_text(world.database)
    assert found_in(text, only_in(gone, kept)) == []
    assert all(p.ref in text for p in kept)  # what may still be kept is still there
    assert reports(world) == before  # the erased years' reports are unchanged, in every format
    assert_blobs_consistent(world)
    with world.database.unit_of_work() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "retention")).one()
        assert entry.after["cases"] == len(gone) and entry.actor == "test"
        assert session.scalar(select(func.count()).where(AuditEntry.note == "[geanonimiseerd]")) > 0
    with world.database.unit_of_work() as session:  # a second run finds nothing more
        assert run_retention(session, world.config, ROBOT, now=LATER).cases == 0


def assert_blobs_consistent(world) -> None:
    """Every attachment still has its bytes; no bytes are left that no attachment uses."""
    with world.database.unit_of_work() as session:
        used = set(session.scalars(select(AttachmentRecord.sha256)))
        stored = set(session.scalars(select(Blob.sha256)))
    assert used == stored


def test_skipped_and_quarantined_mail_go_after_their_own_periods(world):
    generate(world, years=(2025,), cases=30)
    now = datetime(2026, 4, 1, tzinfo=timezone.utc)
    with world.database.unit_of_work() as session:
        rows = session.execute(select(MessageRecord.outcome, MessageRecord.first_seen_at)
                               .where(MessageRecord.case_id.is_(None))).all()
    skipped_due = sum(1 for o, at in rows if o == Outcome.SKIPPED and at < now - timedelta(days=90))
    quarantined = [at for o, at in rows if o == Outcome.QUARANTINED]
    quarantined_due = sum(1 for at in quarantined if at < now - timedelta(days=180))
    assert skipped_due > 10 and 0 < quarantined_due < len(quarantined)

    with world.database.unit_of_work() as session:
        done = run_retention(session, world.config, ROBOT, now=now)

    assert (done.skipped_mail, done.quarantined_mail, done.cases, done.messages) == (skipped_due, quarantined_due, 0, 0)
    with world.database.unit_of_work() as session:
        left = session.scalar(select(func.count()).where(MessageRecord.outcome == Outcome.QUARANTINED))
    assert left == len(quarantined) - quarantined_due


def test_erase_address_on_request_with_a_dry_run_first(world):
    plans = generate(world, cases=120)
    before = reports(world)
    person = next(p.person for p in plans if p.status == "closed" and p.attachments)
    theirs = [p for p in plans if p.person.address == person.address]
    others = [p for p in plans if p.person.address != person.address]

    dry = world.cli_json("erase", "--address", person.address.upper(), "--dry-run")
    assert dry["dry_run"] and dry["refs"] == sorted(p.ref for p in theirs)
    assert person.address in database_text(world.database)

    done = world.cli_json("erase", "--address", person.address)
    assert {k: v for k, v in done.items() if k != "dry_run"} == {k: v for k, v in dry.items() if k != "dry_run"}
    text = database_text(world.database)
    assert found_in(text, only_in(theirs, others)) == [] and person.address not in text
    assert reports(world) == before
    assert_blobs_consistent(world)
    with world.database.unit_of_work() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "erase")).one()
    assert entry.after["cases"] == len(theirs) and person.address not in str(entry.after) + str(entry.note)
    assert world.cli_json("erase", "--address", person.address)["cases"] == 0


def test_a_shared_attachment_stays_until_no_case_uses_it(world):
    plans = generate(world, years=(2025,), cases=120)
    shared = next(iter({d for p in plans for d in p.attachments if d == _sha(SHARED_ATTACHMENT)}))
    users = [p for p in plans if shared in p.attachments]
    addresses = list(dict.fromkeys(p.person.address for p in users))
    assert len(addresses) >= 2
    for number, address in enumerate(addresses, 1):
        with world.database.unit_of_work() as session:
            erase_address(session, world.config, ROBOT, address)
        with world.database.unit_of_work() as session:
            present = session.get(Blob, shared) is not None
        assert present == (number < len(addresses)), f"after erasing {number} of {len(addresses)} users"
        assert_blobs_consistent(world)


def _sha(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


def test_an_open_case_erased_on_request_stops_counting_as_open_after_this_year(world):
    plans = generate(world, years=(2025, 2026), cases=200)  # 2026 up to March: much still open
    person = next(p.person for p in plans if p.status in ("accepted", "mediation") and p.received.year == 2026)
    with world.database.unit_of_work() as session:
        erase_address(session, world.config, ROBOT, person.address)
        [row] = session.scalars(select(CaseStatistic).where(CaseStatistic.closed_year.is_(None) | (
            CaseStatistic.status.in_(("accepted", "mediation"))))).all()
    assert row.closed_year == datetime.now(timezone.utc).year and row.status in ("accepted", "mediation")


def test_erasure_also_takes_the_persons_mail_out_of_other_cases(world):
    from tests.support.mails import complaint

    world.deliver(complaint())
    world.poll()
    [ref] = [c["ref"] for c in world.cli_json("cases", "list", "--json")]
    world.deliver(complaint(subject=f"Re: [{ref}]", From="Iemand Anders <anders@example.org>",
                            body="Ik ben getuige van wat An overkwam.\n\nIemand Anders\n"))
    assert world.poll().follow_ups == 1

    done = world.cli_json("erase", "--address", "anders@example.org")

    assert done["cases"] == 0 and done["messages"] == 1
    assert "anders@example.org" not in database_text(world.database)
    [case] = world.cli_json("cases", "list", "--json")
    assert case["ref"] == ref and len(case["messages"]) == 1  # An's own case stays, without the other's mail
