"""Shared fixtures: a real Dovecot on 127.0.0.1 for the session, a fresh mailbox user and
database per test, and a `world` that wires them into a mailintake config.

Every test that uses `world` or `make_world` runs once per database in
`--databases` (default `$MAILINTAKE_TEST_DATABASES`, else "sqlite,postgresql"):
an SQLite file, and a fresh database on a throw-away PostgreSQL cluster this
session starts itself (tests/support/pg.py). Without PostgreSQL binaries the
postgresql runs are skipped, unless PostgreSQL was asked for explicitly (as
`.ci/run` does), where they fail.
"""

from __future__ import annotations

import itertools
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from devkit.devmail import LocalDovecot, SmtpSink
from devkit.harness import write_config
from mailintake.config import from_dict
from mailintake.store.database import Database

from .support.faultkit import TABLE
from .support.pg import LocalPostgres, PostgresUnavailable
from .support.world import PostgresDatabases, SqliteDatabases, World, world_config

DATABASES_ENV = "MAILINTAKE_TEST_DATABASES"
KNOWN_DATABASES = ("sqlite", "postgresql")
_user_numbers = itertools.count(1)


def pytest_addoption(parser):
    parser.addoption(
        "--databases",
        default=None,
        help=f"comma-separated databases for DB tests: sqlite,postgresql (default ${DATABASES_ENV} or both)",
    )


def selected_databases(config) -> tuple[list[str], bool]:
    """The databases to run DB tests on, and whether they were chosen explicitly."""
    chosen = config.getoption("--databases") or os.environ.get(DATABASES_ENV)
    names = [n.strip() for n in (chosen or ",".join(KNOWN_DATABASES)).split(",") if n.strip()]
    unknown = sorted(set(names) - set(KNOWN_DATABASES))
    if unknown:
        raise pytest.UsageError(f"--databases: unknown database {unknown[0]!r} (sqlite, postgresql)")
    return names, bool(chosen)


def pytest_generate_tests(metafunc):
    if "database_kind" in metafunc.fixturenames:
        names, _ = selected_databases(metafunc.config)
        if metafunc.definition.get_closest_marker("one_database"):  # the intake and outbox are tested on each
            names = names[:1]
        metafunc.parametrize("database_kind", names, scope="session")


@pytest.fixture(scope="session")
def postgres_cluster(request):
    """A PostgreSQL cluster for the whole session, started on first use."""
    _, explicit = selected_databases(request.config)
    try:
        cluster = LocalPostgres(Path(tempfile.mkdtemp(prefix="mailintake-pg-")))
    except PostgresUnavailable as exc:
        if explicit:
            raise
        pytest.skip(str(exc))
    cluster.start()
    yield cluster
    cluster.destroy()


@pytest.fixture(scope="session")
def databases(database_kind, request):
    if database_kind == "postgresql":
        return PostgresDatabases(request.getfixturevalue("postgres_cluster"))
    return SqliteDatabases()


@pytest.fixture(scope="session")
def dovecot():
    # Not under pytest's basetemp: another pytest run may reset /tmp/pytest-of-root
    # to mode 0700, which Dovecot's unprivileged processes cannot traverse.
    root = Path(tempfile.mkdtemp(prefix="mailintake-dovecot-"))
    server = LocalDovecot(root, users={})
    server.start()
    yield server
    server.stop()
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def make_world(dovecot, tmp_path, databases):
    """Worlds on the session Dovecot (or `imap=` another LocalDovecot), one database each."""
    created: list[World] = []
    sinks: list[SmtpSink] = []

    def make(imap: LocalDovecot | None = None, check_token=None, **overrides) -> World:
        """`check_token(user, token)`: the SMTP sink then requires AUTH XOAUTH2 and asks it about each token."""
        server = imap or dovecot
        user = f"user{next(_user_numbers)}"
        password = f"pw-{user}"
        server.add_user(user, password)
        base = tmp_path / user
        base.mkdir()
        smtp = SmtpSink(check_token=check_token).start()
        sinks.append(smtp)
        url = databases.new(base, f"w_{os.getpid()}_{user}")
        data = world_config(server, smtp, user, url, **overrides)
        config_path = write_config(base / "config.toml", data)
        database = Database(url)
        database.upgrade()
        world = World(
            server, user, password, base, from_dict(data, str(config_path)), config_path, database, smtp, databases, data
        )
        created.append(world)
        return world

    yield make
    for world in created:
        world.database.dispose()
        databases.drop(world.database.url)
    for sink in sinks:
        sink.stop()


@pytest.fixture
def world(make_world) -> World:
    return make_world()


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """The fault table of this session (tests/support/faultkit.py), as `make faults` prints it."""
    if TABLE.rows:
        TABLE.save()
        terminalreporter.write_sep("=", "fault table")
        terminalreporter.write_line(TABLE.markdown())
