"""`cases list --json`: the same array as always, streamed, with --limit, --since and --status in SQL."""

from __future__ import annotations

import json
from datetime import date, datetime

from tests.support.yearkit import generate


def test_cases_list_streams_the_pretty_array_and_filters(world):
    generate(world, years=(2025,), cases=80)
    text = world.cli("cases", "list", "--json").stdout
    every = json.loads(text)
    assert len(every) > 50 and text == json.dumps(every, ensure_ascii=False, indent=2) + "\n"
    assert [c["received_at"] for c in every] == sorted(c["received_at"] for c in every)

    assert world.cli_json("cases", "list", "--json", "--limit", "5") == every[:5]
    assert world.cli_json("cases", "list", "--json", "--limit", "0") == []
    zone = world.config.intake.zone

    def local_day(case) -> date:
        return datetime.fromisoformat(case["received_at"]).astimezone(zone).date()

    since = local_day(every[len(every) // 2])
    later = world.cli_json("cases", "list", "--json", "--since", since.isoformat())
    assert later == [c for c in every if local_day(c) >= since] and 0 < len(later) < len(every)
    closed = world.cli_json("cases", "list", "--json", "--status", "closed", "--since", since.isoformat(), "--limit", "3")
    assert closed == [c for c in later if c["status"] == "closed"][:3] and closed
    assert world.cli("cases", "list", "--since", "2025-13-01", check=False).returncode == 2
