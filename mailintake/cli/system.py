"""`db upgrade` and `check-config`: setting up and checking an installation."""

from __future__ import annotations

from ..mail.imap import Mailbox
from ..mail.smtp import SmtpTransport
from .common import load_config, open_database, print_json


def add_commands(commands) -> None:
    db_cmd = commands.add_parser("db", help="database schema").add_subparsers(dest="action", required=True)
    db_cmd.add_parser("upgrade", help="migrate the schema to this version").set_defaults(handler=cmd_db_upgrade)
    commands.add_parser("check-config", help="validate config and try the servers").set_defaults(handler=cmd_check_config)


def cmd_db_upgrade(args) -> int:
    database = open_database(load_config(args), require_current=False)
    database.upgrade()
    print_json({"schema": database.current_revision()})
    return 0


def cmd_check_config(args) -> int:
    config = load_config(args)
    report = {"config": config.source, "database": "ok", "imap": None, "smtp": None}
    database = open_database(config, require_current=False)
    database.current_revision()
    if config.mailbox is not None:
        with Mailbox.connect(config.mailbox) as mailbox:
            mailbox.open(config.mailbox.folder)
        report["imap"] = f"logged in to {config.mailbox.host}:{config.mailbox.port} as {config.mailbox.username}"
    report["smtp"] = SmtpTransport(config.smtp).check_login()
    print_json(report)
    return 0
