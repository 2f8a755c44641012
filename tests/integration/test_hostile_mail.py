"""Hostile and broken mail through parse + triage + intake: every input gets one outcome, in bounded time.

A fuzz test (Hypothesis, derandomized, CI-sized) mutates real mail from
../shared/corpus and our own test mails; the dedicated cases are the monsters
an intake of public mail must survive without losing its footing.
"""

from __future__ import annotations

import random
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import undefer

from devkit import costly
from mailintake.domain import Outcome
from mailintake.store.models import AttachmentRecord, Blob, Case, MessageRecord
from tests.support import hostile
from tests.support.mails import complaint

PER_MESSAGE_SECONDS = 20.0  # generous for a 2-core CI machine; a hang is what this guards against
SEEDS = hostile.seed_mails()


def settle(world, expected: int) -> list:
    """Poll until the INBOX is empty; a message that keeps failing is quarantined by its third poll."""
    results = []
    for _ in range(world.config.mailbox.max_attempts + 1):
        started = time.monotonic()
        results.append(world.poll())
        elapsed = time.monotonic() - started
        assert elapsed < PER_MESSAGE_SECONDS * max(expected, 1), f"poll took {elapsed:.1f}s"
        if not world.uids("INBOX"):
            break
    assert world.uids("INBOX") == []
    with world.database.unit_of_work() as session:
        undecided = session.scalar(select(func.count()).select_from(MessageRecord).where(MessageRecord.outcome.is_(None)))
        total = session.scalar(select(func.count()).select_from(MessageRecord))
    assert undecided == 0 and total == expected
    assert len(world.uids("Verwerkt")) + len(world.uids("Quarantaine")) == expected
    return results


def records(world) -> list[MessageRecord]:
    with world.database.unit_of_work() as session:
        return list(session.scalars(select(MessageRecord).options(undefer(MessageRecord.raw)).order_by(MessageRecord.uid)))


@pytest.fixture
def fuzz_world(make_world):
    return make_world(mailbox={"batch_size": 10})


@settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_mutated_real_mail_always_gets_an_outcome(fuzz_world, data):
    seed = data.draw(st.integers(0, 2**32 - 1), label="seed")
    rng = random.Random(seed)
    batch = [hostile.mutate(rng.choice(SEEDS), rng, rounds=rng.randint(1, 4)) for _ in range(4)]
    before = len(records(fuzz_world))
    fuzz_world.deliver(*batch)

    settle(fuzz_world, before + len(batch))


def test_ten_thousand_deep_mime_nesting(world):
    world.deliver(hostile.deep_nesting(10_000))
    [result] = settle(world, 1)
    assert result.failed == 0 and result.quarantined == 0  # read flat, not given up on


def test_twenty_megabyte_header_block(world):
    world.deliver(hostile.huge_headers(20 * 1024 * 1024))
    [result] = settle(world, 1)
    assert result.failed == 0


def test_hundred_thousand_recipients(world):
    world.deliver(hostile.many_recipients(100_000))
    [result] = settle(world, 1)
    assert result.failed == 0


def test_message_over_max_message_bytes_is_quarantined_unread(make_world):
    world = make_world(mailbox={"max_message_bytes": 100_000})
    world.deliver(complaint(body="Te groot.\n" + "x" * 200_000 + "\n"), complaint())
    [result] = settle(world, 2)
    assert result.quarantined == 1 and result.cases == 1
    big = next(r for r in records(world) if r.outcome == Outcome.QUARANTINED)
    assert big.raw is None and "max_message_bytes" in big.reason


def test_hostile_attachment_names_are_never_paths(world):
    names = ["../../x", "..\\x", "a\x00b.txt", "n" * 1000 + ".pdf"]
    world.deliver(hostile.with_attachments(names))
    [result] = settle(world, 1)
    assert result.cases == 1
    with world.database.unit_of_work() as session:
        stored = session.scalars(select(AttachmentRecord)).all()
        assert len(stored) == 4
        for item in stored:
            assert "\x00" not in item.filename and len(item.filename) <= 300
            assert session.get(Blob, item.sha256) is not None  # kept by content hash, not by name
    assert not any(p.name == "x" for p in world.tmp.parent.rglob("x"))


def test_zip_bomb_is_stored_not_unpacked(world):
    bomb = hostile.zip_bomb(256 * 1024 * 1024)
    assert len(bomb) < 2 * 1024 * 1024
    world.deliver(hostile.with_attachments(["bewijs.zip"], [bomb]))
    [result] = settle(world, 1)
    assert result.cases == 1
    with world.database.unit_of_work() as session:
        [attachment] = session.scalars(select(AttachmentRecord)).all()
        assert attachment.size == len(bomb)
        assert session.scalar(select(func.max(Blob.size))) == len(bomb)


def test_no_message_id(world):
    raw = complaint()
    raw = b"\n".join(line for line in raw.split(b"\n") if not line.lower().startswith(b"message-id"))
    world.deliver(raw)
    [result] = settle(world, 1)
    assert result.cases == 1


def test_duplicate_message_id_with_different_content_keeps_both(world):
    first = complaint(subject="Klacht A", body="Het zwembad was dicht.\n\nAn Peeters\n", Message_ID="<same@example.be>")
    second = complaint(subject="Klacht B", body="De bus reed niet.\n\nJan Janssens\n", Message_ID="<same@example.be>",
                       From="Jan Janssens <jan@example.be>")
    world.deliver(first, second)
    settle(world, 2)
    stored = records(world)
    assert {r.sha256 for r in stored} == {r.sha256 for r in stored if r.raw is not None} and len({r.sha256 for r in stored}) == 2
    assert all(r.outcome == Outcome.CASE for r in stored)
    with world.database.unit_of_work() as session:
        assert session.scalar(select(func.count()).select_from(Case)) == 2


def test_invalid_utf8_everywhere(world):
    world.deliver(hostile.invalid_utf8_everywhere(), hostile.with_subject(b"\xff\xfe\x00 klacht", b"\x00\xff body \x00\r\n"))
    results = settle(world, 2)
    assert results[0].failed == 0


def test_overlong_header_values_fit_every_database(world):
    long_name = "N" * 500
    long_local = "a" * 400
    world.deliver(
        complaint(From=f"{long_name} <{long_local}@example.be>", Message_ID=f"<{'m' * 1200}@example.be>",
                  In_Reply_To=f"<{'r' * 1200}@example.be>", Reply_To=f"{long_name} <{long_local}@example.be>")
    )
    [result, *_] = settle(world, 1)
    assert result.failed == 0 and result.quarantined == 0 and result.cases == 1


@pytest.mark.parametrize("name", sorted(costly.CLASSES))
def test_mail_costly_to_analyse_gets_its_own_outcome_and_the_batch_goes_on(world, name):
    world.deliver(costly.CLASSES[name](), complaint(subject="Gewone klacht", body="Het loket was dicht.\n\nAn Peeters\n"))
    result = world.cli_json("poll", "--once")
    assert result["fetched"] == 2 and result["failed"] == 0 and result["quarantined"] == 0, result
    assert world.uids("INBOX") == []
    with world.database.unit_of_work() as session:
        outcomes = sorted(session.scalars(select(MessageRecord.outcome)))
    assert "case" in outcomes


def test_an_analysis_past_its_budget_is_quarantined_and_the_batch_goes_on(make_world):
    # staff's own vocabulary can hold a pattern that backtracks without end: the budget still holds
    world = make_world(intake={"analysis_seconds": 2.0},
                       triage={"vocabulary": {"kind": {"spam_signs": {"(a|aa)+$": 0.1}}}})
    slow = complaint(subject="Traag", body="a" * 60 + "b")
    world.deliver(slow, complaint(subject="Gewone klacht", body="Het loket was dicht.\n\nAn Peeters\n"))
    result = world.cli_json("poll", "--once")
    assert result["fetched"] == 2 and result["cases"] == 1 and result["quarantined"] == 1, result
    assert sorted(world.uids("Quarantaine")) and not world.uids("INBOX")
    with world.database.unit_of_work() as session:
        [record] = session.scalars(select(MessageRecord).where(MessageRecord.outcome == Outcome.QUARANTINED))
        assert record.reason.startswith("analyse duurde te lang")


def test_a_mail_with_thousands_of_attachments_keeps_five_hundred_and_commits(world):
    world.deliver(costly.many_attachments(4_000))
    assert world.cli_json("poll", "--once")["cases"] == 1
    with world.database.unit_of_work() as session:
        assert session.scalar(select(func.count()).select_from(AttachmentRecord)) == 500
        record = session.scalar(select(MessageRecord).options(undefer(MessageRecord.parsed)))
        assert any(d.startswith("attachments:only the first 500") for d in record.parsed["defects"])
