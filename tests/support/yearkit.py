"""Helpers for the report and retention tests: a generated office year and independent counts of it.

The counts here are written straight from the generator's own plans (`Planned`)
and the definitions the report states, without the report's code.
"""

from __future__ import annotations

import re
import shutil
import statistics
import subprocess
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import MetaData, select

from devkit.yeargen import Planned, generate_year

NOW = datetime(2026, 3, 1, 12, tzinfo=timezone.utc)  # 2025 is over; some of its cases are still open


def generate(world, years=(2024, 2025), cases=220, seed=11, now=NOW) -> list[Planned]:
    plans = []
    with world.database.unit_of_work() as session:
        for year in years:
            plans += generate_year(session, world.config, year, seed, cases=cases, now=now)
    return plans


def expected(plans: list[Planned], year: int, handling_days: int = 45) -> dict:
    """Independent counts for `year`: {table key: {row key: count}}, and the handling-time figures."""
    received = [p for p in plans if p.received.year == year]
    complaints = [p for p in received if p.status not in ("not_complaint", "merged")]
    decided = [p for p in plans if p.decided and p.decided.year == year and p.admissible is not None]
    handled = [p for p in plans if p.closed and p.closed.year == year and p.status == "closed"]
    days = [(p.closed.date() - p.received.date()).days for p in handled]
    return {
        "contacts": len(received),
        "complaints": len(complaints),
        "within_competence": sum(1 for p in complaints if p.decline_reason != "not_competent"),
        "open_at_end": sum(1 for p in plans if p.received.year <= year and (p.closed is None or p.closed.year > year)),
        "channel": Counter(p.channel for p in received),
        "month": Counter(p.received.month for p in complaints),
        "service": Counter(p.service for p in complaints),
        "theme": Counter(t for p in complaints for t in p.themes),
        "admissible": Counter(p.admissible for p in decided),
        "reason": Counter(p.decline_reason for p in decided if p.admissible is False),
        "redirected": Counter(p.redirected_to for p in decided if p.status == "redirected"),
        "outcome": Counter(p.outcome for p in handled),
        "resolved": Counter(p.resolved for p in handled),
        "norm": Counter(n for p in handled for n in p.norms),
        "handled": len(handled),
        "median": statistics.median(days) if days else None,
        "mean": statistics.fmean(days) if days else None,
        "in_time": sum(1 for d in days if d <= handling_days),
    }


def identifiers(plans: list[Planned]) -> dict[str, set[str]]:
    """What could point to a person: names, addresses, references, postal addresses, phone numbers."""
    return {
        "name": {p.person.name for p in plans},
        "address": {p.person.address for p in plans},
        "ref": {p.ref for p in plans},
        "postal": {p.person.postal.split(",")[0] for p in plans},
        "phone": {p.person.phone for p in plans},
    }


def only_in(plans: list[Planned], others: list[Planned]) -> dict[str, set[str]]:
    """Identifiers of `plans` that none of `others` shares (names repeat between people)."""
    mine, theirs = identifiers(plans), identifiers(others)
    return {kind: values - theirs[kind] for kind, values in mine.items()}


def found_in(text: str, ids: dict[str, set[str]]) -> list[str]:
    """The identifiers that occur in `text` as whole words ("Naamsestraat 10" is not in "Naamsestraat 104")."""
    return [f"{kind}: {value}" for kind, values in ids.items() for value in values
            if re.search(rf"(?<![\w.]){re.escape(value)}(?![\w])", text, re.IGNORECASE)]


def database_text(database) -> str:
    """Every value in every table, as one text (bytes decoded), for scanning."""
    metadata = MetaData()
    metadata.reflect(database.engine)
    parts = []
    with database.engine.connect() as connection:
        for table in metadata.sorted_tables:
            for row in connection.execute(select(table)):
                for value in row:
                    if isinstance(value, (bytes, memoryview)):
                        parts.append(bytes(value).decode("latin-1"))
                    elif value is not None:
                        parts.append(str(value))
    return "\n".join(parts)


def pdf_text(pdf: bytes, tmp: Path) -> str:
    path = tmp / "report.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def pdf_pages(pdf: bytes, tmp: Path, resolution: int = 50) -> list[Path]:
    assert shutil.which("pdftoppm"), "pdftoppm missing: install Debian poppler-utils (make install does)"
    path = tmp / "report.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", str(resolution), "-png", str(path), str(tmp / "page")], check=True)
    return sorted(tmp.glob("page*.png"))


def number_cells(html: str) -> list[str]:
    return re.findall(r'<td class="num[^"]*">([^<]*)</td>', html)
