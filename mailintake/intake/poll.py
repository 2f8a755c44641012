"""The poll: fetch the intake folder in batches, give every message its committed outcome, then move it.

Per batch, in order:
1. one commit records that an attempt starts for every fresh message (so a
   message that kills the process is still counted, and quarantined after
   `max_attempts`);
2. parse + triage run in the worker processes while, 3., one transaction
   stores each outcome as its analysis arrives, with a savepoint per message
   so a failing one rolls back alone (a draft case, a follow-up on a case, or a
   skip), and commits when the batch is done;
4. only then are the messages moved out of the INBOX.

Messages a previous run died on ("suspects") go one by one, each with its own
two commits. A message seen again (same key, or the same bytes under another
key) changes nothing and is moved like the first.
"""

from __future__ import annotations

import threading
from contextlib import closing
from dataclasses import asdict, dataclass
from typing import Iterator

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..config import Config
from ..domain import Outcome
from ..errors import AnalysisError
from ..faults import crash_point
from ..mail.imap import Mailbox, batches
from ..mail.message import FetchedMessage
from ..outbox.queue import no_reply_address_condition
from ..store.database import Database, database_unavailable
from ..store.models import MessageRecord, OutboxMessage, utcnow
from . import ledger
from .analysis import analyse, triage_settings
from .ledger import MessageKey
from .outcome import Resolver
from .workers import WAITING, Workers

# Outcomes wait at most this long in an open write transaction for a slow analysis: then they are committed, so
# the staff screens' writes never queue behind one costly message.
HOLD_WRITES_SECONDS = 0.5


@dataclass
class PollResult:
    """What one poll did; printed as the JSON line of `mailintake poll --once`."""

    fetched: int = 0
    cases: int = 0
    follow_ups: int = 0
    skipped: int = 0
    quarantined: int = 0
    failed: int = 0
    duplicates: int = 0
    already_done: int = 0
    no_reply_address: int = 0  # of the new cases, those whose acknowledgement waits for staff to fill in an address

    def count(self, outcome: Outcome) -> None:
        setattr(self, outcome.counter, getattr(self, outcome.counter) + 1)

    def to_json(self) -> dict:
        return asdict(self)


class Intake:
    def __init__(self, config: Config, database: Database | None, acknowledge: bool = True):
        self.config = config
        self.box_config = config.require_mailbox()
        self.db = database
        self.triage_settings = triage_settings(config)
        self.resolver = Resolver(config, acknowledge)
        workers = config.intake.workers
        self.workers = Workers.shared(self.triage_settings, workers, config.intake.analysis_seconds) if workers else None

    def poll_once(self, mailbox: Mailbox, stop: threading.Event | None = None) -> PollResult:
        """Process every message currently in the intake folder, in batches of UIDs.

        When `stop` is set, the message at hand is finished, the batch's committed
        messages are moved, and the poll returns.
        """
        result = PollResult()
        started = utcnow()
        self._poll(mailbox, result, stop)
        result.no_reply_address = self._waiting_for_address_since(started) if result.cases else 0
        return result

    def _waiting_for_address_since(self, started) -> int:
        with self.db.unit_of_work() as session:
            return session.scalar(select(func.count()).select_from(OutboxMessage).where(
                no_reply_address_condition(), OutboxMessage.created_at >= started))

    def _poll(self, mailbox: Mailbox, result: PollResult, stop: threading.Event | None) -> None:
        box = self.box_config
        uidvalidity = mailbox.open(box.folder)
        for batch in batches(mailbox.uids(), box.batch_size):
            for fetched in mailbox.fetch_chunks(batch, box.max_message_bytes, box.batch_bytes):
                if stop is not None and stop.is_set():
                    return
                crash_point("after_fetch")
                self._process_fetched(mailbox, uidvalidity, fetched, result, stop)
                crash_point("after_move")
                del fetched  # not held while the next chunk arrives

    def _process_fetched(self, mailbox: Mailbox, uidvalidity: int, fetched: list[FetchedMessage], result: PollResult,
                         stop: threading.Event | None) -> None:
        """Outcomes for what was fetched, then the moves of what is committed."""
        box = self.box_config
        items = [(MessageKey(box.name, uidvalidity, message.uid), message) for message in fetched]
        moves: dict[str, list[int]] = {box.processed_folder: [], box.quarantine_folder: []}
        for (_, message), outcome in zip(items, self.process_batch(items, stop)):
            if outcome is None:  # not reached before a stop
                continue
            result.fetched += 1
            result.count(outcome)
            if outcome == Outcome.QUARANTINED:
                moves[box.quarantine_folder].append(message.uid)
            elif outcome != Outcome.FAILED:
                moves[box.processed_folder].append(message.uid)
        for folder, uids in moves.items():
            mailbox.move(uids, folder)

    def process_batch(self, items: list[tuple[MessageKey, FetchedMessage]],
                      stop: threading.Event | None = None) -> list[Outcome | None]:
        """Outcomes for a batch, in order, with two commits for the fresh messages and two per suspect."""
        outcomes: dict[MessageKey, Outcome] = {}
        group, suspects = self._start_batch(items, outcomes)
        if group:
            self._commit_group(group, outcomes)
            crash_point("after_commit")
        for key, message in suspects:
            if stop is not None and stop.is_set():
                break
            outcomes[key] = self.process(key, message)
        return [outcomes.get(key) for key, _ in items]

    def process(self, key: MessageKey, message: FetchedMessage) -> Outcome:
        """Give one message its outcome on its own: the attempt is committed before the work."""
        early = self._start_one(key, message)
        if early is not None:
            return early
        try:
            with self.db.unit_of_work() as session:
                record = ledger.records(session, [key])[key]
                outcome = self._decide(session, record, message.raw)
            crash_point("after_commit")
            return outcome
        except Exception as exc:  # one bad message must never stop the others
            if database_unavailable(exc):  # the database's fault, not the message's: stop the poll
                raise
            ledger.log_failure(key, exc)
            with self.db.unit_of_work() as session:
                return ledger.fail(ledger.records(session, [key])[key], exc, self.box_config.max_attempts)

    def decide_stored(self, session: Session, record: MessageRecord) -> Outcome:
        """Decide a stored message again from its raw bytes (staff retry a quarantined one)."""
        if record.raw is None:
            raise AnalysisError("the message was never fetched (too large); nothing to decide on")
        return self._decide(session, record, record.raw)

    def _start_batch(self, items, outcomes: dict) -> tuple[list, list]:
        """Record the batch's attempts in one commit; settle what needs no work. Returns (group, suspects)."""
        group, suspects, shas_in_group = [], [], set()
        with self.db.unit_of_work() as session:
            existing = ledger.records(session, [key for key, _ in items])
            fresh_shas = {ledger.sha256(m.raw) for key, m in items if key not in existing}
            originals = ledger.originals(session, fresh_shas)
            for key, message in items:
                record, outcome = ledger.start(session, key, message, existing.get(key),
                                               originals.get(ledger.sha256(message.raw)), self.box_config)
                if outcome is not None:
                    outcomes[key] = outcome
                elif record.attempts > 0 or record.sha256 in shas_in_group:
                    suspects.append((key, message))
                else:
                    record.attempts = 1
                    shas_in_group.add(record.sha256)
                    group.append((key, message))
        return group, suspects

    def _start_one(self, key: MessageKey, message: FetchedMessage) -> Outcome | None:
        """Record one attempt (committed before the work); an outcome when no work is due."""
        with self.db.unit_of_work() as session:
            record = ledger.records(session, [key]).get(key)
            sha = ledger.sha256(message.raw)
            original = ledger.originals(session, {sha}).get(sha) if record is None else None
            record, outcome = ledger.start(session, key, message, record, original, self.box_config)
            if outcome is None:
                record.attempts += 1
        return outcome

    def _analyse(self, raws: list[bytes], patience: float | None = None) -> Iterator:
        """(Parsed, Verdict) or the exception, per message, in order: in the workers, under the time budget, when
        there are, each as soon as it is done while the workers go on with the next (WAITING in between when
        one takes longer than `patience`)."""
        if self.workers is not None:
            yield from self.workers.analyse_in_order(raws, patience)
            return
        for raw in raws:
            try:
                result = analyse(raw, self.triage_settings)
            except Exception as exc:  # isolated: recorded as this message's failure
                result = exc
            yield result

    def _commit_group(self, group, outcomes: dict) -> None:
        """Store each message's outcome as its analysis arrives (the workers analyse the next ones meanwhile), in
        one transaction committed when the group is done, or earlier while a slow analysis is awaited."""
        raws = [message.raw for _, message in group]
        with self.db.unit_of_work() as session, closing(self._analyse(raws, HOLD_WRITES_SECONDS)) as analysed:
            records = ledger.records(session, [key for key, _ in group])
            session.commit()  # SQLite's write lock is taken with the first write, not while the first analyses run
            failures: dict[MessageKey, Exception] = {}
            for index, ((key, message), result) in enumerate(zip(group, _committing_while_waiting(analysed, session))):
                if index == 0:
                    crash_point("after_parse")
                if isinstance(result, Exception):
                    ledger.log_failure(key, result)
                    failures[key] = result
                    continue
                try:
                    # each savepoint's release flushes; flushing before every query inside is wasted work
                    with session.begin_nested(), session.no_autoflush:
                        outcomes[key] = self.resolver.apply(session, records[key], message.raw, *result)
                except Exception as exc:  # the savepoint rolled back this message only
                    if database_unavailable(exc):  # server gone or disk full: the whole batch rolls back
                        raise
                    ledger.log_failure(key, exc)
                    failures[key] = exc
            for key, exc in failures.items():
                outcomes[key] = ledger.fail(records[key], exc, self.box_config.max_attempts)

    def _decide(self, session: Session, record: MessageRecord, raw: bytes) -> Outcome:
        [result] = list(self._analyse([raw]))
        if isinstance(result, Exception):
            raise result
        parsed, verdict = result
        crash_point("after_parse")
        return self.resolver.apply(session, record, raw, parsed, verdict)


def _committing_while_waiting(analysed: Iterator, session: Session) -> Iterator:
    """The analyses; while a slow one is awaited, the outcomes stored so far are committed."""
    for result in analysed:
        if result is WAITING:
            session.commit()
        else:
            yield result
