"""Review operations through the real intake, outbox and SMTP sink, driven by the CLI where it has a command."""

from __future__ import annotations

import email
import email.policy
import os
import subprocess
import sys

import pytest
from sqlalchemy import select

from mailintake.domain import CaseStatus, Outcome
from mailintake.errors import ReviewError
from mailintake.review import decisions, messages
from mailintake.review.audit import Actor
from mailintake.store.lookup import get_case
from mailintake.store.models import AuditEntry, Case, MessageRecord, OutboxMessage, StaffUser
from tests.support.mails import complaint
from tests.support.world import PASSWORD_ENV

AGSL = "klantendienst@agsl.example.be"


def with_service_address(world, service: str = "agsl", address: str = AGSL):
    """Give a service a mail address in the world's config file (the CLI reads it) and config."""
    from mailintake.config import load

    with world.config_path.open("a") as out:
        out.write(f'[services.{service}]\naddress = "{address}"\n')
    world.config = load(world.config_path)
    return world


def add_user(world, name: str, password: str = "een lang wachtwoord", role: str = "staff"):
    return subprocess.run(
        [sys.executable, "-m", "mailintake", "--config", str(world.config_path), "users", "add", name, "--role", role],
        input=password + "\n", capture_output=True, text=True, cwd=world.tmp, timeout=120,
        env={**os.environ, PASSWORD_ENV: world.password},
    )


def mails(world):
    return [email.message_from_bytes(m.content, policy=email.policy.default) for m in world.smtp.messages]


def one_case(world, **headers) -> str:
    world.deliver(complaint(**headers))
    assert world.poll().cases == 1
    return world.cli_json("review", "list", "--json")[-1]["ref"]


def test_users_add_reads_the_password_from_stdin_and_hashes_it(world):
    done = add_user(world, "an", role="admin")
    assert done.returncode == 0, done.stderr
    assert '"role": "admin"' in done.stdout
    with world.database.unit_of_work() as session:
        user = session.scalar(select(StaffUser))
        assert user.name == "an" and user.password_hash.startswith("$argon2")
    assert add_user(world, "an").returncode == 1  # exists
    assert add_user(world, "bert", password="kort").returncode == 1


def test_review_list_shows_open_cases_with_deadlines(world):
    ref = one_case(world)
    [row] = world.cli_json("review", "list", "--json")
    assert row["ref"] == ref and row["status"] == "draft"
    assert set(row["admissibility_due"]) == {"due", "days_left", "met", "overdue"}
    assert world.cli_json("review", "list", "--json", "--search", "containerpark")[0]["ref"] == ref
    assert world.cli_json("review", "list", "--json", "--search", "onbestaandwoord") == []
    assert world.cli_json("review", "list", "--json", "--status", "closed") == []


def test_decline_sends_the_letter_threaded_with_the_reference(world):
    ref = one_case(world, Message_ID="<klacht-an@example.be>")
    world.cli_json("outbox", "send")  # the acknowledgement
    done = world.cli_json("review", "decide", ref, "--action", "decline", "--reason", "anonymous")
    assert done["status"] == "declined" and done["mail"][0]["kind"] == "decline"

    assert world.cli_json("outbox", "send")["sent"] == 1
    letter = mails(world)[-1]
    assert f"[{ref}]" in letter["Subject"]
    assert letter["In-Reply-To"] == "<klacht-an@example.be>"
    assert "Auto-Submitted" not in letter
    assert "anonieme klacht" in letter.get_body(("plain",)).get_content()
    with world.database.unit_of_work() as session:
        case = session.scalar(select(Case))
        assert case.admissible is False and case.decline_reason == "anonymous" and case.decided_at
        [entry] = session.scalars(select(AuditEntry).where(AuditEntry.action == "decline")).all()
        assert entry.actor == "cli" and entry.before["status"] == "draft" and entry.after["status"] == "declined"


def test_a_decision_that_does_not_fit_the_status_is_refused(world):
    ref = one_case(world)
    world.cli_json("review", "decide", ref, "--action", "not-complaint")
    done = world.cli("review", "decide", ref, "--action", "accept", check=False)
    assert done.returncode == 1 and "kan niet" in done.stderr
    assert world.cli("review", "decide", "OMB-1999-00001", "--action", "accept", check=False).returncode == 1


def test_mediation_request_goes_to_the_service_and_its_answer_joins_as_the_service(make_world):
    world = with_service_address(make_world())
    ref = one_case(world)
    world.cli_json("review", "decide", ref, "--action", "accept")
    done = world.cli("review", "decide", ref, "--action", "mediate", "--service", "agsl", check=False)
    assert done.returncode == 0, done.stderr
    world.cli_json("outbox", "send")
    request = [m for m in mails(world) if m["To"].addresses[0].addr_spec == AGSL]
    assert len(request) == 1 and f"[{ref}]" in request[0]["Subject"]
    assert "containerpark" in request[0].get_body(("plain",)).get_content()  # the service gets the complaint

    world.deliver(complaint(subject=f"RE: Vraag tot bemiddeling [{ref}]", From=f"AGSL <{AGSL}>",
                            body="Wij hebben de burger opgebeld en een oplossing voorgesteld.\n"))
    assert world.poll().follow_ups == 1
    with world.database.unit_of_work() as session:
        answer = session.scalars(select(MessageRecord).order_by(MessageRecord.id)).all()[-1]
        assert answer.from_service == "agsl" and answer.case.ref == ref
    world.cli_json("review", "decide", ref, "--action", "close", "--outcome", "mediated", "--resolved", "yes",
                   "--norm", "courtesy", "--recommendation", "Bel terug binnen de week.")
    world.cli_json("outbox", "send")
    closing = mails(world)[-1]
    assert closing["To"].addresses[0].addr_spec == "an.peeters@example.be"
    assert "Agentschap Binnenlands Bestuur" in closing.get_body(("plain",)).get_content()
    with world.database.unit_of_work() as session:
        case = session.scalar(select(Case).where(Case.ref == ref))
        assert (case.status, case.outcome, case.resolved) == ("closed", "mediated", True)
        assert [n.norm for n in case.norms] == ["courtesy"] and case.closed_at


def test_merge_moves_messages_and_the_old_reference_points_to_the_survivor(world):
    first = one_case(world)
    second = one_case(world, subject="Nog een klacht", body="Andere feiten aan het loket.\n\nAn Peeters\n")
    done = world.cli_json("review", "decide", second, "--action", "merge", "--into", first)
    assert done["status"] == "merged" and done["merged_into"] == first

    world.deliver(complaint(subject=f"Aanvulling [{second}]", body="Nog een detail.\n"))
    assert world.poll().follow_ups == 1
    shown = world.cli_json("cases", "show", first, "--json")
    assert len(shown["messages"]) == 3
    assert [r["ref"] for r in world.cli_json("review", "list", "--json")] == [first]


def test_redirect_writes_the_citizen_and_forwards_to_the_service(make_world):
    world = with_service_address(make_world())
    ref = one_case(world)
    done = world.cli_json("review", "decide", ref, "--action", "redirect", "--service", "agsl", "--forward")
    assert [m["kind"] for m in done["mail"]] == ["redirect", "forward"]
    world.cli_json("outbox", "send")
    recipients = sorted(m["To"].addresses[0].addr_spec for m in mails(world))
    assert AGSL in recipients and "an.peeters@example.be" in recipients
    with world.database.unit_of_work() as session:
        case = session.scalar(select(Case))
        assert case.redirected_to == "agsl" and case.status == CaseStatus.REDIRECTED


def test_themes_and_corrections_are_audited(world):
    ref = one_case(world)
    with world.database.unit_of_work() as session:
        case = get_case(session, ref)
        decisions.correct(session, world.config, Actor("an"), case, service="politie", flags=["anonymous"],
                       themes=["wachttijd", "belastingen"])
    with world.database.unit_of_work() as session:
        case = get_case(session, ref)
        decisions.correct(session, world.config, Actor("an"), case, service="politie", flags=[], themes=["wachttijd"])
        with pytest.raises(ReviewError):
            decisions.correct(session, world.config, Actor("an"), case, service=None, flags=[], themes=["onbekend thema"])
    with world.database.unit_of_work() as session:
        case = get_case(session, ref)
        assert [t.theme for t in case.themes] == ["wachttijd"] and case.service == "politie"
        entries = session.scalars(select(AuditEntry).where(AuditEntry.action == "correct")).all()
        assert entries[1].before["themes"] == ["belastingen", "wachttijd"] and entries[1].after["themes"] == ["wachttijd"]


def test_a_skipped_message_becomes_a_complaint_after_all(world):
    world.deliver(complaint(subject="You won", X_Spam_Flag="YES"))
    assert world.poll().skipped == 1
    with world.database.unit_of_work() as session:
        record = session.scalar(select(MessageRecord))
        case = messages.complaint_after_all(session, world.config, Actor("an"), record)
        ref = case.ref
    assert world.cli_json("outbox", "send")["sent"] == 1
    assert f"[{ref}]" in mails(world)[0]["Subject"]


def test_a_quarantined_message_can_be_retried(world, monkeypatch):
    world.deliver(complaint())
    monkeypatch.setattr("mailintake.intake.analysis.triage", _broken_triage)
    results = [world.poll(workers=0) for _ in range(3)]
    assert [r.quarantined for r in results] == [0, 0, 1]
    monkeypatch.undo()
    with world.database.unit_of_work() as session:
        record = session.scalar(select(MessageRecord))
        assert messages.problem_messages(session) == [record]
        assert messages.retry(session, world.config, Actor("an"), record) == Outcome.CASE
    assert len(world.cli_json("review", "list", "--json")) == 1


def test_manual_intake_makes_a_case_and_acknowledges_by_mail(world):
    from datetime import datetime, timezone

    with world.database.unit_of_work() as session:
        case = messages.register(session, world.config, Actor("an"), messages.ManualComplaint(
            channel="phone", received_at=datetime(2026, 3, 2, 10, tzinfo=timezone.utc), name="Jan Janssens",
            text="Belde over een boete die hij niet begrijpt.", email="jan@example.be", phone="016 00 00 00"))
        ref = case.ref
    [row] = world.cli_json("review", "list", "--json")
    assert row["ref"] == ref and row["channel"] == "phone"
    assert world.cli_json("outbox", "send")["sent"] == 1
    with world.database.unit_of_work() as session:
        with pytest.raises(ReviewError):
            messages.register(session, world.config, Actor("an"), messages.ManualComplaint(
                channel="email", received_at=datetime(2026, 3, 2, tzinfo=timezone.utc), name="x", text="y"))


def _broken_triage(*args, **kwargs):
    raise RuntimeError("triage broke")


def test_mail_from_another_sender_citing_a_case_is_marked_and_staff_can_split_it_off(make_world):
    world = make_world(acknowledgement={"follow_up_notice": True})
    ref = one_case(world)
    world.deliver(complaint(subject=f"Re: [{ref}]", From="Iemand Anders <anders@example.org>",
                            body="Ik heb ook een klacht over dit loket.\n\nIemand Anders\n"))
    assert world.poll().follow_ups == 1
    with world.database.unit_of_work() as session:
        record = session.scalars(select(MessageRecord).order_by(MessageRecord.id)).all()[-1]
        assert record.sender_check.startswith("andere afzender: anders@example.org")
        assert session.scalars(select(OutboxMessage.kind)).all() == ["acknowledgement"]  # no notice to the citizen
        new = messages.split_off(session, world.config, Actor("an"), record)
        new_ref = new.ref
    assert new_ref != ref
    rows = world.cli_json("outbox", "list", "--json")
    assert [(r["ref"], r["recipient"]) for r in rows if r["ref"] == new_ref] == [(new_ref, "anders@example.org")]


def test_a_service_answer_counts_as_theirs_only_when_dmarc_vouches_for_it(make_world):
    world = make_world(acknowledgement={"authserv_id": "mx.leuven.example.be"})
    with_service_address(world)
    ref = one_case(world)
    verified = "Authentication-Results: mx.leuven.example.be; dmarc=pass header.from=agsl.example.be"
    world.deliver(complaint(subject=f"Re: [{ref}] bemiddeling", From=f"AGSL <{AGSL}>", body="Wij lossen het op.\n"),
                  complaint(subject=f"Re: [{ref}] bemiddeling", From=f"AGSL <{AGSL}>", body="Toch niet.\n",
                            Authentication_Results=verified.split(": ", 1)[1]))
    assert world.poll().follow_ups == 2
    with world.database.unit_of_work() as session:
        checks = [m.sender_check for m in session.scalars(select(MessageRecord).order_by(MessageRecord.id)).all()[1:]]
    assert checks[0].startswith("niet geverifieerd") and checks[1] is None
