"""The daemon's daily jobs: the deadline digest and retention, on APScheduler cron triggers.

`add_daily_jobs` adds both to the daemon's scheduler (local time, `[intake]
timezone`). They run only in the daemon that holds the poller lock, so a
standby does not do the work twice; the digest's fixed daily Message-ID keeps
it single anyway. A failure is logged and tried again the next day (or by hand:
`mailintake deadlines digest`, `mailintake retention run`). Retention commits
batch by batch, so the intake and the UI are not held up while it runs, and a
failure keeps the batches already done.
"""

from __future__ import annotations

import logging
from typing import Callable

from sqlalchemy.exc import SQLAlchemyError

from ..config import Config
from ..errors import MailintakeError
from ..review.audit import Actor
from ..store.database import Database
from ..year.digest import queue_digest
from ..year.retention import run_retention

log = logging.getLogger(__name__)
DAEMON_ACTOR = Actor("mailintake-daemon")
GRACE_SECONDS = 6 * 3600  # a daemon that was down at the hour still runs the job within this time


def add_daily_jobs(scheduler, config: Config, database: Database, active: Callable[[], bool]) -> None:
    if config.deadlines.digest_to:
        scheduler.add_job(lambda: digest_job(config, database, active), "cron", hour=config.deadlines.digest_hour,
                          id="digest", coalesce=True, max_instances=1, misfire_grace_time=GRACE_SECONDS)
    if config.retention.enabled:
        scheduler.add_job(lambda: retention_job(config, database, active), "cron", hour=config.retention.run_hour,
                          id="retention", coalesce=True, max_instances=1, misfire_grace_time=GRACE_SECONDS)


def digest_job(config: Config, database: Database, active: Callable[[], bool] = lambda: True) -> bool:
    """Queue today's digest; True when one was queued."""
    if not active():
        return False
    try:
        with database.unit_of_work() as session:
            return queue_digest(session, config) is not None
    except (SQLAlchemyError, MailintakeError) as exc:
        log.warning("digest failed: %s", type(exc).__name__)
        return False


def retention_job(config: Config, database: Database, active: Callable[[], bool] = lambda: True) -> dict | None:
    """Erase what is past its retention period; the counts, or None when not run."""
    if not active():
        return None
    try:
        with database.unit_of_work() as session:
            counts = run_retention(session, config, DAEMON_ACTOR).counts()
    except (SQLAlchemyError, MailintakeError) as exc:
        log.warning("retention failed: %s", type(exc).__name__)
        return None
    log.info("retention: %s", counts)
    return counts
