"""`mailintake db backup PATH`: a consistent online copy of the embedded SQLite database, attachments included.

SQLite's backup API copies the database while the daemon keeps working: in
WAL mode the copy reads one consistent snapshot and writers are not blocked.
Attachments live in the database (`blobs`), so the copy holds them too. The
copy is written next to PATH, checked with `PRAGMA integrity_check`, made
private (0600) and only then renamed to PATH. PostgreSQL is backed up with
its own tools (`pg_dump`).

Restore: stop the services, put the copy where `[database] url` points, start.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import asdict, dataclass
from pathlib import Path

from ..errors import MailintakeError
from .database import Database

PG_DUMP_HINT = "pg_dump --format=custom --file=mailintake-$(date +%F).dump 'postgresql://mailintake@HOST/mailintake'"


@dataclass(frozen=True)
class Backup:
    path: str
    bytes: int
    integrity: str

    def to_json(self) -> dict:
        return asdict(self)


def backup(database: Database, target: Path) -> Backup:
    if database.engine.dialect.name != "sqlite":
        raise MailintakeError(f"db backup copies the embedded SQLite database; back up PostgreSQL with: {PG_DUMP_HINT}")
    target = target.resolve()
    if target.exists():
        raise MailintakeError(f"{target}: exists already; give a new file name")
    partial = target.with_name(f".{target.name}.partial")
    try:
        _copy(database, partial)
        integrity = _integrity(partial)
        if integrity != "ok":
            raise MailintakeError(f"{target}: the copy failed its integrity check: {integrity}")
        os.replace(partial, target)
    except OSError as exc:
        raise MailintakeError(f"{target}: cannot write the backup: {exc.strerror}") from None
    finally:
        partial.unlink(missing_ok=True)
    return Backup(str(target), target.stat().st_size, integrity)


def _copy(database: Database, partial: Path) -> None:
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # private before anything is in it
    os.close(fd)
    source = database.engine.raw_connection()
    try:
        copy = sqlite3.connect(partial)
        try:
            source.driver_connection.backup(copy)  # one step: one consistent snapshot
        finally:
            copy.close()
    finally:
        source.close()


def _integrity(path: Path) -> str:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return connection.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        connection.close()
