"""`mailintake evaluate FOLDER`: score triage against FOLDER/labels.json.

Prints accuracy for kind, service (over messages labelled complaint) and language,
precision/recall/F1 per flag (over messages labelled complaint), case references, reply
addresses where labelled, the count of non-human mail classified as complaint, and every
miss. Entries marked `ambiguous` are listed but left out of the scores.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from ..domain import COMPLAINT, FLAGS, ROBOT_KINDS
from ..mail.parsing import parse
from .core import triage
from .model import TriageSettings, Verdict


@dataclass
class Tally:
    right: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.right += ok
        self.total += 1

    def __str__(self) -> str:
        return f"{self.right / self.total:.3f} ({self.right}/{self.total})" if self.total else "n/a"


@dataclass
class FlagScore:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def scores(self) -> tuple[float, float, float]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f


@dataclass
class Report:
    kind: Tally = field(default_factory=Tally)
    service: Tally = field(default_factory=Tally)
    language: Tally = field(default_factory=Tally)
    case_ref: Tally = field(default_factory=Tally)
    reply_address: Tally = field(default_factory=Tally)
    flags: dict[str, FlagScore] = field(default_factory=lambda: {f: FlagScore() for f in FLAGS})
    robots_as_complaint: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)
    ambiguous: list[str] = field(default_factory=list)


def evaluate(folder: str | Path, settings: TriageSettings | None = None) -> Report:
    folder = Path(folder)
    labels = json.loads((folder / "labels.json").read_text("utf-8"))
    report = Report()
    for label in labels:
        verdict = triage(parse((folder / label["file"]).read_bytes()), settings=settings)
        if label.get("ambiguous"):
            report.ambiguous.append(f"{label['file']}: {_describe(verdict)}")
            continue
        _score(report, label, verdict)
    return report


def _score(report: Report, label: dict, verdict: Verdict) -> None:
    name = label["file"]
    _check(report, report.kind, name, "kind", label["kind"], verdict.kind)
    _check(report, report.language, name, "language", label["language"], verdict.language)
    _check(report, report.case_ref, name, "case_ref", label.get("case_ref"), verdict.case_ref)
    if label.get("reply_address"):
        _check(report, report.reply_address, name, "reply_address", label["reply_address"], verdict.reply_address)
    if label["kind"] in ROBOT_KINDS and verdict.kind == COMPLAINT:
        report.robots_as_complaint.append(name)
    if label["kind"] != COMPLAINT:
        return
    _check(report, report.service, name, "service", label["service"], verdict.service)
    predicted = set(verdict.flag_names)
    for flag in FLAGS:
        wanted, got = flag in label["flags"], flag in predicted
        score = report.flags[flag]
        score.tp += wanted and got
        score.fp += got and not wanted
        score.fn += wanted and not got
        if wanted != got:
            evidence = verdict.flag(flag)
            why = f" [{evidence.evidence[0].detail or evidence.evidence[0].text[:90]}]" if evidence and evidence.evidence else ""
            report.misses.append(f"{name}: flag {flag} {'missed' if wanted else 'spurious'}{why}")


def _check(report: Report, tally: Tally, name: str, what: str, wanted, got) -> None:
    tally.add(wanted == got)
    if wanted != got:
        report.misses.append(f"{name}: {what} expected {wanted!r}, got {got!r}")


def _describe(verdict: Verdict) -> str:
    return f"{verdict.kind} {verdict.service} {list(verdict.flag_names)}"


def render(report: Report, out: IO[str]) -> None:
    out.write(f"kind accuracy      {report.kind}\n")
    out.write(f"service accuracy   {report.service}   (messages labelled complaint)\n")
    out.write(f"language accuracy  {report.language}\n")
    out.write(f"case_ref accuracy  {report.case_ref}\n")
    out.write(f"reply address      {report.reply_address}   (where labelled)\n")
    out.write(f"non-human mail classified as complaint: {len(report.robots_as_complaint)} {report.robots_as_complaint}\n")
    out.write("flag                    precision  recall  F1     (tp/fp/fn)\n")
    for name, score in report.flags.items():
        p, r, f = score.scores()
        out.write(f"{name:<24}{p:>9.3f}{r:>8.3f}{f:>7.3f}     ({score.tp}/{score.fp}/{score.fn})\n")
    out.write(f"misses ({len(report.misses)}):\n")
    for miss in report.misses:
        out.write(f"  {miss}\n")
    out.write(f"ambiguous, not scored ({len(report.ambiguous)}):\n")
    for line in report.ambiguous:
        out.write(f"  {line}\n")


def run_evaluate(folder: str, out: IO[str], settings: TriageSettings | None = None) -> int:
    """Print the evaluation of triage on FOLDER; 0 on success, 1 when labels.json is missing."""
    if not (Path(folder) / "labels.json").is_file():
        out.write(f"no labels.json in {folder}\n")
        return 1
    render(evaluate(folder, settings), out)
    return 0
