"""Keeping an installation: `db backup` while the daemon runs, restored to the same cases, and `db upgrade`
from the oldest shipped migration with data in it."""

from __future__ import annotations

import hashlib
import json
import shutil
from datetime import datetime, timedelta, timezone

from sqlalchemy import MetaData, create_engine

from devkit.harness import run_cli
from devkit.mailgen import generate_messages
from mailintake.mail.parsing import parse
from mailintake.store.database import Database
from tests.support.faultkit import FAST_DAEMON, settled, start_daemon, wait_until
from tests.support.mails import complaint
from tests.support.paths import read_mail

OLDEST = "0001"


def test_backup_while_the_daemon_runs_is_consistent_and_restores_the_same_cases(make_world, tmp_path):
    world = make_world(daemon=FAST_DAEMON)
    if world.database_kind != "sqlite":
        done = world.cli("db", "backup", str(tmp_path / "copy.sqlite"), check=False)
        assert done.returncode == 1 and "pg_dump" in done.stderr and "Traceback" not in done.stderr
        return
    world.deliver(*generate_messages(60, seed=5, robots=False, broken=False))
    daemon = start_daemon(world)
    try:
        daemon.wait_for("polling mailbox")
        during = world.cli_json("db", "backup", str(tmp_path / "during.sqlite"))  # while the intake writes
        wait_until(lambda: settled(world), what="the intake to finish")
        after = world.cli_json("db", "backup", str(tmp_path / "after.sqlite"))
    finally:
        assert daemon.terminate() == 0
    assert during["integrity"] == after["integrity"] == "ok"
    assert oct((tmp_path / "after.sqlite").stat().st_mode & 0o777) == "0o600"

    snapshot = restored(world, tmp_path, "during.sqlite")
    refs = sorted(case["ref"] for case in snapshot.cli_json("cases", "list", "--json"))
    assert refs == [f"{r.rsplit('-', 1)[0]}-{n:05d}" for n, r in enumerate(refs, 1)]  # gap-free: whole transactions
    for case in snapshot.cli_json("cases", "list", "--json"):
        assert case["messages"][0]["outcome"] == "case"  # each case came with the message that made it

    copy = restored(world, tmp_path, "after.sqlite")
    assert copy.cli_json("cases", "list", "--json") == world.cli_json("cases", "list", "--json")
    assert copy.cli_json("outbox", "list", "--json") == world.cli_json("outbox", "list", "--json")
    again = world.cli("db", "backup", str(tmp_path / "after.sqlite"), check=False)
    assert again.returncode == 1 and "exists already" in again.stderr


def restored(world, tmp_path, backup: str):
    """A world whose database is a copy of `backup`, put in place as the README says."""
    place = tmp_path / f"restored-{backup}"
    shutil.copyfile(tmp_path / backup, place)
    config = world.write_config(tmp_path / f"restored-{backup}.toml", database={"url": f"sqlite:///{place}"})
    return type(world)(**{**world.__dict__, "config_path": config})


def test_upgrade_from_the_oldest_migration_keeps_the_data(world):
    url = world.empty_database_url()
    old = Database(url)
    old.upgrade(OLDEST)
    raw = read_mail("intake/en-agsl-parking-pdf-attachment.eml")
    parsed = parse(raw)
    [attachment] = parsed.attachments
    received = datetime(2026, 3, 2, 10, tzinfo=timezone.utc)
    insert_at_oldest(old, raw, parsed, attachment, received)
    old.dispose()
    config = world.write_config(world.tmp / "old.toml", database={"url": url})

    def cli(*args):
        return run_cli(config, *args, env=world.env, cwd=world.tmp).stdout

    def cli_json(*args):
        return json.loads(cli(*args))

    assert cli_json("db", "upgrade")["schema"] == Database(url).current_revision() != OLDEST

    shown = cli_json("cases", "show", "OMB-2026-00001", "--json")
    assert shown["subject"] == parsed.subject and shown["attachments"][0]["sha256"] == attachment.sha256
    [row] = cli_json("review", "list", "--json")
    assert row["ref"] == "OMB-2026-00001" and row["admissibility_due"]["due"] == "2026-03-12"
    for search in ("appeals", "retributie"):  # the search index is built for cases made before it (0010)
        assert [r["ref"] for r in cli_json("review", "list", "--search", search, "--json")] == ["OMB-2026-00001"]
    [mail] = cli_json("outbox", "list", "--json")
    assert mail["status"] == "sent" and mail["ref"] == "OMB-2026-00001"
    world.deliver(complaint(Date="Mon, 02 Mar 2026 12:00:00 +0000"))
    assert cli_json("poll", "--once")["cases"] == 1
    refs = [case["ref"] for case in cli_json("cases", "list", "--json")]
    assert refs == ["OMB-2026-00001", "OMB-2026-00002"]  # the old counter goes on


def insert_at_oldest(database: Database, raw: bytes, parsed, attachment, received: datetime) -> None:
    """One case with its message, attachment and sent acknowledgement, as the first release stored them."""
    tables = MetaData()
    engine = create_engine(database.url)
    tables.reflect(engine)
    naive = received.replace(tzinfo=None)
    with engine.begin() as connection:
        connection.execute(tables.tables["case_counters"].insert(), {"prefix": "OMB", "year": 2026, "last": 1})
        case_id = connection.execute(tables.tables["cases"].insert(), {
            "public_id": hashlib.md5(raw).hexdigest(), "ref": "OMB-2026-00001", "year": 2026, "number": 1,
            "status": "draft", "received_at": naive, "sender_name": parsed.sender.name,
            "sender_address": parsed.sender.address, "reply_address": parsed.sender.address,
            "subject": parsed.subject, "language": "en", "text": parsed.reply_text, "channel": "email",
            "kind": "complaint", "service": "agsl", "service_confidence": 0.9, "flags": [], "verdict": None,
            "sender_verified": True, "created_at": naive}).inserted_primary_key[0]
        message_id = connection.execute(tables.tables["messages"].insert(), {
            "mailbox": "ombudsdienst", "uidvalidity": 1, "uid": 1, "sha256": hashlib.sha256(raw).hexdigest(),
            "size": len(raw), "raw": raw, "received_at": naive, "message_id": parsed.message_id,
            "parsed": parsed.to_json(), "outcome": "case", "reason": "new case OMB-2026-00001", "attempts": 1,
            "case_id": case_id, "first_seen_at": naive, "processed_at": naive}).inserted_primary_key[0]
        connection.execute(tables.tables["blobs"].insert(), {
            "sha256": attachment.sha256, "size": attachment.size, "data": attachment.payload})
        connection.execute(tables.tables["attachments"].insert(), {
            "message_id": message_id, "filename": attachment.filename, "content_type": attachment.content_type,
            "size": attachment.size, "sha256": attachment.sha256})
        connection.execute(tables.tables["outbox"].insert(), {
            "kind": "acknowledgement", "case_id": case_id, "answers_id": message_id,
            "message_id": "<ack.0123456789abcdef0123456789abcdef@leuven.example.be>",
            "recipient": parsed.sender.address, "recipient_name": parsed.sender.name, "language": "en",
            "status": "sent", "attempts": 1, "next_attempt_at": naive, "give_up_at": naive + timedelta(hours=48),
            "created_at": naive, "sent_at": naive})
    engine.dispose()
