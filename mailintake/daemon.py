"""`mailintake run`: the scheduler that polls the mailbox and relays the outbox until told to stop.

Jobs (APScheduler, one process): `poll` at an interval and at once when IMAP
IDLE reports new mail; `relay` at an interval and right after a poll that
queued mail. Only the daemon holding the mailbox's poller lock polls; others
stand by, relay the outbox, and take over when the lock comes free.
SIGTERM/SIGINT finish the message at hand, log out and exit 0.
"""

from __future__ import annotations

import logging
import random
import signal
import threading
from datetime import datetime

from apscheduler.schedulers import SchedulerNotRunningError
from apscheduler.schedulers.blocking import BlockingScheduler

from .config import Config
from .db import Database
from .errors import MailboxError, MailintakeError
from .intake import Intake
from .locks import PollerLock
from .mailbox import Mailbox
from .outbox import Relay

log = logging.getLogger(__name__)


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
        self._standby_logged = False
        self._idle_thread: threading.Thread | None = None

    def run(self) -> int:
        self._install_signal_handlers()
        settings = self.config.daemon
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
        log.info("daemon started for mailbox %s on %s:%s", self.box.name, self.box.host, self.box.port)
        try:
            self.scheduler.start()
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
        try:
            self.scheduler.shutdown(wait=True)
        except SchedulerNotRunningError:
            pass

    def poll_job(self) -> None:
        if self.stop.is_set() or not self._hold_lock():
            return
        try:
            with self.connect() as mailbox:
                result = self.intake.poll_once(mailbox, stop=self.stop)
        except MailboxError as exc:
            log.warning("poll failed: %s", exc)
            return
        if result.fetched:
            log.info("poll: %s", result.to_json())
        if result.cases or result.follow_ups:
            self.relay_job()

    def relay_job(self) -> None:
        if self.stop.is_set():
            return
        try:
            result = self.relay.send_due()
        except MailintakeError as exc:
            log.warning("relay failed: %s", exc)
            return
        if result.sent or result.deferred or result.failed:
            log.info("relay: %s", result.to_json())

    def standby_job(self) -> None:
        """A standby daemon takes over as soon as the poller lock is free."""
        if not self.lock.held and self._hold_lock():
            self._wake_poll()

    def _hold_lock(self) -> bool:
        if self.lock.held:
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
        if not self.stop.is_set():
            self.scheduler.modify_job("poll", next_run_time=datetime.now(self.config.intake.zone))

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
                    failures = 0
                    self._wake_poll()
                    while not self.stop.is_set():
                        if mailbox.idle_until_news(renew, self.stop.is_set):
                            self._wake_poll()
            except (MailboxError, OSError) as exc:
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


def reconnect_delay(failures: int, cap: float) -> float:
    """Capped exponential backoff with full jitter."""
    return random.uniform(0.5, 1.0) * min(cap, 2.0 ** min(failures, 16))
