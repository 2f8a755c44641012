"""Draw the README's report chart (complaints per month, year against the year before) from a database.

    python -m devkit.report_chart demo-run/config.toml 2025

Writes docs/report-per-month.png and docs/report-page.png (page 2 of the PDF, via pdftoppm).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from mailintake.config import load
from mailintake.store.database import Database
from mailintake.year.report import make_report, render
from mailintake.year.report.charts import png_chart
from mailintake.year.report.render import CHARTED

OUT = Path(__file__).resolve().parents[1] / "docs"


def main(config_path: str, year: str) -> int:
    config = load(Path(config_path))
    with Database(config.database.resolved_url()).unit_of_work() as session:
        report = make_report(session, config, int(year))
    png_chart(report.tables.table("maand"), report.tables.min_count, OUT / "report-per-month.png", **CHARTED["maand"])
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "report.pdf"
        pdf.write_bytes(render(report, "pdf"))
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "2", "-l", "2", "-singlefile", str(pdf),
                        str(OUT / "report-page")], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
