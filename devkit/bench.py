"""`make bench` / `python -m devkit.bench`: measure the pipeline against its goals.

One run generates a seeded mix of messages, puts them in a throw-away local
Dovecot, and measures parse-only throughput (mail-parser alone, the
reference), end-to-end `poll --once` (start-up included) and its ratio to
parse-only, triage per message, arrival → acknowledgement latency with the
daemon on IDLE, and peak RSS while draining backlogs of different sizes. It
prints one table and writes the figures as JSON for run-to-run comparison.
Not a test: nothing here asserts.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import mailparser  # the reference: mail-parser alone

from mailintake.mail.parsing import parse
from mailintake.triage import TriageSettings, triage

from .devmail import LocalDovecot, SmtpSink
from .harness import DaemonProcess, local_config, mailintake_command, run_cli, write_config
from .mailgen import generate_messages

PASSWORD = "bench"
PASSWORD_ENV = "MAILINTAKE_BENCH_IMAP_PASSWORD"
ENV = {PASSWORD_ENV: PASSWORD}


@dataclass
class Figures:
    rows: list[tuple[str, str, str]] = field(default_factory=list)
    data: dict = field(default_factory=dict)

    def add(self, key: str, label: str, value: float, unit: str, fmt: str = "{:.1f}") -> None:
        self.data[key] = value
        self.rows.append((label, fmt.format(value), unit))


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    figures = Figures()
    figures.data["machine"] = machine()
    figures.data["args"] = vars(args)
    messages = real_messages(args.real, args.messages) if args.real else generate_messages(args.messages, seed=args.seed)
    figures.data["mail"] = "real: " + ", ".join(map(str, args.real)) if args.real else "generated mix"
    megabytes = sum(map(len, messages)) / 1e6
    figures.add("messages", "messages in the mix", len(messages), "", "{:.0f}")
    figures.add("megabytes", "size of the mix", megabytes, "MB", "{:.2f}")

    parse_rate = measure_parse_only(messages, figures)
    if "triage" not in args.skip:
        measure_triage(messages, figures)
    with tempfile.TemporaryDirectory(prefix="mailintake-bench-") as tmp:
        workdir = Path(tmp)
        os.chmod(workdir, 0o755)
        with LocalDovecot(workdir / "dovecot", users={}) as imap, SmtpSink() as smtp:
            for database in databases(args, workdir):
                label = database["label"]
                seconds, rss = drain(imap, smtp, workdir, database, messages, f"e2e_{label}")
                rate = len(messages) / seconds
                figures.add(f"e2e_{label}_msgs_per_s", f"end-to-end poll --once ({label})", rate, "msg/s")
                figures.add(f"e2e_{label}_mb_per_s", f"end-to-end poll --once ({label})", megabytes / seconds, "MB/s", "{:.2f}")
                figures.add(f"e2e_{label}_ratio", f"end-to-end / parse-only ({label})", rate / parse_rate, "x", "{:.2f}")
                figures.add(f"rss_{label}_{len(messages)}", f"peak RSS, backlog {len(messages)} ({label})", rss, "MB")
                for size in args.backlogs:
                    backlog = generate_messages(size, seed=args.seed + size)
                    _, rss = drain(imap, smtp, workdir, database, backlog, f"rss_{label}_{size}")
                    figures.add(f"rss_{label}_{size}", f"peak RSS, backlog {size} ({label})", rss, "MB")
                if "latency" not in args.skip:
                    measure_latency(imap, smtp, workdir, database, args, figures)
    print_table(figures)
    Path(args.json).write_text(json.dumps(figures.data, indent=2, default=str))
    print(f"\nfigures written to {args.json}")
    return 0


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python -m devkit.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=1000, help="size of the mixed backlog (default 1000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--backlogs", type=int, nargs="*", default=[10000], help="extra backlog sizes for peak RSS")
    parser.add_argument("--latency-samples", type=int, default=50)
    parser.add_argument("--postgres-url", default=os.environ.get("MAILINTAKE_BENCH_POSTGRES_URL", ""),
                        help="also run on this PostgreSQL database (it is emptied)")
    parser.add_argument("--real", type=Path, nargs="*", metavar="FOLDER",
                        help="real mail instead of the generated mix: the .eml files under these folders, "
                             "copied up to --messages (default: ../shared/corpus and both labelled sets)")
    parser.add_argument("--skip", nargs="*", default=[], choices=["triage", "latency"], help="measures to leave out")
    parser.add_argument("--json", default="bench-results.json")
    args = parser.parse_args(argv)
    if args.real == []:
        args.real = [Path(p) for p in REAL_MAIL]
    return args


REAL_MAIL = ("../shared/corpus", "../shared/eval/dev", "../shared/eval/dev2")


def real_messages(folders: list[Path], count: int) -> list[bytes]:
    """`count` messages cycling through the real mail under `folders`; each copy gets its own Message-ID
    and a header naming the copy, so no two are the same bytes (the intake would call those duplicates)."""
    files = sorted(path for folder in folders for path in folder.rglob("*.eml"))
    if not files:
        raise SystemExit(f"no .eml files under {', '.join(map(str, folders))}")
    originals = [path.read_bytes() for path in files]
    return [_distinct_copy(originals[index % len(originals)], index) for index in range(count)]


def _distinct_copy(raw: bytes, index: int) -> bytes:
    newline = b"\r\n" if b"\r\n" in raw[:4096] else b"\n"
    head, separator, body = raw.partition(newline * 2)
    kept = [line for line in head.split(newline) if not line.lower().startswith(b"message-id:")]
    unique = [b"X-Bench-Copy: %d" % index, b"Message-ID: <bench-copy-%d@bench.invalid>" % index]
    return newline.join(unique + kept) + separator + body


def machine() -> dict:
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
    }


def measure_parse_only(messages: list[bytes], figures: Figures) -> float:
    start = time.perf_counter()
    for raw in messages:
        mailparser.parse_from_bytes(raw)
    seconds = time.perf_counter() - start
    rate = len(messages) / seconds
    figures.add("parse_only_msgs_per_s", "parse-only (mail-parser alone)", rate, "msg/s")
    return rate


def measure_triage(messages: list[bytes], figures: Figures) -> None:
    parsed = [parse(raw) for raw in messages]
    settings = TriageSettings()
    triage(parsed[0], settings)  # load vocabularies once, as the daemon does
    timings = []
    for item in parsed:
        start = time.perf_counter()
        triage(item, settings)
        timings.append((time.perf_counter() - start) * 1000)
    figures.add("triage_median_ms", "triage median", statistics.median(timings), "ms", "{:.2f}")
    figures.add("triage_p95_ms", "triage p95", percentile(timings, 95), "ms", "{:.2f}")


def databases(args, workdir: Path) -> list[dict]:
    found = [{"label": "sqlite", "url": None}]
    if args.postgres_url:
        found.append({"label": "postgresql", "url": args.postgres_url})
    return found


def world(imap: LocalDovecot, smtp: SmtpSink, workdir: Path, database: dict, name: str, **daemon: dict) -> Path:
    """A mailbox user, a fresh database and a config file; returns the config path."""
    imap.add_user(name, PASSWORD)
    home = workdir / name
    home.mkdir()
    url = database["url"] or f"sqlite:///{home}/mailintake.sqlite"
    if database["url"]:
        reset_postgres(url)
    data = local_config(imap, smtp, name, url, password_env=PASSWORD_ENV,
                        acknowledgement={"max_acks_per_address_per_day": 100000,
                                         "max_acks_per_domain_per_day": 1000000, "max_acks_per_hour": 1000000}, **daemon)
    config = write_config(home / "config.toml", data)
    run_cli(config, "db", "upgrade", env=ENV)
    return config


def drain(imap, smtp, workdir: Path, database: dict, messages: list[bytes], name: str) -> tuple[float, float]:
    """APPEND the backlog, then time one `poll --once` process; returns (seconds, peak RSS in MB)."""
    config = world(imap, smtp, workdir, database, name)
    imap.append_many(name, "INBOX", messages)
    start = time.perf_counter()
    process = subprocess.Popen(
        mailintake_command(config, "poll", "--once"),
        env={**os.environ, **ENV}, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    output = process.stdout.read().decode()
    process.stdout.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"poll --once failed for {name}")
    result = json.loads(output)
    if result["fetched"] != len(messages):
        raise SystemExit(f"{name}: fetched {result['fetched']} of {len(messages)}")
    return seconds, usage.ru_maxrss / 1024


def measure_latency(imap, smtp, workdir: Path, database: dict, args, figures: Figures) -> None:
    """Daemon on IDLE with a 10-minute poll interval: append one complaint, time until its ack arrives."""
    label = database["label"]
    name = f"latency_{label}"
    daemon = {"daemon": {"poll_interval_seconds": 600.0, "relay_interval_seconds": 600.0}}
    config = world(imap, smtp, workdir, database, name, **daemon)
    samples = [m for m in generate_messages(args.latency_samples * 3, seed=args.seed + 7, robots=False, broken=False)]
    timings = []
    with DaemonProcess(config, env=ENV, name=name) as process:
        process.wait_for("polling mailbox", timeout=60)
        smtp.clear()
        for raw in samples:
            if len(timings) >= args.latency_samples:
                break
            before = len(smtp.messages)
            start = time.perf_counter()
            imap.append(name, "INBOX", raw)
            if smtp.wait_for(before + 1, timeout=10):
                timings.append(time.perf_counter() - start)
    if timings:
        figures.add(f"latency_{label}_p50_s", f"arrival → ack p50 ({label})", statistics.median(timings), "s", "{:.2f}")
        figures.add(f"latency_{label}_p95_s", f"arrival → ack p95 ({label})", percentile(timings, 95), "s", "{:.2f}")
        figures.add(f"latency_{label}_samples", f"arrival → ack samples ({label})", len(timings), "", "{:.0f}")


def reset_postgres(url: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


def print_table(figures: Figures) -> None:
    width = max(len(label) for label, _, _ in figures.rows)
    print(f"\n{'measure':<{width}}  {'value':>10}  unit")
    for label, value, unit in figures.rows:
        print(f"{label:<{width}}  {value:>10}  {unit}")


if __name__ == "__main__":
    sys.exit(main())
