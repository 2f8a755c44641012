"""`python -m devkit.jobs_bench --cases N`: seconds and peak RSS of the year jobs over N generated cases.

Fills a throw-away database with `devkit.yeargen` (2,000 contacts a year, the
years up to this one), then runs each job as the real CLI in a child process
and reads its peak RSS from the kernel (`wait4`): the annual report (HTML,
PDF) of last year, `cases list --json`, a retention dry run, the retention run
(the first one, over the whole backlog), the next day's run, and the erasure of
one address. `--postgres-url URL` uses that (empty, throw-away) PostgreSQL
database instead of SQLite; `--template PATH` keeps the filled SQLite file
there and starts from a copy of it next time. A benchmark: it prints a table
and, last, one JSON line; nothing asserts.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from .harness import mailintake_command, run_cli, write_config

PER_YEAR = 2000
SEED = 16
GOALS = {"report_html": (5, 200), "report_pdf": (5, 200), "cases_list_json": (None, 150),
         "retention_dry_run": (10, None), "retention": (600, None), "retention_daily": (60, None),
         "erase_address": (2, None)}


def config_for(folder: Path, url: str) -> Path:
    data = {"mailbox": {"host": "127.0.0.1", "username": "bench", "password_env": "MAILINTAKE_BENCH_UNUSED"},
            "database": {"url": url}}
    return write_config(folder / "config.toml", data)


def fill(config_path: Path, cases: int, now: datetime) -> None:
    """`cases` generated contacts, PER_YEAR a year, in the years up to `now`'s."""
    from devkit.yeargen import generate_year
    from mailintake.config.loading import load
    from mailintake.store.database import Database

    config = load(config_path)
    database = Database(config.database.url)
    years = max(1, round(cases / PER_YEAR))
    for year in range(now.year - years + 1, now.year + 1):
        with database.unit_of_work() as session:
            generate_year(session, config, year, SEED, cases=cases // years, now=now)
        print(f"  filled {year}", file=sys.stderr, flush=True)
    database.dispose()


def some_address(url: str, now: datetime) -> str:
    """The sender of a recent case, which retention leaves alone."""
    from sqlalchemy import select

    from mailintake.store.database import Database
    from mailintake.store.models import Case

    database = Database(url)
    with database.unit_of_work() as session:
        address = session.scalar(select(Case.sender_address).where(Case.year == now.year).order_by(Case.id).limit(1))
    database.dispose()
    return address


def timed(config: Path, *args: str, cwd: Path) -> dict:
    """Run one CLI command; its wall seconds and peak RSS (MB), from the kernel's accounting of the child."""
    with open(cwd / "out.bin", "wb") as out:
        started = time.perf_counter()
        child = subprocess.Popen(mailintake_command(config, *args), stdout=out, stderr=subprocess.PIPE, cwd=cwd)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
    error = child.stderr.read().decode(errors="replace")
    child.stderr.close()
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"mailintake {' '.join(args)} exited {child.returncode}: {error[-2000:]}")
    return {"seconds": round(seconds, 2), "max_rss_mb": round(usage.ru_maxrss / 1024, 1)}


def run_jobs(config: Path, url: str, now: datetime, cwd: Path) -> dict:
    year = str(now.year - 1)
    address = some_address(url, now)
    return {
        "report_html": timed(config, "report", "--year", year, "--format", "html", "--out", "r.html", cwd=cwd),
        "report_pdf": timed(config, "report", "--year", year, "--format", "pdf", "--out", "r.pdf", cwd=cwd),
        "cases_list_json": timed(config, "cases", "list", "--json", cwd=cwd),
        "retention_dry_run": timed(config, "retention", "run", "--dry-run", cwd=cwd),
        "retention": timed(config, "retention", "run", cwd=cwd),
        "retention_daily": timed(config, "retention", "run", cwd=cwd),
        "erase_address": timed(config, "erase", "--address", address, cwd=cwd),
    }


def prepare(folder: Path, cases: int, now: datetime, postgres_url: str | None, template: Path | None) -> tuple:
    """The config and database URL of a filled database (from `template` when it exists)."""
    url = postgres_url or f"sqlite:///{folder / 'bench.sqlite'}"
    config = config_for(folder, url)
    if template and template.exists() and not postgres_url:
        shutil.copyfile(template, folder / "bench.sqlite")
        run_cli(config, "db", "upgrade")
        return config, url
    run_cli(config, "db", "upgrade")
    started = time.perf_counter()
    fill(config, cases, now)
    print(f"filled {cases} cases in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    if template and not postgres_url:
        shutil.copyfile(folder / "bench.sqlite", template)
    return config, url


def table(jobs: dict) -> str:
    lines = [f"{'job':<20} {'seconds':>9} {'max RSS MB':>11}   goal"]
    for name, figures in jobs.items():
        seconds, mb = GOALS.get(name, (None, None))
        goal = " ".join(g for g in (f"≤ {seconds} s" if seconds else "", f"≤ {mb} MB" if mb else "") if g)
        lines.append(f"{name:<20} {figures['seconds']:>9.2f} {figures['max_rss_mb']:>11.1f}   {goal}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--postgres-url", help="an empty, throw-away PostgreSQL database to fill")
    parser.add_argument("--template", type=Path, help="keep the filled SQLite file here; reuse it when present")
    args = parser.parse_args(argv)
    now = datetime.now(timezone.utc)
    with tempfile.TemporaryDirectory(prefix="jobs-bench-") as tmp:
        folder = Path(tmp)
        config, url = prepare(folder, args.cases, now, args.postgres_url, args.template)
        jobs = run_jobs(config, url, now, folder)
    print(table(jobs))
    database = "postgresql" if args.postgres_url else "sqlite"
    print(json.dumps({"cases": args.cases, "database": database, "jobs": jobs}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
