"""Shared fixtures: a real Dovecot on 127.0.0.1 for the session, a fresh mailbox user and
database per test, and a `world` that wires them into a mailintake config.

Every test that uses `world` or `make_world` runs once per database in
`--databases` (default `$MAILINTAKE_TEST_DATABASES`, else "sqlite,postgresql"):
an SQLite file, and a fresh database on a throw-away PostgreSQL cluster this
session starts itself (tests/pg.py). Without PostgreSQL binaries the
postgresql runs are skipped, unless PostgreSQL was asked for explicitly (as
`.ci/run` does), where they fail.
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from mailintake.config import Config, from_dict
from mailintake.db import Database
from mailintake.devmail import LocalDovecot, SmtpSink

from .pg import LocalPostgres, PostgresUnavailable

ROOT = Path(__file__).resolve().parents[1]
MAILS = ROOT / "tests" / "mails"
SHARED = Path(os.environ.get("MAILINTAKE_SHARED", ROOT.parent / "shared"))
PASSWORD_ENV = "MAILINTAKE_TEST_IMAP_PASSWORD"
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
        metafunc.parametrize("database_kind", names, scope="session")


class SqliteDatabases:
    """One SQLite file per world."""

    kind = "sqlite"

    def new(self, base: Path, name: str) -> str:
        return f"sqlite:///{base}/mailintake.sqlite"

    def empty(self, base: Path, name: str) -> str:
        return f"sqlite:///{base}/{name}-empty.sqlite"

    def drop(self, url: str) -> None:
        pass


class PostgresDatabases:
    """One database per world on the session's cluster, copied from a migrated template."""

    kind = "postgresql"
    TEMPLATE = "mailintake_template"

    def __init__(self, cluster: LocalPostgres):
        self.cluster = cluster
        self._template_ready = False

    def _template(self) -> str:
        if not self._template_ready:
            self.cluster.drop_database(self.TEMPLATE)
            database = Database(self.cluster.create_database(self.TEMPLATE))
            database.upgrade()
            database.dispose()
            self._template_ready = True
        return self.TEMPLATE

    def new(self, base: Path, name: str) -> str:
        return self.cluster.create_database(name, template=self._template())

    def empty(self, base: Path, name: str) -> str:
        return self.cluster.create_database(f"{name}_empty")

    def drop(self, url: str) -> None:
        self.cluster.drop_database(url.rsplit("/", 1)[1])


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


def shared_path(*parts: str) -> Path:
    """A path under ../shared; the test is skipped where that material is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is not available")
    return path


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


@dataclass
class World:
    """One mailbox user on the shared Dovecot, one SQLite database, one config pointing at both."""

    dovecot: LocalDovecot
    user: str
    password: str
    tmp: Path
    config: Config
    config_path: Path
    database: Database
    smtp: SmtpSink
    databases: SqliteDatabases | PostgresDatabases
    data: dict

    @property
    def database_kind(self) -> str:
        return self.databases.kind

    def empty_database_url(self) -> str:
        """A database with no schema at all, for testing the schema check."""
        return self.databases.empty(self.tmp, self.user)

    def write_config(self, path: Path, **overrides) -> Path:
        """Another config file for this world (e.g. one per daemon), with section overrides."""
        data = {section: dict(values) for section, values in self.data.items()}
        for section, values in overrides.items():
            data.setdefault(section, {}).update(values)
        path.write_text(to_toml(data))
        return path

    def deliver(self, *messages: bytes, folder: str = "INBOX") -> list[int]:
        return self.dovecot.append_many(self.user, folder, messages)

    def uids(self, folder: str) -> list[int]:
        return self.dovecot.uids(self.user, folder)

    def poll(self):
        from mailintake.intake import Intake
        from mailintake.mailbox import Mailbox

        with Mailbox.connect(self.config.mailbox, password=self.password) as mailbox:
            return Intake(self.config, self.database).poll_once(mailbox)

    def cli(self, *args: str, env: dict | None = None, check: bool = True) -> subprocess.CompletedProcess:
        full_env = {**os.environ, PASSWORD_ENV: self.password, **(env or {})}
        done = subprocess.run(
            [sys.executable, "-m", "mailintake", "--config", str(self.config_path), *args],
            capture_output=True, text=True, env=full_env, cwd=self.tmp, timeout=300,
        )
        if check and done.returncode != 0:
            raise AssertionError(f"mailintake {' '.join(args)} exited {done.returncode}: {done.stderr}")
        return done

    def cli_json(self, *args: str, env: dict | None = None):
        return json.loads(self.cli(*args, env=env).stdout)


def world_config(dovecot: LocalDovecot, sink: SmtpSink, user: str, database_url: str, **overrides) -> dict:
    data = {
        "mailbox": {
            "host": dovecot.host,
            "port": dovecot.port,
            "security": "none",
            "username": user,
            "password_env": PASSWORD_ENV,
            "timeout_seconds": 30.0,
        },
        "database": {"url": database_url},
        "intake": {"own_addresses": ["ombudsdienst@leuven.example.be"]},
        "smtp": {
            "host": sink.host,
            "port": sink.port,
            "security": "none",
            "from_address": "ombudsdienst@leuven.example.be",
            "timeout_seconds": 10.0,
        },
        "daemon": {"health_port": 0},  # tests that probe /healthz pick a free port
    }
    for section, values in overrides.items():
        data.setdefault(section, {}).update(values)
    return data


def to_toml(data: dict) -> str:
    lines = []
    for section, values in data.items():
        lines.append(f"[{section}]")
        for key, value in values.items():
            lines.append(f"{key} = {json.dumps(value)}")
    return "\n".join(lines) + "\n"


@pytest.fixture
def make_world(dovecot, tmp_path, databases):
    """Worlds on the session Dovecot (or `imap=` another LocalDovecot), one database each."""
    created: list[World] = []
    sinks: list[SmtpSink] = []

    def make(imap: LocalDovecot | None = None, **overrides) -> World:
        server = imap or dovecot
        user = f"user{next(_user_numbers)}"
        password = f"pw-{user}"
        server.add_user(user, password)
        base = tmp_path / user
        base.mkdir()
        smtp = SmtpSink().start()
        sinks.append(smtp)
        url = databases.new(base, f"w_{os.getpid()}_{user}")
        data = world_config(server, smtp, user, url, **overrides)
        config_path = base / "config.toml"
        config_path.write_text(to_toml(data))
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


def read_mail(name: str) -> bytes:
    return (MAILS / name).read_bytes()


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """The fault table of this session (tests/faultkit.py), as `make faults` prints it."""
    from .faultkit import TABLE

    if TABLE.rows:
        TABLE.save()
        terminalreporter.write_sep("=", "fault table")
        terminalreporter.write_line(TABLE.markdown())
