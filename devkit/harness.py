"""One harness for the demo, the benchmarks and the tests: config files, CLI runs and daemon processes.

    data = local_config(imap, smtp, "ombuds", "sqlite:///m.sqlite", password_env="MAILINTAKE_IMAP_PASSWORD")
    config = write_config(tmp / "config.toml", data)
    run_cli(config, "db", "upgrade", env={"MAILINTAKE_IMAP_PASSWORD": "secret"})
    with DaemonProcess(config, env=...) as daemon:
        daemon.wait_for("polling mailbox")

Every `mailintake` here is the real command (`python -m mailintake`) in a child process.
"""

from __future__ import annotations

import json
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

WAIT = 120.0  # guards against a hang only


class CommandFailed(RuntimeError):
    """A `mailintake` command exited non-zero; the message carries its stderr."""


def mailintake_command(config: Path | None, *args: str) -> list[str]:
    return [sys.executable, "-m", "mailintake", *(("--config", str(config)) if config else ()), *args]


def local_config(imap, smtp, user: str, database_url: str, *, password_env: str, **overrides: dict) -> dict:
    """A config for a local Dovecot user and SMTP sink (plain text on 127.0.0.1); `overrides` merge per section."""
    data = {
        "mailbox": {"host": imap.host, "port": imap.port, "security": "none", "username": user,
                    "password_env": password_env},
        "database": {"url": database_url},
        "smtp": {"host": smtp.host, "port": smtp.port, "security": "none"},
    }
    for section, values in overrides.items():
        data.setdefault(section, {}).update(values)
    return data


def to_toml(data: dict, prefix: str = "") -> str:
    """Tables of scalars, lists and nested tables as TOML (JSON's strings, numbers and lists are TOML too)."""
    lines = []
    for section, values in data.items():
        name = f"{prefix}{_key(section)}"
        lines.append(f"[{name}]")
        lines.extend(f"{_key(key)} = {json.dumps(value)}" for key, value in values.items() if not isinstance(value, dict))
        nested = {key: value for key, value in values.items() if isinstance(value, dict)}
        if nested:
            lines.append(to_toml(nested, prefix=f"{name}.").rstrip("\n"))
    return "\n".join(lines) + "\n"


def _key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key)


def write_config(path: Path, data: dict) -> Path:
    path.write_text(to_toml(data), encoding="utf-8")
    return path


def run_cli(config: Path | None, *args: str, env: dict | None = None, cwd: Path | None = None,
            timeout: float = 300, check: bool = True, input: str | None = None) -> subprocess.CompletedProcess:
    """Run `mailintake [--config CONFIG] ARGS...`; with `check`, a non-zero exit raises `CommandFailed`."""
    done = subprocess.run(
        mailintake_command(config, *args), capture_output=True, text=True, env={**os.environ, **(env or {})},
        cwd=cwd, timeout=timeout, input=input,
    )
    if check and done.returncode != 0:
        raise CommandFailed(f"mailintake {' '.join(args)} exited {done.returncode}: {done.stderr}")
    return done


class WatchedProcess:
    """A child process whose output lines (stdout and stderr together) can be awaited."""

    def __init__(self, command: list[str], *, env: dict | None = None, cwd: Path | None = None,
                 name: str = "process", new_session: bool = False):
        self.name = name
        self.proc = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            env={**os.environ, **(env or {})}, cwd=cwd, start_new_session=new_session,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.log: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)  # a full pipe would block the daemon
        self._reader.start()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info) -> None:
        self.terminate()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.put(line)

    def _drain(self) -> None:
        while not self.lines.empty():
            self.log.append(self.lines.get())

    def wait_for(self, text: str, timeout: float = WAIT) -> str:
        """The first log line containing `text`, waiting up to `timeout` seconds for it."""
        deadline = time.monotonic() + timeout
        seen = 0
        while True:
            self._drain()
            for line in self.log[seen:]:
                if text in line:
                    return line
            seen = len(self.log)
            if time.monotonic() > deadline:
                raise AssertionError(f"{self.name}: no log line with {text!r}; got:\n{''.join(self.log[-40:])}")
            try:
                self.log.append(self.lines.get(timeout=0.2))
            except queue.Empty:
                pass

    def seen(self, text: str) -> bool:
        self._drain()
        return any(text in line for line in self.log)

    @property
    def running(self) -> bool:
        return self.proc.poll() is None

    def terminate(self, timeout: float = WAIT) -> int:
        if self.running:
            self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout=timeout)

    def kill(self) -> int:
        if self.running:
            self.proc.kill()
        return self.proc.wait(timeout=WAIT)

    def output(self) -> str:
        """Everything the process printed; call after it ended."""
        self._reader.join(timeout=10)
        self._drain()
        return "".join(self.log)


class DaemonProcess(WatchedProcess):
    """`mailintake run` (or another long-running command, `args`) with this config, as a watched child process."""

    def __init__(self, config: Path, *, env: dict | None = None, cwd: Path | None = None, name: str = "daemon",
                 args: tuple[str, ...] = ("run",)):
        super().__init__(mailintake_command(config, *args), env=env, cwd=cwd, name=name)
