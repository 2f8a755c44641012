"""The SQLite database holds all raw mail and the password hashes: a folder mailintake creates for it is 0700 and
the file 0600, whatever the umask of the process that creates them (issue 15, finding 10).

`mailintake db upgrade` runs as a real child process, once under umask 000, the least forgiving case.
"""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

import pytest

from devkit.harness import mailintake_command, write_config

pytestmark = pytest.mark.one_database


def run_under_umask(mask: int, config, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(mailintake_command(config, *args), capture_output=True, text=True, timeout=120,
                          preexec_fn=lambda: os.umask(mask))


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def config_for(tmp_path, database) -> Path:
    return write_config(tmp_path / "config.toml", {"database": {"url": f"sqlite:///{database}"}})


def test_a_new_database_folder_is_0700_and_the_file_0600_even_under_umask_000(tmp_path):
    folder = tmp_path / "gegevens" / "mailintake"
    database = folder / "mailintake.sqlite"

    done = run_under_umask(0o000, config_for(tmp_path, database), "db", "upgrade")

    assert done.returncode == 0, done.stderr
    assert mode(folder) == 0o700
    assert mode(database) == 0o600
    for companion in (database.with_name(database.name + "-wal"), database.with_name(database.name + "-shm")):
        if companion.exists():  # SQLite gives them the database file's mode
            assert mode(companion) == 0o600, companion


def test_a_database_file_left_readable_is_made_private_on_open(tmp_path):
    database = tmp_path / "mailintake.sqlite"
    config = config_for(tmp_path, database)
    assert run_under_umask(0o022, config, "db", "upgrade").returncode == 0
    database.chmod(0o644)  # e.g. restored from a backup by hand

    done = run_under_umask(0o022, config, "db", "upgrade")

    assert done.returncode == 0, done.stderr
    assert mode(database) == 0o600
