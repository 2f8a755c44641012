"""OAuth2 against real servers: Dovecot's oauth2 passdb (introspection), an SMTP sink that takes AUTH XOAUTH2 and
asks the same local authority about each token, and the authority's token endpoint (generic, msal, google-auth).

What is real: Dovecot 2.3, smtplib/aiosmtpd on the wire, msal and google-auth with their own HTTP. What is ours:
the authority (devkit/authority.py), which accepts client assertions and service-account JWTs without checking
their signatures.
"""

from __future__ import annotations

import json
import stat

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from devkit.authority import LocalAuthority
from devkit.devmail import LocalDovecot
from devkit.harness import run_cli
from mailintake.mail import oauth2
from mailintake.outbox.relay import Relay
from tests.support.faultkit import FAST_DAEMON, start_daemon
from tests.support.mails import complaint
from tests.support.proxy import FaultProxy
from tests.support.world import PASSWORD_ENV

SECRET = "een-geheim-van-de-app"


@pytest.fixture
def authority(tmp_path):
    with LocalAuthority(tmp_path / "authority", lifetime=3600) as found:
        yield found
    oauth2._sources.clear()  # token sources live as long as their process: here, one test


@pytest.fixture
def oauth_imap(authority, tmp_path):
    with LocalDovecot(tmp_path / "dovecot", users={}, oauth2_introspection_url=authority.introspection_url) as server:
        yield server


def oauth_world(make_world, authority, imap, tmp_path, provider="generic", smtp="mailbox", **settings):
    """A world whose mailbox and relay log in with OAuth2 tokens of `authority` (client "app", secret in a file)."""
    secret = tmp_path / "client-secret"
    secret.write_text(SECRET + "\n")
    endpoint = {"generic": authority.token_url, "microsoft": authority.authority_url, "google": authority.token_url}
    table = {"provider": provider, "client_id": "app", "token_url": endpoint[provider], "ca_file": authority.ca_file,
             "client_secret_file": str(secret), **settings}
    table = {k: v for k, v in table.items() if v is not None}
    world = make_world(imap=imap, check_token=authority.allows,
                       mailbox={"auth": "oauth2", "oauth2": table, "password_env": None},
                       smtp={"auth": "oauth2", "oauth2": smtp})
    authority.add_client("app", secret=SECRET, mailboxes=[world.user], thumbprint=settings.get("certificate_thumbprint"))
    return world


def test_poll_and_acknowledge_with_oauth2(make_world, authority, oauth_imap, tmp_path):
    world = oauth_world(make_world, authority, oauth_imap, tmp_path)
    world.deliver(complaint())

    assert world.cli_json("poll", "--once")["cases"] == 1
    assert world.cli_json("outbox", "send") == {"sent": 1, "deferred": 0, "failed": 0}

    assert world.smtp.logins == [(world.user, True)]  # the relay logged in with XOAUTH2
    assert len(world.smtp.messages) == 1
    assert [grant for grant, _ in authority.issued.requests] == ["client_credentials"] * 2  # one per process
    report = world.cli_json("check-config")
    assert "token from" in report["imap_token"] and "with OAuth2" in report["imap"]
    assert "with XOAUTH2" in report["smtp"]


def test_microsoft_provider_through_msal_with_a_secret_and_with_a_certificate(make_world, authority, oauth_imap,
                                                                              tmp_path):
    world = oauth_world(make_world, authority, oauth_imap, tmp_path, provider="microsoft")
    world.deliver(complaint())
    assert world.poll().cases == 1
    assert Relay(world.config, world.database).send_due().sent == 1

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    certificate = _self_signed(key)
    pem = tmp_path / "app.pem"
    pem.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                      serialization.NoEncryption()) + certificate.public_bytes(serialization.Encoding.PEM))
    thumbprint = certificate.fingerprint(hashes.SHA1()).hex().upper()
    with_cert = oauth_world(make_world, authority, oauth_imap, tmp_path, provider="microsoft",
                            client_secret_file=None, certificate_file=str(pem), certificate_thumbprint=thumbprint)
    with_cert.deliver(complaint())
    assert with_cert.poll().cases == 1


def test_a_token_expiring_during_idle_does_not_end_polling(make_world, authority, oauth_imap, tmp_path):
    world = oauth_world(make_world, authority, oauth_imap, tmp_path)
    world.write_config(world.config_path, daemon={**FAST_DAEMON, "poll_interval_seconds": 600.0})  # IDLE only
    daemon = start_daemon(world)
    try:
        daemon.wait_for("polling mailbox")
        issued = len(authority.issued.requests)
        authority.expire_all()  # every token handed out so far is now refused
        oauth_imap.stop()  # the server drops the IDLE session, as Exchange does when a token expires
        oauth_imap.start()
        world.deliver(complaint())
        assert world.smtp.wait_for(1, timeout=60), daemon.output()
        assert len(authority.issued.requests) > issued  # the reconnect logged in with a fresh token
    finally:
        assert daemon.terminate() == 0
    assert "Traceback" not in daemon.output()


def test_the_relay_renews_a_refused_token_once_and_sends(make_world, authority, oauth_imap, tmp_path):
    world = oauth_world(make_world, authority, oauth_imap, tmp_path)
    world.deliver(complaint())
    assert world.poll().cases == 1
    relay = Relay(world.config, world.database)
    oauth2.token_source(world.config.smtp_oauth2(), world.user).token()  # cached in this process
    authority.expire_all()

    assert relay.send_due().sent == 1
    assert world.smtp.logins == [(world.user, False), (world.user, True)]


@pytest.mark.parametrize("provider", ["generic", "google"])
def test_a_rotated_refresh_token_is_written_back(make_world, authority, oauth_imap, tmp_path, provider):
    authority.rotate_refresh_tokens = True
    refresh_file = tmp_path / "refresh-token"
    world = oauth_world(make_world, authority, oauth_imap, tmp_path, provider=provider, grant="refresh_token",
                        refresh_token_file=str(refresh_file))
    first = authority.issue_refresh_token("app")
    refresh_file.write_text(first + "\n")

    world.deliver(complaint())
    assert world.cli_json("poll", "--once")["cases"] == 1
    second = refresh_file.read_text().strip()
    assert second != first and authority.refresh_tokens == {second: "app"}
    assert stat.S_IMODE(refresh_file.stat().st_mode) == 0o600
    assert world.cli_json("poll", "--once")["fetched"] == 0  # a later process starts from the saved token
    assert refresh_file.read_text().strip() not in (first, second)
    assert [g for g, _ in authority.issued.requests] == ["refresh_token"] * 2


def test_google_service_account(make_world, authority, oauth_imap, tmp_path):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    account = tmp_path / "service-account.json"
    account.write_text(json.dumps({
        "type": "service_account", "client_email": "app", "client_id": "1", "private_key_id": "k1",
        "private_key": key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                         serialization.NoEncryption()).decode(),
        "token_uri": "https://oauth2.googleapis.com/token",
    }))
    world = oauth_world(make_world, authority, oauth_imap, tmp_path, provider="google", client_id="",
                        client_secret_file=None, service_account_file=str(account))
    world.deliver(complaint())
    assert world.poll().cases == 1
    assert authority.issued.requests[0][0] == "urn:ietf:params:oauth:grant-type:jwt-bearer"


def test_a_wrong_secret_is_one_line_naming_the_token_endpoint(make_world, authority, oauth_imap, tmp_path):
    world = oauth_world(make_world, authority, oauth_imap, tmp_path, provider="microsoft")
    (tmp_path / "client-secret").write_text("not the secret\n")

    done = world.cli("check-config", check=False)

    assert done.returncode == 1 and len(errors(done)) == 1, done.stderr
    assert "token endpoint https://127.0.0.1:" in done.stderr
    assert "refused the client: AADSTS7000215 invalid client secret" in done.stderr
    assert SECRET not in done.stderr and "not the secret" not in done.stderr and "Traceback" not in done.stderr


def test_no_access_to_the_mailbox_names_the_exchange_permission(make_world, authority, oauth_imap, tmp_path):
    world = oauth_world(make_world, authority, oauth_imap, tmp_path)
    authority.add_client("app", secret=SECRET, mailboxes=["someone-else"])  # the app may read another mailbox only

    done = world.cli("check-config", check=False)

    assert done.returncode == 1 and len(errors(done)) == 1, done.stderr
    assert f"refused OAUTHBEARER for {world.user}: the app has no access to this mailbox" in done.stderr
    assert "ApplicationAccessPolicy" in done.stderr


def test_a_password_refused_because_basic_auth_is_off_gets_the_hint(world):
    with FaultProxy(target_port=world.dovecot.port) as proxy:
        proxy.rewrite(b"[AUTHENTICATIONFAILED] Authentication failed.", b"Basic authentication is disabled.")
        config = world.write_config(world.tmp / "exchange.toml", mailbox={"port": proxy.port})
        done = run_cli(config, "check-config", env={PASSWORD_ENV: "wrong"}, check=False)
    assert done.returncode == 1 and len(errors(done)) == 1, done.stderr
    assert 'the server says basic authentication is disabled: set [mailbox] auth = "oauth2"' in done.stderr


def errors(done) -> list[str]:
    """The error lines of a command (its log lines aside): one line per failure."""
    return [line for line in done.stderr.splitlines() if line.startswith("mailintake:")]


def _self_signed(key) -> x509.Certificate:
    from datetime import datetime, timedelta, timezone

    name = x509.Name([x509.NameAttribute(x509.oid.NameOID.COMMON_NAME, "mailintake-app")])
    now = datetime.now(timezone.utc)
    return (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=30)).sign(key, hashes.SHA256()))



def test_a_login_cut_off_once_is_tried_again_on_a_new_connection(make_world, authority, oauth_imap, tmp_path):
    world = oauth_world(make_world, authority, oauth_imap, tmp_path)
    with FaultProxy(target_port=oauth_imap.port) as proxy:
        proxy.cut_when_client_sends(b"AUTHENTICATE", times=1)
        config = world.write_config(world.tmp / "cut-once.toml", mailbox={"port": proxy.port})
        done = run_cli(config, "check-config", env=world.env, check=False)
    assert done.returncode == 0, done.stderr
    assert proxy.connections == 2


def test_a_login_always_cut_off_is_no_refusal(make_world, authority, oauth_imap, tmp_path):
    world = oauth_world(make_world, authority, oauth_imap, tmp_path)
    with FaultProxy(target_port=oauth_imap.port) as proxy:
        proxy.cut_when_client_sends(b"AUTHENTICATE")
        config = world.write_config(world.tmp / "cut-always.toml", mailbox={"port": proxy.port})
        done = run_cli(config, "check-config", env=world.env, check=False)
    assert done.returncode == 1 and len(errors(done)) == 1, done.stderr
    assert "was cut off before the server answered" in done.stderr
    assert "no access to this mailbox" not in done.stderr and "Traceback" not in done.stderr
