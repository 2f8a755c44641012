"""Security of the service's edges: no secrets or mail bodies in logs, TLS verified, no plain-text fallback."""

from __future__ import annotations

import dataclasses
import json
import logging
import ssl
import stat
import time
from pathlib import Path

import pytest
import trustme
from aiosmtpd.controller import Controller
from flask import Flask
from sqlalchemy import update

from devkit.devmail import free_port
from mailintake.store.models import OutboxMessage, utcnow
from tests.support.mails import complaint
from tests.support.proxy import FaultProxy

BODY_MARKER = "Vertrouwelijk-lichaam-7f3a9"
SECRET_PASSWORD = "Zeer-geheim-wachtwoord-91c2"


@pytest.fixture(scope="module")
def ca():
    return trustme.CA()


@pytest.fixture
def ca_file(ca, tmp_path):
    path = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return str(path)


def server_context(ca) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    return context


# -- logs ----------------------------------------------------------------------------


def secret_complaint() -> bytes:
    return complaint(body=f"Geachte,\n\n{BODY_MARKER}: mijn medische gegevens werden gedeeld.\n\nAn Peeters\n")


def test_debug_logs_hold_no_password_and_no_body(make_world, dovecot, caplog):
    world = make_world()
    dovecot.add_user(world.user, SECRET_PASSWORD)
    world.password = SECRET_PASSWORD
    world.deliver(secret_complaint())

    polled = world.cli("-v", "poll", "--once")
    sent = world.cli("-v", "outbox", "send")
    with caplog.at_level(logging.DEBUG):  # in-process too, with every library logger at DEBUG
        logging.getLogger().setLevel(logging.DEBUG)
        world.deliver(complaint(body=f"Nog eens: {BODY_MARKER}.\n\nAn Peeters\n", Message_ID="<tweede@example.be>"))
        world.poll()
        world.cli("-v", "check-config")

    for where, text in (("poll -v", polled.stderr), ("outbox send -v", sent.stderr), ("in-process", caplog.text)):
        assert SECRET_PASSWORD not in text, where
        assert BODY_MARKER not in text, where
    assert "DEBUG" in polled.stderr or "INFO" in polled.stderr  # the logs were really on


def test_failing_message_logs_no_body(world, caplog, monkeypatch):
    from mailintake.intake import analysis as intake_module

    def explode(raw):
        raise ValueError(raw.decode("latin-1"))  # an exception whose text carries the whole message

    monkeypatch.setattr(intake_module, "parse", explode)
    world.deliver(secret_complaint())
    with caplog.at_level(logging.DEBUG):
        world.poll(workers=0)
    assert BODY_MARKER not in caplog.text


# -- TLS for IMAP --------------------------------------------------------------------


def test_imap_self_signed_certificate_is_refused_unless_trusted(make_world, dovecot, ca, ca_file):
    with FaultProxy(dovecot.port, server_ssl=server_context(ca)) as tls_front:
        untrusted = make_world(mailbox={"security": "tls", "port": tls_front.port})
        refused = untrusted.cli("check-config", check=False)
        assert refused.returncode == 1
        assert "CERTIFICATE_VERIFY_FAILED" in refused.stderr and "Traceback" not in refused.stderr

        trusted = make_world(mailbox={"security": "tls", "port": tls_front.port, "ca_file": ca_file})
        assert "logged in" in trusted.cli_json("check-config")["imap"]


def test_imap_without_starttls_is_refused_not_downgraded(make_world):
    world = make_world(mailbox={"security": "starttls"})  # the test Dovecot offers no STARTTLS
    world.deliver(complaint())
    done = world.cli("poll", "--once", check=False)
    assert done.returncode == 1 and "STARTTLS" in done.stderr.upper()
    assert len(world.uids("INBOX")) == 1


# -- TLS for SMTP --------------------------------------------------------------------


class Collect:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope.original_content)
        return "250 OK"


@pytest.fixture
def tls_smtp(ca):
    handler = Collect()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port(), ssl_context=server_context(ca))
    controller.start()
    yield controller.port, handler
    controller.stop()


def test_smtp_self_signed_certificate_is_refused_unless_trusted(make_world, tls_smtp, ca_file):
    port, handler = tls_smtp
    world = make_world(smtp={"security": "tls", "port": port})
    world.deliver(complaint())
    world.poll()
    assert world.cli_json("outbox", "send") == {"sent": 0, "deferred": 1, "failed": 0}
    [row] = world.cli_json("outbox", "list", "--json")
    assert "CERTIFICATE_VERIFY_FAILED" in row["last_error"]
    assert handler.messages == []

    trusting = world.write_config(world.tmp / "trusting.toml", smtp={"security": "tls", "port": port, "ca_file": ca_file})
    with world.database.unit_of_work() as session:
        session.execute(update(OutboxMessage).values(next_attempt_at=utcnow()))
    sent = world.cli("--config", str(trusting), "outbox", "send")
    assert json.loads(sent.stdout)["sent"] == 1 and len(handler.messages) == 1


def test_smtp_without_starttls_is_refused_not_downgraded(make_world):
    world = make_world(smtp={"security": "starttls"})  # the test sink offers no STARTTLS
    world.deliver(complaint())
    world.poll()
    assert world.cli_json("outbox", "send") == {"sent": 0, "deferred": 1, "failed": 0}
    [row] = world.cli_json("outbox", "list", "--json")
    assert "STARTTLS" in row["last_error"].upper()
    assert world.smtp.messages == []


def test_the_sqlite_file_and_the_web_key_file_are_private(world):
    world.deliver(complaint())
    world.poll()
    database = Path(world.database.engine.url.database) if world.database_kind == "sqlite" else None
    if database is None:
        pytest.skip("an SQLite file")
    from mailintake.web import create_app

    create_app(world.config, world.database)
    for path in (database, database.with_name(database.name + "-wal"), Path(f"{database}.web-key")):
        assert path.exists() and stat.S_IMODE(path.stat().st_mode) == 0o600, path
    with world.database.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA secure_delete").scalar() == 1


def test_the_signing_key_in_the_database_alone_forges_no_session(world):
    from flask.sessions import SecureCookieSessionInterface

    from mailintake.review.accounts import add_user
    from mailintake.store.models import AppSetting
    from mailintake.web import create_app
    from mailintake.web.security import SECRET_SETTING

    with world.database.unit_of_work() as session:
        admin = add_user(session, "beheer", "een lang wachtwoord", role="admin")
        admin_id = admin.id
    web = dataclasses.replace(world.config.web, secret_key_file=str(world.tmp / "web.key"))  # PostgreSQL too
    app = create_app(dataclasses.replace(world.config, web=web), world.database, overrides={"TESTING": True})
    with world.database.unit_of_work() as session:
        stolen = session.get(AppSetting, SECRET_SETTING).value  # what a copy of the database holds
    forger = Flask("forger")
    forger.secret_key = stolen
    now = time.time()
    cookie = SecureCookieSessionInterface().get_signing_serializer(forger).dumps(
        {"uid": admin_id, "issued": now, "seen": now})
    client = app.test_client()
    client.set_cookie("mailintake_session", cookie)
    assert client.get("/logboek").status_code == 302  # to the login page: the forged cookie is not accepted
