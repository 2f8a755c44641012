"""One poller per mailbox: a lock the operating system or the database releases when a process dies.

SQLite: `flock` on a file next to the database. PostgreSQL: a session-level
advisory lock (one key per mailbox) on a connection of its own, taken out of
the pool, so closing it really ends the session and frees the lock. A server
restart ends that session too: `still_held()` notices, and the daemon stands
by until it wins the lock again. Never a PID file.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from .database import Database

log = logging.getLogger(__name__)


class PollerLock:
    def __init__(self, database: Database, mailbox_name: str, lock_dir: str = ""):
        self.database = database
        self.mailbox_name = mailbox_name
        self.lock_dir = lock_dir
        self._fd: int | None = None
        self._connection = None

    @property
    def held(self) -> bool:
        return self._fd is not None or self._connection is not None

    def try_acquire(self) -> bool:
        if self.held:
            return True
        if self.database.engine.dialect.name == "postgresql":
            return self._try_advisory()
        return self._try_flock()

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
        if self._connection is not None:
            connection, self._connection = self._connection, None
            try:
                connection.close()  # detached from the pool: ends the session, which frees the lock
            except SQLAlchemyError:
                pass  # the session is gone already, and the lock with it

    def still_held(self) -> bool:
        """Whether the lock is still ours; False (and released) when the database session that held it died."""
        if self._connection is None:
            return self._fd is not None
        try:
            self._connection.execute(text("SELECT 1"))
            self._connection.commit()
            return True
        except SQLAlchemyError:
            log.warning("poller lock on mailbox %s lost: its database session ended", self.mailbox_name)
            self.release()
            return False

    def path(self) -> Path:
        database = self.database.engine.url.database
        safe_name = "".join(c if c.isalnum() else "_" for c in self.mailbox_name)
        if self.lock_dir:
            folder = Path(self.lock_dir)
        elif database and database != ":memory:":
            folder = Path(database).resolve().parent
        else:
            folder = Path("/tmp")
        stem = Path(database).name if database and database != ":memory:" else "mailintake"
        return folder / f"{stem}.{safe_name}.poller.lock"

    def _try_flock(self) -> bool:
        fd = os.open(self.path(), os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        self._fd = fd
        return True

    def _try_advisory(self) -> bool:
        connection = self.database.engine.connect()
        try:
            got = connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": self.advisory_key()}).scalar()
            connection.commit()
        except BaseException:
            connection.invalidate()
            connection.close()
            raise
        if got:
            connection.detach()  # never back to the pool while it holds the lock
            self._connection = connection
            return True
        connection.close()
        return False

    def advisory_key(self) -> int:
        """A signed 64-bit key per mailbox name."""
        return int.from_bytes(hashlib.sha256(f"mailintake:poll:{self.mailbox_name}".encode()).digest()[:8], "big", signed=True)
