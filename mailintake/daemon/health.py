"""Health and metrics of `mailintake run`: `/healthz` and Prometheus `/metrics` on 127.0.0.1.

`/healthz` answers 200 only while both the database and the mailbox were
reachable at their last check, else 503; the body says which is down. The
daemon updates this state from its jobs; the HTTP server only reads it, so a
probe never waits on a server that hangs.

    health = Health()
    server = health.serve("127.0.0.1", 9465)   # a thread; server.close() stops it
    health.database_checked(True)
    health.poll_done(result, seconds=0.4)
"""

from __future__ import annotations

import json
import logging
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest

from ..domain import Outcome

log = logging.getLogger(__name__)

OUTCOME_FIELDS = tuple(outcome.counter for outcome in Outcome)


class Health:
    """Readiness state plus the daemon's metrics, in a registry of its own."""

    def __init__(self, poll_limit_seconds: float = 600.0) -> None:
        self.registry = CollectorRegistry()
        self.poll_limit_seconds = poll_limit_seconds  # a poll running longer than this makes the daemon not ready
        self._lock = threading.Lock()
        self._state = {"database": (None, "not checked yet"), "mailbox": (None, "not checked yet")}
        self._poll_started: float | None = None
        self._last_poll_done: float | None = None
        self._define_metrics()

    def _define_metrics(self) -> None:
        r = self.registry
        self.fetched = Counter("mailintake_messages_fetched", "Messages fetched from the intake folder", registry=r)
        self.processed = Counter(
            "mailintake_messages_processed", "Messages processed, by outcome", ["outcome"], registry=r
        )
        self.quarantined = Counter("mailintake_messages_quarantined", "Messages quarantined", registry=r)
        self.outbox_pending = Gauge("mailintake_outbox_pending", "Outbox mails due or waiting for a retry", registry=r)
        self.without_address = Gauge("mailintake_cases_without_reply_address",
                                     "Complaints whose acknowledgement waits for staff to fill in a reply address", registry=r)
        self.no_address_taken = Counter("mailintake_complaints_without_reply_address",
                                        "Complaints taken in without a usable reply address", registry=r)
        self.outbox_oldest_age = Gauge(
            "mailintake_outbox_oldest_pending_age_seconds", "Age of the oldest pending outbox mail (0 when none)", registry=r
        )
        self.last_poll = Gauge(
            "mailintake_last_successful_poll_timestamp_seconds", "Unix time of the last poll that completed", registry=r
        )
        self.poll_duration = Histogram(
            "mailintake_poll_duration_seconds", "Duration of one poll of the intake folder", registry=r,
            buckets=(0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600),
        )
        self.up = Gauge("mailintake_dependency_up", "1 when the dependency answered at its last check", ["dependency"], registry=r)
        self.ready_gauge = Gauge("mailintake_ready", "1 when the daemon is ready (database and mailbox reachable)", registry=r)
        self.ready_gauge.set_function(lambda: 1.0 if self.ready else 0.0)
        self.last_poll_age = Gauge("mailintake_last_successful_poll_age_seconds",
                                   "Seconds since the last poll that completed (-1 before the first)", registry=r)
        self.last_poll_age.set_function(lambda: time.time() - self._last_poll_done if self._last_poll_done else -1.0)

    # -- state, written by the daemon's jobs ---------------------------------

    def database_checked(self, ok: bool, detail: str = "") -> None:
        self._set("database", ok, detail)

    def mailbox_checked(self, ok: bool, detail: str = "") -> None:
        self._set("mailbox", ok, detail)

    def _set(self, name: str, ok: bool, detail: str) -> None:
        with self._lock:
            self._state[name] = (ok, detail or ("ok" if ok else "unreachable"))
        self.up.labels(dependency=name).set(1 if ok else 0)

    def poll_started(self) -> None:
        with self._lock:
            self._poll_started = time.monotonic()

    def poll_done(self, result, seconds: float) -> None:
        """Count one completed poll (an intake PollResult)."""
        with self._lock:
            self._poll_started = None
            self._last_poll_done = time.time()
        self.fetched.inc(result.fetched)
        for name in OUTCOME_FIELDS:
            count = getattr(result, name, 0)
            if count:
                self.processed.labels(outcome=name).inc(count)
        self.quarantined.inc(result.quarantined)
        self.no_address_taken.inc(getattr(result, "no_reply_address", 0))
        self.poll_duration.observe(seconds)
        self.last_poll.set(time.time())

    def outbox_seen(self, pending: int, oldest_age_seconds: float, without_address: int = 0) -> None:
        self.outbox_pending.set(pending)
        self.without_address.set(without_address)
        self.outbox_oldest_age.set(oldest_age_seconds)

    # -- reading -------------------------------------------------------------

    def is_up(self, name: str) -> bool:
        with self._lock:
            return bool(self._state[name][0])

    def poll_ended(self) -> None:
        """A poll stopped without completing (a fault): it no longer counts as running."""
        with self._lock:
            self._poll_started = None

    @property
    def ready(self) -> bool:
        return self.report()["status"] == "ready"

    def report(self) -> dict:
        with self._lock:
            state = dict(self._state)
            running = time.monotonic() - self._poll_started if self._poll_started is not None else None
        if running is not None and running > self.poll_limit_seconds:
            state["intake"] = (False, f"a poll has been running for {running:.0f} s (limit {self.poll_limit_seconds:g} s)")
        ready = all(ok for ok, _ in state.values())
        return {"status": "ready" if ready else "not ready", **{name: detail for name, (_, detail) in state.items()}}

    def metrics(self) -> bytes:
        return generate_latest(self.registry)

    def serve(self, host: str, port: int) -> "HealthServer":
        return HealthServer(self, host, port)


class HealthServer:
    """A small threaded HTTP server for /healthz and /metrics."""

    def __init__(self, health: Health, host: str, port: int):
        handler = type("Handler", (_Handler,), {"health": health})
        self._server = ThreadingHTTPServer((host, port), handler)
        self._server.daemon_threads = True
        self.address = self._server.server_address
        self._thread = threading.Thread(target=self._server.serve_forever, name="health-http", daemon=True)
        self._thread.start()
        log.info("health endpoint on http://%s:%s/healthz (metrics on /metrics)", *self.address[:2])

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


class _Handler(BaseHTTPRequestHandler):
    health: Health

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        path = self.path.split("?", 1)[0]
        if path == "/healthz":
            report = self.health.report()
            self._answer(200 if report["status"] == "ready" else 503, "application/json", json.dumps(report).encode())
        elif path == "/metrics":
            self._answer(200, CONTENT_TYPE_LATEST, self.health.metrics())
        else:
            self._answer(404, "text/plain; charset=utf-8", b"not found\n")

    def _answer(self, status: int, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:  # probes every few seconds: not worth a log line
        log.debug("health: " + format, *args)
