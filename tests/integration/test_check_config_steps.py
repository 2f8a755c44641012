"""`mailintake check-config` walks database → IMAP login → folder → SMTP login and stops at the first failure,
with exit code 1 and one line that names the server and the step, never a traceback.

Real Dovecot (the session's), a real aiosmtpd server that refuses every login, and a port nobody listens on.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from devkit.devmail import free_port

pytestmark = [pytest.mark.one_database, pytest.mark.skipif(not Path("/usr/sbin/dovecot").exists() or os.geteuid() != 0,
                                reason="needs dovecot-imapd and root")]
SMTP_PASSWORD_ENV = "MAILINTAKE_TEST_SMTP_PASSWORD"
SMTP_PASSWORD = "Relay-wachtwoord-5d1e"


def errors(done) -> list[str]:
    """The error lines of a command (its log lines aside)."""
    return [line for line in done.stderr.splitlines() if line.startswith("mailintake:")]


def one_line_failure(done) -> str:
    assert done.returncode == 1, (done.returncode, done.stderr)
    assert "Traceback" not in done.stderr, done.stderr
    assert done.stdout.strip() == "", done.stdout  # no report: the chain stopped
    [line] = errors(done)
    return line


class Refuse:
    """An SMTP server's handler that accepts nothing; its authenticator below refuses every login."""

    def __init__(self):
        self.logins: list[str] = []

    def authenticate(self, server, session, envelope, mechanism, auth_data):
        self.logins.append(auth_data.login.decode())
        return AuthResult(success=False, handled=False)


@pytest.fixture
def refusing_smtp():
    handler = Refuse()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port(), authenticator=handler.authenticate,
                            auth_require_tls=False)
    controller.start()
    yield controller.port, handler
    controller.stop()


def test_a_missing_folder_fails_at_the_folder_step(make_world):
    world = make_world(mailbox={"folder": "Bestaat-niet"})

    line = one_line_failure(world.cli("check-config", check=False))

    assert line.startswith(f"mailintake: IMAP server {world.dovecot.host}:{world.dovecot.port}: select Bestaat-niet"), line
    assert world.uids("Bestaat-niet") == []


def test_an_smtp_server_refusing_the_login_fails_at_the_smtp_step(make_world, refusing_smtp):
    port, handler = refusing_smtp
    world = make_world(smtp={"port": port, "username": "relay@leuven.example.be", "password_env": SMTP_PASSWORD_ENV})

    line = one_line_failure(world.cli("check-config", env={SMTP_PASSWORD_ENV: SMTP_PASSWORD}, check=False))

    assert line.startswith(f"mailintake: SMTP server 127.0.0.1:{port} refused the login of relay@leuven.example.be: 535"), line
    # IMAP and the folder passed, and the login really was tried (smtplib tries PLAIN, then LOGIN)
    assert handler.logins and set(handler.logins) == {"relay@leuven.example.be"}
    assert SMTP_PASSWORD not in line


def test_an_unreachable_smtp_server_fails_at_the_smtp_step(make_world):
    port = free_port()  # nobody listens here
    world = make_world(smtp={"port": port})

    line = one_line_failure(world.cli("check-config", check=False))

    assert line.startswith(f"mailintake: SMTP server 127.0.0.1:{port}: cannot connect"), line
    assert "ConnectionRefusedError" in line


def test_the_whole_chain_passing_reports_every_step(world):
    report = world.cli_json("check-config")
    assert report["database"] == "ok"
    assert report["imap"].endswith("folder INBOX opened")
    assert report["smtp"] == f"connected to {world.smtp.host}:{world.smtp.port}"
