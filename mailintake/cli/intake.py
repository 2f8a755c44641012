"""The intake commands: `poll --once`, `run`, `import`, and the offline `parse`, `triage`, `evaluate`."""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import MailintakeError
from .common import config_or_defaults, configured, load_config, open_database, print_json


def add_commands(commands) -> None:
    poll = commands.add_parser("poll", help="fetch and process the intake folder")
    poll.add_argument("--once", action="store_true", required=True, help="process what is there now, then exit")
    poll.set_defaults(handler=cmd_poll)

    parse_cmd = commands.add_parser("parse", help="print the parse result of one .eml file as JSON")
    parse_cmd.add_argument("file", type=Path)
    parse_cmd.set_defaults(handler=cmd_parse)

    triage = commands.add_parser("triage", help="triage .eml files or folders; one JSON line per file")
    triage.add_argument("paths", nargs="+")
    triage.set_defaults(handler=cmd_triage)

    evaluate = commands.add_parser("evaluate", help="score triage against FOLDER/labels.json")
    evaluate.add_argument("folder", nargs="+", help="one or more folders with labels.json; several are compared")
    evaluate.set_defaults(handler=cmd_evaluate)

    importer = commands.add_parser("import", help="import old mail from an mbox file or a Maildir folder")
    importer.add_argument("path", type=Path)
    acks = importer.add_mutually_exclusive_group()
    acks.add_argument("--no-ack", dest="ack", action="store_false", help="send no acknowledgements (the default)")
    acks.add_argument("--ack", dest="ack", action="store_true", help="acknowledge imported complaints")
    importer.add_argument("--no-progress", dest="progress", action="store_false", help="no progress bar")
    importer.set_defaults(handler=cmd_import, ack=False)

    run = commands.add_parser("run", help="the daemon: poll the mailbox and relay the outbox until stopped")
    run.set_defaults(handler=cmd_run)


def cmd_poll(args) -> int:
    from ..intake.poll import Intake
    from ..mail.imap import Mailbox

    config, database = configured(args)
    intake = Intake(config, database)
    with Mailbox.connect(config.require_mailbox()) as mailbox:
        result = intake.poll_once(mailbox)
    print_json(result.to_json())
    return 0


def cmd_parse(args) -> int:
    from ..mail.parsing import parse

    try:
        raw = args.file.read_bytes()
    except OSError as exc:
        raise MailintakeError(f"{args.file}: cannot read: {exc.strerror}") from None
    print_json(parse(raw).to_json(), pretty=True)
    return 0


def cmd_triage(args) -> int:
    from ..intake.analysis import triage_settings
    from ..triage.files import run_triage

    return run_triage(args.paths, sys.stdout, triage_settings(config_or_defaults(args)))


def cmd_evaluate(args) -> int:
    from ..intake.analysis import triage_settings
    from ..triage.evaluate import run_evaluate

    return run_evaluate(args.folder, sys.stdout, triage_settings(config_or_defaults(args)))


def cmd_import(args) -> int:
    from ..intake.importer import import_path
    from ..intake.poll import Intake

    config, database = configured(args)
    intake = Intake(config, database, acknowledge=args.ack)
    result = import_path(intake, args.path, progress=args.progress and sys.stderr.isatty())
    print_json(result.to_json())
    return 0


def cmd_run(args) -> int:
    from ..daemon.runner import Daemon

    config = load_config(args)
    box = config.require_mailbox()
    if box.auth == "password":
        box.password.value()  # a missing secret is a configuration error now, not at the first poll
    return Daemon(config, open_database(config)).run()
