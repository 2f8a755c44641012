"""Parse and triage in worker processes, each message under a time budget.

Analysis is pure (bytes in, `Parsed` and `Verdict` out), so it can run in
another process. That bounds what one message can cost: past
`[intake] analysis_seconds` its worker is killed and replaced, the message
gets an `AnalysisTimeout` ("analyse duurde te lang") as its failure, and the
rest of the batch goes on. A worker that dies on a message fails only that
message. Attempts are counted before the work as always, so a message that
keeps failing is quarantined after `max_attempts`.

Workers are forked from a fork server that has imported only the analysis
(the daemon runs threads, whose locks a plain fork would copy; spawn would
import the whole command line again in every worker). They start on first
use, as many as the batch can use, and are reused: `Workers.shared` keeps one
set per process and settings, so each new poll (or staff retry) finds its
workers warm.

    workers = Workers.shared(settings, processes=2, budget=30)
    results = workers.analyse_all([raw1, raw2])   # (Parsed, Verdict) or an exception, per message
"""

from __future__ import annotations

import atexit
import logging
import multiprocessing
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Iterator

from ..errors import AnalysisError, AnalysisTimeout
from ..faults import crash_point
from ..mail.message import Parsed
from ..memory import return_large_buffers
from ..triage import TriageSettings, Verdict
from .analysis import analyse

log = logging.getLogger(__name__)
Result = tuple[Parsed, Verdict] | Exception
WAITING = object()  # from analyse_in_order: the next analysis is taking a while


def _serve(connection: Connection, settings: TriageSettings) -> None:
    """A worker: analyse what arrives until the pipe closes; an exception is sent back by type and text."""
    return_large_buffers()
    while True:
        try:
            raw = connection.recv_bytes()
        except (EOFError, OSError):
            return
        crash_point("in_analysis")
        try:
            answer = ("ok", analyse(raw, settings))
        except Exception as exc:  # the message's fault, reported to the parent, which records it
            answer = ("error", f"{type(exc).__name__}: {exc}"[:500])
        connection.send(answer)


@dataclass
class _Worker:
    process: multiprocessing.Process
    connection: Connection
    job: int | None = None
    started: float = 0.0
    result: object = None
    alive: bool = True

    def stop(self, kill: bool = False) -> None:
        if kill:
            self.process.kill()
        self.connection.close()
        self.process.join(timeout=10)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()


class Workers:
    _shared: dict[tuple, "Workers"] = {}
    _shared_lock = threading.Lock()

    def __init__(self, settings: TriageSettings, processes: int, budget: float):
        self.settings = settings
        self.processes = max(1, processes)
        self.budget = budget
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload([__name__])
        self._idle: list[_Worker] = []
        self._lock = threading.Lock()  # one batch at a time (web threads may share a set)

    @classmethod
    def shared(cls, settings: TriageSettings, processes: int, budget: float) -> "Workers":
        """The process's workers for these settings, started once and kept warm until the process ends."""
        key = (settings, processes, budget)
        with cls._shared_lock:
            if key not in cls._shared:
                cls._shared[key] = cls(settings, processes, budget)
                atexit.register(cls._shared[key].close)
            return cls._shared[key]

    def __enter__(self) -> "Workers":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def analyse_all(self, raws: list[bytes]) -> list[Result]:
        """The analysis of each message, in order; a message past the budget gets an AnalysisTimeout."""
        return list(self.analyse_in_order(raws))

    def analyse_in_order(self, raws: list[bytes], patience: float | None = None) -> Iterator[Result | object]:
        """Each message's analysis in order, as soon as it and those before it are done, while the workers
        go on with the next ones (the caller stores one while the others are analysed). With `patience`,
        WAITING comes in between when the next one takes longer than that (the caller may commit meanwhile)."""
        with self._lock:
            busy: list[_Worker] = []
            try:
                yield from self._analyse_in_order(raws, busy, patience)
            finally:
                self._settle(busy)  # a caller that stops early: no worker keeps an answer for the next batch

    def _analyse_in_order(self, raws: list[bytes], busy: list[_Worker], patience: float | None) -> Iterator:
        results: dict[int, Result] = {}
        pending = list(range(len(raws)))
        next_out = 0
        waited_since = time.monotonic()
        while next_out < len(raws):
            self._dispatch(raws, pending, busy)
            # answers are picked up, and their workers given the next message, before each result is handed out:
            # a worker never idles while the caller stores what it analysed
            ready = next_out in results
            for worker in self._collect(busy, 0.0 if ready else patience) if busy else ():
                results[worker.job], worker.result = worker.result, None  # an idle worker keeps no message
                self._release(worker, busy)
            self._dispatch(raws, pending, busy)
            if next_out in results:
                yield results.pop(next_out)
                next_out += 1
                waited_since = time.monotonic()
            elif patience is not None and time.monotonic() - waited_since >= patience:
                yield WAITING
                waited_since = time.monotonic()

    def _dispatch(self, raws: list[bytes], pending: list[int], busy: list[_Worker]) -> None:
        """The next pending messages to the idle workers, one each."""
        while pending and len(busy) < self.processes:
            worker = self._idle.pop() if self._idle else self._start()
            job = pending.pop(0)
            worker.job, worker.started = job, time.monotonic()
            worker.connection.send_bytes(raws[job])
            busy.append(worker)

    def _release(self, worker: _Worker, busy: list[_Worker]) -> None:
        busy.remove(worker)
        if worker.alive:
            worker.job = None
            self._idle.append(worker)

    def _settle(self, busy: list[_Worker]) -> None:
        while busy:
            for worker in self._collect(busy):
                worker.result = None
                self._release(worker, busy)

    def close(self) -> None:
        for worker in self._idle:
            worker.stop()
        self._idle = []

    def _start(self) -> _Worker:
        parent, child = self._context.Pipe()
        process = self._context.Process(target=_serve, args=(child, self.settings), name="mailintake-analysis",
                                        daemon=True)
        process.start()
        child.close()
        return _Worker(process, parent)

    def _collect(self, busy: list[_Worker], longest: float | None = None) -> list[_Worker]:
        """Wait for an answer or the first deadline (at most `longest`); the workers that are done (answered,
        died or overran)."""
        now = time.monotonic()
        timeout = max(0.0, min(w.started + self.budget for w in busy) - now)
        if longest is not None:
            timeout = min(timeout, longest)
        ready = set(wait([w.connection for w in busy], timeout=timeout))
        done = []
        for worker in busy:
            if worker.connection in ready:
                worker.result, worker.alive = self._answer(worker)
                done.append(worker)
            elif time.monotonic() - worker.started >= self.budget:
                log.warning("analysis took longer than %.0f s; its worker is stopped", self.budget)
                worker.stop(kill=True)
                worker.result, worker.alive = AnalysisTimeout(f"analyse duurde te lang (meer dan {self.budget:g} s)"), False
                done.append(worker)
        return done

    @staticmethod
    def _answer(worker: _Worker) -> tuple[Result, bool]:
        try:
            kind, value = worker.connection.recv()
        except (EOFError, OSError):
            worker.stop(kill=True)
            return AnalysisError("the analysis process ended on this message"), False
        return (value if kind == "ok" else AnalysisError(value)), True


def analyse_once(raw: bytes, settings: TriageSettings, processes: int, budget: float) -> tuple[Parsed, Verdict]:
    """One message's analysis under the budget (in a worker unless `processes` is 0); raises its failure."""
    if not processes:
        return analyse(raw, settings)
    [result] = Workers.shared(settings, processes, budget).analyse_all([raw])
    if isinstance(result, Exception):
        raise result
    return result
