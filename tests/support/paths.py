"""Where test material lives: our own mails under tests/mails, the shared corpus and labelled sets under ../shared."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MAILS = ROOT / "tests" / "mails"
SHARED = Path(os.environ.get("MAILINTAKE_SHARED", ROOT.parent / "shared"))


def shared_path(*parts: str) -> Path:
    """A path under ../shared; the test is skipped where that material is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is not available")
    return path


def read_mail(name: str) -> bytes:
    return (MAILS / name).read_bytes()


OWN_TRIAGE_MAILS = MAILS / "triage"


def own_labels() -> list[dict]:
    """The labels of our own triage test mails (tests/mails/triage/labels.json)."""
    return json.loads((OWN_TRIAGE_MAILS / "labels.json").read_text("utf-8"))


# Our labelled sets besides tests/mails/triage: the held-out set and the blind sets, each measured once unseen
# (its README) and since kept as a guard; a new tests/mails/blindNN is picked up by every test that reads them.
BLIND_SETS = ("heldout", *sorted((p.name for p in MAILS.glob("blind*") if (p / "labels.json").is_file()),
                                 key=lambda name: int(name.removeprefix("blind"))))
LABELLED_FOLDERS = ("triage", *BLIND_SETS)
