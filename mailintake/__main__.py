"""The command line: `mailintake [--config PATH] COMMAND ...`. Parses arguments, loads config, calls in.

Expected faults (bad config, a server that refuses, an unknown reference) print
one line on stderr and exit non-zero: 2 for configuration, 1 for the rest.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from . import __version__, review_cli, year_cli
from .errors import ConfigError, MailintakeError

log = logging.getLogger("mailintake")


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    setup_logging(args.verbose)
    try:
        return args.handler(args) or 0
    except ConfigError as exc:
        print(f"mailintake: configuration error: {exc}", file=sys.stderr)
        return 2
    except MailintakeError as exc:
        print(f"mailintake: {exc}", file=sys.stderr)
        return 1
    except SQLAlchemyError as exc:
        print(f"mailintake: database error: {str(exc).splitlines()[0]}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mailintake", description="Email intake of the Ombudsdienst Leuven.")
    parser.add_argument("--config", metavar="PATH", help="config file (default: $MAILINTAKE_CONFIG, else ./config.toml)")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    parser.add_argument("--version", action="version", version=f"mailintake {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    poll = commands.add_parser("poll", help="fetch and process the intake folder")
    poll.add_argument("--once", action="store_true", required=True, help="process what is there now, then exit")
    poll.set_defaults(handler=cmd_poll)

    parse = commands.add_parser("parse", help="print the parse result of one .eml file as JSON")
    parse.add_argument("file", type=Path)
    parse.set_defaults(handler=cmd_parse)

    triage = commands.add_parser("triage", help="triage .eml files or folders; one JSON line per file")
    triage.add_argument("paths", nargs="+")
    triage.set_defaults(handler=cmd_triage)

    evaluate = commands.add_parser("evaluate", help="score triage against FOLDER/labels.json")
    evaluate.add_argument("folder")
    evaluate.set_defaults(handler=cmd_evaluate)

    case_cmd = commands.add_parser("cases", help="list or show cases").add_subparsers(dest="action", required=True)
    listing = case_cmd.add_parser("list", help="all cases, oldest first")
    listing.add_argument("--json", action="store_true", help="JSON array (the default output)")
    listing.add_argument("--limit", type=int)
    listing.set_defaults(handler=cmd_cases_list)
    show = case_cmd.add_parser("show", help="one case with its text and attachments")
    show.add_argument("ref")
    show.add_argument("--json", action="store_true", help="JSON object (the default output)")
    show.set_defaults(handler=cmd_cases_show)

    importer = commands.add_parser("import", help="import old mail from an mbox file or a Maildir folder")
    importer.add_argument("path", type=Path)
    acks = importer.add_mutually_exclusive_group()
    acks.add_argument("--no-ack", dest="ack", action="store_false", help="send no acknowledgements (the default)")
    acks.add_argument("--ack", dest="ack", action="store_true", help="acknowledge imported complaints")
    importer.add_argument("--no-progress", dest="progress", action="store_false", help="no progress bar")
    importer.set_defaults(handler=cmd_import, ack=False)

    run = commands.add_parser("run", help="the daemon: poll the mailbox and relay the outbox until stopped")
    run.set_defaults(handler=cmd_run)

    outbox_cmd = commands.add_parser("outbox", help="acknowledgements owed").add_subparsers(dest="action", required=True)
    outbox_list = outbox_cmd.add_parser("list", help="every outbox row")
    outbox_list.add_argument("--json", action="store_true", help="JSON array (the default output)")
    outbox_list.set_defaults(handler=cmd_outbox_list)
    outbox_cmd.add_parser("send", help="send what is due now").set_defaults(handler=cmd_outbox_send)
    release = outbox_cmd.add_parser("release", help="release the held acknowledgements of a case")
    release.add_argument("ref")
    release.set_defaults(handler=cmd_outbox_release)

    db_cmd = commands.add_parser("db", help="database schema").add_subparsers(dest="action", required=True)
    db_cmd.add_parser("upgrade", help="migrate the schema to this version").set_defaults(handler=cmd_db_upgrade)

    commands.add_parser("check-config", help="validate config and try the servers").set_defaults(handler=cmd_check_config)
    review_cli.add_commands(commands)
    year_cli.add_commands(commands)
    return parser


def setup_logging(verbose: bool) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    for noisy in ("mailparser", "imapclient", "alembic", "mail-parser-reply", "mailparser_reply"):
        logging.getLogger(noisy).setLevel(logging.ERROR)


def load_config(args):
    from .config import config_path, load

    return load(config_path(args.config))


def open_database(config, require_current: bool = True):
    from .db import Database

    database = Database(config.database.resolved_url())
    if require_current:
        database.require_current_schema()
    return database


def cmd_poll(args) -> int:
    from .intake import Intake
    from .mailbox import Mailbox

    config = load_config(args)
    database = open_database(config)
    intake = Intake(config, database)
    with Mailbox.connect(config.require_mailbox()) as mailbox:
        result = intake.poll_once(mailbox)
    print(json.dumps(result.to_json()))
    return 0


def cmd_parse(args) -> int:
    from .parsing import parse

    try:
        raw = args.file.read_bytes()
    except OSError as exc:
        raise MailintakeError(f"{args.file}: cannot read: {exc.strerror}") from None
    print(json.dumps(parse(raw).to_json(), ensure_ascii=False, indent=2))
    return 0


def cmd_triage(args) -> int:
    from .triage.cli import run_triage

    return run_triage(args.paths, sys.stdout)


def cmd_evaluate(args) -> int:
    from .triage.cli import run_evaluate

    return run_evaluate(args.folder, sys.stdout)


def cmd_cases_list(args) -> int:
    from .cases import case_summary, list_cases

    database = open_database(load_config(args))
    with database.unit_of_work() as session:
        rows = [case_summary(case) for case in list_cases(session, args.limit)]
    print(json.dumps(rows, ensure_ascii=False, indent=2))
    return 0


def cmd_cases_show(args) -> int:
    from .cases import case_detail, get_case

    database = open_database(load_config(args))
    with database.unit_of_work() as session:
        detail = case_detail(get_case(session, args.ref))
    print(json.dumps(detail, ensure_ascii=False, indent=2))
    return 0


def cmd_import(args) -> int:
    from .importer import import_path
    from .intake import Intake

    config = load_config(args)
    intake = Intake(config, open_database(config), acknowledge=args.ack)
    result = import_path(intake, args.path, progress=args.progress and sys.stderr.isatty())
    print(json.dumps(result.to_json()))
    return 0


def cmd_run(args) -> int:
    from .daemon import Daemon

    config = load_config(args)
    config.require_mailbox().password.value()
    return Daemon(config, open_database(config)).run()


def cmd_outbox_list(args) -> int:
    from .outbox import list_outbox

    database = open_database(load_config(args))
    with database.unit_of_work() as session:
        rows = list_outbox(session)
    print(json.dumps(rows, ensure_ascii=False, indent=2))
    return 0


def cmd_outbox_send(args) -> int:
    from .mailbox import Mailbox
    from .outbox import Relay

    config = load_config(args)
    mailbox_factory = (lambda: Mailbox.connect(config.require_mailbox())) if config.mailbox else None
    result = Relay(config, open_database(config), mailbox_factory=mailbox_factory).send_due()
    print(json.dumps(result.to_json()))
    return 0


def cmd_outbox_release(args) -> int:
    from .outbox import release

    database = open_database(load_config(args))
    with database.unit_of_work() as session:
        released = release(session, args.ref)
    print(json.dumps({"ref": args.ref.upper(), "released": released}))
    return 0


def cmd_db_upgrade(args) -> int:
    database = open_database(load_config(args), require_current=False)
    database.upgrade()
    print(json.dumps({"schema": database.current_revision()}))
    return 0


def cmd_check_config(args) -> int:
    from .mailbox import Mailbox
    from .smtp import SmtpTransport

    config = load_config(args)
    report = {"config": config.source, "database": "ok", "imap": None, "smtp": None}
    database = open_database(config, require_current=False)
    database.current_revision()
    if config.mailbox is not None:
        with Mailbox.connect(config.mailbox) as mailbox:
            mailbox.open(config.mailbox.folder)
        report["imap"] = f"logged in to {config.mailbox.host}:{config.mailbox.port} as {config.mailbox.username}"
    report["smtp"] = SmtpTransport(config.smtp).check_login()
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
