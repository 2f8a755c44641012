"""`db upgrade`, `db backup` and `check-config`: setting up, keeping and checking an installation."""

from __future__ import annotations

from pathlib import Path

from ..mail.imap import Mailbox
from ..mail.smtp import SmtpTransport
from ..store.backup import backup
from .common import load_config, open_database, print_json


def add_commands(commands) -> None:
    db_cmd = commands.add_parser("db", help="database schema").add_subparsers(dest="action", required=True)
    db_cmd.add_parser("upgrade", help="migrate the schema to this version").set_defaults(handler=cmd_db_upgrade)
    backup_cmd = db_cmd.add_parser("backup", help="a consistent online copy of the SQLite database (attachments included)")
    backup_cmd.add_argument("path", type=Path, help="the file to write (must not exist)")
    backup_cmd.set_defaults(handler=cmd_db_backup)
    commands.add_parser("check-config", help="validate config and try the servers").set_defaults(handler=cmd_check_config)


def cmd_db_upgrade(args) -> int:
    database = open_database(load_config(args), require_current=False)
    database.upgrade()
    print_json({"schema": database.current_revision()})
    return 0


def cmd_db_backup(args) -> int:
    database = open_database(load_config(args), require_current=False)
    print_json(backup(database, args.path).to_json())
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
