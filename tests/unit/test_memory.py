"""Process memory: how often cyclic garbage is collected, and the exit that skips the last collection."""

from __future__ import annotations

import gc
import subprocess
import sys

import pytest

from mailintake.memory import rare_collections


def test_rare_collections_raise_the_young_threshold_and_put_it_back_even_on_an_error():
    before = gc.get_threshold()
    with pytest.raises(RuntimeError), rare_collections(50_000):
        assert gc.get_threshold() == (50_000, *before[1:])
        raise RuntimeError("the report failed")
    assert gc.get_threshold() == before


def test_exit_without_last_collection_keeps_the_exit_code_and_the_output():
    probe = "from mailintake.memory import exit_without_last_collection; print('written'); exit_without_last_collection(3)"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.returncode == 3 and done.stdout == "written\n"
