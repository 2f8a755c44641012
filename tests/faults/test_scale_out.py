"""Scale-out on one PostgreSQL: three `mailintake run` daemons share one mailbox and one outbox.

One polls (advisory lock per mailbox), the others stand by and relay
(`FOR UPDATE SKIP LOCKED`); halfway the polling daemon is stopped and a
standby takes over. Every message gets one outcome, every complaint one
acknowledgement, and references run 1..n without a gap.
"""

from __future__ import annotations

import email

import pytest
from sqlalchemy import select

from devkit.mailgen import generate_messages
from mailintake.store.models import Case, OutboxMessage
from tests.support import faultkit
from tests.support.faultkit import (
    FAST_DAEMON,
    check_invariants,
    deliver_in_batches,
    outcome_count,
    scale,
    settled,
    start_daemon,
    wait_until,
)

DAEMONS = 3


def test_three_daemons_share_one_postgresql(make_world, database_kind):
    if database_kind != "postgresql":
        pytest.skip("scale-out is a PostgreSQL set-up")
    world = make_world(
        mailbox={"batch_size": 20},
        daemon={**FAST_DAEMON, "poll_interval_seconds": 2.0},
        acknowledgement={"max_acks_per_address_per_day": 1000},
    )
    mail = generate_messages(scale(500, 1000), seed=31)
    daemons = [start_daemon(world, name=f"daemon{i}") for i in range(DAEMONS)]
    for daemon in daemons:
        wait_until(lambda: daemon.seen("polling mailbox") or daemon.seen("standby"), what=f"{daemon.name} to start")

    deliver_in_batches(world, mail)
    wait_until(lambda: outcome_count(world) >= len(mail) // 3, what="a third of the intake")
    [poller] = [d for d in daemons if d.seen("poller lock acquired")]
    assert poller.terminate() == 0  # graceful: finishes the message at hand; a standby takes over
    wait_until(lambda: settled(world), timeout=600, what="the whole mailbox and outbox")
    # counted before the others stop: each stop frees the lock for the next standby
    takeovers = sum(1 for d in daemons if d is not poller and d.seen("poller lock acquired"))
    assert takeovers == 1
    for daemon in daemons:
        if daemon.running:
            assert daemon.terminate() == 0
    assert sum(1 for d in daemons if d.seen("outbox: sent")) >= 2  # the relays really did share the outbox

    with world.database.unit_of_work() as session:
        numbers = sorted(session.scalars(select(Case.number)))
        acks = session.execute(select(OutboxMessage.case_id, OutboxMessage.status).where(OutboxMessage.kind == "acknowledgement")).all()
    assert numbers == list(range(1, len(numbers) + 1))  # gap-free
    assert len({case_id for case_id, _ in acks}) == len(acks) == len(numbers)  # one per complaint
    sent = [email.message_from_bytes(m.content)["Message-ID"] for m in world.smtp.messages]
    assert len(sent) == len(set(sent))  # several relays, no mail twice

    tally = faultkit.TABLE.add(check_invariants(world, f"{DAEMONS} daemons on one PostgreSQL, poller stopped", 1, len(mail)))
    tally.assert_holds()
