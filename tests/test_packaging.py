"""`pip install .` (a real wheel, not an editable install) yields a working program."""

from __future__ import annotations

import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
        check=True, capture_output=True, timeout=600,
    )
    [built] = out.glob("mailintake-*.whl")
    return built


def test_wheel_ships_templates_and_migrations(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert "mailintake/templates/acknowledgement/nl/acknowledgement.txt" in names
    assert "mailintake/migrations/env.py" in names
    assert any(n.startswith("mailintake/migrations/versions/0001") for n in names)
    assert any(n.startswith("mailintake/triage/") and n.endswith(".toml") for n in names)
    assert any(n.endswith("entry_points.txt") for n in names)


def test_installed_wheel_works_without_the_source_tree(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(system_site_packages=True, with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "-q", str(wheel)],
        check=True, capture_output=True, timeout=600,
    )
    probe = (
        "import mailintake, mailintake.acknowledgements as a; "
        "print(mailintake.__file__); print(a.templates_dir())"
    )
    done = subprocess.run([str(python), "-c", probe], cwd=tmp_path, capture_output=True, text=True, check=True)
    package_file, templates = done.stdout.split()
    assert str(env_dir) in package_file and str(env_dir) in templates

    config = tmp_path / "config.toml"
    config.write_text(f'[database]\nurl = "sqlite:///{tmp_path}/m.sqlite"\n')
    upgraded = subprocess.run(
        [str(env_dir / "bin" / "mailintake"), "--config", str(config), "db", "upgrade"],
        cwd=tmp_path, capture_output=True, text=True,
    )
    assert upgraded.returncode == 0, upgraded.stderr
    assert '"schema"' in upgraded.stdout
