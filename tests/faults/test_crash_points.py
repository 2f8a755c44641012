"""The crash-point suite: `mailintake run` dies at every step boundary, again and again, and is restarted.

For each point (`MAILINTAKE_CRASH_AT=point:n`, n drawn from a seeded RNG) a
slice of real and generated mail is delivered and the daemon is restarted
until the work is done; then a clean daemon finishes. A second test kills the
daemon with SIGKILL at seeded random moments. Both end with the invariants of
tests/faultkit.py and add a row to the fault table.
"""

from __future__ import annotations

import pytest

from devkit.mailgen import generate_messages
from mailintake.faults import POINTS
from tests.support import faultkit
from tests.support.faultkit import (
    FAST_DAEMON,
    check_invariants,
    deliver_in_batches,
    expire_leases,
    scale,
    seeded,
    settled,
    start_daemon,
    wait_until,
)
from tests.support.hostile import seed_mails

CRASH_EXIT = 86


def mail_mix(count: int, seed: int) -> list[bytes]:
    """Real mail from ../shared/corpus (when present) and generated complaints, distinct bytes."""
    real = seed_mails(limit=max(count // 4, 1))
    return real + generate_messages(count - len(real), seed=seed)


@pytest.fixture
def crash_world(make_world):
    return make_world(mailbox={"batch_size": 5}, daemon=FAST_DAEMON)


def run_until_settled_or_dead(world, env: dict | None = None) -> int | None:
    """One daemon life: returns its exit code when it died, None when it was stopped after the work was done."""
    daemon = start_daemon(world, env=env)
    try:
        wait_until(lambda: not daemon.running or daemon.seen("daemon started"), what="the daemon to start")
        wait_until(lambda: not daemon.running or settled(world), what="the daemon to crash or finish")
    finally:
        if daemon.running:
            assert daemon.terminate() == 0, daemon.output()[-3000:]
    if daemon.proc.returncode == CRASH_EXIT or daemon.proc.returncode < 0:
        return daemon.proc.returncode
    return None


def finish_cleanly(world) -> None:
    expire_leases(world)
    assert run_until_settled_or_dead(world) is None


def test_crash_at_every_point_repeatedly(crash_world):
    world = crash_world
    rng = seeded(f"points-{world.database_kind}")
    per_point = scale(15, 160)  # at least 3 batches of 5, so every n in 1..3 is reached
    rounds = scale(2, 25)
    mail = mail_mix(per_point * len(POINTS), seed=11)
    crashes = {point: 0 for point in POINTS}
    runs = 0
    for index, point in enumerate(POINTS):
        deliver_in_batches(world, mail[index * per_point : (index + 1) * per_point])
        for _ in range(rounds):
            if settled(world):
                break
            code = run_until_settled_or_dead(world, env={"MAILINTAKE_CRASH_AT": f"{point}:{rng.randint(1, 3)}"})
            runs += 1
            if code is not None:
                assert code == CRASH_EXIT
                crashes[point] += 1
                expire_leases(world)
        finish_cleanly(world)

    assert all(crashes.values()), f"every point must have fired at least once: {crashes}"
    # the relay runs in its own thread: a death at any point may catch it between a 250 and its mark
    allowed = sum(crashes.values())
    tally = faultkit.TABLE.add(
        check_invariants(world, "crash at each step boundary", runs, len(mail), allowed_duplicate_acks=allowed)
    )
    tally.assert_holds()


def test_kill_dash_nine_at_random_moments(crash_world):
    world = crash_world
    rng = seeded(f"kill-{world.database_kind}")
    rounds = scale(5, 50)
    mail = mail_mix(scale(60, 400), seed=12)
    deliver_in_batches(world, mail)
    kills = 0
    for _ in range(rounds):
        if settled(world):
            break
        daemon = start_daemon(world)
        daemon.wait_for("daemon started")
        moment = rng.uniform(0.0, 0.8)
        try:
            wait_until(lambda: settled(world), timeout=moment, what="")
        except AssertionError:
            pass  # the moment came before the work was done: that is the point
        if daemon.running and not settled(world):
            daemon.kill()
            kills += 1
            expire_leases(world)
        else:
            daemon.terminate()
    finish_cleanly(world)

    tally = faultkit.TABLE.add(
        check_invariants(world, "kill -9 at random moments", kills, len(mail), allowed_duplicate_acks=kills)
    )
    tally.assert_holds()
