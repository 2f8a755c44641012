"""`make demo` (`python -m devkit.demo`) ends everything it started on Ctrl-C or SIGTERM: nothing is left listening."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys

import pytest

from devkit.devmail import free_port
from devkit.harness import WatchedProcess
from tests.support.paths import ROOT


def listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2):
            return True
    except OSError:
        return False


def _tail(watcher: WatchedProcess) -> str:
    """The demo's last output, with faulthandler's dump of its threads when that comes."""
    try:
        watcher.wait_for("most recent call first", timeout=5)
    except AssertionError:
        pass
    return "".join(watcher.log[-80:])


@pytest.mark.parametrize("how", ["SIGTERM", "Ctrl-C"])
def test_demo_stops_everything_it_started(tmp_path, how):
    web_port = free_port()
    env = {"MAILINTAKE_DEMO_PORT": str(web_port), "MAILINTAKE_DEMO_REPORT": "0", "PYTHONPATH": str(ROOT)}
    watcher = WatchedProcess([sys.executable, "-m", "devkit.demo"], cwd=tmp_path, env=env, name="demo",
                             new_session=True)
    demo = watcher.proc
    try:
        servers = watcher.wait_for("local Dovecot on", timeout=120)
        watcher.wait_for("Review UI:", timeout=120)
        ports = [int(p) for p in re.findall(r"127\.0\.0\.1:(\d+)", servers)] + [web_port]
        assert len(ports) == 3 and all(listening(port) for port in ports)
        if how == "SIGTERM":
            demo.send_signal(signal.SIGTERM)
        else:
            os.killpg(demo.pid, signal.SIGINT)  # what the terminal sends to the whole foreground group
        try:
            demo.wait(timeout=60)
        except subprocess.TimeoutExpired:
            demo.send_signal(signal.SIGUSR1)  # the demo prints where it waits (faulthandler)
            raise AssertionError(f"the demo did not stop after {how}:\n{_tail(watcher)}") from None
    finally:
        if demo.poll() is None:
            os.killpg(demo.pid, signal.SIGKILL)
    leftovers = subprocess.run(["pgrep", "-f", str(tmp_path)], capture_output=True, text=True).stdout.split()
    for pid in leftovers:  # do not let a failure here leave servers behind for the rest of the session
        os.kill(int(pid), signal.SIGKILL)
    assert [port for port in ports if listening(port)] == []
    assert leftovers == []
