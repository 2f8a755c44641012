"""The office's-year commands: `report`, `erase`, `retention run`, `deadlines list|digest`.

Handlers load config, open the database and call `year`.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import MailintakeError
from ..memory import rare_collections
from ..review.audit import Actor
from ..year.digest import WHICH, due_items, queue_digest
from ..year.report import FORMATS, make_report, render
from ..year.retention import erase_address, run_retention
from .common import configured, print_json

CLI_ACTOR = "cli"


def add_commands(commands) -> None:
    """Register `report`, `erase`, `retention` and `deadlines` on the CLI's subparsers."""
    report = commands.add_parser("report", help="the anonymous annual report (jaarverslag)")
    report.add_argument("--year", type=int, required=True)
    report.add_argument("--format", choices=FORMATS, default="html")
    report.add_argument("--out", metavar="PATH", help="file to write (default: jaarverslag-YEAR.FORMAT; - for stdout)")
    report.set_defaults(handler=cmd_report)

    erase = commands.add_parser("erase", help="erase one person's data on request (cases, mail, attachments)")
    erase.add_argument("--address", required=True, metavar="EMAIL")
    erase.add_argument("--dry-run", action="store_true", help="show what would be erased, change nothing")
    erase.add_argument("--as", dest="actor", default=CLI_ACTOR, help="who asks (recorded in the audit log)")
    erase.set_defaults(handler=cmd_erase)

    retention = commands.add_parser("retention", help="retention periods").add_subparsers(dest="action", required=True)
    run = retention.add_parser("run", help="erase what is past its retention period now (the daemon does this daily)")
    run.add_argument("--dry-run", action="store_true", help="show what would be erased, change nothing")
    run.set_defaults(handler=cmd_retention_run)

    deadlines = commands.add_parser("deadlines", help="case deadlines").add_subparsers(dest="action", required=True)
    listing = deadlines.add_parser("list", help="deadlines due soon or past, as the digest lists them")
    listing.add_argument("--json", action="store_true", help="JSON array (the default output)")
    listing.set_defaults(handler=cmd_deadlines_list)
    deadlines.add_parser("digest", help="queue today's digest to [deadlines] digest_to (once a day)").set_defaults(
        handler=cmd_deadlines_digest)


def cmd_report(args) -> int:
    config, database = configured(args)
    with rare_collections(), database.unit_of_work() as session:
        data = render(make_report(session, config, args.year), args.format)
    if args.out == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return 0
    path = Path(args.out or f"jaarverslag-{args.year}.{args.format}")
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise MailintakeError(f"{path}: cannot write: {exc.strerror}") from None
    print_json({"year": args.year, "format": args.format, "path": str(path), "bytes": len(data)})
    return 0


def cmd_erase(args) -> int:
    config, database = configured(args)
    with database.unit_of_work() as session:
        result = erase_address(session, config, Actor(args.actor), args.address, dry_run=args.dry_run)
    print_json(result.to_json(), pretty=True)
    return 0


def cmd_retention_run(args) -> int:
    config, database = configured(args)
    with database.unit_of_work() as session:
        result = run_retention(session, config, Actor(CLI_ACTOR), dry_run=args.dry_run)
    print_json(result.counts())
    return 0


def cmd_deadlines_list(args) -> int:
    config, database = configured(args)
    with database.unit_of_work() as session:
        rows = [{"ref": i.ref, "status": i.status, "service": i.service, "handler": i.handler or None,
                 "deadline": WHICH[i.which], **i.deadline.to_json()} for i in due_items(session, config)]
    print_json(rows, pretty=True)
    return 0


def cmd_deadlines_digest(args) -> int:
    config, database = configured(args)
    if not config.deadlines.digest_to:
        raise MailintakeError("no digest address: set [deadlines] digest_to")
    with database.unit_of_work() as session:
        row = queue_digest(session, config)
        queued = row is not None
    print_json({"queued": queued})
    return 0
