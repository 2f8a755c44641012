"""Fixtures for triage tests: our own labelled mails and the shared dev set (skipped if absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mailintake.mail.parsing import parse
from tests.support.paths import OWN_TRIAGE_MAILS, SHARED

DEV = SHARED / "eval" / "dev"


@pytest.fixture
def load():
    """Parse one of our test mails by file name."""
    return lambda name: parse((OWN_TRIAGE_MAILS / name).read_bytes())


@pytest.fixture
def dev_folder() -> Path:
    if not (DEV / "labels.json").is_file():
        pytest.skip("shared dev set absent")
    return DEV
