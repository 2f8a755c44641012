"""`pip install .` (a real wheel, not an editable install) in a fresh virtual environment yields a working program.

The fresh environment sees only the wheel and the dependencies it declares
(no test extras, no system or outer-venv packages), so a module that imports
an undeclared package, or development tooling shipped by mistake, fails here.
"""

from __future__ import annotations

import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from tests.support.paths import MAILS, ROOT

PROBE = """
import importlib, pkgutil, sys
import mailintake
from mailintake.outbox.compose import templates_dir
failed = []
for module in pkgutil.walk_packages(mailintake.__path__, "mailintake."):
    if module.name.endswith("migrations.env"):  # an Alembic script, run by Alembic only
        continue
    try:
        importlib.import_module(module.name)
    except Exception as exc:
        failed.append(f"{module.name}: {type(exc).__name__}: {exc}")
print(mailintake.__file__)
print(templates_dir())
print("\\n".join(failed) or "all modules import", file=sys.stderr)
sys.exit(1 if failed else 0)
"""


def run(command: list, **kwargs) -> subprocess.CompletedProcess:
    """Run a step; when it fails, the assertion shows the child's stdout and stderr."""
    done = subprocess.run([str(c) for c in command], capture_output=True, text=True, timeout=900, **kwargs)
    assert done.returncode == 0, (
        f"{' '.join(map(str, command))} exited {done.returncode}\n--- stdout\n{done.stdout}\n--- stderr\n{done.stderr}"
    )
    return done


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", out, ROOT])
    [built] = out.glob("mailintake-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """A fresh venv (no system site packages) with the wheel and its declared dependencies only."""
    env_dir = tmp_path_factory.mktemp("venv")
    venv.EnvBuilder(system_site_packages=False, with_pip=True, clear=True).create(env_dir)
    run([env_dir / "bin" / "python", "-m", "pip", "install", "-q", "--disable-pip-version-check", wheel])
    return env_dir


def test_wheel_ships_templates_and_migrations_and_no_tooling(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert "mailintake/templates/acknowledgement/nl/acknowledgement.txt" in names
    assert "mailintake/store/migrations/env.py" in names
    assert any(n.startswith("mailintake/store/migrations/versions/0001") for n in names)
    assert any(n.startswith("mailintake/triage/") and n.endswith(".toml") for n in names)
    assert any(n.endswith("entry_points.txt") for n in names)
    assert not [n for n in names if n.startswith(("devkit/", "tests/")) or "/devmail" in n or "/bench" in n]


def test_every_installed_module_imports_without_extras(installed, tmp_path):
    done = run([installed / "bin" / "python", "-c", PROBE], cwd=tmp_path)
    package_file, templates = done.stdout.split()
    assert str(installed) in package_file and str(installed) in templates
    assert "all modules import" in done.stderr
    extras = run([installed / "bin" / "python", "-m", "pip", "list", "--format=freeze"]).stdout.lower()
    assert "aiosmtpd" not in extras and "pytest" not in extras  # really without the test extras


def test_installed_command_helps_upgrades_and_parses(installed, tmp_path):
    command = installed / "bin" / "mailintake"
    assert "poll" in run([command, "--help"], cwd=tmp_path).stdout
    config = tmp_path / "config.toml"
    config.write_text(f'[database]\nurl = "sqlite:///{tmp_path}/m.sqlite"\n')
    assert '"schema"' in run([command, "--config", config, "db", "upgrade"], cwd=tmp_path).stdout
    parsed = run([command, "parse", MAILS / "intake" / "nl-stad-afvalophaling.eml"], cwd=tmp_path).stdout
    assert '"subject"' in parsed
