"""A staff retry of a quarantined costly message runs under `[intake] analysis_seconds` too (issue 15, finding 14):
"Opnieuw proberen" ends with the timeout as the message's new error, the message stays in quarantine, and the web
worker that handled the click is free again.

The costly message: staff's own vocabulary holds a pattern that backtracks without end, `(a|aa)+$`, against 60
letters "a" and a "b" (as in test_hostile_mail.py; the generators in devkit/costly.py are now cheap by design, so
they no longer run past a budget). Without the budget this analysis would not finish in a lifetime; the guard
below only keeps a regression from hanging the test run.
"""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from mailintake.domain import Outcome
from mailintake.review.accounts import add_user
from mailintake.store.models import AuditEntry, MessageRecord
from mailintake.web import create_app
from tests.support.mails import complaint
from tests.support.web import STAFF, logged_in

pytestmark = pytest.mark.one_database

BUDGET = 2.0
HANG_GUARD = 120.0  # seconds; a retry outside the budget never ends


def quarantined(world) -> MessageRecord:
    with world.database.unit_of_work() as session:
        record = session.scalar(select(MessageRecord).where(MessageRecord.outcome == Outcome.QUARANTINED))
        session.expunge(record)
        return record


def test_a_staff_retry_of_a_costly_message_ends_in_a_timeout_within_the_budget(make_world):
    world = make_world(intake={"analysis_seconds": BUDGET},
                       triage={"vocabulary": {"kind": {"spam_signs": {"(a|aa)+$": 0.1}}}})
    world.deliver(complaint(subject="Traag", body="a" * 60 + "b"))
    assert world.cli_json("poll", "--once")["quarantined"] == 1
    before = quarantined(world)
    assert before.reason.startswith("analyse duurde te lang")
    with world.database.unit_of_work() as session:
        add_user(session, *STAFF, role="staff")
    staff = logged_in(create_app(world.config, world.database, overrides={"TESTING": True}), STAFF)

    answers = []
    click = threading.Thread(target=lambda: answers.append(
        staff.post(f"/quarantaine/{before.public_id}/opnieuw", follow_redirects=True)), daemon=True)
    click.start()
    click.join(HANG_GUARD)

    assert not click.is_alive(), "the retry ran without the analysis budget"
    [answer] = answers
    assert answer.status_code == 200
    assert "Opnieuw mislukt: AnalysisTimeout" in answer.get_data(as_text=True)
    after = quarantined(world)
    assert after.id == before.id and after.outcome == Outcome.QUARANTINED
    assert after.last_error.startswith("AnalysisTimeout: analyse duurde te lang"), after.last_error
    with world.database.unit_of_work() as session:
        [entry] = session.scalars(select(AuditEntry).where(AuditEntry.action == "retry"))
        assert entry.message_record_id == before.id and entry.note.startswith("mislukt: AnalysisTimeout")

    # the web app is not stuck behind it: the next page answers at once
    assert staff.get("/quarantaine").status_code == 200
