"""Acknowledgements through the real Dovecot and a real SMTP server: once, to people, never to robots."""

from __future__ import annotations

import email
import email.policy
from datetime import timedelta

from sqlalchemy import select, update

from mailintake.store.models import Case, OutboxMessage, utcnow
from tests.support.mails import complaint

FRENCH = (
    "Madame, Monsieur,\n\nLe 3 novembre, un agent du CPAS de Louvain m'a refusé un rendez-vous sans explication. "
    "J'ai téléphoné deux fois au service social, sans réponse.\n\nCordialement,\nClaire Lambert\n"
    "Rue de Namur 10, 3000 Leuven\n"
)


def sent_messages(world):
    return [email.message_from_bytes(m.content, policy=email.policy.default) for m in world.smtp.messages]


def outbox_rows(world) -> list[dict]:
    return world.cli_json("outbox", "list", "--json")


def test_complaint_gets_exactly_one_acknowledgement_in_its_language(world):
    world.deliver(complaint(subject="Plainte CPAS", body=FRENCH, From="Claire Lambert <claire@example.be>",
                            Message_ID="<plainte-claire@example.be>"))
    world.poll()

    assert world.cli_json("outbox", "send") == {"sent": 1, "deferred": 0, "failed": 0}
    assert world.cli_json("outbox", "send") == {"sent": 0, "deferred": 0, "failed": 0}

    [case] = world.cli_json("cases", "list", "--json")
    [ack] = sent_messages(world)
    [row] = outbox_rows(world)
    assert world.smtp.messages[0].rcpt_tos == ("claire@example.be",)
    assert f"[{case['ref']}]" in ack["Subject"]
    assert ack["Message-ID"] == row["message_id"] and row["status"] == "sent"
    assert ack["In-Reply-To"] == "<plainte-claire@example.be>"
    assert "<plainte-claire@example.be>" in ack["References"]
    assert ack["Auto-Submitted"] == "auto-replied"
    assert ack["X-Auto-Response-Suppress"] == "All"
    text = ack.get_body(("plain",)).get_content()
    assert case["ref"] in text
    assert "refusé un rendez-vous" not in text  # the complaint is never quoted back
    assert ack.get_body(("html",)) is not None


def test_robots_and_own_mail_get_no_answer(world):
    auto_reply = complaint(subject="Automatisch antwoord: afwezig", body="Ik ben afwezig.\n", Auto_Submitted="auto-replied")
    newsletter = complaint(subject="Nieuwsbrief november", body="Nieuws van de stad.\n",
                           List_Id="<nieuws.example.be>", List_Unsubscribe="<mailto:uit@example.be>")
    spam = complaint(subject="You won", body="Claim your prize now.\n", X_Spam_Flag="YES")
    own = complaint(subject="Ontvangstmelding", From="Ombudsdienst <ombudsdienst@leuven.example.be>")
    world.deliver(auto_reply, newsletter, spam, own)

    result = world.poll()

    assert result.skipped == 4 and result.cases == 0
    assert world.cli_json("outbox", "send")["sent"] == 0
    assert world.smtp.messages == [] and outbox_rows(world) == []


def test_same_mail_twenty_times_in_a_day_gets_one_acknowledgement(world):
    for _ in range(20):
        world.deliver(complaint())  # identical words, new Message-ID each time

    result = world.poll()
    world.cli_json("outbox", "send")

    assert result.cases == 1 and result.follow_ups == 19
    assert len(world.smtp.messages) == 1


def test_distinct_complaints_are_capped_per_address_per_day(make_world):
    world = make_world(acknowledgement={"max_acks_per_address_per_day": 5})
    for n in range(7):
        world.deliver(complaint(subject=f"Klacht {n}", body=f"Probleem nummer {n} met het loket.\n\nAn Peeters\n"))

    result = world.poll()
    world.cli_json("outbox", "send")

    assert result.cases == 7
    assert len(world.smtp.messages) == 5
    statuses = sorted(row["status"] for row in outbox_rows(world))
    assert statuses == ["sent"] * 5 + ["suppressed"] * 2
    assert all("limiet" in row["reason"] for row in outbox_rows(world) if row["status"] == "suppressed")


def test_a_domain_and_the_hour_have_their_limits_beyond_which_staff_decide(make_world):
    world = make_world(acknowledgement={"max_acks_per_domain_per_day": 3, "max_acks_per_hour": 4})
    for n in range(5):
        world.deliver(complaint(subject=f"Klacht {n}", body=f"Probleem {n}.\n\nAn Peeters\n",
                                From=f"Burger {n} <burger{n}@example.be>"))
    world.deliver(complaint(subject="Nog een", body="Ander probleem.\n\nJan\n", From="Jan <jan@example.org>"))
    world.poll()
    rows = outbox_rows(world)
    statuses = [(row["recipient"], row["status"]) for row in rows]
    assert [s for _, s in statuses[:3]] == ["pending"] * 3 and statuses[3][1] == statuses[4][1] == "held"
    assert all("@example.be in 24 uur" in row["reason"] for row in rows[3:5])
    assert statuses[5] == ("jan@example.org", "held") and "dit uur" in rows[5]["reason"]  # 4 this hour, held too


def test_a_reply_to_in_another_domain_than_a_verified_sender_is_not_used(make_world):
    world = make_world(acknowledgement={"authserv_id": "mx.leuven.example.be"})
    world.deliver(complaint(Reply_To="Slachtoffer <iemand@derde.example>",
                            Authentication_Results="mx.leuven.example.be; dmarc=pass header.from=example.be"))
    world.poll()
    [row] = outbox_rows(world)
    assert row["recipient"] == "an.peeters@example.be" and row["status"] == "pending"


def test_dmarc_failure_from_our_server_holds_the_acknowledgement(make_world):
    world = make_world(acknowledgement={"authserv_id": "mx.leuven.example.be"})
    world.deliver(complaint(Authentication_Results="mx.leuven.example.be; dmarc=fail (p=reject) header.from=example.be"))
    world.deliver(complaint(subject="Andere klacht", body="Nog een probleem.\n\nAn Peeters\n",
                            Authentication_Results="mx.elders.example.com; dmarc=fail header.from=example.be"))

    result = world.poll()
    world.cli_json("outbox", "send")

    assert result.cases == 2
    rows = {row["ref"]: row for row in outbox_rows(world)}
    with world.database.unit_of_work() as session:
        cases = {c.subject: c for c in session.scalars(select(Case))}
        unverified = cases["Klacht over het containerpark"]
        assert unverified.sender_verified is False and "dmarc=fail" in unverified.sender_check
        assert cases["Andere klacht"].sender_verified is True  # a foreign host's header is ignored
    assert rows[unverified.ref]["status"] == "held"
    assert len(world.smtp.messages) == 1


def test_temporary_failure_then_success_sends_once(world):
    world.deliver(complaint())
    world.poll()
    world.smtp.script(["451 4.3.0 Try again later"])

    assert world.cli_json("outbox", "send") == {"sent": 0, "deferred": 1, "failed": 0}
    [row] = outbox_rows(world)
    assert row["status"] == "pending" and "451" in row["last_error"]
    assert world.cli_json("outbox", "send")["sent"] == 0  # not due yet: backoff

    make_due(world)
    assert world.cli_json("outbox", "send") == {"sent": 1, "deferred": 0, "failed": 0}
    assert len(world.smtp.messages) == 1


def test_permanent_failure_is_marked_failed_and_visible(world):
    world.smtp.refuse_recipient("an.peeters@example.be", "550 5.1.1 No such user")
    world.deliver(complaint())
    world.poll()

    assert world.cli_json("outbox", "send") == {"sent": 0, "deferred": 0, "failed": 1}
    make_due(world)
    assert world.cli_json("outbox", "send") == {"sent": 0, "deferred": 0, "failed": 0}
    [row] = outbox_rows(world)
    assert row["status"] == "failed" and "550" in row["last_error"]


def test_crash_between_250_and_mark_sent_duplicates_at_most_once(world):
    world.deliver(complaint())
    world.poll()

    crashed = world.cli("outbox", "send", env={"MAILINTAKE_CRASH_AT": "before_mark_sent"}, check=False)
    assert crashed.returncode == 86
    assert len(world.smtp.messages) == 1
    assert world.cli_json("outbox", "send")["sent"] == 0  # the lease keeps a second relay away

    with world.database.unit_of_work() as session:  # the lease runs out, as after a real crash
        session.execute(update(OutboxMessage).values(claimed_until=utcnow() - timedelta(seconds=1)))
    assert world.cli_json("outbox", "send")["sent"] == 1

    first, second = sent_messages(world)
    assert first["Message-ID"] == second["Message-ID"]  # a retry is recognisable
    assert world.cli_json("outbox", "send")["sent"] == 0
    assert [row["status"] for row in outbox_rows(world)] == ["sent"]


def test_after_review_holds_flagged_cases_until_released(make_world):
    world = make_world(acknowledgement={"ack_flagged": "after_review"})
    world.deliver(complaint(From="anoniem@example.com", body="Ik wil anoniem blijven. De politie deed niets.\n"))
    world.poll()
    [case] = world.cli_json("cases", "list", "--json")
    assert case["flags"]

    assert world.cli_json("outbox", "send")["sent"] == 0
    assert world.cli_json("outbox", "release", case["ref"]) == {"ref": case["ref"], "released": 1}
    assert world.cli_json("outbox", "send")["sent"] == 1
    assert "anonymous" in case["flags"]


def test_no_reply_address_is_never_answered(world):
    world.deliver(complaint(From="Webformulier <no-reply@example.be>",
                            body="Naam: Piet Claes\nKlacht: de bus reed me voorbij aan het station.\n"))
    world.poll()
    world.cli_json("outbox", "send")
    assert all(m.rcpt_tos != ("no-reply@example.be",) for m in world.smtp.messages)
    assert all(row["recipient"] != "no-reply@example.be" or row["status"] in ("held", "suppressed") for row in outbox_rows(world))


WEB_FORM_WITHOUT_ADDRESS = (
    "Nieuwe melding via het meldpunt.\n\nNaam: Piet Claes\nTelefoon: 0470 12 34 56\nWijk: Kessel-Lo\n"
    "Omschrijving: De stoep voor ons huis ligt al weken open na rioleringswerken van de stad. "
    "Mijn moeder in een rolstoel kan er niet door.\n"
)


def test_a_complaint_without_a_reply_address_waits_visibly_until_staff_fill_one_in(world):
    """Never silently unanswered: held as "geen antwoordadres", counted, listed, and sent once an address is given."""
    world.deliver(complaint(From="Meldpunt <no-reply@meldpunt.example.be>", subject="Nieuwe melding",
                            body=WEB_FORM_WITHOUT_ADDRESS))
    result = world.poll()
    assert result.cases == 1 and result.no_reply_address == 1
    assert world.cli_json("outbox", "send")["sent"] == 0
    [row] = outbox_rows(world)
    assert row["status"] == "held" and row["reason"].startswith("geen antwoordadres")
    [waiting] = world.cli_json("review", "list", "--flag", "geen_antwoordadres")
    assert world.cli_json("review", "list", "--flag", "anonymous") == []

    assert world.cli_json("outbox", "release", waiting["ref"])["released"] == 0  # nowhere to send it yet
    decided = world.cli_json("review", "decide", waiting["ref"], "--action", "reply-address",
                             "--address", "piet.claes@example.be")
    assert [m["status"] for m in decided["mail"]] == ["pending"]
    assert world.cli_json("outbox", "send")["sent"] == 1
    assert world.smtp.messages[-1].rcpt_tos == ("piet.claes@example.be",)
    assert world.cli_json("review", "list", "--flag", "geen_antwoordadres") == []


def test_an_unusable_address_typed_by_staff_is_refused(world):
    world.deliver(complaint(From="Meldpunt <no-reply@meldpunt.example.be>", subject="Nieuwe melding",
                            body=WEB_FORM_WITHOUT_ADDRESS))
    world.poll()
    [waiting] = world.cli_json("review", "list", "--flag", "geen_antwoordadres")
    failed = world.cli("review", "decide", waiting["ref"], "--action", "reply-address", "--address", "noreply@example.be",
                       check=False)
    assert failed.returncode != 0 and "no-reply" in failed.stderr


def test_bounce_of_our_acknowledgement_marks_it_undeliverable(world):
    world.deliver(complaint())
    world.poll()
    world.cli_json("outbox", "send")
    [row] = outbox_rows(world)
    bounce = (
        "From: MAILER-DAEMON@mail.example.be\r\nTo: ombudsdienst@leuven.example.be\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\nDate: Fri, 20 Nov 2026 10:00:00 +0100\r\n"
        "Message-ID: <bounce-2@mail.example.be>\r\nMIME-Version: 1.0\r\n"
        "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\r\n\r\n"
        "--b\r\nContent-Type: text/plain\r\n\r\nThe mail could not be delivered.\r\n"
        "--b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mail.example.be\r\n\r\n"
        "Final-Recipient: rfc822; an.peeters@example.be\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n"
        f"--b\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: {row['message_id']}\r\n\r\n--b--\r\n"
    ).encode()
    world.deliver(bounce)

    assert world.poll().skipped == 1
    [row] = outbox_rows(world)
    assert row["undeliverable"]
    assert len(world.smtp.messages) == 1


def make_due(world) -> None:
    """Move retry times into the past, as the clock would."""
    with world.database.unit_of_work() as session:
        session.execute(update(OutboxMessage).values(next_attempt_at=utcnow() - timedelta(seconds=1)))


def test_body_lines_starting_with_from_reach_the_citizen_unmangled(world):
    english = (
        "Hello,\n\nThe AGSL parking machine at the station kept my card and charged me twice last week. "
        "I have not contacted AGSL myself, I am writing to you directly.\n\nKind regards,\nTom Baker\n"
    )  # the first-line paragraph of the acknowledgement has a line starting with "From"
    world.deliver(complaint(subject="Parking machine kept my card", body=english, From="Tom Baker <tom@example.com>"))
    world.poll()
    world.cli_json("outbox", "send")
    [ack] = sent_messages(world)
    text = ack.get_body(("plain",)).get_content()
    assert ack["Content-Language"] == "en"
    assert "\nFrom " in text and ">From" not in text


def test_copy_of_each_sent_mail_goes_to_the_sent_folder(make_world):
    world = make_world(smtp={"sent_folder": "Verzonden"})
    world.deliver(complaint())
    world.poll()

    assert world.cli_json("outbox", "send")["sent"] == 1

    [copy] = world.dovecot.fetch_all(world.user, "Verzonden")
    [row] = outbox_rows(world)
    assert row["message_id"].encode() in copy


def test_follow_up_gets_a_short_notice_only_when_configured(make_world):
    quiet = make_world()
    noisy = make_world(acknowledgement={"follow_up_notice": True})
    for world in (quiet, noisy):
        world.deliver(complaint(Message_ID=f"<first-{world.user}@example.be>"))
        world.poll()
        world.deliver(complaint(subject="Aanvulling", body="Nog een foto erbij.\n\nAn Peeters\n",
                                In_Reply_To=f"<first-{world.user}@example.be>"))
        assert world.poll().follow_ups == 1
        world.cli_json("outbox", "send")

    assert [row["kind"] for row in outbox_rows(quiet)] == ["acknowledgement"]
    assert [row["kind"] for row in outbox_rows(noisy)] == ["acknowledgement", "follow_up_notice"]
    assert len(noisy.smtp.messages) == 2
