"""The annual report: its numbers against independent counts of a generated year, anonymity in every format."""

from __future__ import annotations

import base64
import csv
import io
import re

import pytest

from mailintake.domain import SERVICE_CHOICES as SERVICES
from mailintake.review.choices import CHANNELS, DECLINE_REASONS, OMBUDSNORMEN, OUTCOMES
from mailintake.year.casefacts import CaseFact
from mailintake.year.report import make_report, render
from mailintake.year.report.tables import MONTHS, RESOLVED, build_tables
from tests.support.yearkit import expected, found_in, generate, identifiers, number_cells, pdf_pages, pdf_text


def report_of(world, year):
    with world.database.unit_of_work() as session:
        return make_report(session, world.config, year)


def by_label(table, year, labels: dict) -> dict:
    """{key: count} of a table column, keys mapped back from the Dutch labels."""
    back = {label: key for key, label in labels.items()}
    return {back[r.label]: r.cells[year].value for r in table.rows if not r.is_total and r.cells[year].value}


def test_report_numbers_match_independent_counts(make_world):
    world = make_world(report={"min_count": 1})
    plans = generate(world)
    tables = report_of(world, 2025).tables
    assert tables.years == (2025, 2024)
    for year in (2025, 2024):
        want = expected(plans, year)
        key = tables.table("kerncijfers")
        assert key.value("contacten", year) == want["contacts"] > 150
        assert key.value("klachten", year) == want["complaints"]
        assert key.value("klachten binnen de bevoegdheid", year) == want["within_competence"]
        assert key.value("dossiers open op 31 december", year) == want["open_at_end"]
        assert by_label(tables.table("kanaal"), year, CHANNELS) == dict(want["channel"])
        assert by_label(tables.table("maand"), year, {m: MONTHS[m - 1] for m in range(1, 13)}) == dict(want["month"])
        assert by_label(tables.table("dienst"), year, SERVICES) == dict(want["service"])
        assert by_label(tables.table("thema"), year, {t: t for t in world.config.review.themes}) == dict(want["theme"])
        assert by_label(tables.table("ontvankelijkheid"), year, {True: "ontvankelijk", False: "onontvankelijk"}) \
            == dict(want["admissible"])
        assert by_label(tables.table("reden"), year, DECLINE_REASONS) == dict(want["reason"])
        assert by_label(tables.table("doorverwezen"), year, SERVICES) == dict(want["redirected"])
        assert by_label(tables.table("uitkomst"), year, OUTCOMES) == dict(want["outcome"])
        assert by_label(tables.table("opgelost"), year, RESOLVED) == {k: v for k, v in want["resolved"].items() if v}
        assert by_label(tables.table("ombudsnorm"), year, OMBUDSNORMEN) == dict(want["norm"])
        handling = tables.handling[year]
        assert handling.count == want["handled"] == tables.table("behandelingstijd").value("totaal", year)
        assert handling.median == pytest.approx(want["median"])
        assert handling.mean == pytest.approx(want["mean"])
        assert handling.in_time_share == pytest.approx(want["in_time"] / want["handled"])
    assert 0 < want["open_at_end"]  # the generator leaves work open at year end


def test_year_without_a_previous_year_has_one_column(world):
    generate(world, years=(2025,), cases=60)
    tables = report_of(world, 2025).tables
    assert tables.years == (2025,)
    assert "vergeleken met" not in render(report_of(world, 2025), "html").decode()


def test_report_is_anonymous_in_every_format(world, tmp_path):
    plans = generate(world)
    report = report_of(world, 2025)
    html = render(report, "html").decode()
    charts = "".join(base64.b64decode(uri).decode() for uri in re.findall(r"data:image/svg\+xml;base64,([^\"]+)", html))
    outputs = {"html": html, "svg": charts, "csv": render(report, "csv").decode(),
               "pdf": pdf_text(render(report, "pdf"), tmp_path)}
    ids = identifiers(plans)
    last_names = {p.person.name.split(" ", 1)[1] for p in plans}
    for fmt, text in outputs.items():
        assert found_in(text, ids) == [], fmt
        assert [n for n in last_names if re.search(rf"\b{re.escape(n)}\b", text)] == [], fmt
        assert not re.search(r"[\w.]+@[\w.]+", text), fmt
    assert "Aanbevelingen" in html and "[…]" in html  # recommendations listed, with the name scrubbed out
    assert any(p.recommendation and "Mevrouw" in p.recommendation for p in plans if p.closed and p.closed.year == 2025)


def test_small_counts_are_hidden_in_every_format(world, tmp_path):
    generate(world, years=(2024, 2025), cases=40)
    report = report_of(world, 2025)
    html, text_csv = render(report, "html").decode(), render(report, "csv").decode()
    small = re.compile(r"^[12]$")
    assert [c for c in number_cells(html) if small.match(c)] == []
    rows = list(csv.reader(io.StringIO(text_csv)))
    assert rows[0] == ["tabel", "rij", "2025", "2024"]
    assert [r for r in rows[1:] if any(small.match(c) for c in r[2:])] == []
    assert "&lt;3" in html and "<3" in text_csv
    assert "<3" in pdf_text(render(report, "pdf"), tmp_path)
    # every hidden count really is small, and shown as "<3" (or "x" when hidden to protect another)
    for table in report.tables.tables:
        for row in table.rows:
            for cell in row.cells.values():
                if cell.hidden and not cell.secondary:
                    assert 0 < cell.value < 3


def fact(**values) -> CaseFact:
    base = dict(year=2025, month=1, channel="email", kind="complaint", status="draft", service="stad", admissible=None,
                decline_reason=None, redirected_to=None, decided_year=None, outcome=None, resolved=None,
                closed_year=None, handling_days=None, in_time=None, themes=(), norms=(), recommendation=None)
    return CaseFact(**{**base, **values})


def test_a_single_hidden_count_hides_one_more_so_the_total_does_not_give_it_away():
    facts = [fact(channel="email")] * 10 + [fact(channel="phone")] * 4 + [fact(channel="letter")] * 2
    channel = build_tables(facts, 2025, min_count=3).table("kanaal")
    shown = {r.label: r.cells[2025].shown(3) for r in channel.rows}
    assert shown == {"e-mail": "10", "brief": "<3", "telefoon": "x", "bezoek": "0", "webformulier": "0", "totaal": "16"}


def test_report_cli_writes_each_format(world):
    generate(world, years=(2025,), cases=60)
    for fmt, magic in (("html", b"<!DOCTYPE html>"), ("pdf", b"%PDF-"), ("csv", b"tabel,rij,2025")):
        out = world.tmp / f"verslag.{fmt}"
        done = world.cli_json("report", "--year", "2025", "--format", fmt, "--out", str(out))
        assert done["path"] == str(out) and out.read_bytes().startswith(magic)
    default = world.cli_json("report", "--year", "2025", "--format", "csv")
    assert (world.tmp / default["path"]).name == "jaarverslag-2025.csv"


def test_pdf_pages_render_as_images(world, tmp_path):
    generate(world, years=(2024, 2025), cases=120)
    pages = pdf_pages(render(report_of(world, 2025), "pdf"), tmp_path)
    assert len(pages) >= 3
    assert all(page.stat().st_size > 5000 for page in pages)  # drawn pages, not blank ones


def test_a_years_report_does_not_change_when_other_years_fill_the_archive(world):
    generate(world, years=(2024, 2025), cases=150)
    before = {fmt: render(report_of(world, 2025), fmt) for fmt in ("html", "csv")}
    # years that can hold no figure of 2025 or 2024: closed long before, or received after
    generate(world, years=(*range(2012, 2022), 2026), cases=150, seed=12)

    assert {fmt: render(report_of(world, 2025), fmt) for fmt in ("html", "csv")} == before


def test_the_report_read_through_indexes_is_the_report_of_all_facts(world):
    """The report of one year reads only that year and the one before; counted over every fact, it is the same."""
    from datetime import datetime, timezone

    from mailintake.review.audit import Actor
    from mailintake.year.casefacts import all_facts
    from mailintake.year.report import Report
    from mailintake.year.retention import run_retention

    generate(world, years=range(2018, 2027), cases=80)
    with world.database.unit_of_work() as session:  # the oldest years' cases become statistics
        assert run_retention(session, world.config, Actor("test"), now=datetime(2028, 6, 1, tzinfo=timezone.utc)).cases
    config = world.config
    for year in range(2019, 2027):
        with world.database.unit_of_work() as session:
            tables = build_tables(all_facts(session, config, up_to_year=year), year, config.report.min_count)
            reference = Report(tables=tables, office=config.office.name, handling_days=config.deadlines.handling_days,
                               working_days=config.deadlines.working_days)
            for fmt in ("html", "csv"):
                assert render(make_report(session, config, year), fmt) == render(reference, fmt), (year, fmt)
