"""`mailintake evaluate FOLDER`: score triage against FOLDER/labels.json.

Prints accuracy for kind, service (over messages labelled complaint) and language,
precision/recall/F1 per flag for the asserted flags (what a citizen may be told), the recall
of asserted and uncertain flags together (what staff are shown), case references, reply
addresses where labelled, the count of non-human mail classified as complaint, and every
miss. Entries marked `ambiguous` are listed but left out of the scores.

Given several folders, it ends with one line per folder and the gap between them: rules tuned
on one set and measured on another show there how well they generalise.
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
    """Asserted flags against the labels (tp/fp/fn), and the labelled flags found asserted or uncertain."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    shown: int = 0  # labelled flags that staff see, asserted or uncertain
    uncertain: int = 0  # flags proposed as uncertain, right or wrong

    @property
    def recall_shown(self) -> float:
        labelled = self.tp + self.fn
        return self.shown / labelled if labelled else 1.0

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
    asserted, uncertain = set(verdict.flag_names), set(verdict.uncertain_flag_names)
    for flag in FLAGS:
        wanted, got, doubted = flag in label["flags"], flag in asserted, flag in uncertain
        score = report.flags[flag]
        score.tp += wanted and got
        score.fp += got and not wanted
        score.fn += wanted and not got
        score.shown += wanted and (got or doubted)
        score.uncertain += doubted
        if wanted != got:
            report.misses.append(f"{name}: flag {flag} {_flag_miss(wanted, doubted)}{_why(verdict, flag)}")


def _flag_miss(wanted: bool, doubted: bool) -> str:
    if wanted:
        return "only uncertain" if doubted else "missed"
    return "spurious"


def _why(verdict: Verdict, flag: str) -> str:
    found = verdict.flag(flag)
    if not found or not found.evidence:
        return ""
    return f" [{found.evidence[0].detail or found.evidence[0].text[:90]}]"


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
    out.write("flag (asserted)         precision  recall  F1     (tp/fp/fn)   recall with uncertain  (uncertain)\n")
    for name, score in report.flags.items():
        p, r, f = score.scores()
        out.write(f"{name:<24}{p:>9.3f}{r:>8.3f}{f:>7.3f}     ({score.tp}/{score.fp}/{score.fn})"
                  f"{score.recall_shown:>14.3f}          ({score.uncertain})\n")
    out.write(f"misses ({len(report.misses)}):\n")
    for miss in report.misses:
        out.write(f"  {miss}\n")
    out.write(f"ambiguous, not scored ({len(report.ambiguous)}):\n")
    for line in report.ambiguous:
        out.write(f"  {line}\n")


def _fraction(tally: Tally) -> float:
    return tally.right / tally.total if tally.total else 1.0


def summary_row(report: Report) -> dict[str, float]:
    """The figures that decide whether triage is good enough, one number each."""
    row = {"kind": _fraction(report.kind), "service": _fraction(report.service),
           "reply address": _fraction(report.reply_address)}
    for name, score in report.flags.items():
        p, _, f = score.scores()
        row[f"{name} P"], row[f"{name} F1"], row[f"{name} R+u"] = p, f, score.recall_shown
    row["robots as complaint"] = float(len(report.robots_as_complaint))
    return row


def render_comparison(rows: dict[str, dict[str, float]], out: IO[str]) -> None:
    """One column per folder, and the gap (highest minus lowest) per figure."""
    names = list(rows)
    width = max(12, *(len(Path(n).name) for n in names))
    out.write("\ncomparison" + " " * 28 + "".join(f"{Path(n).name:>{width}}" for n in names) + f"{'gap':>{width}}\n")
    for key in next(iter(rows.values())):
        values = [rows[n][key] for n in names]
        cells = "".join(f"{v:>{width}.3f}" if key != "robots as complaint" else f"{v:>{width}.0f}" for v in values)
        out.write(f"{key:<38}{cells}{max(values) - min(values):>{width}.3f}\n")


def run_evaluate(folders: str | list[str], out: IO[str], settings: TriageSettings | None = None) -> int:
    """Print the evaluation of triage on each folder (and their comparison when several);
    0 on success, 1 when a labels.json is missing."""
    folders = [folders] if isinstance(folders, str) else folders
    missing = [f for f in folders if not (Path(f) / "labels.json").is_file()]
    if missing:
        out.write(f"no labels.json in {missing[0]}\n")
        return 1
    rows = {}
    for folder in folders:
        report = evaluate(folder, settings)
        if len(folders) > 1:
            out.write(f"== {folder}\n")
        render(report, out)
        rows[folder] = summary_row(report)
    if len(folders) > 1:
        render_comparison(rows, out)
    return 0
