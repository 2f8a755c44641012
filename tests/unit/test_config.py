"""config.toml loading: defaults, secrets, and one clear line per mistake."""

import json
import logging
import subprocess
import sys
from pathlib import Path

import pytest

from mailintake.cli.logs import JsonLines
from mailintake.config import config_path, from_dict, load
from mailintake.errors import ConfigError

ROOT = Path(__file__).resolve().parents[2]
MINIMAL = {
    "mailbox": {
        "host": "imap.example.be",
        "username": "ombudsdienst@example.be",
        "password_env": "MAILINTAKE_IMAP_PASSWORD",
    }
}


def test_documented_config_file_loads_with_every_key():
    config = load(ROOT / "config.toml")
    assert config.mailbox.port == 993
    assert config.mailbox.security == "tls"
    assert config.mailbox.processed_folder == "Verwerkt"
    assert config.intake.case_prefix == "OMB"
    assert config.database.resolved_url() == "sqlite:///mailintake.sqlite"


def test_short_config_gets_defaults():
    config = from_dict(MINIMAL)
    assert config.mailbox.folder == "INBOX"
    assert config.mailbox.quarantine_folder == "Quarantaine"
    assert config.mailbox.batch_size == 50
    assert config.mailbox.max_message_bytes == 26214400
    assert config.intake.timezone == "Europe/Brussels"
    assert config.triage.stale_after_days == 365


def test_config_is_frozen():
    config = from_dict(MINIMAL)
    with pytest.raises(AttributeError):
        config.mailbox.port = 1


@pytest.mark.parametrize(
    "section, key, value, message",
    [
        ("mailbox", "hots", "x", "[mailbox] unknown key 'hots'"),
        ("mailbox", "port", "993", "[mailbox] port: expected an integer"),
        ("mailbox", "port", True, "[mailbox] port: expected an integer"),
        ("mailbox", "security", "ssl", "[mailbox] security: must be one of tls, starttls, none"),
        ("mailbox", "batch_size", 0, "[mailbox] batch_size: must be positive"),
        ("intake", "timezone", "Europe/Leuven", "[intake] timezone: unknown time zone"),
        ("triage", "min_confidence", 2, "[triage] min_confidence: must be between 0 and 1"),
    ],
)
def test_bad_values_name_the_key(section, key, value, message):
    data = {name: dict(values) for name, values in MINIMAL.items()}
    data.setdefault(section, {})[key] = value
    with pytest.raises(ConfigError) as error:
        from_dict(data)
    assert message in str(error.value)


def test_missing_secret_source_is_an_error():
    data = {"mailbox": {"host": "h", "username": "u"}}
    with pytest.raises(ConfigError, match=r"\[mailbox\] password_env: missing secret"):
        from_dict(data)


def test_unknown_section_is_an_error():
    with pytest.raises(ConfigError, match=r"unknown section \[mailbx\]"):
        from_dict({**MINIMAL, "mailbx": {}})


def test_secret_from_env_and_file(tmp_path, monkeypatch):
    monkeypatch.setenv("MAILINTAKE_IMAP_PASSWORD", "geheim")
    assert from_dict(MINIMAL).mailbox.password.value() == "geheim"
    monkeypatch.delenv("MAILINTAKE_IMAP_PASSWORD")
    with pytest.raises(ConfigError, match="MAILINTAKE_IMAP_PASSWORD is not set"):
        from_dict(MINIMAL).mailbox.password.value()
    secret = tmp_path / "pw"
    secret.write_text("uit-bestand\n")
    data = {"mailbox": {"host": "h", "username": "u", "password_file": str(secret)}}
    assert from_dict(data).mailbox.password.value() == "uit-bestand"


def test_database_url_from_env(monkeypatch):
    monkeypatch.setenv("DB_URL", "postgresql+psycopg://u:p@db/x")
    config = from_dict({**MINIMAL, "database": {"url_env": "DB_URL"}})
    assert config.database.resolved_url() == "postgresql+psycopg://u:p@db/x"


def test_secret_file_path_may_name_the_systemd_credentials_directory(tmp_path, monkeypatch):
    (tmp_path / "imap-password").write_text("uit-credential\n")
    (tmp_path / "database-url").write_text("sqlite:////var/lib/mailintake/m.sqlite\n")
    monkeypatch.setenv("CREDENTIALS_DIRECTORY", str(tmp_path))
    config = from_dict({"mailbox": {"host": "h", "username": "u",
                                    "password_file": "${CREDENTIALS_DIRECTORY}/imap-password"},
                        "database": {"url_file": "${CREDENTIALS_DIRECTORY}/database-url"}})
    assert config.mailbox.password.value() == "uit-credential"
    assert config.database.resolved_url() == "sqlite:////var/lib/mailintake/m.sqlite"
    monkeypatch.setenv("CREDENTIALS_DIRECTORY", str(tmp_path / "elsewhere"))
    with pytest.raises(ConfigError, match=r"password_file: cannot read .*elsewhere/imap-password"):
        config.mailbox.password.value()


def test_database_url_has_one_source():
    with pytest.raises(ConfigError, match=r"\[database\] url, url_env and url_file: give only one"):
        from_dict({**MINIMAL, "database": {"url": "sqlite://", "url_file": "/run/x"}})


def test_json_log_lines():
    record = logging.LogRecord("mailintake.intake.poll", logging.WARNING, __file__, 1, "message uid=%s failed: %s",
                               (7, "ValueError"), None)
    line = json.loads(JsonLines().format(record))
    assert line["level"] == "WARNING" and line["logger"] == "mailintake.intake.poll"
    assert line["message"] == "message uid=7 failed: ValueError" and line["time"].endswith("+00:00")


def test_cli_takes_the_log_format(tmp_path):
    done = subprocess.run([sys.executable, "-m", "mailintake", "--log-format", "xml", "parse", "x.eml"],
                          capture_output=True, text=True)
    assert done.returncode == 2 and "invalid choice: 'xml'" in done.stderr


def test_config_path_precedence(monkeypatch):
    monkeypatch.delenv("MAILINTAKE_CONFIG", raising=False)
    assert config_path(None) == Path("config.toml")
    monkeypatch.setenv("MAILINTAKE_CONFIG", "/etc/mailintake.toml")
    assert config_path(None) == Path("/etc/mailintake.toml")
    assert config_path("mine.toml") == Path("mine.toml")


def test_cli_bad_config_is_one_line_and_exit_2(tmp_path):
    bad = tmp_path / "config.toml"
    bad.write_text('[mailbox]\nhost = "h"\nusername = "u"\npassword_env = "X"\nport = "993"\n')
    done = subprocess.run(
        [sys.executable, "-m", "mailintake", "--config", str(bad), "cases", "list"],
        capture_output=True, text=True,
    )
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0
    assert "[mailbox] port: expected an integer" in done.stderr
    assert "Traceback" not in done.stderr


def test_cli_invalid_toml_is_one_line(tmp_path):
    bad = tmp_path / "config.toml"
    bad.write_text("[mailbox\nhost=")
    done = subprocess.run(
        [sys.executable, "-m", "mailintake", "--config", str(bad), "cases", "list"],
        capture_output=True, text=True,
    )
    assert done.returncode == 2
    assert "not valid TOML" in done.stderr and "Traceback" not in done.stderr


def test_the_offices_own_addresses_are_its_from_reply_to_mailbox_and_listed_ones():
    config = from_dict({**MINIMAL, "intake": {"own_addresses": ["Klachten@Leuven.be"]},
                        "smtp": {"from_address": "ombudsdienst@leuven.be", "reply_to": "antwoord@leuven.be"}})
    assert config.own_addresses() == ("klachten@leuven.be", "ombudsdienst@leuven.be", "antwoord@leuven.be",
                                      "ombudsdienst@example.be")
    assert from_dict({}).own_addresses() == ("ombudsdienst@leuven.be",)  # embedded default From


REPLY_TO_OUR_ACKNOWLEDGEMENT = """\
From: Marta Kowalska <marta.k@example.org>
To: Ombudsdienst <meldingen@stad.example>
Subject: Re: Ontvangstbevestiging
Date: Tue, 17 Mar 2026 13:58:00 +0100
Message-ID: <reply-1@example.org>

Nog een foto van de kapotte stoep, zoals gevraagd.

Marta

Op 10 mrt. 2026 om 09:12 schreef Ombudsdienst <meldingen@stad.example>:
> Wij hebben uw bericht goed ontvangen.
"""


def test_offline_triage_and_evaluate_know_the_configured_office_address(tmp_path):
    """A reply quoting our acknowledgement is a follow-up when triage knows our From, as the intake does; the
    offline commands read it from the config, and without one from the embedded defaults."""
    mail = tmp_path / "reply.eml"
    mail.write_text(REPLY_TO_OUR_ACKNOWLEDGEMENT)
    config = tmp_path / "config.toml"
    config.write_text('[smtp]\nfrom_address = "meldingen@stad.example"\n')

    def kind(*options):
        done = subprocess.run([sys.executable, "-m", "mailintake", *options, "triage", str(mail)],
                              capture_output=True, text=True, cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)["kind"]

    assert kind("--config", str(config)) == "follow_up"
    config.unlink()
    assert kind() == "complaint"  # the embedded default From is another address
    (tmp_path / "labels.json").write_text(json.dumps([{"file": "reply.eml", "kind": "follow_up", "service": None, "flags": [], "language": "nl", "case_ref": None}]))
    config.write_text('[smtp]\nfrom_address = "meldingen@stad.example"\n')
    done = subprocess.run([sys.executable, "-m", "mailintake", "evaluate", str(tmp_path)],
                          capture_output=True, text=True, cwd=tmp_path)  # ./config.toml is found
    assert done.returncode == 0 and "kind accuracy      1.000" in done.stdout, done.stdout + done.stderr
