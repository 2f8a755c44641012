"""Benchmark: triage speed over a folder of .eml files (not a timed test).

    python -m devkit.triage_bench /work/shared/eval/dev [--rounds 5]

Messages are parsed once up front; only triage itself is timed. Prints messages/second,
median and p95 milliseconds per message.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

from mailintake.mail.parsing import parse
from mailintake.triage import triage
from mailintake.triage.files import eml_files


def bench(paths: list[str], rounds: int = 5) -> dict:
    parsed = [parse(p.read_bytes()) for p in eml_files(paths)]
    for message in parsed:  # warm caches: vocabulary, compiled patterns, language detector
        triage(message)
    timings = []
    for _ in range(rounds):
        for message in parsed:
            start = time.perf_counter()
            triage(message)
            timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    total = sum(timings) / 1000
    return {
        "messages": len(parsed),
        "rounds": rounds,
        "per_second": len(timings) / total if total else 0.0,
        "median_ms": statistics.median(timings) if timings else 0.0,
        "p95_ms": timings[int(0.95 * (len(timings) - 1))] if timings else 0.0,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    result = bench(args.paths, args.rounds)
    print(f"{result['messages']} messages x {result['rounds']} rounds: "
          f"{result['per_second']:.0f} messages/s, median {result['median_ms']:.2f} ms, p95 {result['p95_ms']:.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
