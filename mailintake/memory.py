"""Process memory: buffers of large mail go back to the system as soon as they are freed.

glibc serves a large allocation from its own mapping and unmaps it when freed,
but after the first such free it raises that threshold to the freed size, so
the next 20 MiB mail lands in the heap and its pages stay with the process.
A fixed threshold keeps each process near its working set (measured: ten
mails of 20 MiB through `poll --once`, 347 MB of process tree at the peak,
253 MB with it). Elsewhere than glibc this does nothing.

Cyclic garbage: a command that makes a burst of short-lived objects (the
annual report: ORM rows, matplotlib artists, weasyprint boxes) collects less
often while it does (`rare_collections`), and a command ends without the
interpreter's last full collection, whose cycles the exit frees anyway
(`exit_without_last_collection`). Each full collection walks every live object
of the libraries loaded: 60-170 ms apiece in the report, 0.4-0.5 s of its 3 s.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import sys
from contextlib import contextmanager
from typing import Iterator, NoReturn

MMAP_THRESHOLD_BYTES = 1 << 20
RARE_COLLECTION_THRESHOLD = 100_000  # allocations between young collections (Python's default: 700)
_M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter number (malloc.h)


def return_large_buffers() -> bool:
    """Fix glibc's mmap threshold at 1 MiB for this process; whether it took."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c"))
        return bool(libc.mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES))
    except (OSError, AttributeError):  # no libc by that name, or one without mallopt (musl)
        return False


@contextmanager
def rare_collections(threshold: int = RARE_COLLECTION_THRESHOLD) -> Iterator[None]:
    """Young collections every `threshold` allocations, so far fewer full ones, until the block ends.

    For one-shot commands: the thresholds are the process's, not the thread's.
    """
    before = gc.get_threshold()
    gc.set_threshold(threshold, *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


def exit_without_last_collection(code: int) -> NoReturn:
    """End the process with `code`, skipping the full collection the interpreter makes on the way out."""
    gc.freeze()  # what is live now is left out of collections, that last one included
    sys.exit(code)
