"""Intake through a real Dovecot: every message ends as exactly one outcome, never lost, never doubled."""

from __future__ import annotations

from datetime import datetime, timezone
from email.message import EmailMessage

from sqlalchemy import func, select

from devkit.devmail import LocalDovecot
from devkit.mailgen import generate_messages
from mailintake.config import from_dict
from mailintake.domain import Outcome
from mailintake.intake import analysis as intake_module
from mailintake.intake.cases import next_reference
from mailintake.store.models import AttachmentRecord, Blob, MessageRecord, OutboxMessage
from tests.support.mails import complaint
from tests.support.world import world_config


def test_hundred_varied_messages_each_get_one_outcome(world):
    messages = generate_messages(100, seed=7)
    world.deliver(*messages)

    result = world.cli_json("poll", "--once")

    assert result["fetched"] == 100
    assert result["cases"] + result["follow_ups"] + result["skipped"] + result["quarantined"] + result["duplicates"] == 100
    assert result["failed"] == 0
    assert sum(world.outcomes().values()) == 100
    assert world.uids("INBOX") == []
    assert len(world.uids("Verwerkt")) + len(world.uids("Quarantaine")) == 100

    before = (world.outcomes(), world.case_count())
    again = world.cli_json("poll", "--once")
    assert again == {key: 0 for key in again}
    assert (world.outcomes(), world.case_count()) == before


def test_poll_prints_the_contract_keys(world):
    world.deliver(complaint())
    result = world.cli_json("poll", "--once")
    for key in ("fetched", "cases", "follow_ups", "skipped", "quarantined", "failed"):
        assert key in result
    assert result["fetched"] == 1 and result["cases"] == 1


def test_crash_after_commit_before_move_leaves_one_case(world):
    world.deliver(complaint())

    crashed = world.cli("poll", "--once", env={"MAILINTAKE_CRASH_AT": "after_commit"}, check=False)
    assert crashed.returncode == 86
    assert world.case_count() == 1
    assert len(world.uids("INBOX")) == 1  # committed but not yet moved

    result = world.cli_json("poll", "--once")
    assert result["fetched"] == 1 and result["cases"] == 0 and result["already_done"] == 1
    assert world.case_count() == 1
    assert world.uids("INBOX") == [] and len(world.uids("Verwerkt")) == 1


def test_uidvalidity_change_creates_no_duplicates(world):
    world.deliver(
        complaint(subject="Eerste klacht", body="Het containerpark was dicht.\n\nAn Peeters\n"),
        complaint(subject="Tweede klacht", body="De bibliotheek was dicht.\n\nAn Peeters\n"),
    )
    crashed = world.cli("poll", "--once", env={"MAILINTAKE_CRASH_AT": "after_commit"}, check=False)
    assert crashed.returncode == 86
    assert world.case_count() == 2

    old, new = world.dovecot.recreate_folder(world.user, "INBOX")
    assert old != new
    result = world.poll()

    assert result.fetched == 2 and result.duplicates == 2 and result.cases == 0
    assert world.case_count() == 2
    assert world.uids("INBOX") == []


def test_same_bytes_under_another_uid_make_no_second_case(world):
    raw = complaint()
    world.deliver(raw)
    assert world.poll().cases == 1
    world.deliver(raw)  # a restored or re-filed copy

    result = world.poll()

    assert result.duplicates == 1 and result.cases == 0
    assert world.case_count() == 1
    with world.database.unit_of_work() as session:
        copies = session.scalars(select(MessageRecord).order_by(MessageRecord.id)).all()
        assert copies[1].duplicate_of_id == copies[0].id
        assert copies[1].case_id == copies[0].case_id
    assert world.uids("INBOX") == [] and len(world.uids("Verwerkt")) == 2


def test_failing_message_is_quarantined_after_three_attempts_without_blocking(world, monkeypatch):
    real_parse = intake_module.parse

    def parse_that_fails_on_mangled(raw: bytes):
        if b"X-Test-Mangled" in raw:
            raise ValueError("cannot make sense of this message")
        return real_parse(raw)

    monkeypatch.setattr(intake_module, "parse", parse_that_fails_on_mangled)
    world.deliver(complaint(subject="Kapot", X_Test_Mangled="yes"))
    world.deliver(complaint(subject="Gewone klacht één", body="Eerste probleem.\n\nAn Peeters\n"))

    first = world.poll(workers=0)
    assert (first.failed, first.cases) == (1, 1)
    world.deliver(complaint(subject="Gewone klacht twee", body="Tweede probleem.\n\nAn Peeters\n"))
    second = world.poll(workers=0)
    assert (second.failed, second.cases) == (1, 1)
    third = world.poll(workers=0)
    assert (third.quarantined, third.failed) == (1, 0)

    assert world.uids("INBOX") == []
    assert len(world.uids("Quarantaine")) == 1 and len(world.uids("Verwerkt")) == 2
    with world.database.unit_of_work() as session:
        bad = session.scalar(select(MessageRecord).where(MessageRecord.outcome == Outcome.QUARANTINED))
        assert bad.attempts == 3
        assert "ValueError: cannot make sense" in bad.reason
        assert bad.raw is not None  # the bytes are kept for staff


def test_message_that_kills_the_process_is_quarantined_after_three_tries(world):
    world.deliver(complaint(subject="Doodt het proces"))
    for _ in range(3):
        crashed = world.cli("poll", "--once", env={"MAILINTAKE_CRASH_AT": "after_parse"}, check=False)
        assert crashed.returncode == 86
    assert world.case_count() == 0

    result = world.cli_json("poll", "--once")

    assert result["quarantined"] == 1 and result["cases"] == 0
    assert world.uids("INBOX") == [] and len(world.uids("Quarantaine")) == 1


def test_oversized_message_is_quarantined_unparsed(make_world):
    world = make_world(mailbox={"max_message_bytes": 2000})
    world.deliver(complaint(body="Lange klacht. " * 400))
    world.deliver(complaint())

    result = world.poll()

    assert (result.quarantined, result.cases) == (1, 1)
    with world.database.unit_of_work() as session:
        big = session.scalar(select(MessageRecord).where(MessageRecord.outcome == Outcome.QUARANTINED))
        assert big.raw is None and big.parsed is None
        assert "exceeds max_message_bytes" in big.reason


def test_case_stores_who_wrote_and_the_attachments(world):
    message = EmailMessage()
    message["From"] = "=?utf-8?q?Fran=C3=A7oise_Dubois?= <f.dubois@example.be>"
    message["To"] = "ombudsdienst@leuven.example.be"
    message["Reply-To"] = "francoise.prive@example.com"
    message["Subject"] = "Plainte concernant le CPAS"
    message["Date"] = "Mon, 16 Nov 2026 10:00:00 +0100"
    message["Message-ID"] = "<plainte-1@example.be>"
    message.set_content(
        "Madame, Monsieur,\n\nLe CPAS de Louvain n'a jamais répondu à ma demande d'aide du mois dernier, "
        "malgré trois appels au service social.\n\nCordialement,\nFrançoise Dubois\n"
    )
    message.add_attachment(b"%PDF-1.4 fake", maintype="application", subtype="pdf", filename="../../etc/passwd")
    world.deliver(message.as_bytes())
    world.poll()

    [case] = world.cli_json("cases", "list", "--json")
    assert case["ref"].startswith("OMB-2026-")
    assert case["sender_name"] == "Françoise Dubois"
    assert case["sender_address"] == "f.dubois@example.be"
    assert case["reply_address"] == "francoise.prive@example.com"
    assert case["language"] == "fr"
    assert case["status"] == "draft"
    assert case["messages"][0]["message_id"] == "<plainte-1@example.be>"
    assert case["messages"][0]["outcome"] == "case"

    detail = world.cli_json("cases", "show", case["ref"], "--json")
    assert "CPAS de Louvain" in detail["text"]
    [attachment] = detail["attachments"]
    assert attachment["filename"] == "passwd"
    assert attachment["size"] == len(b"%PDF-1.4 fake")
    with world.database.unit_of_work() as session:
        blob = session.get(Blob, attachment["sha256"])
        assert blob.data == b"%PDF-1.4 fake"
        assert session.scalar(select(func.count()).select_from(AttachmentRecord)) == 1


def test_references_are_gap_free_per_year_and_a_rollback_frees_its_number(world):
    with world.database.unit_of_work() as session:
        assert next_reference(session, "OMB", 2026) == ("OMB-2026-00001", 1)
        assert next_reference(session, "OMB", 2026) == ("OMB-2026-00002", 2)
        assert next_reference(session, "OMB", 2027) == ("OMB-2027-00001", 1)
    try:
        with world.database.unit_of_work() as session:
            next_reference(session, "OMB", 2026)
            raise RuntimeError("the case could not be stored")
    except RuntimeError:
        pass
    with world.database.unit_of_work() as session:
        assert next_reference(session, "OMB", 2026) == ("OMB-2026-00003", 3)


def test_reference_year_follows_the_configured_time_zone(world):
    # 23:30 UTC on 31 December is already New Year in Brussels
    late = complaint(Date="Wed, 31 Dec 2025 23:30:00 +0000")
    world.dovecot.append(world.user, "INBOX", late, msg_time=datetime(2025, 12, 31, 23, 30, tzinfo=timezone.utc))
    world.poll()
    [case] = world.cli_json("cases", "list", "--json")
    assert case["ref"] == "OMB-2026-00001"
    assert case["received_at"].startswith("2025-12-31T23:30")


def test_reply_with_reference_joins_its_case(world):
    world.deliver(complaint(Message_ID="<eerste@example.be>"))
    world.poll()
    [case] = world.cli_json("cases", "list", "--json")

    world.deliver(
        complaint(subject=f"RE: Uw klacht [{case['ref']}]", body="Hierbij nog een foto van de situatie.\n\nAn Peeters\n")
    )
    world.deliver(
        complaint(subject="Nog iets", body="Ik vergat te vermelden dat het om 14u was.\n\nAn\n", In_Reply_To="<eerste@example.be>")
    )
    result = world.poll()

    assert result.follow_ups == 2 and result.cases == 0
    [case] = world.cli_json("cases", "list", "--json")
    assert [m["outcome"] for m in case["messages"]] == ["case", "follow_up", "follow_up"]


def test_a_reply_that_says_it_is_about_something_else_is_a_new_case(world):
    world.deliver(complaint(Message_ID="<eerste@example.be>"))
    world.poll()
    [case] = world.cli_json("cases", "list", "--json")

    world.deliver(complaint(subject=f"Re: Ontvangstmelding klacht [{case['ref']}]", In_Reply_To="<eerste@example.be>",
                            body="Ik antwoord op uw mail omdat ik zo uw adres vond, maar het gaat over iets helemaal "
                                 "anders: sinds maandag beginnen de werken van de stad in onze straat om 6 uur, terwijl "
                                 "op het bord 7 uur staat. Ik heb de werfleider al aangesproken.\n\nAn Peeters\n"))
    result = world.poll()

    assert result.cases == 1 and result.follow_ups == 0
    first, second = sorted(world.cli_json("cases", "list", "--json"), key=lambda c: c["ref"])
    assert first["ref"] == case["ref"] and [m["outcome"] for m in first["messages"]] == ["case"]
    assert second["ref"] != case["ref"]


def test_a_reference_typed_without_its_leading_zeros_joins_its_case(world):
    world.deliver(complaint())
    world.poll()
    [case] = world.cli_json("cases", "list", "--json")
    prefix, year, number = case["ref"].split("-")
    typed = f"{prefix}-{year}-{int(number)}"  # "OMB-2026-1" for OMB-2026-00001
    assert typed != case["ref"]

    world.deliver(complaint(subject=f"dossier {typed}", body="Is er al nieuws over mijn klacht?\n\nAn Peeters\n"))
    result = world.poll()

    assert result.follow_ups == 1 and result.cases == 0


def test_unknown_reference_becomes_a_new_case_noting_it(world):
    world.deliver(complaint(subject="RE: Uw klacht [OMB-2025-00999]", body="Ik heb nog steeds niets gehoord over mijn klacht.\n\nJan Jansen\n"))
    result = world.poll()
    assert result.cases == 1
    [case] = world.cli_json("cases", "list", "--json")
    assert case["cited_ref"] == "OMB-2025-00999"


def test_robots_are_skipped_and_linked_to_the_case_they_cite(world):
    world.deliver(complaint())
    world.poll()
    [case] = world.cli_json("cases", "list", "--json")
    auto_reply = complaint(
        subject=f"Automatisch antwoord: Uw klacht [{case['ref']}]",
        body="Ik ben afwezig tot maandag.\n",
        Auto_Submitted="auto-replied",
    )
    bounce = (
        b"From: MAILER-DAEMON@mail.example.be\r\nTo: ombudsdienst@leuven.example.be\r\n"
        b"Subject: Undelivered Mail Returned to Sender\r\nDate: Fri, 20 Nov 2026 10:00:00 +0100\r\n"
        b"Message-ID: <bounce-1@mail.example.be>\r\nMIME-Version: 1.0\r\n"
        b"Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\r\n\r\n"
        b"--b\r\nContent-Type: text/plain\r\n\r\nThe mail could not be delivered.\r\n"
        b"--b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mail.example.be\r\n\r\n"
        b"Final-Recipient: rfc822; nobody@example.be\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n--b--\r\n"
    )
    world.deliver(auto_reply, bounce)

    result = world.poll()

    assert result.skipped == 2 and result.cases == 0 and result.follow_ups == 0
    with world.database.unit_of_work() as session:
        skipped = session.scalars(select(MessageRecord).where(MessageRecord.outcome == Outcome.SKIPPED)).all()
        kinds = sorted(m.verdict["kind"] for m in skipped)
        assert kinds == ["auto_reply", "bounce"]
        assert all(m.reason for m in skipped)
        linked = [m for m in skipped if m.verdict["kind"] == "auto_reply"]
        assert linked[0].case_id is not None


def test_poll_refuses_an_outdated_schema(world):
    world.config_path.write_text(world.config_path.read_text().replace(world.database.url, world.empty_database_url()))
    done = world.cli("poll", "--once", check=False)
    assert done.returncode == 1
    assert "mailintake db upgrade" in done.stderr and "Traceback" not in done.stderr


def test_wrong_password_names_the_server(world):
    done = world.cli("check-config", env={"MAILINTAKE_TEST_IMAP_PASSWORD": "wrong"}, check=False)
    assert done.returncode == 1
    assert f"IMAP server {world.dovecot.host}:{world.dovecot.port} refused the login of {world.user}" in done.stderr
    assert "Traceback" not in done.stderr
    ok = world.cli_json("check-config")
    assert "logged in" in ok["imap"]


def test_copy_and_expunge_fallback_when_the_server_lacks_move(tmp_path, make_world):
    with LocalDovecot(tmp_path / "nomove", users={"ombuds": "pw"}, move=False) as server:
        world = make_world()
        data = world_config(server, world.smtp, "ombuds", world.config.database.resolved_url())
        world.config = from_dict(data)
        world.dovecot, world.user, world.password = server, "ombuds", "pw"
        with server.client("ombuds") as client:
            assert b"MOVE" not in client.capabilities()
        world.deliver(complaint(), complaint(subject="Tweede", body="Iets anders.\n\nAn Peeters\n"))

        result = world.poll()

        assert result.cases == 2
        assert world.uids("INBOX") == [] and len(world.uids("Verwerkt")) == 2


def test_a_batch_is_fetched_and_committed_in_chunks_of_bounded_size(make_world):
    world = make_world(mailbox={"batch_bytes": 1})  # every message is a chunk of its own
    world.deliver(*(complaint(subject=f"Klacht {n}", body=f"Probleem {n}.\n\nAn Peeters\n") for n in range(3)))
    crashed = world.cli("poll", "--once", env={"MAILINTAKE_CRASH_AT": "after_fetch:2"}, check=False)
    assert crashed.returncode == 86  # died after fetching the second chunk ...
    assert len(world.uids("Verwerkt")) == 1 and len(world.uids("INBOX")) == 2  # ... the first was done and moved
    assert world.cli_json("poll", "--once")["cases"] == 2


def test_a_worker_killed_mid_batch_fails_only_its_message(world):
    """Each analysis worker dies at its third message (MAILINTAKE_CRASH_AT=in_analysis:3, counted per worker):
    the poll goes on with fresh workers, the messages they died on stay in the INBOX with the attempt counted,
    and the next poll makes them cases. Nothing is lost, nothing doubled."""
    world.deliver(*(complaint(subject=f"Klacht {n}", body=f"Probleem nummer {n} met de stad.\n\nAn Peeters\n")
                    for n in range(10)))

    first = world.cli_json("poll", "--once", env={"MAILINTAKE_CRASH_AT": "in_analysis:3"})

    assert first["fetched"] == 10 and first["failed"] >= 1
    assert first["cases"] + first["failed"] == 10
    assert len(world.uids("INBOX")) == first["failed"]
    with world.database.unit_of_work() as session:
        failed = session.scalars(select(MessageRecord).where(MessageRecord.outcome.is_(None))).all()
        assert len(failed) == first["failed"]
        assert all(r.attempts == 1 and "analysis process ended" in r.last_error for r in failed)

    second = world.cli_json("poll", "--once")

    assert second["cases"] == first["failed"] and second["failed"] == 0
    assert world.case_count() == 10
    assert world.uids("INBOX") == [] and len(world.uids("Verwerkt")) == 10
    with world.database.unit_of_work() as session:
        assert session.scalar(select(func.count()).select_from(OutboxMessage)) == 10  # one acknowledgement each
