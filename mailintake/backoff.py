"""Capped exponential backoff with jitter: how long to wait before trying again.

Shared by the outbox relay (a temporary SMTP failure) and the daemon (a lost
database or IMAP connection). The jitter keeps processes that failed together
from retrying in step.

>>> 15 <= backoff(1, first=30, cap=3600) <= 30
True
"""

from __future__ import annotations

import random

MAX_DOUBLINGS = 32  # 2**32 times any first wait is past every cap; keeps the float finite


def backoff(attempt: int, first: float, cap: float) -> float:
    """Seconds to wait after the `attempt`-th failure: `first`, doubling each time, at most `cap`, minus up to half."""
    doublings = min(max(attempt - 1, 0), MAX_DOUBLINGS)
    return min(cap, first * 2.0**doublings) * random.uniform(0.5, 1.0)
