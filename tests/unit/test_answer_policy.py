"""answer_policy: robot addresses, our own mail, and DMARC verdicts of our own server only."""

import pytest

from mailintake.mail.parsing import parse
from mailintake.outbox.answer_policy import (
    dmarc_failed,
    is_own_mail,
    parse_authentication_results,
    unanswerable_address,
)
from mailintake.outbox.compose import LOOP_HEADER, make_message_id

OWN = ("ombudsdienst@leuven.be", "Klachten@Leuven.be")
DOMAIN = "leuven.be"
AUTHSERV = "mx1.leuven.be"


def mail(*headers: str, sender: str = "Jan Peeters <jan@example.be>") -> bytes:
    lines = [f"From: {sender}", "To: ombudsdienst@leuven.be", "Subject: Klacht", *headers]
    body = "Goedendag, ik heb een klacht over een parkeerboete."
    return ("\r\n".join(lines) + "\r\n\r\n" + body + "\r\n").encode()


# --- unanswerable_address ------------------------------------------------------------------


@pytest.mark.parametrize(
    "address, word",
    [
        ("MAILER-DAEMON@mx.example.be", "mailer-daemon"),
        ("mailer-daemon@example.be", "mailer-daemon"),
        ("postmaster@example.be", "postmaster"),
        ("PostMaster@example.be", "postmaster"),
        ("noreply@example.be", "no-reply"),
        ("no-reply@example.be", "no-reply"),
        ("No_Reply@example.be", "no-reply"),
        ("no.reply@example.be", "no-reply"),
        ("donotreply@example.be", "no-reply"),
        ("do-not-reply@example.be", "no-reply"),
        ("DoNotReply@example.be", "no-reply"),
        ("noreply-billing@example.be", "no-reply"),
        ("notifications-noreply@example.be", "no-reply"),
        ("noreply+1234@example.be", "no-reply"),
        ("buurtwerk-request@lists.example.be", "-request"),
        ("owner-buurtwerk@lists.example.be", "owner-"),
    ],
)
def test_robot_addresses_are_not_answered(address, word):
    reason = unanswerable_address(address)
    assert reason is not None
    assert address in reason
    assert word in reason


@pytest.mark.parametrize(
    "address",
    [
        "norbert@example.be",
        "nora.reply@example.be",
        "noreplyer@example.be",
        "snoreply@example.be",
        "reply@example.be",
        "postmasters@example.be",
        "daemon@example.be",
        "request@example.be",
        "requests-team@example.be",
        "owner@example.be",
        "ownership-team@example.be",
        "jan.peeters+klacht@example.be",
        "marie-claire.dubois@example.be",
    ],
)
def test_look_alike_people_are_answered(address):
    assert unanswerable_address(address) is None


@pytest.mark.parametrize(
    "address, reason_part",
    [
        ("", "no reply address"),
        (None, "no reply address"),
        ("   ", "no reply address"),
        ("not an address", "not a valid address"),
        ("jan@", "not a valid address"),
        ("@example.be", "not a valid address"),
        ("jan@@example.be", "not a valid address"),
        ("Jan <jan@example.be>", "not a valid address"),
        ("jan@example", "not a valid address"),
        ("jan@example.be\r\nBcc: victim@example.org", "control characters"),
        ("jan@example.be\x00", "control characters"),
        ("zoë@example.be", "non-ASCII"),
        ("jan@exämple.be", "non-ASCII"),
    ],
)
def test_empty_or_invalid_addresses_are_not_answered(address, reason_part):
    reason = unanswerable_address(address)
    assert reason is not None and reason_part in reason
    assert "\n" not in reason and "\r" not in reason


def test_our_own_address_is_not_answered_when_given():
    assert "our own" in unanswerable_address("KLACHTEN@leuven.be", own_addresses=OWN)
    assert unanswerable_address("klachten@leuven.be") is None
    assert unanswerable_address("klachten2@leuven.be", own_addresses=OWN) is None


# --- is_own_mail ------------------------------------------------------------------------


def test_mail_from_our_own_address_is_ours():
    parsed = parse(mail(sender="Ombudsdienst <Ombudsdienst@Leuven.be>"))
    reason = is_own_mail(parsed, OWN, DOMAIN, LOOP_HEADER)
    assert reason == "sent from our own address ombudsdienst@leuven.be"


@pytest.mark.parametrize("sender", ["ombudsdienst@leuven.be.example.org", "ombudsdienst2@leuven.be", "jan@leuven.be"])
def test_look_alike_senders_are_not_ours(sender):
    assert is_own_mail(parse(mail(sender=sender)), OWN, DOMAIN, LOOP_HEADER) is None


def test_a_message_id_we_generated_marks_our_own_mail():
    ours = make_message_id(DOMAIN)
    reason = is_own_mail(parse(mail(f"Message-ID: {ours}")), OWN, DOMAIN, LOOP_HEADER)
    assert reason == f"Message-ID {ours} is one of ours"


@pytest.mark.parametrize(
    "message_id",
    [
        "<CAF1234abcd@leuven.be>",  # a colleague's ordinary mail in the same domain
        "<ack.0123456789abcdef0123456789abcdef@mail.leuven.be>",  # another (sub)domain
        "<ack.0123456789abcdef0123456789abcdef@leuven.be.example.org>",
        "<ack.not-hex@leuven.be>",
    ],
)
def test_other_message_ids_are_not_ours(message_id):
    assert is_own_mail(parse(mail(f"Message-ID: {message_id}")), OWN, DOMAIN, LOOP_HEADER) is None


def test_a_citizen_replying_to_our_mail_is_not_our_mail():
    ours = make_message_id(DOMAIN)
    raw = mail("Message-ID: <reply-1@example.be>", f"In-Reply-To: {ours}", f"References: {ours}")
    assert is_own_mail(parse(raw), OWN, DOMAIN, LOOP_HEADER) is None


def test_our_loop_header_marks_our_own_mail():
    reason = is_own_mail(parse(mail(f"{LOOP_HEADER}: Leuven.be")), OWN, DOMAIN, LOOP_HEADER)
    assert reason == f"{LOOP_HEADER}: Leuven.be (our loop header)"


def test_a_loop_header_of_another_installation_is_not_ours():
    raw = mail(f"{LOOP_HEADER}: gent.be")
    assert is_own_mail(parse(raw), OWN, DOMAIN, LOOP_HEADER) is None


def test_ordinary_citizen_mail_is_not_ours():
    assert is_own_mail(parse(mail("Message-ID: <abc@example.be>")), OWN, DOMAIN, LOOP_HEADER) is None


# --- dmarc_failed -----------------------------------------------------------------------


def ar(value: str) -> str:
    return f"Authentication-Results: {value}"


def test_dmarc_fail_from_our_server_is_reported_with_evidence():
    raw = mail(ar(f"{AUTHSERV}; spf=pass smtp.mailfrom=example.be; dmarc=fail (p=reject dis=none) header.from=example.be"))
    reason = dmarc_failed(parse(raw), AUTHSERV)
    assert reason == f"Authentication-Results of {AUTHSERV}: dmarc=fail header.from=example.be"


def test_dmarc_fail_from_another_host_is_ignored():
    raw = mail(ar("mx.example.org; dmarc=fail header.from=example.be"))
    assert dmarc_failed(parse(raw), AUTHSERV) is None


def test_look_alike_authserv_id_is_ignored():
    raw = mail(ar(f"{AUTHSERV}.example.org; dmarc=fail header.from=example.be"), ar(f"x{AUTHSERV}; dmarc=fail"))
    assert dmarc_failed(parse(raw), AUTHSERV) is None


def test_our_pass_wins_over_a_foreign_fail():
    raw = mail(ar(f"{AUTHSERV}; dmarc=pass header.from=example.be"), ar("mx.example.org; dmarc=fail"))
    assert dmarc_failed(parse(raw), AUTHSERV) is None


def test_a_pass_of_ours_for_another_domain_does_not_vouch_for_the_sender():
    raw = mail(ar(f"{AUTHSERV}; dmarc=pass header.from=leuven.be"), sender="Piet <piet@evil.example>")
    assert dmarc_failed(parse(raw), AUTHSERV).endswith("but the mail is from evil.example")
    same = mail(ar(f"{AUTHSERV}; dmarc=pass header.from=Example.be"))
    assert dmarc_failed(parse(same), AUTHSERV) is None


def test_an_encoded_display_name_cannot_become_the_sender():
    """RFC 2047 is decoded after the address list is split: a name that reads "x <burgemeester@...>" stays a name."""
    import base64

    name = base64.b64encode(b"Piet Janssens <burgemeester@leuven.be>, ").decode()
    parsed = parse(mail(sender=f"=?utf-8?b?{name}?= <attacker@evil.example>"))
    assert parsed.sender.address == "attacker@evil.example"
    assert [a.address for a in parse(mail(f"Reply-To: =?utf-8?b?{name}?= <x@evil.example>")).reply_to] == [
        "x@evil.example"]


def test_any_fail_of_ours_counts_even_next_to_a_forged_pass():
    raw = mail(ar(f"{AUTHSERV}; dmarc=pass header.from=example.be"), ar(f"{AUTHSERV}; dmarc=fail header.from=example.be"))
    assert "dmarc=fail" in dmarc_failed(parse(raw), AUTHSERV)


@pytest.mark.parametrize(
    "value",
    [
        f"{AUTHSERV}; dmarc=pass (not dmarc=fail; really) header.from=example.be",
        f"{AUTHSERV}; dkim=fail header.d=example.be; spf=fail; dmarc=none",
        f"{AUTHSERV}; none",
        f'{AUTHSERV}; dkim=pass header.b="dmarc=fail;x"',
        f"{AUTHSERV}; dmarc=permerror",
        f"{AUTHSERV}; arc=fail; dmarc=bestguesspass",
    ],
)
def test_no_dmarc_fail_means_none(value):
    assert dmarc_failed(parse(mail(ar(value))), AUTHSERV) is None


@pytest.mark.parametrize(
    "value",
    [
        f"{AUTHSERV} 1; dmarc=fail header.from=example.be",
        f"{AUTHSERV.upper()}; DMARC=FAIL header.from=example.be",
        f"(our mx) {AUTHSERV}; dmarc = fail",
        f"{AUTHSERV};\r\n\tdkim=pass header.d=example.be;\r\n\tdmarc=fail (p=quarantine) header.from=example.be",
        f"{AUTHSERV}; dmarc/1=fail",
    ],
)
def test_dmarc_fail_variants_from_our_server(value):
    assert dmarc_failed(parse(mail(ar(value))), AUTHSERV) is not None


def test_empty_authserv_id_turns_the_check_off():
    raw = mail(ar(f"{AUTHSERV}; dmarc=fail header.from=example.be"))
    assert dmarc_failed(parse(raw), "") is None


def test_mail_without_authentication_results_is_not_failed():
    assert dmarc_failed(parse(mail()), AUTHSERV) is None


def test_parse_authentication_results_reads_id_and_results():
    server, results = parse_authentication_results(
        'mx.example.be 1; spf=pass smtp.mailfrom=a.be; dkim=fail reason="bad; sig" header.d=a.be; dmarc=fail'
    )
    assert server == "mx.example.be"
    assert [(m, r) for m, r, _ in results] == [("spf", "pass"), ("dkim", "fail"), ("dmarc", "fail")]
    assert parse_authentication_results("") == ("", [])
