"""A relay with credentials of its own: `[smtp] auth = "oauth2"` with an `[smtp.oauth2]` table (not
`oauth2 = "mailbox"`), against the SMTP sink that takes AUTH XOAUTH2 only and asks the local authority about
each token. The acknowledgement must go out with a token issued to the relay's own client, for the relay's own
sending mailbox.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from devkit.devmail import LocalDovecot
from mailintake.mail import oauth2
from tests.support.mails import complaint
from tests.support.oauth2kit import SECRET, RecordingAuthority, client_table

pytestmark = [pytest.mark.one_database, pytest.mark.skipif(not Path("/usr/sbin/dovecot").exists() or os.geteuid() != 0,
                                reason="needs dovecot-imapd and root")]
SENDER = "verzender@leuven.example.be"
RELAY_SECRET = "het-geheim-van-de-relay"


@pytest.fixture
def authority(tmp_path):
    with RecordingAuthority(tmp_path / "authority", lifetime=3600) as found:
        found.add_client("relay", secret=RELAY_SECRET, mailboxes=[SENDER])
        yield found
    oauth2._sources.clear()


def relay_table(authority, tmp_path, secret: str = RELAY_SECRET) -> dict:
    return {"auth": "oauth2", "username": SENDER,
            "oauth2": client_table(authority, tmp_path, client_id="relay", secret=secret)}


def test_a_password_mailbox_and_a_relay_with_its_own_oauth2_client(make_world, authority, tmp_path):
    world = make_world(check_token=authority.allows, smtp=relay_table(authority, tmp_path))
    world.deliver(complaint())

    assert world.cli_json("poll", "--once")["cases"] == 1
    assert world.cli_json("outbox", "send") == {"sent": 1, "deferred": 0, "failed": 0}

    assert world.smtp.logins == [(SENDER, True)]
    [(mailbox, token, allowed)] = authority.checked
    assert (mailbox, allowed, authority.client_of(token)) == (SENDER, True, "relay")
    assert authority.issued.requests == [("client_credentials", "relay")]  # the mailbox took no token
    [sent] = world.smtp.messages
    assert sent.rcpt_tos and b"Subject:" in sent.content
    report = world.cli_json("check-config")
    assert report["smtp_token"].startswith(f"token from {authority.token_url}")
    assert report["smtp"] == f"connected to {world.smtp.host}:{world.smtp.port} as {SENDER} with XOAUTH2"


def test_mailbox_and_relay_each_use_their_own_client(make_world, authority, tmp_path):
    with LocalDovecot(tmp_path / "dovecot", users={}, oauth2_introspection_url=authority.introspection_url) as imap:
        world = make_world(imap=imap, check_token=authority.allows,
                           mailbox={"auth": "oauth2", "oauth2": client_table(authority, tmp_path), "password_env": None},
                           smtp=relay_table(authority, tmp_path))
        authority.add_client("app", secret=SECRET, mailboxes=[world.user])
        world.deliver(complaint())

        assert world.cli_json("poll", "--once")["cases"] == 1
        assert world.cli_json("outbox", "send")["sent"] == 1

    assert [client for _, client in authority.issued.requests] == ["app", "relay"]  # one process each
    assert [authority.client_of(token) for token, _ in authority.introspected] == ["app"]
    assert [(authority.client_of(token), allowed) for _, token, allowed in authority.checked] == [("relay", True)]


def test_a_wrong_relay_secret_defers_the_acknowledgement_naming_the_token_endpoint(make_world, authority, tmp_path):
    world = make_world(check_token=authority.allows, smtp=relay_table(authority, tmp_path, secret="niet het geheim"))
    world.deliver(complaint())
    assert world.cli_json("poll", "--once")["cases"] == 1  # the mailbox (a password) is not affected

    assert world.cli_json("outbox", "send") == {"sent": 0, "deferred": 1, "failed": 0}
    [row] = world.cli_json("outbox", "list", "--json")
    assert f"token endpoint {authority.token_url} refused the client: invalid_client" in row["last_error"]
    assert "niet het geheim" not in row["last_error"]
    assert world.smtp.messages == [] and world.smtp.logins == []
