"""The aggregate tables of the annual report, counted from anonymous `CaseFact`s, with small counts hidden.

What is counted where (the report states it too):
- intake (contacts, channel, month, service, theme): cases *received* in the year;
- admissibility, its reasons, redirections: decisions *taken* in the year;
- outcomes, resolved, ombudsnormen, handling time, recommendations: complaints
  *closed* in the year after being handled (status closed);
- open at year end: received by 31 December and not closed by then.
So a finished year's report does not change afterwards, also not when its
cases are erased.

Counts from 1 to `min_count - 1` are shown as "<min_count". In a table with a
total, a single hidden count in a column could be worked out from the total,
so the smallest other count in that column is hidden as well, shown as "x".
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Iterable

from ...domain import OTHER_SERVICE, SERVICE_CHOICES, UNKNOWN_SERVICE
from ...review.choices import CHANNELS, DECLINE_REASONS, OMBUDSNORMEN, OUTCOMES
from ..casefacts import CaseFact

MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
          "november", "december")
HANDLING_BINS = ((0, 15, "0–15 dagen"), (16, 30, "16–30 dagen"), (31, 45, "31–45 dagen"), (46, 60, "46–60 dagen"),
                 (61, 90, "61–90 dagen"), (91, None, "meer dan 90 dagen"))
RESOLVED = {True: "opgelost", False: "niet opgelost", None: "niet vastgelegd"}


SECONDARY = "x"  # a count hidden only because it would reveal another, hidden count


@dataclass
class Cell:
    value: int | None  # None: not applicable (no data for that year)
    hidden: bool = False  # a small count, or (secondary) one that would reveal a small count
    secondary: bool = False

    def shown(self, min_count: int) -> str:
        if self.value is None:
            return "–"
        if self.secondary:
            return SECONDARY
        return f"<{min_count}" if self.hidden else str(self.value)


@dataclass
class Row:
    label: str
    cells: dict[int, Cell]  # year -> cell
    is_total: bool = False


@dataclass
class Table:
    key: str  # stable name, the CSV's first column
    title: str
    basis: str  # what is counted, one Dutch sentence
    rows: list[Row]
    years: tuple[int, ...]

    def row(self, label: str) -> Row:
        return next(r for r in self.rows if r.label == label)

    def value(self, label: str, year: int) -> int | None:
        return self.row(label).cells[year].value


@dataclass
class HandlingTime:
    year: int
    count: int
    median: float | None
    mean: float | None
    in_time_share: float | None  # 0..1
    hidden: bool


@dataclass
class Tables:
    year: int
    years: tuple[int, ...]  # the year and, where data exists, the year before
    min_count: int
    tables: list[Table] = field(default_factory=list)
    handling: dict[int, HandlingTime] = field(default_factory=dict)
    recommendations: list[tuple[str, str]] = field(default_factory=list)  # (service label, text)

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)


def build_tables(facts: list[CaseFact], year: int, min_count: int, *, open_at_end: dict[int, int] | None = None,
                 themes: list[str] | None = None) -> Tables:
    """The tables of `year` from `facts` (those of the year and the year before suffice, given the files
    `open_at_end` of each year and all `themes` so far; without them, both are counted from `facts`)."""
    years = (year, year - 1) if _has_data(facts, year - 1) else (year,)
    if open_at_end is None:
        open_at_end = {y: sum(1 for f in facts if f.open_at_end_of(y)) for y in years}
    result = Tables(year, years, min_count)
    add = result.tables.append
    add(_key_figures(facts, years, min_count, open_at_end))
    add(_counted("kanaal", "Kanaal", "Alle contacten ontvangen in het jaar.", facts, years, min_count,
                 lambda f, y: f.year == y, lambda f: [f.channel], CHANNELS))
    add(_counted("maand", "Klachten per maand", "Klachten ontvangen in het jaar, per maand van ontvangst.",
                 facts, years, min_count, _complaint_received, lambda f: [f.month],
                 {m: MONTHS[m - 1] for m in range(1, 13)}))
    add(_counted("dienst", "Klachten per dienst", "Klachten ontvangen in het jaar, per betrokken dienst.",
                 facts, years, min_count, _complaint_received, lambda f: [f.service or UNKNOWN_SERVICE], SERVICE_CHOICES))
    add(_counted("thema", "Klachten per thema",
                 "Klachten ontvangen in het jaar; een klacht kan meer dan één thema hebben.", facts, years,
                 min_count, _complaint_received, lambda f: list(f.themes), _themes(facts, themes), total=False))
    add(_counted("ontvankelijkheid", "Ontvankelijkheid", "Beslissingen over de ontvankelijkheid genomen in het jaar.",
                 facts, years, min_count, _decided, lambda f: [f.admissible],
                 {True: "ontvankelijk", False: "onontvankelijk"}))
    add(_counted("reden", "Redenen van onontvankelijkheid",
                 "Klachten die in het jaar onontvankelijk verklaard of doorverwezen werden.", facts, years,
                 min_count, lambda f, y: _decided(f, y) and f.admissible is False,
                 lambda f: [f.decline_reason or "not_competent"], _without(DECLINE_REASONS, "not_a_complaint")))
    add(_counted("doorverwezen", "Doorverwezen naar de eerste lijn",
                 "Klachten die in het jaar naar de eerstelijnsklachtenbehandeling van de dienst gingen.", facts,
                 years, min_count, lambda f, y: _decided(f, y) and f.status == "redirected",
                 lambda f: [f.redirected_to or OTHER_SERVICE], _without(SERVICE_CHOICES, UNKNOWN_SERVICE)))
    add(_counted("uitkomst", "Uitkomst", "Ontvankelijke klachten afgesloten in het jaar.", facts, years,
                 min_count, _handled, lambda f: [f.outcome], OUTCOMES))
    add(_counted("opgelost", "Opgelost", "Ontvankelijke klachten afgesloten in het jaar.", facts, years,
                 min_count, _handled, lambda f: [f.resolved], RESOLVED))
    add(_counted("ombudsnorm", "Geschonden ombudsnormen",
                 "Ontvankelijke klachten afgesloten in het jaar; een klacht kan meer normen schenden.", facts,
                 years, min_count, _handled, lambda f: list(f.norms), OMBUDSNORMEN, total=False))
    add(_counted("behandelingstijd", "Behandelingstijd",
                 "Ontvankelijke klachten afgesloten in het jaar, naar dagen tussen ontvangst en afsluiting.",
                 facts, years, min_count, _handled, lambda f: [_bin(f.handling_days)],
                 {label: label for _, _, label in HANDLING_BINS}))
    result.handling = {y: _handling_time(facts, y, min_count) for y in years}
    result.recommendations = _recommendations(facts, year)
    return result


# --- what counts for a year -------------------------------------------------------------------

def _has_data(facts: Iterable[CaseFact], year: int) -> bool:
    return any(f.year == year or f.closed_year == year or f.decided_year == year for f in facts)


def _complaint_received(fact: CaseFact, year: int) -> bool:
    return fact.year == year and fact.complaint


def _decided(fact: CaseFact, year: int) -> bool:
    return fact.decided_year == year and fact.admissible is not None


def _handled(fact: CaseFact, year: int) -> bool:
    return fact.closed_year == year and fact.status == "closed"


def _bin(days: int | None) -> str:
    days = max(days or 0, 0)
    return next(label for low, high, label in HANDLING_BINS if low <= days and (high is None or days <= high))


def _themes(facts: Iterable[CaseFact], known: list[str] | None) -> dict:
    found = sorted({t for f in facts for t in f.themes} if known is None else known)
    return {t: t for t in found}


def _without(labels: dict, *keys) -> dict:
    return {k: v for k, v in labels.items() if k not in keys}


# --- tables -----------------------------------------------------------------------------------

def _key_figures(facts: list[CaseFact], years: tuple[int, ...], min_count: int, open_at_end: dict[int, int]) -> Table:
    measures = (
        ("contacten", lambda f, y: f.year == y),
        ("klachten", _complaint_received),
        ("klachten binnen de bevoegdheid", lambda f, y: _complaint_received(f, y) and f.decline_reason != "not_competent"),
    )
    rows = [Row(label, {y: Cell(sum(1 for f in facts if test(f, y))) for y in years}) for label, test in measures]
    rows.append(Row("dossiers open op 31 december", {y: Cell(open_at_end[y]) for y in years}))
    table = Table("kerncijfers", "Kerncijfers",
                  "Contacten en klachten ontvangen in het jaar; open dossiers op het einde van het jaar.", rows, years)
    _hide_small(table, min_count, with_total=False)
    return table


def _counted(key: str, title: str, basis: str, facts: list[CaseFact], years: tuple[int, ...], min_count: int,
             belongs: Callable[[CaseFact, int], bool], values: Callable[[CaseFact], list], labels: dict,
             total: bool = True) -> Table:
    """One row per label (in the labels' order), a count per year, and a total row."""
    counts = {y: Counter(v for f in facts if belongs(f, y) for v in values(f)) for y in years}
    extra = [k for y in years for k in counts[y] if k not in labels]  # values no longer in the fixed lists
    rows = [Row(str(labels.get(k, k)), {y: Cell(counts[y][k]) for y in years}) for k in [*labels, *dict.fromkeys(extra)]]
    if total:
        rows.append(Row("totaal", {y: Cell(sum(1 for f in facts if belongs(f, y))) for y in years}, is_total=True))
    table = Table(key, title, basis, rows, years)
    _hide_small(table, min_count, with_total=total)
    return table


def _hide_small(table: Table, min_count: int, with_total: bool) -> None:
    for year in table.years:
        cells = [r.cells[year] for r in table.rows if not r.is_total]
        for cell in cells + [r.cells[year] for r in table.rows if r.is_total]:
            cell.hidden = cell.value is not None and 0 < cell.value < min_count
        hidden = [c for c in cells if c.hidden]
        if with_total and len(hidden) == 1:
            others = sorted((c for c in cells if not c.hidden and c.value), key=lambda c: c.value)
            if others:
                others[0].hidden = others[0].secondary = True


def _handling_time(facts: list[CaseFact], year: int, min_count: int) -> HandlingTime:
    done = [f for f in facts if _handled(f, year) and f.handling_days is not None]
    days = [f.handling_days for f in done]
    if not days:
        return HandlingTime(year, 0, None, None, None, hidden=False)
    return HandlingTime(
        year, len(days), float(statistics.median(days)), statistics.fmean(days),
        sum(1 for f in done if f.in_time) / len(done), hidden=len(days) < min_count,
    )


def _recommendations(facts: list[CaseFact], year: int) -> list[tuple[str, str]]:
    found = {(SERVICE_CHOICES.get(f.service or UNKNOWN_SERVICE, SERVICE_CHOICES[OTHER_SERVICE]), f.recommendation.strip())
             for f in facts if _handled(f, year) and f.recommendation and f.recommendation.strip()}
    return sorted(found)
