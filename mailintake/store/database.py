"""Engine and sessions: durable SQLite settings, schema migrations, a unit-of-work context manager.

SQLite (embedded) and PostgreSQL (`postgresql+psycopg://…`, production) run
the same models and migrations. `database_unavailable(exc)` tells a fault of
the database server or its disk (gone, restarting, full) from a fault of the
data, so callers back off instead of blaming the message at hand.
"""

from __future__ import annotations

import logging
import os
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Iterator

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session, sessionmaker

from ..errors import MailintakeError, SchemaOutdatedError
from . import search

log = logging.getLogger(__name__)

PG_CONNECT_TIMEOUT = 10  # seconds; a stopped server is noticed quickly, a slow one gets time
_DISK_FULL = ("database or disk is full", "no space left on device", "could not extend file")


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30})
        _make_private(engine.url.database)
        _make_sqlite_durable(engine)
    elif url.startswith("postgresql"):
        engine = create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": PG_CONNECT_TIMEOUT})
    else:
        engine = create_engine(url, pool_pre_ping=True)
    event.listen(engine, "handle_error", _log_disk_full)
    return engine


def database_unavailable(error: BaseException) -> bool:
    """True when `error` is the database's fault (server gone, restarting, disk full, locked), not the data's."""
    if isinstance(error, (sa_exc.OperationalError, sa_exc.InterfaceError)):
        return True
    return isinstance(error, sa_exc.DBAPIError) and bool(error.connection_invalidated)


def describe(error: BaseException) -> str:
    """One line about a database error, without the SQL or its parameters (which may hold mail)."""
    original = getattr(error, "orig", None) or error
    first = (str(original).strip().splitlines() or [""])[0]
    return f"{type(original).__name__}: {first}"[:300]


def disk_full(error: BaseException) -> bool:
    original = getattr(error, "orig", None) or error
    return getattr(original, "sqlstate", None) == "53100" or any(m in str(original).lower() for m in _DISK_FULL)


def _log_disk_full(context) -> None:
    if disk_full(context.original_exception):
        log.error(
            "database is full (%s): the transaction is rolled back and its messages stay in the INBOX",
            describe(context.original_exception),
        )


def _make_private(path: str | None) -> None:
    """The SQLite file holds all raw mail and the password hashes: 0600 (a new folder for it 0700); its -wal and
    -shm files get the same mode from SQLite."""
    if not path or path == ":memory:" or path.startswith("file:"):
        return
    database = Path(path)
    missing = [folder for folder in (database.parent, *database.parent.parents) if not folder.exists()]
    for folder in reversed(missing):  # each folder we make is ours alone, not only the last one
        folder.mkdir(mode=0o700)
    os.close(os.open(database, os.O_RDWR | os.O_CREAT, 0o600))
    for file in (database, database.with_name(database.name + "-wal"), database.with_name(database.name + "-shm")):
        if file.exists() and file.stat().st_mode & 0o077:
            file.chmod(0o600)


def _make_sqlite_durable(engine: Engine) -> None:
    """WAL, synchronous=FULL, foreign keys, secure_delete; BEGIN IMMEDIATE so writers queue instead of failing."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA secure_delete=ON")  # erased mail is overwritten, not left in free pages
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE")


class Database:
    """An engine plus a session factory; `unit_of_work()` commits on success, rolls back on error."""

    def __init__(self, url: str):
        self.url = url
        self.engine = make_engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        search.watch(self._sessions)  # every commit that changes a case file rewrites its search entry

    def session(self) -> Session:
        """A new session the caller commits and closes itself (one per web request)."""
        return self._sessions()

    @contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        session = self._sessions()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def upgrade(self, revision: str = "head") -> None:
        """Migrate the schema to `revision` (the newest by default), in one transaction."""
        from alembic import command  # imported here: most commands never migrate

        sqlite = self.engine.dialect.name == "sqlite"
        with self.engine.connect() as connection:
            if sqlite:  # batch migrations rebuild tables others point at; SQLite checks that only between statements
                connection.connection.dbapi_connection.execute("PRAGMA foreign_keys=OFF")
            try:
                with connection.begin():
                    config = _alembic_config(self.url)
                    config.attributes["connection"] = connection
                    command.upgrade(config, revision)
                    if sqlite:
                        _require_foreign_keys_hold(connection)
            finally:
                if sqlite:
                    connection.invalidate()  # never back to the pool without its foreign keys

    def current_revision(self) -> str | None:
        """The schema's revision as alembic recorded it (read directly: alembic costs a tenth of a second to import)."""
        with self.engine.connect() as connection:
            if not inspect(connection).has_table("alembic_version"):
                return None
            return connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()

    def require_current_schema(self) -> None:
        head = head_revision()
        current = self.current_revision()
        if current != head:
            raise SchemaOutdatedError(
                f"database schema is at {current or 'nothing'}, this program needs {head}: "
                "run `mailintake db upgrade`"
            )

    def dispose(self) -> None:
        self.engine.dispose()


def _require_foreign_keys_hold(connection) -> None:
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        table, row, parent, _ = broken[0]
        raise MailintakeError(f"the migration left {len(broken)} broken references (first: {table} row {row} -> "
                                  f"{parent}); nothing was changed")


def head_revision() -> str:
    """The newest migration: revisions are numbered like their files (0001_initial_schema.py is '0001')."""
    versions = resources.files(__package__) / "migrations" / "versions"
    return max(entry.name[:4] for entry in versions.iterdir() if entry.name[:4].isdigit())


def _alembic_config(url: str):
    from alembic.config import Config as AlembicConfig

    config = AlembicConfig()
    config.set_main_option("script_location", str(resources.files(__package__) / "migrations"))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config
