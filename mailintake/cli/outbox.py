"""`outbox list`, `outbox send` and `outbox release`: the mail we owe."""

from __future__ import annotations

from ..outbox.queue import outbox_rows, release
from ..store.lookup import get_case
from .common import configured, print_json
from .shapes import outbox_row


def add_commands(commands) -> None:
    outbox_cmd = commands.add_parser("outbox", help="acknowledgements owed").add_subparsers(dest="action", required=True)
    outbox_list = outbox_cmd.add_parser("list", help="every outbox row")
    outbox_list.add_argument("--json", action="store_true", help="JSON array (the default output)")
    outbox_list.set_defaults(handler=cmd_outbox_list)
    outbox_cmd.add_parser("send", help="send what is due now").set_defaults(handler=cmd_outbox_send)
    release_cmd = outbox_cmd.add_parser("release", help="release the held acknowledgements of a case")
    release_cmd.add_argument("ref")
    release_cmd.set_defaults(handler=cmd_outbox_release)


def cmd_outbox_list(args) -> int:
    _, database = configured(args)
    with database.unit_of_work() as session:
        rows = [outbox_row(row) for row in outbox_rows(session)]
    print_json(rows, pretty=True)
    return 0


def cmd_outbox_send(args) -> int:
    from ..mail.imap import Mailbox
    from ..outbox.relay import Relay

    config, database = configured(args)
    mailbox_factory = (lambda: Mailbox.connect(config.require_mailbox())) if config.mailbox else None
    result = Relay(config, database, mailbox_factory=mailbox_factory).send_due()
    print_json(result.to_json())
    return 0


def cmd_outbox_release(args) -> int:
    _, database = configured(args)
    with database.unit_of_work() as session:
        released = release(session, get_case(session, args.ref))
    print_json({"ref": args.ref.upper(), "released": released})
    return 0
