"""Tools of the fault suite: daemons as subprocesses, bounded waits, the invariants, the fault table.

The invariants, checked after every fault scenario once the system settled:
- every delivered message has exactly one committed outcome and left the INBOX;
- no duplicate case: each case came from one message, and no bytes made two cases;
- one acknowledgement per complaint, sent; a duplicate only where a process died
  between the SMTP server's 250 and marking the row sent (the caller passes how
  many such windows its faults could have hit).

`FAULT_SCALE=large` (set by `make faults`) turns the sizes up.
"""

from __future__ import annotations

import email
import imaplib
import json
import os
import random
import time
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

from sqlalchemy import func, select, update

from devkit.harness import DaemonProcess
from mailintake.domain import Outcome
from mailintake.store.models import Case, MessageRecord, OutboxMessage, OutboxStatus

FAST_DAEMON = {  # a daemon that notices everything within about a second
    "poll_interval_seconds": 1.0,
    "relay_interval_seconds": 1.0,
    "standby_check_seconds": 0.5,
    "health_check_seconds": 0.5,
    "reconnect_max_seconds": 2.0,
}
LARGE = os.environ.get("MAILINTAKE_FAULT_SCALE") == "large"
WAIT = 120.0  # guards against a hang only
REPORT = os.environ.get("MAILINTAKE_FAULT_REPORT")  # where to write the table as JSON too (optional)


def scale(small: int, large: int) -> int:
    return large if LARGE else small


def wait_until(predicate, timeout: float = WAIT, what: str = "condition", interval: float = 0.1):
    """Re-check `predicate` until it returns something truthy; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")
        time.sleep(interval)


def start_daemon(world, config: Path | None = None, env: dict | None = None, name: str = "daemon") -> DaemonProcess:
    """`mailintake run` for this world (or another config of it) as a subprocess whose log can be awaited."""
    return DaemonProcess(config or world.config_path, env={**world.env, **(env or {})}, cwd=world.tmp, name=name)


def deliver_in_batches(world, messages: list[bytes], size: int = 200) -> None:
    for start in range(0, len(messages), size):
        world.deliver(*messages[start : start + size])


def settled(world) -> bool:
    """Nothing left to do: the INBOX is empty and no outbox mail is pending. A look at the INBOX that times out
    (a Dovecot just restarted, or busy with the daemon's moves, may keep it waiting past the client's 10 s) is
    "not yet": `wait_until`'s deadline still decides."""
    try:
        if world.uids("INBOX"):
            return False
    except (OSError, imaplib.IMAP4.abort):  # a timeout, a reset, or the logout of a timed-out connection
        return False
    with world.database.unit_of_work() as session:
        pending = session.scalar(
            select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status == OutboxStatus.PENDING)
        )
    return pending == 0


def expire_leases(world) -> None:
    """Let the relay's lease on claimed rows run out, as time would after a crash (without waiting 5 minutes)."""
    with world.database.unit_of_work() as session:
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.status == OutboxStatus.PENDING)
            .values(claimed_until=None)
        )


def outcome_count(world) -> int:
    with world.database.unit_of_work() as session:
        return session.scalar(select(func.count()).select_from(MessageRecord).where(MessageRecord.outcome.is_not(None)))


@dataclass
class Tally:
    fault: str
    database: str
    runs: int
    messages: int
    lost: int = 0
    duplicated_cases: int = 0
    duplicate_acks: int = 0
    missing_acks: int = 0
    quarantined: int = 0
    allowed_duplicate_acks: int = 0
    notes: list[str] = field(default_factory=list)

    def assert_holds(self) -> None:
        assert self.lost == 0, self
        assert self.duplicated_cases == 0, self
        assert self.missing_acks == 0, self
        assert self.duplicate_acks <= self.allowed_duplicate_acks, self


def check_invariants(world, fault: str, runs: int, delivered: int, allowed_duplicate_acks: int = 0) -> Tally:
    tally = Tally(fault, world.database_kind, runs, delivered, allowed_duplicate_acks=allowed_duplicate_acks)
    with world.database.unit_of_work() as session:
        rows = session.execute(
            select(MessageRecord.uidvalidity, MessageRecord.uid, MessageRecord.outcome, MessageRecord.case_id, MessageRecord.sha256)
        ).all()
        decided = [r for r in rows if r.outcome is not None]
        tally.quarantined = sum(1 for r in decided if r.outcome == Outcome.QUARANTINED)
        keys = Counter((r.uidvalidity, r.uid) for r in rows)
        tally.duplicated_cases += sum(n - 1 for n in keys.values())  # one record per message, ever
        moved = len(world.uids("Verwerkt")) + len(world.uids("Quarantaine"))
        tally.lost = max(delivered - len(decided), len(world.uids("INBOX")), delivered - moved, 0)

        case_rows = [r for r in decided if r.outcome == Outcome.CASE]
        cases = session.scalar(select(func.count()).select_from(Case))
        per_case = Counter(r.case_id for r in case_rows)
        per_bytes = Counter(r.sha256 for r in case_rows)
        tally.duplicated_cases += (cases - len(per_case)) + sum(n - 1 for n in per_case.values())
        tally.duplicated_cases += sum(n - 1 for n in per_bytes.values())

        acks = session.execute(
            select(OutboxMessage.case_id, OutboxMessage.message_id, OutboxMessage.status).where(
                OutboxMessage.kind == "acknowledgement"
            )
        ).all()
    acks_per_case = Counter(a.case_id for a in acks)
    tally.missing_acks += sum(1 for case_id in per_case if acks_per_case[case_id] == 0)
    tally.duplicate_acks += sum(n - 1 for n in acks_per_case.values())
    received = Counter(email.message_from_bytes(m.content).get("Message-ID") for m in world.smtp.messages)
    for ack in acks:
        copies = received[ack.message_id]
        if ack.status == OutboxStatus.PENDING or (ack.status == OutboxStatus.SENT and copies == 0):
            tally.missing_acks += 1
        tally.duplicate_acks += max(copies - 1, 0)
    return tally


def healthz(port: int) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())
    except OSError:
        return 0, {}


def metrics(port: int) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as answer:
        return answer.read().decode()


class FaultTable:
    """Rows of the fault report; written to fault-report.json and printed at the end of the session."""

    def __init__(self) -> None:
        self.rows: list[Tally] = []

    def add(self, tally: Tally) -> Tally:
        self.rows.append(tally)
        return tally

    def save(self) -> None:
        if self.rows and REPORT:
            Path(REPORT).write_text(json.dumps([asdict(r) for r in self.rows], indent=2))

    def markdown(self) -> str:
        return render_table([asdict(r) for r in self.rows])


TABLE = FaultTable()  # filled by the fault tests, printed by conftest's terminal summary

COLUMNS = ("fault", "database", "runs", "messages", "lost", "duplicated_cases", "duplicate_acks", "missing_acks", "quarantined")


def render_table(rows: list[dict]) -> str:
    header = "| " + " | ".join(c.replace("_", " ") for c in COLUMNS) + " |"
    lines = [header, "|" + "---|" * len(COLUMNS)]
    for row in rows:
        lines.append("| " + " | ".join(str(row[c]) for c in COLUMNS) + " |")
    return "\n".join(lines)


def seeded(name: str) -> random.Random:
    return random.Random(f"mailintake-faults-{name}")
