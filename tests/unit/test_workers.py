"""The analysis workers: real processes from the fork server, fed real mail."""

from pathlib import Path

import pytest

from mailintake.intake.workers import Workers
from mailintake.mail.message import Parsed
from mailintake.triage import TriageSettings

MAILS = sorted((Path(__file__).parents[1] / "mails" / "triage").glob("*.eml"))


@pytest.fixture
def workers():
    with Workers(TriageSettings(), processes=2, budget=30) as pool:
        yield pool


def test_results_come_in_order_of_the_messages(workers):
    raws = [path.read_bytes() for path in MAILS[:6]]
    results = workers.analyse_all(raws)
    assert [parsed.message_id for parsed, _ in results] == [parsed.message_id for parsed, _ in
                                                            (workers.analyse_all([raw])[0] for raw in raws)]
    assert all(isinstance(parsed, Parsed) for parsed, _ in results)


def test_every_worker_has_the_next_message_while_the_caller_stores_one(workers):
    """While the caller holds the first result, both workers already analyse the next messages: none of them
    waits idle for the caller to come back. (Both are warmed first, and the batch is long enough that they cannot
    have finished all of it while the first message was analysed.)"""
    workers.analyse_all([MAILS[0].read_bytes(), MAILS[1].read_bytes()])
    raws = [path.read_bytes() for path in (MAILS * 10)[:60]]
    results = workers.analyse_in_order(raws)
    next(results)
    assert workers._idle == []
    assert len(list(results)) == 59
    assert len(workers._idle) == 2  # warm for the next batch, holding nothing
