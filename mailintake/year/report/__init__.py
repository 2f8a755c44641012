"""The anonymous annual report (jaarverslag) for the city council: HTML with charts, PDF, CSV.

>>> with database.unit_of_work() as session:
...     report = make_report(session, config, 2026)
>>> Path("jaarverslag-2026.pdf").write_bytes(render(report, "pdf"))

It reads only anonymous facts (`casefacts`): live cases and the statistical
records erased cases left behind, of the year and the year before, through
indexes (and two counts over the years before), so its cost follows the
year, not the archive. `tables` counts and hides small numbers,
`charts` draws, `render` writes the three formats.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from ...config import Config
from ..casefacts import year_facts
from .render import FORMATS, Report, render
from .tables import build_tables

__all__ = ["FORMATS", "Report", "make_report", "render"]


def make_report(session: Session, config: Config, year: int) -> Report:
    found = year_facts(session, config, year)  # a case received later counts for no figure of `year`
    tables = build_tables(found.facts, year, config.report.min_count, open_at_end=found.open_at_end,
                          themes=found.themes)
    return Report(tables=tables, office=config.office.name, handling_days=config.deadlines.handling_days,
                  working_days=config.deadlines.working_days)
