"""`print_json_array` streams exactly what `print_json(list, pretty=True)` prints at once."""

from __future__ import annotations

import pytest

from mailintake.cli.common import print_json, print_json_array

ROWS = [
    {"ref": "OMB-2026-00001", "subject": "twee\nregels, \u2028 en \x85 en \"quotes\"", "flags": [], "messages": []},
    {"ref": "OMB-2026-00002", "nested": {"a": [1, {"b": None}]}, "naam": "Élodie Çelik"},
]


@pytest.mark.parametrize("rows", [[], ROWS[:1], ROWS], ids=["empty", "one", "two"])
def test_streamed_array_is_the_pretty_array(capsys, rows):
    print_json(rows, pretty=True)
    whole = capsys.readouterr().out
    print_json_array(iter(rows))
    assert capsys.readouterr().out == whole
