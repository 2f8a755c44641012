"""Which SASL mechanism the mailbox logs in with: XOAUTH2 on a server that offers only XOAUTH2 (as Exchange Online
and Gmail do), OAUTHBEARER where the server offers both (mail/imap.py `_oauth2_login`).

Real Dovecot 2.3 with its oauth2 passdb restricted to the mechanisms under test; the local authority
(devkit/authority.py) issues the tokens and answers Dovecot's introspection. Dovecot's log names the mechanism
of every login it accepted.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from imapclient import IMAPClient

from devkit.devmail import LocalDovecot
from mailintake.mail import oauth2
from tests.support.mails import complaint
from tests.support.oauth2kit import RecordingAuthority, logins, oauth2_world

pytestmark = [pytest.mark.one_database, pytest.mark.skipif(not Path("/usr/sbin/dovecot").exists() or os.geteuid() != 0,
                                reason="needs dovecot-imapd and root")]


@pytest.fixture
def authority(tmp_path):
    with RecordingAuthority(tmp_path / "authority", lifetime=3600) as found:
        yield found
    oauth2._sources.clear()  # token sources live as long as their process: here, one test


def offered(server: LocalDovecot) -> set[str]:
    """The AUTH= mechanisms the server announces before login."""
    with IMAPClient(server.host, port=server.port, ssl=False, timeout=10) as imap:
        return {c.decode().upper()[5:] for c in imap.capabilities() if c.upper().startswith(b"AUTH=")}


def test_a_server_offering_only_xoauth2_is_logged_in_to_with_xoauth2(make_world, authority, tmp_path):
    with LocalDovecot(tmp_path / "dovecot", users={}, oauth2_introspection_url=authority.introspection_url,
                      oauth2_mechanisms=("xoauth2",)) as server:
        assert "XOAUTH2" in offered(server) and "OAUTHBEARER" not in offered(server)
        world = oauth2_world(make_world, authority, server, tmp_path)
        world.deliver(complaint())

        polled = world.cli_json("poll", "--once")
        assert world.uids("INBOX") == [] and len(world.uids("Verwerkt")) == 1
        report = world.cli_json("check-config")

    assert polled["fetched"] == 1 and polled["cases"] == 1, polled
    assert [method for method in logins(server) if method != "PLAIN"] == ["XOAUTH2", "XOAUTH2"]  # PLAIN: the test's
    assert [active for _, active in authority.introspected] == [True, True]  # each login's token, valid first time
    assert "with OAuth2" in report["imap"]


def test_with_both_offered_oauthbearer_is_used(make_world, authority, tmp_path):
    with LocalDovecot(tmp_path / "dovecot", users={}, oauth2_introspection_url=authority.introspection_url) as server:
        assert {"XOAUTH2", "OAUTHBEARER"} <= offered(server)
        world = oauth2_world(make_world, authority, server, tmp_path)
        world.deliver(complaint())

        assert world.cli_json("poll", "--once")["cases"] == 1
        assert world.uids("INBOX") == []

    ours = [method for method in logins(server) if method != "PLAIN"]  # PLAIN: the test's own password logins
    assert ours == ["OAUTHBEARER"]


def test_xoauth2_only_with_a_token_the_server_refuses_names_xoauth2(make_world, authority, tmp_path):
    with LocalDovecot(tmp_path / "dovecot", users={}, oauth2_introspection_url=authority.introspection_url,
                      oauth2_mechanisms=("xoauth2",)) as server:
        world = oauth2_world(make_world, authority, server, tmp_path)
        authority.add_client("app", secret="een-geheim-van-de-app", mailboxes=["someone-else"])

        done = world.cli("check-config", check=False)

    assert done.returncode == 1, done.stderr
    assert f"refused XOAUTH2 for {world.user}: the app has no access to this mailbox" in done.stderr
    assert "Traceback" not in done.stderr
    assert [method for method in logins(server) if method != "PLAIN"] == []
