"""Servers failing under a running intake: Dovecot killed, connections stalled or cut, SMTP refusals,
PostgreSQL stopped hard, a full disk. Nothing is lost or doubled; /healthz tells the truth meanwhile."""

from __future__ import annotations

import logging
import os
import shutil
import signal
import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import event, select, update
from sqlalchemy.exc import SQLAlchemyError

from devkit.devmail import LocalDovecot, free_port
from devkit.mailgen import generate_messages
from mailintake.errors import MailboxError
from mailintake.store.models import Case, MessageRecord, OutboxMessage, OutboxStatus, utcnow
from tests.support import faultkit
from tests.support.faultkit import (
    FAST_DAEMON,
    check_invariants,
    deliver_in_batches,
    expire_leases,
    healthz,
    metrics,
    outcome_count,
    scale,
    settled,
    start_daemon,
    wait_until,
)
from tests.support.hostile import with_attachments
from tests.support.mails import complaint
from tests.support.proxy import FaultProxy


def fast_forward_outbox(world) -> None:
    """Make deferred mail due now, as if its backoff had passed."""
    with world.database.unit_of_work() as session:
        session.execute(
            update(OutboxMessage).where(OutboxMessage.status == OutboxStatus.PENDING).values(next_attempt_at=utcnow() - timedelta(seconds=1))
        )


def relay(world) -> dict:
    return world.cli_json("outbox", "send")


def distinct_complaints(n: int, tag: str) -> list[bytes]:
    return [
        complaint(subject=f"Klacht {tag} {i}", body=f"Probleem {tag} nummer {i} aan het loket.\n\nBurger {i}\n",
                  From=f"Burger {i} <burger{i}.{tag}@example.be>")
        for i in range(n)
    ]


# -- health and metrics ------------------------------------------------------------


def test_healthz_and_metrics(make_world):
    port = free_port()
    world = make_world(daemon={**FAST_DAEMON, "health_port": port})
    daemon = start_daemon(world)
    status, report = wait_until(lambda: (lambda r: r if r[0] == 200 else None)(healthz(port)), what="ready")
    assert report == {"status": "ready", "database": "ok", "mailbox": "ok"}

    world.deliver(*distinct_complaints(3, "metrics"))
    wait_until(lambda: settled(world), what="intake and relay")
    wait_until(lambda: "mailintake_outbox_pending 0.0" in metrics(port), what="outbox gauge")
    text = metrics(port)
    assert daemon.terminate() == 0
    assert 'mailintake_messages_processed_total{outcome="cases"} 3.0' in text
    assert "mailintake_messages_fetched_total 3.0" in text
    assert "mailintake_messages_quarantined_total 0.0" in text
    assert "mailintake_outbox_oldest_pending_age_seconds 0.0" in text
    assert "mailintake_poll_duration_seconds_count" in text
    last_poll = next(l for l in text.splitlines() if l.startswith("mailintake_last_successful_poll_timestamp_seconds"))
    assert float(last_poll.split()[1]) > 0


def test_health_server_binds_loopback_by_default(make_world):
    port = free_port()
    world = make_world(daemon={**FAST_DAEMON, "health_port": port})
    daemon = start_daemon(world)
    line = daemon.wait_for("health endpoint on")
    assert f"http://127.0.0.1:{port}/healthz" in line
    assert daemon.terminate() == 0, daemon.output()


# -- PostgreSQL stopped hard -----------------------------------------------------


def test_postgresql_stopped_and_restarted_while_the_daemon_runs(make_world, database_kind):
    if database_kind != "postgresql":
        pytest.skip("PostgreSQL only")
    port = free_port()
    world = make_world(mailbox={"batch_size": 5}, daemon={**FAST_DAEMON, "health_port": port})
    cluster = world.databases.cluster
    mail = generate_messages(scale(60, 400), seed=21)
    half = len(mail) // 2
    daemon = start_daemon(world)
    wait_until(lambda: healthz(port)[0] == 200, what="ready")
    deliver_in_batches(world, mail[:half])
    wait_until(lambda: outcome_count(world) >= 5, what="intake under way")

    cluster.stop(mode="immediate")
    try:
        world.deliver(*mail[half:])  # arrives while the database is down
        status, report = wait_until(lambda: (lambda r: r if r[0] == 503 else None)(healthz(port)), what="not ready")
        assert report["status"] == "not ready" and report["mailbox"] == "ok"
        daemon.wait_for("database unavailable")
    finally:
        cluster.start()
    wait_until(lambda: healthz(port)[0] == 200, what="ready again")
    daemon.wait_for("database reachable again")
    expire_leases(world)  # a send cut off before its mark would otherwise wait out its lease
    wait_until(lambda: settled(world), what="the backlog")
    assert daemon.terminate() == 0
    assert "Traceback" not in daemon.output()

    tally = faultkit.TABLE.add(
        check_invariants(world, "PostgreSQL stopped (-m immediate) and restarted", 1, len(mail), allowed_duplicate_acks=1)
    )
    tally.assert_holds()


# -- Dovecot killed ----------------------------------------------------------------


@pytest.fixture
def own_dovecot():
    root = Path(tempfile.mkdtemp(prefix="mailintake-dovecot-faults-"))
    server = LocalDovecot(root, users={}).start()
    yield server
    server.stop()
    shutil.rmtree(root, ignore_errors=True)


def kill_dovecot(server: LocalDovecot) -> None:
    """SIGKILL the whole Dovecot process group (master and imap processes), as a crash would."""
    os.killpg(os.getpgid(server._proc.pid), signal.SIGKILL)
    server.stop()  # reaps the dead master


def test_dovecot_killed_and_restarted_mid_poll(make_world, own_dovecot):
    port = free_port()
    world = make_world(imap=own_dovecot, mailbox={"batch_size": 5}, daemon={**FAST_DAEMON, "health_port": port})
    mail = generate_messages(scale(60, 400), seed=22)
    deliver_in_batches(world, mail)
    daemon = start_daemon(world)
    wait_until(lambda: outcome_count(world) >= 5, what="intake under way")

    kill_dovecot(own_dovecot)
    status, report = wait_until(lambda: (lambda r: r if r[0] == 503 else None)(healthz(port)), what="not ready")
    assert report["database"] == "ok" and report["mailbox"] != "ok"
    own_dovecot.start()

    wait_until(lambda: settled(world), what="the rest of the mailbox")
    assert daemon.terminate() == 0
    tally = faultkit.TABLE.add(check_invariants(world, "Dovecot killed (SIGKILL) mid-poll and restarted", 1, len(mail)))
    tally.assert_holds()


# -- connections stalled or cut ----------------------------------------------------


def bulky_mail(n: int) -> list[bytes]:
    """Complaints with a 100 kB attachment each, so a fetch spans many reads."""
    return [
        with_attachments([f"foto{i}.jpg"], [os.urandom(100_000)], subject=f"Klacht met foto {i}")
        .replace(b"An Peeters <an.peeters@example.be>", f"Burger {i} <b{i}@example.be>".encode())
        for i in range(n)
    ]


def test_imap_connection_stalled_or_cut_mid_transfer(make_world, dovecot):
    with FaultProxy(dovecot.port) as proxy:
        world = make_world(mailbox={"port": proxy.port, "timeout_seconds": 2.0, "batch_size": 4})
        mail = bulky_mail(scale(12, 40))
        world.deliver(*mail)
        faults = 0

        proxy.cut_after(600_000)  # the second batch's fetch is cut
        with pytest.raises(MailboxError):
            world.poll()
        faults += 1
        moved = len(world.uids("Verwerkt"))
        assert moved == outcome_count(world)  # what was committed was moved; nothing else left the INBOX

        proxy.heal()
        proxy.stall()
        with pytest.raises(MailboxError, match="timed out|timeout"):
            world.poll()
        faults += 1

        proxy.heal()
        world.poll()
        assert relay(world)["sent"] >= 1
    tally = faultkit.TABLE.add(check_invariants(world, "IMAP connection cut / stalled mid-transfer", faults, len(mail)))
    tally.assert_holds()


def test_smtp_connection_stalled_or_cut(make_world):
    with FaultProxy(target_port=1) as proxy:
        world = make_world(smtp={"port": proxy.port, "timeout_seconds": 2.0})
        proxy.retarget(world.smtp.port)
        world.deliver(*distinct_complaints(2, "smtp"))
        world.poll()

        proxy.stall()
        assert relay(world) == {"sent": 0, "deferred": 2, "failed": 0}
        proxy.heal()
        proxy.cut_after(100)  # cut during the SMTP dialogue
        fast_forward_outbox(world)
        assert relay(world) == {"sent": 0, "deferred": 2, "failed": 0}
        assert world.smtp.messages == []

        proxy.heal()
        fast_forward_outbox(world)
        assert relay(world) == {"sent": 2, "deferred": 0, "failed": 0}
    tally = faultkit.TABLE.add(check_invariants(world, "SMTP connection stalled / cut", 2, 2))
    tally.assert_holds()


def test_smtp_421_450_are_retried_550_is_final(world):
    world.deliver(*distinct_complaints(3, "codes"))
    world.poll()
    world.smtp.script(["421 4.3.2 Service not available", "450 4.2.1 Mailbox busy", "550 5.1.1 No such user"])

    assert relay(world) == {"sent": 0, "deferred": 2, "failed": 1}
    fast_forward_outbox(world)
    assert relay(world) == {"sent": 2, "deferred": 0, "failed": 0}
    rows = world.cli_json("outbox", "list", "--json")
    [failed] = [r for r in rows if r["status"] == "failed"]
    assert failed["last_error"].split(" answered ")[1].startswith("550")
    tally = faultkit.TABLE.add(check_invariants(world, "SMTP 421 / 450 / 550", 3, 3))
    tally.assert_holds()


# -- full disk ---------------------------------------------------------------------


def limit_sqlite_growth(database, extra_pages: int):
    """Every new connection may grow the file by `extra_pages` pages at most: a disk that is nearly full."""
    with database.engine.connect() as connection:
        pages = connection.exec_driver_sql("PRAGMA page_count").scalar()
    database.engine.dispose()

    @event.listens_for(database.engine, "connect")
    def _limit(dbapi_connection, _record):
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages + extra_pages}")

    return _limit


def test_full_disk_rolls_back_and_moves_nothing(make_world, database_kind, caplog):
    if database_kind != "sqlite":
        pytest.skip("simulated with SQLite's max_page_count")
    world = make_world()
    limit = limit_sqlite_growth(world.database, extra_pages=20)
    world.deliver(with_attachments(["groot.pdf"], [os.urandom(2_000_000)], subject="Klacht met groot bewijs"))

    with caplog.at_level(logging.ERROR, logger="mailintake.db"):
        try:
            result = world.poll()
        except SQLAlchemyError:
            result = None
    assert result is None or (result.failed == 1 and result.cases == 0)
    assert "database is full" in caplog.text and "stay in the INBOX" in caplog.text
    assert len(world.uids("INBOX")) == 1 and world.uids("Verwerkt") == []
    with world.database.unit_of_work() as session:
        assert session.scalars(select(Case)).all() == []

    world.database.engine.dispose()
    event.remove(world.database.engine, "connect", limit)  # space freed
    result = world.poll()
    assert result.cases == 1 and world.uids("INBOX") == []
    with world.database.unit_of_work() as session:
        assert session.scalar(select(MessageRecord.outcome)) == "case"
    relay(world)
    tally = faultkit.TABLE.add(check_invariants(world, "full disk (SQLite max_page_count)", 1, 1))
    tally.assert_holds()
