"""`mailintake run` as a real process: IDLE pickup, clean SIGTERM, standby and takeover."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time

import pytest

from tests.support.mails import complaint
from tests.support.world import PASSWORD_ENV

DAEMON = {"poll_interval_seconds": 600.0, "relay_interval_seconds": 600.0, "standby_check_seconds": 0.5}
WAIT = 60  # guards against a hang only; latency is measured in the benchmark


class DaemonProcess:
    """A running `mailintake run` whose log lines can be awaited."""

    def __init__(self, world):
        env = {**os.environ, PASSWORD_ENV: world.password}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "mailintake", "--config", str(world.config_path), "run"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, cwd=world.tmp,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.log: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.put(line)

    def wait_for(self, text: str, timeout: float = WAIT) -> str:
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"no log line with {text!r}; got:\n{''.join(self.log)}")
            try:
                line = self.lines.get(timeout=remaining)
            except queue.Empty:
                continue
            self.log.append(line)
            if text in line:
                return line

    def output(self) -> str:
        """Everything the process printed; call after it ended."""
        self._reader.join(timeout=WAIT)
        while not self.lines.empty():
            self.log.append(self.lines.get())
        return "".join(self.log)

    def terminate(self) -> int:
        self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout=WAIT)

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


@pytest.fixture
def daemons():
    started: list[DaemonProcess] = []

    def start(world) -> DaemonProcess:
        started.append(DaemonProcess(world))
        return started[-1]

    yield start
    for daemon in started:
        daemon.kill()


def test_idle_picks_up_new_mail_long_before_the_poll_interval(make_world, daemons):
    world = make_world(daemon=DAEMON)
    daemon = daemons(world)
    daemon.wait_for("polling mailbox")

    world.deliver(complaint())

    assert world.smtp.wait_for(1, timeout=WAIT)
    assert daemon.terminate() == 0
    [case] = world.cli_json("cases", "list", "--json")
    assert case["ref"] in world.smtp.messages[0].content.decode()


def test_sigterm_stops_cleanly(make_world, daemons):
    world = make_world(daemon=DAEMON)
    for n in range(30):
        world.deliver(complaint(subject=f"Klacht {n}", body=f"Probleem {n} aan het loket.\n\nAn Peeters\n"))
    daemon = daemons(world)
    daemon.wait_for("polling mailbox")

    assert daemon.terminate() == 0
    output = daemon.output()
    assert "daemon stopped" in output and "Traceback" not in output
    # whatever was committed is consistent: every stored message has an outcome or is still in the INBOX
    result = world.cli_json("poll", "--once")
    cases = world.cli_json("cases", "list", "--json")
    assert len(cases) == 30
    assert world.uids("INBOX") == []
    assert result["failed"] == 0


def test_second_daemon_stands_by_and_takes_over(make_world, daemons):
    world = make_world(daemon=DAEMON)
    first = daemons(world)
    first.wait_for("polling mailbox")
    second = daemons(world)
    second.wait_for("standby")

    assert first.terminate() == 0
    second.wait_for("polling mailbox")
    world.deliver(complaint())

    assert world.smtp.wait_for(1, timeout=WAIT)
    assert second.terminate() == 0
