"""The daemon's readiness: a poll stuck past its limit is not ready, whatever the servers say."""

from __future__ import annotations

from types import SimpleNamespace

from mailintake.daemon.health import Health


def done(**counts):
    return SimpleNamespace(fetched=0, quarantined=0, **counts)


def test_a_poll_running_past_its_limit_makes_the_daemon_not_ready():
    health = Health(poll_limit_seconds=0.0)
    health.database_checked(True)
    health.mailbox_checked(True)
    assert health.report()["status"] == "ready"
    health.poll_started()
    report = health.report()
    assert report["status"] == "not ready" and report["intake"].startswith("a poll has been running for")
    health.poll_done(done(), seconds=1.0)
    assert health.report() == {"status": "ready", "database": "ok", "mailbox": "ok"}
    assert b"mailintake_last_successful_poll_age_seconds" in health.metrics()


def test_a_poll_that_failed_no_longer_counts_as_running():
    health = Health(poll_limit_seconds=0.0)
    health.database_checked(True)
    health.mailbox_checked(True)
    health.poll_started()
    health.poll_ended()
    assert health.ready
