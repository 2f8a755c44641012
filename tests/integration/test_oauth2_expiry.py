"""Tokens that really expire: the local authority issues tokens of a few seconds, and the token source
(mail/oauth2.py) renews each one before it runs out, so no server ever sees an expired token.

What would fail: a cache that keeps a token until a server refuses it (every renewal then shows up as a refused
login at Dovecot's introspection or at the SMTP sink), or one that asks for a token on every use (the
authority counts its token requests). The waits below are for the authority's clock to pass a token's renewal
point or its expiry, each checked against the authority itself, not a guess at how long the code takes.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from devkit.devmail import LocalDovecot
from mailintake.mail import oauth2
from mailintake.outbox.relay import Relay
from tests.support.mails import complaint
from tests.support.oauth2kit import RecordingAuthority, oauth2_world

pytestmark = [pytest.mark.one_database, pytest.mark.skipif(not Path("/usr/sbin/dovecot").exists() or os.geteuid() != 0,
                                reason="needs dovecot-imapd and root")]
LIFETIME = 4.0  # seconds; the source renews at half a lifetime this short (RENEW_MARGIN is 300 s)


@pytest.fixture
def authority(tmp_path):
    with RecordingAuthority(tmp_path / "authority", lifetime=LIFETIME) as found:
        yield found
    oauth2._sources.clear()


@pytest.fixture
def oauth_imap(authority, tmp_path):
    with LocalDovecot(tmp_path / "dovecot", users={}, oauth2_introspection_url=authority.introspection_url) as server:
        yield server


def issued_tokens(authority) -> list[str]:
    return list(authority.tokens)  # in the order they were issued


def wait_until(moment: float) -> None:
    while time.time() < moment:
        time.sleep(min(0.05, max(0.0, moment - time.time())))


def test_a_short_lived_token_is_renewed_before_use_never_refused(make_world, authority, oauth_imap, tmp_path):
    world = oauth2_world(make_world, authority, oauth_imap, tmp_path)
    world.deliver(complaint())
    assert world.poll().cases == 1  # this process's token source: one token for both of connect's uses
    [first] = issued_tokens(authority)
    first_grant = authority.tokens[first]

    # past the renewal point (half the lifetime), while the first token is still valid at the authority
    wait_until(first_grant.expires_at - LIFETIME / 2 + 0.1)
    assert authority.valid(world.user, first), "the machine was too slow for this lifetime"
    assert Relay(world.config, world.database).send_due().sent == 1  # same source (oauth2 = "mailbox")
    [_, second] = issued_tokens(authority)
    assert [(token, allowed) for _, token, allowed in authority.checked] == [(second, True)]  # a new one, at once

    # past the second token's expiry: the next login gets a third, and Dovecot never sees an expired one
    wait_until(authority.tokens[second].expires_at + 0.1)
    world.deliver(complaint(subject="Tweede klacht", Message_ID="<tweede@example.be>"))
    assert world.poll().fetched == 1 and world.uids("INBOX") == []
    [_, _, third] = issued_tokens(authority)
    assert authority.introspected and all(active for _, active in authority.introspected), authority.introspected
    assert authority.introspected[-1][0] == third
    assert [grant for grant, _ in authority.issued.requests] == ["client_credentials"] * 3

