"""`db upgrade`, `db backup` and `check-config`: setting up, keeping and checking an installation."""

from __future__ import annotations

from pathlib import Path

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
    from ..store.backup import backup

    database = open_database(load_config(args), require_current=False)
    print_json(backup(database, args.path).to_json())
    return 0


def cmd_check_config(args) -> int:
    """Walk the chain: database, token endpoint, IMAP login, the folder, SMTP login; the first failure ends it."""
    from ..mail.imap import Mailbox
    from ..mail.oauth2 import token_source
    from ..mail.smtp import SmtpTransport

    config = load_config(args)
    report = {"config": config.source, "database": "ok", "imap": None, "smtp": None}
    database = open_database(config, require_current=False)
    database.current_revision()
    box = config.mailbox
    if box is not None:
        if box.auth == "oauth2":
            report["imap_token"] = token_source(box.oauth2, box.username).describe()
        with Mailbox.connect(box) as mailbox:
            mailbox.open(box.folder)
        how = " with OAuth2" if box.auth == "oauth2" else ""
        report["imap"] = f"logged in to {box.host}:{box.port} as {box.username}{how}, folder {box.folder} opened"
    if config.smtp.auth == "oauth2":
        report["smtp_token"] = token_source(config.smtp_oauth2(), config.smtp_user()).describe()
    report["smtp"] = SmtpTransport.from_config(config).check_login()
    print_json(report)
    return 0
