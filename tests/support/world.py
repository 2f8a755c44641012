"""A world: one mailbox user on a real Dovecot, one database (SQLite or PostgreSQL), an SMTP sink, one config file.

The `world` and `make_world` fixtures (tests/conftest.py) build them; tests
deliver mail, poll, and run the real CLI against them.
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from devkit.devmail import LocalDovecot, SmtpSink
from devkit.harness import local_config, run_cli, write_config
from mailintake.config import Config
from mailintake.intake.poll import Intake
from mailintake.mail.imap import Mailbox
from mailintake.store.database import Database
from mailintake.store.models import Case, MessageRecord
from tests.support.pg import LocalPostgres

PASSWORD_ENV = "MAILINTAKE_TEST_IMAP_PASSWORD"
# What every test world sets beyond the server connections.
TEST_SETTINGS = {
    "mailbox": {"timeout_seconds": 30.0},
    "intake": {"own_addresses": ["ombudsdienst@leuven.example.be"]},
    "smtp": {"from_address": "ombudsdienst@leuven.example.be", "timeout_seconds": 10.0},
    "daemon": {"health_port": 0},  # tests that probe /healthz pick a free port
    # the fault and scale tests send hundreds of acknowledgements to a few test domains within minutes
    "acknowledgement": {"max_acks_per_domain_per_day": 1_000_000, "max_acks_per_hour": 1_000_000},
}


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


def world_config(dovecot: LocalDovecot, sink: SmtpSink, user: str, database_url: str, **overrides) -> dict:
    """The test world's config; an override of None removes that key."""
    data = local_config(dovecot, sink, user, database_url, password_env=PASSWORD_ENV)
    for changes in (TEST_SETTINGS, overrides):
        for section, values in changes.items():
            data.setdefault(section, {}).update(values)
    return {section: {k: v for k, v in values.items() if v is not None} for section, values in data.items()}


@dataclass
class World:
    """One mailbox user on the shared Dovecot, one database, one config pointing at both."""

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

    @property
    def env(self) -> dict:
        """What a mailintake process of this world needs in its environment."""
        return {PASSWORD_ENV: self.password}

    def empty_database_url(self) -> str:
        """A database with no schema at all, for testing the schema check."""
        return self.databases.empty(self.tmp, self.user)

    def write_config(self, path: Path, **overrides) -> Path:
        """Another config file for this world (e.g. one per daemon), with section overrides."""
        data = {section: dict(values) for section, values in self.data.items()}
        for section, values in overrides.items():
            data.setdefault(section, {}).update(values)
        return write_config(path, data)

    def deliver(self, *messages: bytes, folder: str = "INBOX") -> list[int]:
        return self.dovecot.append_many(self.user, folder, messages)

    def uids(self, folder: str) -> list[int]:
        return self.dovecot.uids(self.user, folder)

    def poll(self, **intake):
        """One poll in this process; `workers=0` analyses here too (for tests that patch the analysis)."""
        config = dataclasses.replace(self.config, intake=dataclasses.replace(self.config.intake, **intake))
        with Mailbox.connect(config.mailbox, password=self.password) as mailbox:
            return Intake(config, self.database).poll_once(mailbox)

    def cli(self, *args: str, env: dict | None = None, check: bool = True) -> subprocess.CompletedProcess:
        return run_cli(self.config_path, *args, env={**self.env, **(env or {})}, cwd=self.tmp, check=check)

    def cli_json(self, *args: str, env: dict | None = None):
        return json.loads(self.cli(*args, env=env).stdout)

    def outcomes(self) -> dict[str, int]:
        """How many messages have each outcome (None: not decided yet)."""
        with self.database.unit_of_work() as session:
            rows = session.execute(select(MessageRecord.outcome, func.count()).group_by(MessageRecord.outcome)).all()
        return dict(rows)

    def case_count(self) -> int:
        with self.database.unit_of_work() as session:
            return session.scalar(select(func.count()).select_from(Case))
