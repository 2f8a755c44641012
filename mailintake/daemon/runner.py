"""`mailintake run`: the scheduler that polls the mailbox and relays the outbox until told to stop.

Jobs (APScheduler, one process): `poll` at an interval and at once when IMAP
IDLE reports new mail; `relay` at an interval and right after a poll that
queued mail. Only the daemon holding the mailbox's poller lock polls; others
stand by, relay the outbox, and take over when the lock comes free.
SIGTERM/SIGINT finish the message at hand, log out and exit 0.

When the database goes away (restart, failover, full disk) the jobs stop at
the first failing statement, nothing is moved, `/healthz` turns not-ready, and
a `health` job retries with capped backoff; once the database answers again it
wakes the poll and the relay. Mailbox faults are handled the same way.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from datetime import datetime

from apscheduler.events import EVENT_SCHEDULER_START
from apscheduler.schedulers import SchedulerNotRunningError
from apscheduler.schedulers.blocking import BlockingScheduler
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from ..backoff import backoff
from ..config import Config
from ..errors import MailboxError, MailintakeError, TokenError
from ..intake.poll import Intake
from ..mail.imap import Mailbox
from ..outbox.queue import waiting_for_address
from ..outbox.relay import Relay
from ..store.database import Database, database_unavailable, describe
from ..store.locks import PollerLock
from ..store.models import OutboxMessage, OutboxStatus, utcnow
from .daily import add_daily_jobs
from .health import Health

log = logging.getLogger(__name__)

MAILBOX_RECHECK_SECONDS = 60.0  # how often a standby daemon logs in to report the mailbox reachable
FIRST_RECONNECT_SECONDS = 2.0


class Daemon:
    def __init__(self, config: Config, database: Database, mailbox_factory=None, relay: Relay | None = None):
        self.config = config
        self.box = config.require_mailbox()
        self.database = database
        self.connect = mailbox_factory or (lambda: Mailbox.connect(self.box))
        self.intake = Intake(config, database)
        self.relay = relay or Relay(config, database, mailbox_factory=self.connect)
        self.lock = PollerLock(database, self.box.name, config.daemon.lock_dir)
        self.stop = threading.Event()
        self.scheduler = BlockingScheduler(timezone=config.intake.zone)
        self._started = threading.Event()
        self._jobs_done = threading.Event()
        self.scheduler.add_listener(lambda _event: self._started.set(), EVENT_SCHEDULER_START)
        self._standby_logged = False
        self._idle_thread: threading.Thread | None = None
        self.health = Health(config.daemon.poll_limit_seconds)
        self._health_server = None
        self._db_failures = 0
        self._db_retry_at = 0.0
        self._mailbox_checked_at = 0.0
        self._relay_lock = threading.Lock()
        self._relay_wanted = threading.Event()

    def run(self) -> int:
        self._install_signal_handlers()
        settings = self.config.daemon
        if settings.health_port:
            self._health_server = self.health.serve(settings.health_host, settings.health_port)
        self.scheduler.add_job(
            self.health_job, "interval", seconds=settings.health_check_seconds, id="health",
            max_instances=1, coalesce=True, next_run_time=datetime.now(self.config.intake.zone),
        )
        self.scheduler.add_job(
            self.poll_job, "interval", seconds=settings.poll_interval_seconds, id="poll",
            max_instances=1, coalesce=True, next_run_time=datetime.now(self.config.intake.zone),
        )
        self.scheduler.add_job(
            self.relay_job, "interval", seconds=settings.relay_interval_seconds, id="relay",
            max_instances=1, coalesce=True, next_run_time=datetime.now(self.config.intake.zone),
        )
        self.scheduler.add_job(
            self.standby_job, "interval", seconds=settings.standby_check_seconds, id="standby",
            max_instances=1, coalesce=True,
        )
        add_daily_jobs(self.scheduler, self.config, self.database, active=lambda: self.lock.held)
        log.info("daemon started for mailbox %s on %s:%s", self.box.name, self.box.host, self.box.port)
        try:
            if not self.stop.is_set():  # a signal during start-up: nothing to run
                self.scheduler.start()
                self._jobs_done.wait()  # start() returns at once on stop; the jobs at hand finish first
        finally:
            self._shutdown()
        log.info("daemon stopped")
        return 0

    def request_stop(self, *_args) -> None:
        if self.stop.is_set():
            return
        log.info("stop requested; finishing the message at hand")
        self.stop.set()
        threading.Thread(target=self._stop_scheduler, daemon=True).start()

    def _stop_scheduler(self) -> None:
        self._started.wait()  # a signal during start-up waits for the scheduler it must stop
        try:
            self.scheduler.shutdown(wait=True)  # returns once the running jobs are done
        except SchedulerNotRunningError:
            pass
        finally:
            self._jobs_done.set()

    def poll_job(self) -> None:
        if self.stop.is_set() or self._backing_off():
            return
        started = time.monotonic()
        try:
            if not self._hold_lock():
                return
            self.health.poll_started()  # a poll stuck longer than poll_limit_seconds turns /healthz not ready
            with self.connect() as mailbox:
                self._mailbox_ok()
                result = self.intake.poll_once(mailbox, stop=self.stop)
        except (MailboxError, TokenError) as exc:
            self.health.poll_ended()
            self.health.mailbox_checked(False, str(exc))
            log.warning("poll failed: %s", exc)
            return
        except SQLAlchemyError as exc:
            self.health.poll_ended()
            self._database_failed(exc, "poll")
            return
        self.health.poll_done(result, time.monotonic() - started)
        if result.fetched:
            log.info("poll: %s", result.to_json())
        if result.cases or result.follow_ups:
            self.relay_job()

    def relay_job(self) -> None:
        """Send what is due. One relay at a time per process, so a death catches at most one mail
        between the server's 250 and its mark; a request meanwhile makes the running relay go round again."""
        self._relay_wanted.set()
        if not self._relay_lock.acquire(blocking=False):
            return
        try:
            while self._relay_wanted.is_set() and not self.stop.is_set() and not self._backing_off():
                self._relay_wanted.clear()
                self._relay_once()
        finally:
            self._relay_lock.release()

    def _relay_once(self) -> None:
        try:
            result = self.relay.send_due()
        except MailintakeError as exc:
            log.warning("relay failed: %s", exc)
            return
        except SQLAlchemyError as exc:
            self._database_failed(exc, "relay")
            return
        if result.sent or result.deferred or result.failed:
            log.info("relay: %s", result.to_json())

    def standby_job(self) -> None:
        """A standby daemon takes over as soon as the poller lock is free."""
        if self._backing_off():
            return
        try:
            if not self.lock.held and self._hold_lock():
                self._wake_poll()
        except SQLAlchemyError as exc:
            self._database_failed(exc, "standby check")

    def health_job(self) -> None:
        """Check what `/healthz` reports; after a database outage, wake the poll and the relay."""
        if self.stop.is_set():
            return
        self._check_database()
        self._check_mailbox()

    def _check_database(self) -> None:
        if self._backing_off():
            return
        try:
            pending, oldest_age, without_address = outbox_backlog(self.database)
        except SQLAlchemyError as exc:
            self._database_failed(exc, "health check")
            return
        self.health.outbox_seen(pending, oldest_age, without_address)
        self.health.database_checked(True)
        if self._db_failures:
            log.info("database reachable again; resuming")
            self._db_failures = 0
            self._wake_poll()
            self._wake("relay")

    def _check_mailbox(self) -> None:
        """The poller learns from its polls and IDLE; a standby logs in now and then, anyone after a failure."""
        if self.health.is_up("mailbox") and (
            self.lock.held or time.monotonic() - self._mailbox_checked_at < MAILBOX_RECHECK_SECONDS
        ):
            return
        try:
            with self.connect():
                self._mailbox_ok()
        except (MailboxError, TokenError) as exc:
            self.health.mailbox_checked(False, str(exc))

    def _mailbox_ok(self) -> None:
        self._mailbox_checked_at = time.monotonic()
        self.health.mailbox_checked(True)

    def _database_failed(self, exc: SQLAlchemyError, job: str) -> None:
        """Back off after a database outage; anything else is a bug and is raised."""
        if not database_unavailable(exc):
            raise exc
        self._db_failures += 1
        delay = reconnect_delay(self._db_failures, self.config.daemon.reconnect_max_seconds)
        self._db_retry_at = time.monotonic() + delay
        self.health.database_checked(False, describe(exc))
        log.warning("%s: database unavailable (%s); nothing moved, retrying in %.1fs", job, describe(exc), delay)

    def _backing_off(self) -> bool:
        return time.monotonic() < self._db_retry_at

    def _hold_lock(self) -> bool:
        if self.lock.held and self.lock.still_held():
            return True
        if self.lock.try_acquire():
            log.info("polling mailbox %s (poller lock acquired)", self.box.name)
            self._standby_logged = False
            self._start_idle_watcher()
            return True
        if not self._standby_logged:
            log.info("standby: another daemon polls mailbox %s; relaying only", self.box.name)
            self._standby_logged = True
        return False

    def _wake_poll(self) -> None:
        self._wake("poll")

    def _wake(self, job: str) -> None:
        if not self.stop.is_set():
            self.scheduler.modify_job(job, next_run_time=datetime.now(self.config.intake.zone))

    def _start_idle_watcher(self) -> None:
        if not self.config.daemon.idle or self._idle_thread is not None:
            return
        self._idle_thread = threading.Thread(target=self._idle_loop, name="imap-idle", daemon=True)
        self._idle_thread.start()

    def _idle_loop(self) -> None:
        """Hold an IDLE connection; on news (and after every reconnect) run the poll at once."""
        failures = 0
        renew = self.config.daemon.idle_renew_minutes * 60
        while not self.stop.is_set():
            try:
                with self.connect() as mailbox:
                    if not mailbox.supports_idle():
                        log.info("IMAP server has no IDLE; polling every %ss", self.config.daemon.poll_interval_seconds)
                        return
                    mailbox.open(self.box.folder)
                    self._mailbox_ok()
                    failures = 0
                    self._wake_poll()
                    while not self.stop.is_set():
                        if mailbox.idle_until_news(renew, self.stop.is_set):
                            self._wake_poll()
            except (MailboxError, TokenError, OSError) as exc:
                self.health.mailbox_checked(False, str(exc))
                failures += 1
                delay = reconnect_delay(failures, self.config.daemon.reconnect_max_seconds)
                log.warning("IDLE connection lost (%s); reconnecting in %.0fs", exc, delay)
                self.stop.wait(delay)

    def _install_signal_handlers(self) -> None:
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, self.request_stop)
            signal.signal(signal.SIGINT, self.request_stop)

    def _shutdown(self) -> None:
        self.stop.set()
        if self._idle_thread is not None:
            self._idle_thread.join(timeout=10)
        self.lock.release()
        if self._health_server is not None:
            self._health_server.close()


def outbox_backlog(database: Database) -> tuple[int, float, int]:
    """Pending outbox mails, the age in seconds of the oldest (0 when none), and the cases waiting for an address."""
    with database.unit_of_work() as session:
        count, oldest = session.execute(
            select(func.count(), func.min(OutboxMessage.created_at)).where(OutboxMessage.status == OutboxStatus.PENDING)
        ).one()
        without_address = waiting_for_address(session)
    return count, (utcnow() - oldest).total_seconds() if oldest is not None else 0.0, without_address


def reconnect_delay(failures: int, cap: float) -> float:
    """Seconds before the next try after `failures` in a row: from 2 s, doubling, at most `cap`."""
    return backoff(failures, FIRST_RECONNECT_SECONDS, cap)
