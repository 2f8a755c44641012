"""A throw-away PostgreSQL cluster on 127.0.0.1 for the tests: initdb into a temp dir, pg_ctl start.

initdb refuses to run as root, so as root every server command runs as the
`postgres` user (Debian's `postgresql` package creates it). Trust
authentication on loopback only; the socket lives in the data directory.
Durability settings stay on except `fsync`: the tests kill our processes and
stop the server with `-m immediate`, never the machine, so the OS cache keeps
every committed write.

    cluster = LocalPostgres(Path(tempfile.mkdtemp())).start()
    url = cluster.create_database("w1")      # postgresql+psycopg://postgres@127.0.0.1:PORT/w1
    cluster.stop(mode="immediate"); cluster.start()
    cluster.destroy()
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
from pathlib import Path

import psycopg

from devkit.devmail import free_port

SUPERUSER = "postgres"
HOST = "127.0.0.1"


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL server binaries on this machine."""


def server_bin_dir() -> Path:
    """The newest /usr/lib/postgresql/N/bin that has initdb and pg_ctl."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(Path(p).parts[4]))
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("pg_ctl")
    if on_path:
        return Path(on_path).parent
    raise PostgresUnavailable("PostgreSQL server binaries not found: apt-get install postgresql")


class LocalPostgres:
    def __init__(self, root: Path, port: int = 0):
        self.root = Path(root)
        self.data = self.root / "data"
        self.log = self.root / "postgres.log"
        self.bin = server_bin_dir()
        self.port = port or free_port(HOST)
        self._as_postgres = os.geteuid() == 0

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        command = [str(self.bin / args[0]), *args[1:]]
        if self._as_postgres:
            command = ["runuser", "-u", SUPERUSER, "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=self.root)
        if check and done.returncode != 0:
            raise RuntimeError(f"{args[0]} failed ({done.returncode}): {done.stderr}\n{self.log_tail()}")
        return done

    def init(self) -> "LocalPostgres":
        self.root.mkdir(parents=True, exist_ok=True)
        if self._as_postgres:
            account = pwd.getpwnam(SUPERUSER)
            os.chown(self.root, account.pw_uid, account.pw_gid)
        self.root.chmod(0o700)
        self._run("initdb", "-D", str(self.data), "-U", SUPERUSER, "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8")
        return self

    def start(self) -> "LocalPostgres":
        if not self.data.exists():
            self.init()
        options = " ".join(
            f"-c {key}={value}"
            for key, value in {
                "listen_addresses": HOST,
                "port": self.port,
                "unix_socket_directories": str(self.data),
                "fsync": "off",
                "max_connections": 300,
                "shared_buffers": "64MB",
            }.items()
        )
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60", "-o", options, "start")
        return self

    def stop(self, mode: str = "fast") -> None:
        """mode "immediate" is a crash: no checkpoint, recovery at the next start."""
        if self.data.exists():
            self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop", check=False)

    @property
    def running(self) -> bool:
        return self._run("pg_ctl", "-D", str(self.data), "status", check=False).returncode == 0

    def destroy(self) -> None:
        self.stop(mode="immediate")
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://{SUPERUSER}@{HOST}:{self.port}/{database}"

    def admin(self) -> psycopg.Connection:
        return psycopg.connect(host=HOST, port=self.port, user=SUPERUSER, dbname="postgres", autocommit=True)

    def create_database(self, name: str, template: str | None = None) -> str:
        with self.admin() as connection:
            suffix = f" TEMPLATE {template}" if template else ""
            connection.execute(f'CREATE DATABASE "{name}"{suffix}')
        return self.url(name)

    def drop_database(self, name: str) -> None:
        with self.admin() as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no PostgreSQL log)"
