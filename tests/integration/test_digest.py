"""The daily deadline digest to staff, through the outbox and the SMTP sink: references only, once a day."""

from __future__ import annotations

import email
import email.policy
from datetime import datetime, timedelta

from mailintake.daemon.daily import digest_job
from mailintake.intake.cases import next_reference
from mailintake.outbox.relay import Relay
from mailintake.store.models import Case, utcnow
from mailintake.year.digest import due_items, queue_digest


def add_case(session, config, received: datetime, status="draft", decided=False) -> str:
    ref, number = next_reference(session, config.intake.case_prefix, received.year)
    session.add(Case(ref=ref, year=received.year, number=number, status=status, received_at=received,
                     sender_name="Sofie Peeters", sender_address="sofie@example.be", reply_address="sofie@example.be",
                     subject="Klacht over Sofie's parkeerkaart", text="...",
                     decided_at=received + timedelta(days=2) if decided else None))
    return ref


def test_daily_digest_lists_overdue_and_soon_due_cases_once_a_day(make_world):
    world = make_world(deadlines={"digest_to": "Team@Leuven.example.be"})
    config, now = world.config, utcnow()
    with world.database.unit_of_work() as session:
        overdue = add_case(session, config, now - timedelta(days=12))  # admissibility 2 days late
        soon = add_case(session, config, now - timedelta(days=8))  # admissibility in 2 days
        quiet = add_case(session, config, now - timedelta(days=2))  # 8 days left: not yet
        handling = add_case(session, config, now - timedelta(days=43), status="accepted", decided=True)
        add_case(session, config, now - timedelta(days=60), status="closed", decided=True)  # closed: none
    with world.database.unit_of_work() as session:
        listed = [(i.ref, i.which, i.overdue) for i in due_items(session, config)]
    assert listed == [(overdue, "admissibility", True), (soon, "admissibility", False), (handling, "handling", False)]

    assert digest_job(config, world.database) is True
    assert digest_job(config, world.database) is False  # the same day: not again
    assert world.cli_json("deadlines", "digest") == {"queued": False}
    assert Relay(config, world.database).send_due().sent == 1

    [envelope] = world.smtp.messages
    mail = email.message_from_bytes(envelope.content, policy=email.policy.default)
    body = mail.get_body(("plain",)).get_content()
    assert envelope.rcpt_tos == ("team@leuven.example.be",)
    assert mail["Subject"].startswith("Termijnen") and "1 verstreken, 2 binnen 3 dagen" in mail["Subject"]
    assert overdue in body and soon in body and handling in body and quiet not in body
    assert "2 dagen te laat" in body and "Verstreken (1)" in body
    assert "Peeters" not in body and "sofie@" not in body and "parkeerkaart" not in body  # references only


def test_no_digest_without_an_address_or_without_anything_due(make_world):
    world = make_world()
    with world.database.unit_of_work() as session:
        add_case(session, world.config, utcnow() - timedelta(days=20))
        assert queue_digest(session, world.config) is None  # no digest_to
    other = make_world(deadlines={"digest_to": "team@leuven.example.be"})
    with other.database.unit_of_work() as session:
        assert queue_digest(session, other.config) is None  # nothing open
