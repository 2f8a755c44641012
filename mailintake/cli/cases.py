"""`cases list` and `cases show`: the cases as JSON, for scripts."""

from __future__ import annotations

from ..store.lookup import all_cases, get_case
from .common import configured, print_json
from .shapes import case_detail, case_summary


def add_commands(commands) -> None:
    case_cmd = commands.add_parser("cases", help="list or show cases").add_subparsers(dest="action", required=True)
    listing = case_cmd.add_parser("list", help="all cases, oldest first")
    listing.add_argument("--json", action="store_true", help="JSON array (the default output)")
    listing.add_argument("--limit", type=int)
    listing.set_defaults(handler=cmd_cases_list)
    show = case_cmd.add_parser("show", help="one case with its text and attachments")
    show.add_argument("ref")
    show.add_argument("--json", action="store_true", help="JSON object (the default output)")
    show.set_defaults(handler=cmd_cases_show)


def cmd_cases_list(args) -> int:
    _, database = configured(args)
    with database.unit_of_work() as session:
        rows = [case_summary(case) for case in all_cases(session, args.limit)]
    print_json(rows, pretty=True)
    return 0


def cmd_cases_show(args) -> int:
    _, database = configured(args)
    with database.unit_of_work() as session:
        detail = case_detail(get_case(session, args.ref))
    print_json(detail, pretty=True)
    return 0
