"""Robots recognised without list headers, and the receiving server's spam verdict believed only when named."""

from __future__ import annotations

import pytest

from mailintake.config import from_dict
from mailintake.errors import ConfigError
from mailintake.intake.analysis import triage_settings
from mailintake.mail.parsing import parse
from mailintake.triage import triage
from mailintake.triage.model import TriageSettings
from tests.support.mails import complaint

VERDICTS = {
    "spamassassin": {"X-Spam-Flag": "YES", "X-Spam-Status": "Yes, score=9.1"},
    "rspamd": {"X_Rspamd_Action": "add header", "X_Spamd_Result": "default: True [14.20 / 15.00]"},
    "microsoft": {"X_MS_Exchange_Organization_SCL": "6"},
}


def _with_headers(headers: dict) -> bytes:
    return complaint(body="Beste, de stad heeft mijn container niet geledigd. Ik heb al twee keer gebeld.\n\nJan Peeters",
                     **{k.replace("-", "_"): v for k, v in headers.items()})


@pytest.mark.parametrize("spam_filter", list(VERDICTS))
def test_a_spam_verdict_counts_only_from_the_filters_our_server_runs(spam_filter):
    raw = _with_headers(VERDICTS[spam_filter])
    trusted = triage(parse(raw), TriageSettings(trusted_spam_headers=(spam_filter,)))
    assert trusted.kind == "spam" and trusted.reason_evidence
    untrusted = triage(parse(raw), TriageSettings(trusted_spam_headers=()))
    assert untrusted.kind == "complaint"  # anyone can write these headers


def test_eop_forefront_report_with_a_low_scl_is_no_spam():
    raw = _with_headers({"X-Forefront-Antispam-Report": "CIP:192.0.2.1;CTRY:BE;LANG:nl;SCL:1;SRV:;IPV:NLI;"})
    assert triage(parse(raw), TriageSettings(trusted_spam_headers=("microsoft",))).kind == "complaint"
    raw = _with_headers({"X-Forefront-Antispam-Report": "CIP:192.0.2.1;CTRY:BE;LANG:nl;SCL:7;SRV:;IPV:NLI;"})
    assert triage(parse(raw), TriageSettings(trusted_spam_headers=("microsoft",))).kind == "spam"


def test_the_config_names_the_trusted_filters_and_refuses_unknown_ones():
    config = from_dict({"triage": {"trusted_spam_headers": ["rspamd", "microsoft"]}})
    assert triage_settings(config).trusted_spam_headers == ("rspamd", "microsoft")
    with pytest.raises(ConfigError, match="trusted_spam_headers"):
        from_dict({"triage": {"trusted_spam_headers": ["barracuda"]}})


def _with_attachment(body: str, filename: str, sender: str = "Accounts <accounts@trade.example.net>") -> bytes:
    from email.message import EmailMessage

    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, "ombudsdienst@leuven.example.be", "Documents"
    message["Date"] = "Wed, 07 Oct 2026 10:00:00 +0200"
    message.set_content(body)
    message.add_attachment(b"PK\x03\x04 not really", maintype="application", subtype="octet-stream", filename=filename)
    return message.as_bytes()


@pytest.mark.parametrize("body, filename", [
    ("Dear Sir,\n\nPlease find attached the SWIFT copy and remittance advice of our payment for your order.\n\nRegards",
     "Remittance_Advice_0921.zip"),
    ("Sent from my phone", "scan_0112.pdf.exe"),
    ("Zie bijlage", "foto_2026.jpg_.zip"),
])
def test_a_program_or_a_business_paper_in_an_archive_as_the_mails_point_is_spam(body, filename):
    assert triage(parse(_with_attachment(body, filename))).kind == "spam"


def test_a_citizens_story_with_an_odd_attachment_stays_a_complaint():
    raw = _with_attachment("Goedemorgen,\n\nIn bijlage de documenten bij mijn klacht: mijn afspraak aan het loket voor een "
                           "nieuwe identiteitskaart werd drie keer geannuleerd, telkens zonder uitleg.\n\nPieter De Smedt",
                           "documenten.bat", sender="Pieter De Smedt <pieter.desmedt@example.be>")
    assert triage(parse(raw)).kind == "complaint"


def test_a_short_story_of_ones_own_with_a_program_attached_stays_a_complaint():
    raw = _with_attachment("Geachte,\n\nDe factuur die ik kreeg klopt niet. Ik betaalde al in oktober.\n\nJan Peeters",
                           "factuur.exe", sender="Jan Peeters <jan.peeters@example.be>")
    assert triage(parse(raw)).kind == "complaint"
