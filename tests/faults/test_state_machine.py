"""A Hypothesis state machine over the intake and the relay: deliver, poll, relay, crash, SMTP refusals, time.

Crashes are simulated in-process: the crash point raises a BaseException that
no `except Exception` catches, so the process state unwinds as far as a real
crash would leave the database (uncommitted work rolled back, nothing moved
after the crash). The subprocess suites (test_crash_points) do it with
`os._exit`; this one explores orders of events they would not think of.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import timedelta
from unittest import mock

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test
from sqlalchemy import func, select, update

from devkit.mailgen import generate_messages
from mailintake.domain import Outcome
from mailintake.outbox.relay import Relay
from mailintake.store.models import Case, MessageRecord, OutboxMessage, OutboxStatus, utcnow
from tests.support import faultkit
from tests.support.faultkit import Tally, check_invariants, expire_leases

INTAKE_POINTS = ("after_fetch", "after_parse", "after_commit", "after_move")
RELAY_POINTS = ("after_smtp_250", "before_mark_sent")
SMTP_ANSWERS = ("421 4.3.2 Service not available", "450 4.2.1 Mailbox busy", "550 5.1.1 No such user", None)


class SimulatedCrash(BaseException):
    """The process 'dies' here: nothing below an `except Exception` can stop it."""


@contextmanager
def crash_at(point: str | None, count: int):
    """Make the `count`-th pass of `point` crash, in both modules that have crash points."""
    passes = {"n": 0, "fired": False}

    def crash_point(name: str) -> None:
        if name == point and not passes["fired"]:
            passes["n"] += 1
            if passes["n"] >= count:
                passes["fired"] = True
                raise SimulatedCrash(name)

    with mock.patch("mailintake.intake.poll.crash_point", crash_point), mock.patch("mailintake.outbox.relay.crash_point", crash_point):
        yield passes


class IntakeMachine(RuleBasedStateMachine):
    mail = generate_messages(200, seed=41, broken=False)

    def __init__(self, make_world, summary: dict):
        super().__init__()
        self.world = make_world(mailbox={"batch_size": 3}, acknowledgement={"max_acks_per_address_per_day": 1000})
        self.summary = summary
        self.delivered = 0
        self.crashes = 0
        self.window_crashes = 0

    @initialize()
    def some_mail_waits(self):
        self.deliver(6)

    @rule(n=st.integers(1, 4))
    def deliver(self, n):
        batch = self.mail[self.delivered : self.delivered + n]
        if batch:
            self.world.deliver(*batch)
            self.delivered += len(batch)

    @rule(point=st.sampled_from((None, *INTAKE_POINTS)), count=st.integers(1, 3))
    def poll(self, point, count):
        with crash_at(point, count) as passes:
            try:
                self.world.poll()
            except SimulatedCrash:
                pass
        self.crashes += passes["fired"]

    @rule(point=st.sampled_from((None, *RELAY_POINTS)), count=st.integers(1, 3))
    def relay(self, point, count):
        with crash_at(point, count) as passes:
            try:
                Relay(self.world.config, self.world.database).send_due()
            except SimulatedCrash:
                pass
        self.crashes += passes["fired"]
        self.window_crashes += passes["fired"]

    @rule(answers=st.lists(st.sampled_from(SMTP_ANSWERS), min_size=1, max_size=3))
    def smtp_refuses(self, answers):
        self.world.smtp.script(answers)

    @rule()
    def time_passes(self):
        """Leases run out and retry backoffs pass, without waiting for them."""
        expire_leases(self.world)
        with self.world.database.unit_of_work() as session:
            session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.status == OutboxStatus.PENDING)
                .values(next_attempt_at=utcnow() - timedelta(seconds=1))
            )

    @invariant()
    def mail_is_never_lost_or_doubled(self):
        world = self.world
        inbox, done = len(world.uids("INBOX")), len(world.uids("Verwerkt")) + len(world.uids("Quarantaine"))
        assert inbox + done == self.delivered  # IMAP holds every message exactly once
        with world.database.unit_of_work() as session:
            decided = session.scalar(select(func.count()).select_from(MessageRecord).where(MessageRecord.outcome.is_not(None)))
            case_records = session.scalar(
                select(func.count()).select_from(MessageRecord).where(MessageRecord.outcome == Outcome.CASE)
            )
            cases = session.scalar(select(func.count()).select_from(Case))
        assert decided >= done  # nothing left the INBOX without its outcome
        assert cases == case_records  # one case per complaint message

    def teardown(self):
        world = self.world
        for _ in range(world.config.mailbox.max_attempts + 1):
            if not world.uids("INBOX"):
                break
            world.poll()
        for _ in range(20):  # answers still scripted are used up by the retries
            if not self._pending(world):
                break
            self.time_passes()
            Relay(world.config, world.database).send_due()
        tally = check_invariants(world, "state machine", self.crashes, self.delivered, allowed_duplicate_acks=self.window_crashes)
        for key in ("runs", "messages", "lost", "duplicated_cases", "duplicate_acks", "missing_acks", "quarantined"):
            self.summary[key] += getattr(tally, key)
        tally.assert_holds()

    @staticmethod
    def _pending(world) -> int:
        with world.database.unit_of_work() as session:
            return session.scalar(
                select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status == OutboxStatus.PENDING)
            )


def test_state_machine_of_deliveries_polls_crashes_and_refusals(make_world, database_kind):
    summary = dict.fromkeys(("runs", "messages", "lost", "duplicated_cases", "duplicate_acks", "missing_acks", "quarantined"), 0)
    run_state_machine_as_test(
        lambda: IntakeMachine(make_world, summary),
        settings=settings(
            max_examples=faultkit.scale(8, 60),
            stateful_step_count=faultkit.scale(12, 30),
            deadline=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        ),
    )
    faultkit.TABLE.add(Tally("state machine (deliver/poll/relay/crash/SMTP 4xx-5xx)", database_kind, **summary))
