"""Security of the service's edges: no secrets or mail bodies in logs, TLS verified, no plain-text fallback."""

from __future__ import annotations

import json
import logging
import ssl

import pytest
import trustme
from aiosmtpd.controller import Controller
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
