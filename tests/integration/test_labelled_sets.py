"""Both labelled sets through the real intake and outbox (Dovecot, the SMTP sink): every complaint gets exactly
one acknowledgement or waits visibly for a reply address, and no robot gets an answer."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from mailintake.domain import ROBOT_KINDS
from mailintake.mail.parsing import parse
from mailintake.store.models import Case, MessageRecord, OutboxMessage
from tests.support.paths import SHARED

SETS = [SHARED / "eval" / name for name in ("dev", "dev2")]


pytestmark = pytest.mark.one_database


def labelled(folder):
    return [(label, (folder / label["file"]).read_bytes()) for label in json.loads((folder / "labels.json").read_text("utf-8"))]


@pytest.mark.parametrize("folder", SETS, ids=lambda f: f.name)
def test_every_complaint_answered_once_or_waiting_visibly_and_no_robot_answered(world, folder):
    if not (folder / "labels.json").is_file():
        pytest.skip(f"{folder} is not here")
    mails = labelled(folder)
    world.deliver(*(raw for _, raw in mails))
    world.poll()
    world.cli_json("outbox", "send")
    with world.database.unit_of_work() as session:
        acks_by_message = _acknowledgements_by_message_id(session)
    problems = []
    for label, raw in mails:
        message_id = parse(raw).message_id
        acks = acks_by_message.get(message_id, [])
        if label["kind"] == "complaint":
            answered = [a for a in acks if a.status == "sent"]
            waiting = [a for a in acks if a.status == "held" and (a.reason or "").startswith("geen antwoordadres")]
            if len(answered) + len(waiting) != 1:
                problems.append(f"{label['file']}: {[(a.status, a.reason) for a in acks]}")
        elif label["kind"] in ROBOT_KINDS and acks:
            problems.append(f"{label['file']} ({label['kind']}) was answered")
    assert problems == []
    sent = sum(1 for acks in acks_by_message.values() for a in acks if a.status == "sent")
    assert len(world.smtp.messages) == sent  # nothing else went out, to robots or anyone


def _acknowledgements_by_message_id(session) -> dict[str, list[OutboxMessage]]:
    rows = session.execute(
        select(MessageRecord.message_id, OutboxMessage)
        .join(Case, Case.id == MessageRecord.case_id)
        .join(OutboxMessage, OutboxMessage.answers_id == MessageRecord.id)
        .where(OutboxMessage.kind == "acknowledgement")
    ).all()
    found: dict[str, list[OutboxMessage]] = {}
    for message_id, row in rows:
        session.expunge(row)
        found.setdefault(message_id, []).append(row)
    return found
