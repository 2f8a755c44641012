"""Retention in batches: the same result whatever the batch size, and the write lock free between batches."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import MetaData, select

from mailintake.review.audit import Actor
from mailintake.store.models import AppSetting
from mailintake.year.report import make_report, render
from mailintake.year.retention import run_retention
from tests.support.yearkit import generate

from .test_retention import LATER, assert_blobs_consistent

ROBOT = Actor("test")
# uuid4, the moment of erasure and the generated mails' MIME boundaries differ between two generated worlds
RANDOM_COLUMNS = {"public_id", "erased_at"}
RANDOM = {"messages": {"raw", "sha256"}, "case_statistics": {"id"}}


def content(database) -> dict[str, list[tuple]]:
    """Every table's rows, sorted, without values chosen at random (statistics' ids follow the order of erasure)."""
    metadata = MetaData()
    metadata.reflect(database.engine)
    tables = {}
    with database.engine.connect() as connection:
        for table in metadata.sorted_tables:
            if table.name.startswith("case_search_"):  # FTS5's own segments: how they are laid out depends on the batches
                continue
            skip = RANDOM_COLUMNS | RANDOM.get(table.name, set())
            columns = [c for c in table.columns if c.name not in skip]
            rows = connection.execute(select(*columns)).all()
            if table.name == "audit_log":  # the run's own entry is stamped with the time it ran
                rows = [tuple(None if c.name == "at" and row.action == "retention" else v
                              for c, v in zip(columns, row)) for row in rows]
            tables[table.name] = sorted(rows, key=repr)
    return tables


def retained(world, batch: int) -> tuple[dict, dict, dict]:
    """(dry-run counts, counts, reports) of retention over the generated years, in batches of `batch`."""
    generate(world)
    with world.database.unit_of_work() as session:
        dry = run_retention(session, world.config, ROBOT, now=LATER, dry_run=True, batch=batch).counts()
    with world.database.unit_of_work() as session:
        done = run_retention(session, world.config, ROBOT, now=LATER, batch=batch).counts()
    with world.database.unit_of_work() as session:
        reports = {(y, f): render(make_report(session, world.config, y), f) for y in (2024, 2025) for f in ("csv", "html")}
    return dry, done, reports


@pytest.mark.parametrize("batch", [7, 60])
def test_many_small_batches_leave_the_same_database_and_reports_as_one(make_world, batch):
    whole, batched = make_world(), make_world()
    dry_one, one, reports_one = retained(whole, batch=100_000)
    dry_many, many, reports_many = retained(batched, batch=batch)

    assert one["cases"] > 10 * batch // 7 and one["blobs"] > 0
    assert many == one and dry_many == dry_one == {**one, "dry_run": True}
    assert reports_many == reports_one
    assert content(batched.database) == content(whole.database)
    assert_blobs_consistent(batched)


def test_another_connection_writes_between_batches(world):
    if world.database.engine.dialect.name != "sqlite":
        pytest.skip("the database-wide write lock is SQLite's")
    generate(world)
    path = world.database.engine.url.database
    written = []

    def write(name: str) -> None:
        other = sqlite3.connect(path, timeout=0, isolation_level=None)  # fails at once if the lock is taken
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute("INSERT INTO app_settings (key, value) VALUES (?, 'x')", (name,))
            other.execute("COMMIT")
        finally:
            other.close()
        written.append(name)

    with world.database.unit_of_work() as session:  # the check itself: a held transaction refuses the write
        session.execute(select(1))
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            write("during a transaction")

    with world.database.unit_of_work() as session:
        done = run_retention(session, world.config, ROBOT, now=LATER, batch=10,
                             after_batch=lambda result: write(f"batch {len(written)}"))

    assert len(written) >= done.cases // 10 > 5
    with world.database.unit_of_work() as session:
        kept = set(session.scalars(select(AppSetting.key).where(AppSetting.value == "x")))
    assert kept == set(written)
