"""Shared fixtures: a real Dovecot on 127.0.0.1 for the session, a fresh mailbox user and
SQLite database per test, and a `world` that wires them into a mailintake config."""

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

ROOT = Path(__file__).resolve().parents[1]
MAILS = ROOT / "tests" / "mails"
SHARED = Path(os.environ.get("MAILINTAKE_SHARED", ROOT.parent / "shared"))
PASSWORD_ENV = "MAILINTAKE_TEST_IMAP_PASSWORD"
_user_numbers = itertools.count(1)


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


def world_config(dovecot: LocalDovecot, smtp: SmtpSink, user: str, database_url: str, **overrides) -> dict:
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
            "host": smtp.host,
            "port": smtp.port,
            "security": "none",
            "from_address": "ombudsdienst@leuven.example.be",
            "timeout_seconds": 10.0,
        },
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
def make_world(dovecot, tmp_path):
    created: list[World] = []
    sinks: list[SmtpSink] = []

    def make(**overrides) -> World:
        user = f"user{next(_user_numbers)}"
        password = f"pw-{user}"
        dovecot.add_user(user, password)
        base = tmp_path / user
        base.mkdir()
        smtp = SmtpSink().start()
        sinks.append(smtp)
        data = world_config(dovecot, smtp, user, f"sqlite:///{base}/mailintake.sqlite", **overrides)
        config_path = base / "config.toml"
        config_path.write_text(to_toml(data))
        database = Database(data["database"]["url"])
        database.upgrade()
        world = World(dovecot, user, password, base, from_dict(data, str(config_path)), config_path, database, smtp)
        created.append(world)
        return world

    yield make
    for world in created:
        world.database.dispose()
    for sink in sinks:
        sink.stop()


@pytest.fixture
def world(make_world) -> World:
    return make_world()


def read_mail(name: str) -> bytes:
    return (MAILS / name).read_bytes()
