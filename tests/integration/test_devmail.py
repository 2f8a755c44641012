"""Tests for devkit.devmail: the local Dovecot and the SMTP sink behave as the other tests assume."""

from __future__ import annotations

import json
import os
import signal
import smtplib
import subprocess
import sys
from datetime import datetime, timezone
from email.message import EmailMessage
from pathlib import Path

import pytest
from imapclient.exceptions import LoginError

from devkit.devmail import LocalDovecot, SmtpSink
from tests.support.paths import MAILS as MAILS_ROOT
from tests.support.paths import ROOT

MAILS = MAILS_ROOT / "intake"
needs_dovecot = pytest.mark.skipif(
    not Path("/usr/sbin/dovecot").exists() or os.geteuid() != 0,
    reason="needs dovecot-imapd and root",
)


@pytest.fixture(scope="module")
def imap(tmp_path_factory):
    """A Dovecot of this module's own (not conftest's shared one), with two fixed users."""
    with LocalDovecot(tmp_path_factory.mktemp("dovecot"), users={"ombuds": "secret", "other": "pw"}) as server:
        yield server


@pytest.fixture
def sink():
    with SmtpSink() as server:
        yield server


def _message(subject: str = "Klacht", to: str = "burger@example.com") -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = "ombudsdienst@leuven.example.be"
    msg["To"] = to
    msg["Subject"] = subject
    msg.set_content("Wij hebben uw klacht goed ontvangen.\n")
    return msg


# -- Dovecot -----------------------------------------------------------------


@needs_dovecot
def test_dovecot_listens_on_loopback_only(imap):
    assert imap.host == "127.0.0.1"
    assert imap.port > 1024
    assert imap.running
    conf = imap.conf_path.read_text()
    assert "protocols = imap\n" in conf and "listen = 127.0.0.1" in conf


@needs_dovecot
def test_append_then_fetch_round_trips_bytes_exactly(imap):
    raws = [p.read_bytes() for p in sorted(MAILS.glob("*.eml"))[:5]]
    raws.append(b"From: a@example.com\r\nSubject: =?utf-8?q?caf=C3=A9?=\r\n\r\n\xe9t\xe9 8bit\r\n")
    uids = [imap.append("ombuds", "RoundTrip", raw) for raw in raws]
    assert uids == sorted(uids) and len(set(uids)) == len(raws)
    assert imap.uids("ombuds", "RoundTrip") == uids
    assert imap.fetch_all("ombuds", "RoundTrip") == raws


@needs_dovecot
def test_append_keeps_flags_and_internaldate(imap):
    when = datetime(2026, 1, 5, 9, 30, tzinfo=timezone.utc)
    uid = imap.append("ombuds", "Dated", b"Subject: x\r\n\r\ny\r\n", flags=[b"\\Flagged"], msg_time=when)
    with imap.client("ombuds") as imap:
        imap.select_folder("Dated", readonly=True)
        data = imap.fetch([uid], ["FLAGS", "INTERNALDATE"])[uid]
    assert b"\\Flagged" in data[b"FLAGS"]
    assert data[b"INTERNALDATE"].astimezone(timezone.utc).replace(tzinfo=timezone.utc) == when


@needs_dovecot
def test_users_have_separate_mailboxes(imap):
    imap.append("other", "INBOX", b"Subject: other\r\n\r\n.\r\n")
    imap.add_user("third", "pw3")
    imap.append("third", "INBOX", b"Subject: third\r\n\r\n.\r\n")
    assert imap.fetch_all("third", "INBOX") == [b"Subject: third\r\n\r\n.\r\n"]
    assert b"Subject: other\r\n\r\n.\r\n" not in imap.fetch_all("ombuds", "INBOX")


@needs_dovecot
def test_wrong_password_is_refused(imap):
    imap.users["intruder"] = "guess"  # not in the passwd files
    with pytest.raises(LoginError):
        imap.client("intruder")
    del imap.users["intruder"]


@needs_dovecot
@pytest.mark.parametrize("folder", ["INBOX", "Verwerkt"])
def test_recreate_folder_changes_uidvalidity_and_keeps_messages(imap, folder):
    user = "other"
    imap.append(user, folder, b"Subject: one\r\n\r\n1\r\n", flags=[b"\\Seen"])
    imap.append(user, folder, b"Subject: two\r\n\r\n2\r\n")
    before = imap.fetch_all(user, folder)
    old, new = imap.recreate_folder(user, folder)
    assert new != old
    assert imap.uidvalidity(user, folder) == new
    assert imap.fetch_all(user, folder) == before
    assert imap.uids(user, folder) == list(range(1, len(before) + 1))  # UIDs restart: old ones collide


@needs_dovecot
def test_move_can_be_hidden(tmp_path):
    with LocalDovecot(tmp_path, move=False) as server, server.client("ombuds") as imap:
        caps = imap.capabilities()
    assert b"MOVE" not in caps and b"UIDPLUS" in caps


# -- SMTP sink ---------------------------------------------------------------


def test_sink_collects_a_message(sink):
    msg = _message()
    with smtplib.SMTP(sink.host, sink.port, timeout=5) as smtp:
        smtp.send_message(msg, to_addrs=["burger@example.com", "kopie@example.com"])
    assert sink.wait_for(1, timeout=5)
    (got,) = sink.messages
    assert got.mail_from == "ombudsdienst@leuven.example.be"
    assert got.rcpt_tos == ("burger@example.com", "kopie@example.com")
    assert b"Wij hebben uw klacht goed ontvangen." in got.content


def test_sink_scripted_answers_come_back_as_smtplib_errors(sink):
    sink.script(["421 4.3.2 Try later", "450 4.2.1 Busy", None])
    with pytest.raises(smtplib.SMTPDataError) as first:
        with smtplib.SMTP(sink.host, sink.port, timeout=5) as smtp:
            smtp.send_message(_message("een"))
    assert first.value.smtp_code == 421
    with smtplib.SMTP(sink.host, sink.port, timeout=5) as smtp:
        with pytest.raises(smtplib.SMTPDataError) as second:
            smtp.send_message(_message("twee"))
        assert second.value.smtp_code == 450
        smtp.send_message(_message("drie"))  # script exhausted: accepted
    assert sink.wait_for(1, timeout=5)
    assert [m.content.count(b"Subject: drie") for m in sink.messages] == [1]
    assert sink.attempts == 3


def test_sink_closes_the_connection_after_421(sink):
    sink.script(["421 4.3.2 Shutting down"])
    smtp = smtplib.SMTP(sink.host, sink.port, timeout=5)
    smtp.ehlo()
    smtp.mail("ombudsdienst@leuven.example.be")
    smtp.rcpt("burger@example.com")
    code, _ = smtp.data(_message().as_bytes())
    assert code == 421
    with pytest.raises(smtplib.SMTPServerDisconnected):
        smtp.noop()
    smtp.close()


def test_sink_refuses_a_recipient_permanently(sink):
    sink.refuse_recipient("Weg@Example.com", "550 5.1.1 No such user")
    with smtplib.SMTP(sink.host, sink.port, timeout=5) as smtp:
        with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
            smtp.send_message(_message(to="weg@example.com"))
    assert refused.value.recipients["weg@example.com"][0] == 550
    assert sink.messages == []


def test_wait_for_times_out(sink):
    assert sink.wait_for(1, timeout=0.05) is False


# -- command line ------------------------------------------------------------


@needs_dovecot
def test_serve_and_append_commands(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    serve = subprocess.Popen(
        [sys.executable, "-m", "devkit.devmail", "serve", "--root", str(tmp_path)],
        stdout=subprocess.PIPE, text=True, env=env,
    )
    try:
        info = json.loads(serve.stdout.readline())
        sample = sorted(MAILS.glob("*.eml"))[0]
        out = subprocess.run(
            [sys.executable, "-m", "devkit.devmail", "append", "--port", str(info["imap_port"]),
             "--user", info["user"], "--password", info["password"], "INBOX", str(sample)],
            capture_output=True, text=True, env=env, check=True, timeout=30,
        )
        assert json.loads(out.stdout)["uid"] == 1
        with smtplib.SMTP(info["smtp_host"], info["smtp_port"], timeout=5) as smtp:
            smtp.send_message(_message("Ontvangstbevestiging"))
    finally:
        serve.send_signal(signal.SIGTERM)
        assert serve.wait(timeout=20) == 0
    (sent,) = (tmp_path / "sent").glob("*.eml")
    assert b"Subject: Ontvangstbevestiging" in sent.read_bytes()


@needs_dovecot
def test_dovecot_starts_under_a_root_too_deep_for_unix_sockets(tmp_path):
    """pytest's numbered folders grow with every run; sockets under a deep root
    would pass the 107-byte limit, so they move to a short folder."""
    deep = tmp_path.joinpath(*["a-rather-long-folder-name"] * 4)
    with LocalDovecot(deep, users={"ombuds": "secret"}) as server:
        assert server.run_dir != deep / "run"
        assert len(os.fsencode(server.run_dir / "token-login/imap-urlauth")) <= 107
        assert server.append("ombuds", "INBOX", _message().as_bytes())
