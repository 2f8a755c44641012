"""Fixtures for triage tests: our own labelled mails and the shared dev set (skipped if absent)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from mailintake.parsing import parse

ROOT = Path(__file__).resolve().parents[2]
OWN_MAILS = ROOT / "tests" / "mails" / "triage"
DEV = Path(os.environ.get("MAILINTAKE_SHARED", ROOT.parent / "shared")) / "eval" / "dev"


def own_labels() -> list[dict]:
    return json.loads((OWN_MAILS / "labels.json").read_text("utf-8"))


@pytest.fixture
def load():
    """Parse one of our test mails by file name."""
    return lambda name: parse((OWN_MAILS / name).read_bytes())


@pytest.fixture
def dev_folder() -> Path:
    if not (DEV / "labels.json").is_file():
        pytest.skip("shared dev set absent")
    return DEV
