"""Triage over .eml files: the work behind `mailintake triage PATH...` and the benchmarks.

`run_triage` prints one JSON object per line per .eml file; the reference date of each
message is its own Date header. No configuration file is needed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import IO, Iterable

from ..mail.parsing import parse
from .core import triage
from .model import TriageSettings, Verdict


def eml_files(paths: Iterable[str]) -> list[Path]:
    """Files as given, folders expanded to their .eml files (sorted, not recursive into hidden)."""
    result: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            result.extend(sorted(p for p in path.rglob("*.eml") if p.is_file()))
        else:
            result.append(path)
    return result


def line_for(file: str, verdict: Verdict) -> dict:
    """The CLI's JSON object for one file (the contract of `mailintake triage`)."""
    return {
        "file": file,
        "kind": verdict.kind,
        "service": verdict.service,
        "confidence": round(verdict.confidence, 3),
        "flags": [f.name for f in verdict.flags],
        "uncertain_flags": [f.name for f in verdict.uncertain_flags],
        "evidence": {f.name: [e.to_json() for e in f.evidence] for f in verdict.flags + verdict.uncertain_flags},
        "language": verdict.language,
        "case_ref": verdict.case_ref,
        "reply_address": verdict.reply_address,
    }


def run_triage(paths: list[str], out: IO[str], settings: TriageSettings | None = None) -> int:
    """Triage each .eml file under `paths`; return 0, or 1 when a path could not be read."""
    status = 0
    for path in eml_files(paths):
        try:
            raw = path.read_bytes()
        except OSError as exc:
            out.write(json.dumps({"file": str(path), "error": str(exc)}) + "\n")
            status = 1
            continue
        verdict = triage(parse(raw), settings=settings)
        out.write(json.dumps(line_for(str(path), verdict), ensure_ascii=False) + "\n")
    return status
