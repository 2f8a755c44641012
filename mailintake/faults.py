"""Crash injection for the fault tests: MAILINTAKE_CRASH_AT=point[:n] ends the process at the n-th pass.

Points: after_fetch, after_parse, after_commit, after_move (intake; after_parse and
after_commit pass once per batch and once per suspect), in_analysis (in an
analysis worker, counted per worker: that worker dies, the poll goes on),
after_smtp_250 and before_mark_sent (outbox relay). Unset in production, where `crash_point` costs
one environment lookup. It sits below the stages because both intake and outbox use it.
"""

import os

ENV = "MAILINTAKE_CRASH_AT"
POINTS = ("after_fetch", "after_parse", "after_commit", "after_move", "after_smtp_250", "before_mark_sent")
WORKER_POINTS = ("in_analysis",)  # end a worker process, not the one that commits
_passes: dict[str, int] = {}


def crash_point(name: str) -> None:
    spec = os.environ.get(ENV)
    if not spec:
        return
    point, _, count = spec.partition(":")
    if point != name:
        return
    _passes[name] = _passes.get(name, 0) + 1
    if _passes[name] >= int(count or 1):
        os._exit(86)
