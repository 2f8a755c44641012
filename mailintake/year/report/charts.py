"""The report's charts: matplotlib (Agg canvas, no display) drawn from the tables, returned as SVG text.

Charts show what the tables show: a hidden count ("<3") is drawn as a hatched
bar at the highest value it may have, labelled "<3", never as its real value.
"""

from __future__ import annotations

import functools
import io

from .tables import Table

CURRENT = "#1f5f8b"
PREVIOUS = "#a9c6de"
STYLE = {
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "svg.fonttype": "path",  # text as outlines: the same in every browser and in the PDF
    "svg.hashsalt": "mailintake",  # stable ids: the same data gives the same SVG
    "axes.spines.top": False,
    "axes.spines.right": False,
}


@functools.cache
def _figure_class():
    """matplotlib's Figure, imported on the first chart: it costs most of a second, and most commands draw none."""
    import matplotlib
    from matplotlib.figure import Figure  # no pyplot: no global figure state, safe in the web server's threads

    matplotlib.rcParams.update(STYLE)
    return Figure


def bar_chart(table: Table, min_count: int, **options) -> str:
    """The chart of `table` as SVG text (see `_bar_figure` for the options)."""
    return _svg(_bar_figure(table, min_count, **options))


def png_chart(table: Table, min_count: int, path, **options) -> None:
    """The same chart as a PNG file (the README shows one)."""
    fig = _bar_figure(table, min_count, **options)
    fig.savefig(path, format="png", dpi=110)


def _bar_figure(table: Table, min_count: int, *, horizontal: bool = False, short_labels: dict | None = None,
                skip_empty: bool = False):
    """Bars per row of `table` (total left out), the year next to the year before."""
    rows = [r for r in table.rows if not r.is_total]
    if skip_empty:
        rows = [r for r in rows if any(c.value for c in r.cells.values())]
    labels = [(short_labels or {}).get(r.label, r.label) for r in rows]
    years = table.years
    fig = _figure_class()(figsize=(7.0, 3.2 if not horizontal else 0.35 * len(rows) + 1.0))
    ax = fig.subplots()
    width = 0.8 / len(years)
    for index, year in enumerate(sorted(years)):
        cells = [r.cells[year] for r in rows]
        heights = [(min_count - 1) if c.hidden else (c.value or 0) for c in cells]
        offset = (index - (len(years) - 1) / 2) * width
        positions = [i + offset for i in range(len(rows))]
        color = CURRENT if year == table.years[0] else PREVIOUS
        draw = ax.barh if horizontal else ax.bar
        bars = draw(positions, heights, width * 0.95, color=color, label=str(year))
        for bar, cell in zip(bars, cells):
            if cell.hidden:
                bar.set_hatch("///")
                bar.set_facecolor("white")
                bar.set_edgecolor(color)
        if year == table.years[0]:
            ax.bar_label(bars, labels=[c.shown(min_count) if c.value else "" for c in cells], padding=2, fontsize=7)
    ticks = range(len(rows))
    if horizontal:
        ax.set_yticks(list(ticks), labels)
        ax.invert_yaxis()
        ax.set_xlabel("aantal")
    else:
        ax.set_xticks(list(ticks), labels, rotation=0 if len(rows) <= 6 else 45, ha="center" if len(rows) <= 6 else "right")
        ax.set_ylabel("aantal")
        if table.key == "behandelingstijd":
            ax.set_xlabel("dagen tussen ontvangst en afsluiting")
    if len(years) > 1:
        ax.legend(frameon=False, fontsize=8)
    ax.set_title(table.title, fontsize=10, loc="left")
    fig.tight_layout()
    return fig


def _svg(fig) -> str:
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": "mailintake"})
    return buffer.getvalue()
