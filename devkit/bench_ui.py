"""`python -m devkit.bench_ui --cases N` (`make bench-ui`): the staff pages and the year jobs at N cases.

Fills a throw-away database through the year generator (as `devkit.jobs_bench`), starts the real
`mailintake serve`, logs in over HTTP and times each page: 2 warm-ups, then p50/p95 over 20 requests.
Then the year jobs, each as the real CLI in a child process. Prints a table and, as its last line, one
JSON object: {"cases", "database", "pages": {name: {p50_ms, p95_ms}}, "jobs": {name: {seconds, max_rss_mb}}}.
A benchmark: nothing asserts; the goal is every page p95 ≤ 150 ms at 100,000 cases.
"""

from __future__ import annotations

import argparse
import json
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

import requests

from .harness import mailintake_command, run_cli
from .jobs_bench import prepare, run_jobs
from .jobs_bench import table as jobs_table

USER, PASSWORD = "bench", "een lang wachtwoord voor de bench"
WARM_UPS, REQUESTS = 2, 20
GOAL_P95_MS = 150
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(config: Path, cwd: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    server = subprocess.Popen(mailintake_command(config, "serve", "--port", str(port)), cwd=cwd,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            requests.get(f"{base}/login", timeout=2)
            return server, base
        except requests.ConnectionError:
            if server.poll() is not None:
                raise SystemExit(f"mailintake serve ended: {server.stderr.read().decode()[-2000:]}")
            time.sleep(0.1)  # waiting for the server to listen, not for a measurement
    raise SystemExit("mailintake serve did not start")


def log_in(base: str) -> requests.Session:
    session = requests.Session()
    token = _CSRF.search(session.get(f"{base}/login").text).group(1)
    answer = session.post(f"{base}/login", data={"csrf_token": token, "name": USER, "password": PASSWORD},
                          allow_redirects=False)
    if answer.status_code != 302:
        raise SystemExit(f"login failed: {answer.status_code}")
    return session


def sample(url: str) -> dict:
    """Facts to build the page list from: a reference, a surname, a common and a rare word, a case, the last page."""
    from sqlalchemy import create_engine, func, select

    from mailintake.store.models import Case

    engine = create_engine(url)
    with engine.connect() as connection:
        middle = connection.scalar(select(func.count()).select_from(Case)) // 2
        case = connection.execute(select(Case.ref, Case.public_id, Case.sender_name, Case.service)
                                  .order_by(Case.id).offset(middle).limit(1)).one()
    engine.dispose()
    surname = (case.sender_name or "Peeters").split()[-1]
    return {"ref": case.ref, "public_id": case.public_id, "surname": surname, "service": case.service or "stad"}


def pages(facts: dict) -> dict[str, str]:
    return {
        "queue": "/",
        "queue_by_service": f"/?status=all&service={facts['service']}",
        "queue_by_flag": "/?status=all&flag=stale_facts",
        "queue_by_status": "/?status=closed",
        "all_last_page": "/?status=all&last=1",
        "search_reference": f"/?status=all&q={facts['ref']}",
        "search_surname": f"/?status=all&q={facts['surname']}",
        "search_common_word": "/?status=all&q=klacht",
        "search_rare_word": "/?status=all&q=zzyzxqwerty",
        "case": f"/zaken/{facts['public_id']}",
        "quarantine": "/quarantaine",
        "skipped": "/overgeslagen",
        "audit_log": "/logboek",
    }


def time_page(session: requests.Session, url: str) -> dict:
    for _ in range(WARM_UPS):
        session.get(url).raise_for_status()
    times = []
    for _ in range(REQUESTS):
        started = time.perf_counter()
        session.get(url).raise_for_status()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {"p50_ms": round(statistics.median(times), 1), "p95_ms": round(times[int(len(times) * 0.95) - 1], 1)}


def time_pages(config: Path, url: str, cwd: Path) -> dict:
    run_cli(config, "users", "add", USER, "--role", "admin", input=PASSWORD + "\n")
    server, base = start_server(config, cwd)
    try:
        session = log_in(base)
        return {name: time_page(session, base + path) for name, path in pages(sample(url)).items()}
    finally:
        server.terminate()
        server.wait(timeout=30)


def pages_table(figures: dict) -> str:
    lines = [f"{'page':<20} {'p50 ms':>8} {'p95 ms':>8}   goal p95 ≤ {GOAL_P95_MS} ms"]
    for name, f in figures.items():
        lines.append(f"{name:<20} {f['p50_ms']:>8.1f} {f['p95_ms']:>8.1f}   {'met' if f['p95_ms'] <= GOAL_P95_MS else 'NOT met'}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--postgres-url", help="an empty, throw-away PostgreSQL database to fill")
    parser.add_argument("--template", type=Path, help="keep the filled SQLite file here; reuse it when present")
    parser.add_argument("--no-jobs", action="store_true", help="time the pages only")
    args = parser.parse_args(argv)
    now = datetime.now(timezone.utc)
    with tempfile.TemporaryDirectory(prefix="bench-ui-") as tmp:
        folder = Path(tmp)
        config, url = prepare(folder, args.cases, now, args.postgres_url, args.template)
        figures = time_pages(config, url, folder)
        jobs = {} if args.no_jobs else run_jobs(config, url, now, folder)
    print(pages_table(figures))
    if jobs:
        print(jobs_table(jobs))
    database = "postgresql" if args.postgres_url else "sqlite"
    print(json.dumps({"cases": args.cases, "database": database, "pages": figures, "jobs": jobs}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
