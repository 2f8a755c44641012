"""Parsing: bytes -> Parsed, robust on real-world and hostile mail; the `parse` command."""

from __future__ import annotations

import base64
import json
from email.message import EmailMessage
from pathlib import Path

import pytest

from mailintake.cli import main
from mailintake.mail.message import clean_line, safe_filename
from mailintake.mail.parsing import parse
from tests.support.paths import MAILS, SHARED


def corpus_files() -> list[Path]:
    folder = SHARED / "corpus"
    return sorted(folder.glob("*.eml")) if folder.exists() else []


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.name)
def test_parse_command_handles_every_corpus_file(path, capsys):
    assert main(["parse", str(path)]) == 0
    result = json.loads(capsys.readouterr().out)
    assert set(result) >= {"message_id", "subject", "sender", "text", "language", "attachments"}
    assert result["language"] in ("nl", "fr", "en")


def test_corpus_is_present_or_skipped():
    if not corpus_files():
        pytest.skip("../shared/corpus is not available")
    assert len(corpus_files()) > 50


def test_own_test_mails_parse_without_defects_escaping():
    files = sorted((MAILS / "intake").glob("*.eml"))
    assert len(files) >= 20
    for path in files:
        parsed = parse(path.read_bytes())
        assert parsed.language in ("nl", "fr", "en"), path.name


def build(body: str = "Hallo", **headers) -> EmailMessage:
    message = EmailMessage()
    message["From"] = headers.pop("From", "Jan Peeters <jan@example.be>")
    message["To"] = "ombudsdienst@leuven.example.be"
    message["Subject"] = headers.pop("Subject", "Klacht")
    message["Date"] = "Tue, 10 Nov 2026 14:00:00 +0100"
    message["Message-ID"] = "<m1@example.be>"
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(body)
    return message


def test_headers_addresses_and_date():
    message = build(Subject="=?iso-8859-1?q?Klacht_over_caf=E9?=", Reply_To="Jan <prive@example.com>",
                    In_Reply_To="<a@x>", References="<z@x> <a@x>")
    parsed = parse(message.as_bytes())
    assert parsed.subject == "Klacht over café"
    assert parsed.sender.name == "Jan Peeters" and parsed.sender.address == "jan@example.be"
    assert parsed.reply_to[0].address == "prive@example.com"
    assert parsed.in_reply_to == "<a@x>" and parsed.references == ("<z@x>", "<a@x>")
    assert parsed.date.isoformat() == "2026-11-10T14:00:00+01:00"
    assert parsed.header("x-missing") is None


def test_reply_is_split_from_quote_and_signature():
    body = (
        "Ik heb intussen nog steeds niets gehoord van de dienst.\n\n"
        "Met vriendelijke groeten,\nJan Peeters\n\n"
        "Op ma 9 nov 2026 om 10:00 schreef Ombudsdienst Leuven <ombudsdienst@leuven.example.be>:\n"
        "> Wij hebben uw klacht goed ontvangen onder referentie OMB-2026-00042.\n"
    )
    parsed = parse(build(body).as_bytes())
    assert "nog steeds niets gehoord" in parsed.reply_text
    assert "OMB-2026-00042" not in parsed.reply_text
    assert "OMB-2026-00042" in parsed.quoted_text or "OMB-2026-00042" in parsed.text
    assert parsed.language == "nl"


PASTED_ANSWER = (
    "Ik heb op 2 maart de dienst wegen gemaild. Dit was hun antwoord:\n\n"
    "-----Oorspronkelijk bericht-----\n"
    "Van: Dienst Wegen <wegen@leuven.example.be>\nVerzonden: dinsdag 3 maart 2026 09:12\n"
    "Aan: jan@example.be\nOnderwerp: RE: put in de stoep\n\n"
    "Beste,\nDe herstelling staat gepland voor het najaar.\nMet vriendelijke groeten,\nDienst Wegen\n\n"
    "Ik vind het onaanvaardbaar dat mijn moeder met haar rollator tot dan langs die put moet.\n\n"
    "Met vriendelijke groeten,\nJan Peeters\n"
)


def test_the_writers_words_below_an_answer_they_pasted_are_their_own():
    parsed = parse(build(PASTED_ANSWER).as_bytes())
    assert "rollator" in parsed.reply_text + parsed.signature
    assert "rollator" not in parsed.quoted_text
    assert "gepland voor het najaar" in parsed.quoted_text and "gepland" not in parsed.reply_text


def test_a_quote_that_was_not_introduced_keeps_what_follows_it_quoted():
    body = PASTED_ANSWER.replace("Dit was hun antwoord:", "Ze lieten niets meer van zich horen.")
    parsed = parse(build(body).as_bytes())
    assert "rollator" not in parsed.reply_text


def test_html_only_mail_becomes_readable_text():
    message = EmailMessage()
    message["From"] = "marie@example.be"
    message["Subject"] = "Plainte"
    message.set_content(
        "<html><body><p>Bonjour,</p><p>Le parking <b>Ladeuze</b> m'a facturé deux fois.</p></body></html>",
        subtype="html",
    )
    parsed = parse(message.as_bytes())
    assert "Le parking Ladeuze m'a facturé deux fois." in parsed.text
    assert "<b>" not in parsed.text
    assert parsed.html and "<b>Ladeuze</b>" in parsed.html
    assert parsed.language == "fr"


def test_attachment_names_cannot_name_a_path():
    message = build("See attachment")
    message.add_attachment(b"x" * 10, maintype="application", subtype="octet-stream", filename="../../etc/passwd")
    message.add_attachment(b"y", maintype="text", subtype="plain", filename="placeholder.txt")
    raw = message.as_bytes().replace(
        b'filename="placeholder.txt"', b"filename*=utf-8''C%3A%5CWindows%5Cevil%0D%0A.txt"
    )
    parsed = parse(raw)
    names = [a.filename for a in parsed.attachments]
    assert names[0] == "passwd"
    assert "/" not in names[1] and "\\" not in names[1] and "\n" not in names[1]
    assert parsed.attachments[0].size == 10
    assert len(parsed.attachments[0].sha256) == 64


@pytest.mark.parametrize(
    "name, expected",
    [("rapport.pdf", "rapport.pdf"), ("..", "bijlage"), ("", "bijlage"), ("a/b/../c.txt", "c.txt"), (".bashrc", "bashrc")],
)
def test_safe_filename(name, expected):
    assert safe_filename(name) == expected


def test_long_filename_is_bounded_and_keeps_extension():
    name = safe_filename("x" * 400 + ".pdf")
    assert len(name) <= 150 and name.endswith(".pdf")


def test_clean_line_removes_header_injection():
    assert clean_line("Klacht\r\nBcc: evil@example.com\x00") == "Klacht Bcc: evil@example.com"


def test_truncated_multipart_falls_back_and_keeps_text():
    raw = (
        b"From: a@example.be\r\nSubject: Afgebroken\r\nMIME-Version: 1.0\r\n"
        b"Content-Type: multipart/mixed; boundary=\"xyz\"\r\n\r\n"
        b"--xyz\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nDe tekst van mijn klacht.\r\n"
        b"--xyz\r\nContent-Type: application/pdf; name=\"a.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        b"JVBERi0xLjQK" + base64.b64encode(b"abc" * 20)[:30]
    )
    parsed = parse(raw)
    assert "De tekst van mijn klacht." in parsed.text
    assert parsed.subject == "Afgebroken"


def test_tnef_attachment_is_unpacked():
    tnef_dir = SHARED / "corpus" / "tnef"
    candidates = sorted(tnef_dir.glob("*")) if tnef_dir.exists() else []
    if not candidates:
        pytest.skip("../shared/corpus/tnef is not available")
    unpacked = 0
    for payload_path in candidates:
        message = build("Zie bijlage")
        message.add_attachment(payload_path.read_bytes(), maintype="application", subtype="ms-tnef", filename="winmail.dat")
        parsed = parse(message.as_bytes())
        assert parsed.attachments  # never lost: unpacked files, or the winmail.dat itself
        if all(a.filename != "winmail.dat" for a in parsed.attachments):
            unpacked += 1
    assert unpacked >= 1


def test_garbage_bytes_do_not_raise():
    parsed = parse(b"\x00\xff\xfe not a mail at all \r\n\r\n\x80\x81")
    assert parsed.sender is None
    assert parsed.language in ("nl", "fr", "en")


def test_parse_command_reports_missing_file(capsys):
    assert main(["parse", "/nonexistent/file.eml"]) == 1
    assert "cannot read" in capsys.readouterr().err


def test_bidi_and_other_format_characters_are_dropped_from_what_staff_see():
    raw = ("From: =?utf-8?q?Jan_=E2=80=AEsreteeP?= <jan@example.be>\r\nSubject: =?utf-8?q?factuur=E2=80=AEfdp.exe?=\r\n"
           "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n"
           "tekst\r\n--b\r\nContent-Type: application/octet-stream\r\n"
           "Content-Disposition: attachment; filename*=utf-8''evil%E2%80%AEgpj.exe\r\n\r\nxx\r\n--b--\r\n").encode()
    parsed = parse(raw)
    assert parsed.subject == "factuurfdp.exe" and parsed.sender.name == "Jan sreteeP"
    assert [a.filename for a in parsed.attachments] == ["evilgpj.exe"]


@pytest.mark.parametrize("name, expected", [("CON", "_CON"), ("nul.txt", "_nul.txt"), ("com1.pdf", "_com1.pdf"),
                                            ("console.txt", "console.txt")])
def test_reserved_windows_names_are_not_offered_as_download_names(name, expected):
    assert safe_filename(name) == expected


@pytest.mark.parametrize("feed_bytes", [1, 7, 64, 1 << 16])
def test_mail_fed_in_slices_parses_as_in_one_piece(monkeypatch, feed_bytes):
    """Slices end inside CRLFs, headers and MIME boundaries; the tree must not notice."""
    import email

    from mailintake.mail import parsing

    monkeypatch.setattr(parsing, "FEED_BYTES", feed_bytes)
    mails = sorted(MAILS.rglob("*.eml"))[::2]
    assert len(mails) > 20
    for path in mails:
        raw = path.read_bytes()
        assert parsing.message_from_bytes(raw).as_bytes() == email.message_from_bytes(raw).as_bytes(), path.name


def test_a_returned_headers_encoded_subject_is_decoded_so_its_reference_reads():
    raw = (b"From: MAILER-DAEMON@mail.example.be\r\nTo: ombudsdienst@leuven.be\r\nSubject: Undelivered Mail\r\n"
           b"MIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\r\n\r\n"
           b"--b\r\nContent-Type: text/plain\r\n\r\nThe mail could not be delivered.\r\n"
           b"--b\r\nContent-Type: text/rfc822-headers\r\n\r\n"
           b"Subject: =?utf-8?q?Ontvangstbevestiging_van_uw_klacht_=E2=80=93_OMB-2026-00195?=\r\n"
           b"--b--\r\n")
    assert "klacht – OMB-2026-00195" in parse(raw).text
