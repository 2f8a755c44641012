"""`mailintake import`: an mbox file or a Maildir folder through the same intake, deduplicated."""

from __future__ import annotations

import mailbox

from devkit.mailgen import generate_messages
from tests.support.mails import complaint


def make_mbox(path, messages: list[bytes]):
    box = mailbox.mbox(path)
    for raw in messages:
        box.add(raw)
    box.flush()
    box.close()
    return path


def make_maildir(path, messages: list[bytes]):
    box = mailbox.Maildir(path, create=True)
    for raw in messages:
        box.add(raw)
    return path


def test_import_mbox_gives_each_message_one_outcome_without_acknowledgements(world):
    messages = generate_messages(40, seed=3, robots=True)
    source = make_mbox(world.tmp / "oud.mbox", messages + messages[:2])  # two stored twice

    result = world.cli_json("import", str(source))

    assert result["fetched"] == 42 and result["failed"] == 0 and result["already_done"] == 2
    assert result["cases"] + result["follow_ups"] + result["skipped"] + result["duplicates"] + result["quarantined"] == 40
    assert world.case_count() == result["cases"] > 0
    assert world.cli_json("outbox", "list", "--json") == []

    again = world.cli_json("import", str(source))
    assert again["already_done"] == 42 and again["cases"] == 0
    assert world.case_count() == result["cases"]


def test_import_maildir_with_ack_and_dedup_against_the_mailbox(world):
    shared = complaint(subject="Zowel geïmporteerd als gemaild", body="De lift in het stadskantoor is stuk.\n\nAn Peeters\n")
    shared = shared.replace(b"\n", b"\r\n")  # as IMAP serves it, so the bytes are the same
    source = make_maildir(world.tmp / "Maildir", [shared, complaint(subject="Alleen in het archief",
                                                                     body="Het loket was dicht.\n\nAn Peeters\n")])

    result = world.cli_json("import", "--ack", str(source))
    assert result["cases"] == 2
    assert len(world.cli_json("outbox", "list", "--json")) == 2

    world.deliver(shared)  # the same bytes now reach the mailbox too
    polled = world.poll()
    assert polled.duplicates == 1 and polled.cases == 0
    assert world.case_count() == 2


def test_import_refuses_what_is_not_a_mailbox(world):
    stray = world.tmp / "notes.txt"
    stray.write_text("not mail")
    done = world.cli("import", str(stray), check=False)
    assert done.returncode == 1 and "not an mbox file" in done.stderr and "Traceback" not in done.stderr
    done = world.cli("import", str(world.tmp), check=False)
    assert done.returncode == 1 and "must be a Maildir" in done.stderr
