"""`cases list` and `cases show`: the cases as JSON, for scripts."""

from __future__ import annotations

import argparse
from datetime import date, datetime, time

from ..domain import CaseStatus
from ..store.lookup import all_cases, get_case
from .common import configured, print_json, print_json_array
from .shapes import CASE_SUMMARY, case_detail, case_summary

STATUSES = tuple(value for name, value in vars(CaseStatus).items() if name.isupper() and isinstance(value, str))


def add_commands(commands) -> None:
    case_cmd = commands.add_parser("cases", help="list or show cases").add_subparsers(dest="action", required=True)
    listing = case_cmd.add_parser("list", help="all cases, oldest first")
    listing.add_argument("--json", action="store_true", help="JSON array (the default output)")
    listing.add_argument("--limit", type=int, help="at most N cases")
    listing.add_argument("--since", type=_day, metavar="YYYY-MM-DD", help="received on that day or later ([intake] timezone)")
    listing.add_argument("--status", choices=STATUSES, help="only cases with this status")
    listing.set_defaults(handler=cmd_cases_list)
    show = case_cmd.add_parser("show", help="one case with its text and attachments")
    show.add_argument("ref")
    show.add_argument("--json", action="store_true", help="JSON object (the default output)")
    show.set_defaults(handler=cmd_cases_show)


def cmd_cases_list(args) -> int:
    config, database = configured(args)
    since = datetime.combine(args.since, time(), config.intake.zone) if args.since else None
    with database.unit_of_work() as session:
        print_json_array(case_summary(case) for case in all_cases(session, args.limit, since=since, status=args.status,
                                                                     columns=CASE_SUMMARY))
    return 0


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def cmd_cases_show(args) -> int:
    _, database = configured(args)
    with database.unit_of_work() as session:
        detail = case_detail(get_case(session, args.ref))
    print_json(detail, pretty=True)
    return 0
