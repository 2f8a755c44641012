"""`python -m devkit.costly_bench`: the worst parse + triage time and memory per class of costly mail.

Each input is analysed in a fresh process (so its peak RSS is its own), the
classes of `devkit.costly` and real mail from ../shared/corpus mutated
(chunks repeated thousands of times, whitespace and markup blown up). Goal:
no message costs more than 2 s of analysis or 300 MB. With `--batch` it also
puts ten mails of 20 MiB in a throw-away Dovecot and measures one
`poll --once` process tree (the intake, its fork server and analysis
workers, summed): goal at most 300 MB at the default limits. A benchmark: it prints
a table and, last, one JSON line; nothing asserts.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

from . import costly

SHARED = Path(os.environ.get("MAILINTAKE_SHARED", Path(__file__).resolve().parents[2] / "shared"))
GOAL_SECONDS, GOAL_MB = 2.0, 300.0


def measure_one(raw: bytes) -> tuple[float, float]:
    """(seconds of parse + triage, peak RSS in MB) of `raw` in this process (run in a child)."""
    from mailintake.mail.parsing import parse
    from mailintake.triage import triage

    triage(parse(b"From: a@b.be\r\nSubject: warm-up\r\n\r\nGoedendag\r\n"))  # load vocabularies and models first
    Path("/proc/self/clear_refs").write_text("5")  # the peak so far is the parent's (kept across exec): reset it
    started = time.perf_counter()
    triage(parse(raw))
    return time.perf_counter() - started, _peak_rss_mb()


def _peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def in_child(raw: bytes) -> tuple[float, float]:
    done = subprocess.run([sys.executable, "-m", "devkit.costly_bench", "--one"], input=raw, capture_output=True,
                          timeout=900)
    if done.returncode != 0:
        raise SystemExit(done.stderr.decode(errors="replace")[-2000:])
    seconds, mb = json.loads(done.stdout)
    return seconds, mb


def mutations(seed: int, per_file: int) -> dict[str, bytes]:
    """Real mail made costly: a chunk repeated, whitespace or markup blown up."""
    rng = random.Random(seed)
    corpus = sorted((SHARED / "corpus").glob("*.eml"))[:20]
    found = {}
    for path in corpus:
        raw = path.read_bytes()
        for n in range(per_file):
            start = rng.randrange(max(len(raw) - 64, 1))
            chunk = raw[start:start + rng.choice((8, 32, 64))] or b"x"
            how = rng.choice(("repeat", "spaces", "nbsp", "divs"))
            blow = {"repeat": chunk * 20_000, "spaces": b" " * 200_000, "nbsp": b"&nbsp;" * 100_000,
                    "divs": b"<div>" * 50_000}[how]
            found[f"corpus {how}"] = found.get(f"corpus {how}", b"") or raw[:start] + blow + raw[start:]
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--batch", action="store_true", help="also measure poll --once on 10 mails of 20 MiB")
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(measure_one(sys.stdin.buffer.read())))
        return 0
    inputs = {name: make() for name, make in costly.CLASSES.items()}
    if (SHARED / "corpus").is_dir():
        inputs.update(mutations(args.seed, per_file=1))
    rows = {}
    print(f"{'input class':<28} {'bytes':>10} {'seconds':>8} {'peak MB':>8}")
    for name, raw in inputs.items():
        seconds, mb = in_child(raw)
        rows[name] = {"bytes": len(raw), "seconds": round(seconds, 3), "max_rss_mb": round(mb, 1)}
        print(f"{name:<28} {len(raw):>10} {seconds:>8.2f} {mb:>8.1f}", flush=True)
    worst_s = max(r["seconds"] for r in rows.values())
    worst_mb = max(r["max_rss_mb"] for r in rows.values())
    met = worst_s <= GOAL_SECONDS and worst_mb <= GOAL_MB
    print(f"\nworst: {worst_s:.2f} s, {worst_mb:.0f} MB (goal {GOAL_SECONDS:g} s, {GOAL_MB:g} MB): {'met' if met else 'NOT met'}")
    figures = {"classes": rows, "worst_seconds": worst_s, "worst_rss_mb": worst_mb, "goal_met": met}
    if args.batch:
        figures["batch"] = measure_big_batch()
        figures["goal_met"] = met and figures["batch"]["goal_met"]
    print(json.dumps(figures))
    return 0


def measure_big_batch(count: int = 10, mebibytes: int = 20, **overrides: dict) -> dict:
    """One `poll --once` over `count` mails of `mebibytes` MiB: seconds and the process tree's peak RSS."""
    import tempfile

    from .devmail import LocalDovecot, SmtpSink
    from .harness import local_config, mailintake_command, run_cli, write_config

    env = {**os.environ, "MAILINTAKE_BENCH_IMAP_PASSWORD": "bench"}
    with tempfile.TemporaryDirectory(prefix="mailintake-costly-") as tmp:
        workdir = Path(tmp)
        os.chmod(workdir, 0o755)
        with LocalDovecot(workdir / "dovecot", users={"bench": "bench"}) as imap, SmtpSink() as smtp:
            mails = [costly.twenty_mebibytes(index, mebibytes) for index in range(count)]
            imap.append_many("bench", "INBOX", mails)
            data = local_config(imap, smtp, "bench", f"sqlite:///{workdir}/mailintake.sqlite",
                                password_env="MAILINTAKE_BENCH_IMAP_PASSWORD", **overrides)
            config = write_config(workdir / "config.toml", data)
            run_cli(config, "db", "upgrade", env=env)
            started = time.perf_counter()
            process = subprocess.Popen(mailintake_command(config, "poll", "--once"), env=env,
                                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
            peak_rss = peak_pss = 0.0
            while process.poll() is None:
                rss, pss = _tree_memory_mb(process.pid)
                peak_rss, peak_pss = max(peak_rss, rss), max(peak_pss, pss)
                time.sleep(0.02)  # sampling, not waiting for a result
            seconds = time.perf_counter() - started
            fetched = json.loads(process.stdout.read())["fetched"]
    met = peak_pss <= GOAL_MB and fetched == count
    print(f"\npoll --once, {count} mails of {mebibytes} MiB: {seconds:.1f} s, fetched {fetched}; process tree at "
          f"its peak: PSS {peak_pss:.0f} MB, RSS {peak_rss:.0f} MB (goal {GOAL_MB:g} MB): {'met' if met else 'NOT met'}")
    return {"mails": count, "mebibytes_each": mebibytes, "seconds": round(seconds, 1), "fetched": fetched,
            "peak_tree_pss_mb": round(peak_pss, 1), "peak_tree_rss_mb": round(peak_rss, 1), "goal_met": met}


def _tree_memory_mb(pid: int) -> tuple[float, float]:
    """(RSS, PSS) of `pid` and its descendants now, summed. PSS shares a page among the processes that map it
    (the workers are forked from one fork server), so it is what the tree costs the machine; RSS counts shared
    pages once per process."""
    rss = pss = 0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            rollup = Path(f"/proc/{current}/smaps_rollup").read_text()
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        fields = {line.split(":")[0]: int(line.split()[1]) for line in rollup.splitlines()[1:] if line.endswith("kB")}
        rss, pss = rss + fields.get("Rss", 0), pss + fields.get("Pss", 0)
        pending.extend(int(child) for child in children)
    return rss / 1024, pss / 1024


if __name__ == "__main__":
    sys.exit(main())
