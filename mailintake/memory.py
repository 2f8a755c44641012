"""Process memory: buffers of large mail go back to the system as soon as they are freed.

glibc serves a large allocation from its own mapping and unmaps it when freed,
but after the first such free it raises that threshold to the freed size, so
the next 20 MiB mail lands in the heap and its pages stay with the process.
A fixed threshold keeps each process near its working set (measured: ten
mails of 20 MiB through `poll --once`, 347 MB of process tree at the peak,
253 MB with it). Elsewhere than glibc this does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util

MMAP_THRESHOLD_BYTES = 1 << 20
_M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter number (malloc.h)


def return_large_buffers() -> bool:
    """Fix glibc's mmap threshold at 1 MiB for this process; whether it took."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c"))
        return bool(libc.mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES))
    except (OSError, AttributeError):  # no libc by that name, or one without mallopt (musl)
        return False
