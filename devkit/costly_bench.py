"""`python -m devkit.costly_bench`: the worst parse + triage time and memory per class of costly mail.

Each input is analysed in a fresh process (so its peak RSS is its own), the
classes of `devkit.costly` and real mail from ../shared/corpus mutated
(chunks repeated thousands of times, whitespace and markup blown up). Goal:
no message costs more than 2 s of analysis or 300 MB. A benchmark: it prints
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
    print(json.dumps({"classes": rows, "worst_seconds": worst_s, "worst_rss_mb": worst_mb, "goal_met": met}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
