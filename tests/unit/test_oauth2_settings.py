"""OAuth2 settings: every mistake named by its key; the pieces of the exchange that need no server."""

from __future__ import annotations

import stat

import pytest

from mailintake.config import from_dict
from mailintake.errors import ConfigError
from mailintake.mail import oauth2

MAILBOX = {"host": "outlook.office365.com", "username": "ombudsdienst@leuven.be", "auth": "oauth2"}
MICROSOFT = {"provider": "microsoft", "tenant_id": "t", "client_id": "c", "client_secret_env": "S"}


def config(oauth=MICROSOFT, **smtp):
    return from_dict({"mailbox": {**MAILBOX, "oauth2": oauth}, **({"smtp": smtp} if smtp else {})})


def test_a_mailbox_on_oauth2_needs_no_password_and_the_relay_may_reuse_its_client():
    loaded = config(auth="oauth2", oauth2="mailbox")
    assert loaded.mailbox.password.configured is False
    assert loaded.smtp_oauth2() is loaded.mailbox.oauth2 and loaded.smtp_user() == MAILBOX["username"]
    assert oauth2.scope_of(loaded.mailbox.oauth2) == "https://outlook.office365.com/.default"
    assert oauth2.token_endpoint(loaded.mailbox.oauth2) == "https://login.microsoftonline.com/t/oauth2/v2.0/token"


@pytest.mark.parametrize("oauth, message", [
    ({**MICROSOFT, "tenant_id": ""}, r"\[mailbox.oauth2\] tenant_id: required for Microsoft"),
    ({**MICROSOFT, "provider": "yahoo"}, r"\[mailbox.oauth2\] provider: must be one of microsoft, google, generic"),
    ({**MICROSOFT, "client_secret_env": None}, r"\[mailbox.oauth2\] client_secret_env: give exactly one of"),
    ({**MICROSOFT, "certificate_file": "/x.pem"}, r"\[mailbox.oauth2\] client_secret_env: give exactly one of"),
    ({**MICROSOFT, "client_secret_env": None, "certificate_file": "/x.pem"}, r"certificate_thumbprint: required"),
    ({"provider": "generic", "client_id": "c", "client_secret_env": "S"}, r"token_url: required for the generic"),
    ({"provider": "generic", "client_id": "c", "client_secret_env": "S", "token_url": "http://idp.example/t"},
     r"token_url: must be https://"),
    ({**MICROSOFT, "grant": "refresh_token"}, r"refresh_token_file: required"),
    ({"provider": "google", "client_id": "c", "client_secret_env": "S"}, r"service_account_file: Google's client"),
    ({**MICROSOFT, "secret": "oops"}, r"\[mailbox.oauth2\] unknown key 'secret'"),
])
def test_oauth2_mistakes_name_the_key(oauth, message):
    with pytest.raises(ConfigError, match=message):
        config({k: v for k, v in oauth.items() if v is not None})


def test_oauth2_without_its_table_or_with_a_bad_reuse_is_an_error():
    with pytest.raises(ConfigError, match=r'\[mailbox\] auth: "oauth2" needs a \[mailbox.oauth2\] section'):
        from_dict({"mailbox": MAILBOX})
    with pytest.raises(ConfigError, match=r'\[smtp\] oauth2: a table, or "mailbox"'):
        config(auth="oauth2", oauth2="mailbx")
    with pytest.raises(ConfigError, match=r'\[smtp\] oauth2: "mailbox" needs \[mailbox\] auth = "oauth2"'):
        from_dict({"mailbox": {**MAILBOX, "auth": "password", "password_env": "P"},
                   "smtp": {"auth": "oauth2", "oauth2": "mailbox"}})


def test_the_xoauth2_response_is_the_documented_one():
    assert oauth2.xoauth2_string("a@b.be", "tok") == "user=a@b.be\x01auth=Bearer tok\x01\x01"


def test_entra_errors_become_one_short_line():
    answer = {"error": "invalid_client", "error_description": "AADSTS7000215: Invalid client secret provided. Ensure "
              "the secret being sent...\r\nTrace ID: 1", "error_codes": [7000215]}
    assert oauth2._microsoft_error(answer) == "AADSTS7000215 invalid client secret provided"
    assert oauth2._microsoft_error({"error": "unauthorized_client"}) == "unauthorized_client"


def test_a_rotated_refresh_token_replaces_the_file_whole_and_private(tmp_path):
    path = tmp_path / "refresh-token"
    path.write_text("old\n")
    oauth2.write_atomically(path, "new")
    assert path.read_text() == "new\n" and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["refresh-token"]


def test_a_token_is_renewed_before_it_expires():
    token = oauth2.Token("t", expires_at=1000.0, lifetime=3600.0)
    assert token.fresh(690.0) and not token.fresh(710.0)  # five minutes ahead
    short = oauth2.Token("t", expires_at=1000.0, lifetime=4.0)
    assert short.fresh(997.0) and not short.fresh(998.5)  # half of a short life


def test_a_token_said_to_expire_in_zero_seconds_is_never_fresh_and_one_without_a_lifetime_lasts_an_hour():
    import time

    expired, unsaid = oauth2._token("t", 0), oauth2._token("t", None)
    assert not expired.fresh(time.time())
    assert unsaid.lifetime == 3600 and unsaid.fresh(time.time() + 3000) and not unsaid.fresh(time.time() + 3301)
