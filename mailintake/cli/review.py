"""The staff commands: `serve`, `users add`, `review list`, `review decide`.

Each handler loads config, opens the database and calls `review` or `web`.
"""

from __future__ import annotations

import argparse
import sys

from ..errors import MailintakeError
from ..review import decisions
from ..review.accounts import add_user, find_user, reset_second_factor, unlock
from ..review.audit import Actor
from ..review.queue import QueueFilter, list_queue
from ..store.lookup import get_case
from .common import configured, print_json
from .shapes import queue_row


def add_commands(commands) -> None:
    """Register `serve`, `users` and `review` on the CLI's subparsers."""
    serve = commands.add_parser("serve", help="the staff review web UI (waitress)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8080)
    serve.add_argument("--threads", type=int, default=8)
    serve.set_defaults(handler=cmd_serve)

    users = commands.add_parser("users", help="staff accounts").add_subparsers(dest="action", required=True)
    add = users.add_parser("add", help="add a staff user; the password is read from stdin")
    add.add_argument("name")
    add.add_argument("--role", choices=("staff", "admin"), default="staff")
    add.set_defaults(handler=cmd_users_add)
    unlock_cmd = users.add_parser("unlock", help="lift the login lockout of a user (and of every client address)")
    unlock_cmd.add_argument("name")
    unlock_cmd.set_defaults(handler=cmd_users_unlock)
    reset = users.add_parser("reset-second-factor", help="switch off a user's second factor (lost phone)")
    reset.add_argument("name")
    reset.set_defaults(handler=cmd_users_reset_second_factor)

    review = commands.add_parser("review", help="the review queue").add_subparsers(dest="action", required=True)
    listing = review.add_parser("list", help="drafts and open cases, oldest first")
    listing.add_argument("--json", action="store_true", help="JSON array (the default output)")
    listing.add_argument("--status", default="open", help="open (default), all, or one status")
    listing.add_argument("--service", default="")
    listing.add_argument("--flag", default="", help="a flag, or geen_antwoordadres: cases waiting for a reply address")
    listing.add_argument("--search", default="")
    listing.add_argument("--page", type=int, default=1)
    listing.add_argument("--per-page", type=int, help="cases per page (default: [web] page_size)")
    listing.set_defaults(handler=cmd_review_list)

    decide = review.add_parser("decide", help="record a decision on a case")
    decide.add_argument("ref")
    decide.add_argument("--action", required=True, choices=decisions.ACTIONS)
    decide.add_argument("--as", dest="actor", default="cli", help="who decides (a staff user name; default: cli)")
    decide.add_argument("--handler", dest="handler_name", help="accept: the staff user who handles the case")
    decide.add_argument("--reason", help="decline: a decline reason; not-complaint: information_request|spam|other")
    decide.add_argument("--service", help="redirect/mediate: the service (default: the case's)")
    decide.add_argument("--forward", action="store_true", help="redirect: also send the complaint to the service")
    decide.add_argument("--into", help="merge: the reference of the case that remains")
    decide.add_argument("--outcome", help="close: founded|partly_founded|unfounded|mediated")
    decide.add_argument("--resolved", choices=("yes", "no"), help="close: was the problem solved")
    decide.add_argument("--norm", action="append", default=[], help="close: an ombudsnorm key (repeatable)")
    decide.add_argument("--recommendation", default="", help="close: recommendation to the service")
    decide.add_argument("--no-letter", action="store_true", help="decline/redirect/close: send no letter")
    decide.add_argument("--address", help="reply-address: the address to answer (the waiting acknowledgement goes there)")
    decide.set_defaults(handler=cmd_review_decide)


def cmd_serve(args) -> int:
    from ..web import create_app
    from ..web.server import serve

    config, database = configured(args)
    serve(create_app(config, database), args.host, args.port, args.threads, config.web.trusted_proxy)
    return 0


def cmd_users_add(args) -> int:
    password = sys.stdin.readline().rstrip("\r\n")
    _, database = configured(args)
    with database.unit_of_work() as session:
        user = add_user(session, args.name, password, role=args.role)
        result = {"name": user.name, "role": user.role}
    print_json(result)
    return 0


def cmd_users_unlock(args) -> int:
    _, database = configured(args)
    with database.unit_of_work() as session:
        lifted = unlock(session, args.name)
    print_json({"name": args.name, "lifted": lifted})
    return 0


def cmd_users_reset_second_factor(args) -> int:
    _, database = configured(args)
    with database.unit_of_work() as session:
        reset_second_factor(session, args.name)
    print_json({"name": args.name, "second_factor": "off"})
    return 0


def cmd_review_list(args) -> int:
    config, database = configured(args)
    no_address = args.flag == "geen_antwoordadres"  # the cases whose acknowledgement waits for an address
    wanted = QueueFilter(status=args.status, service=args.service, flag="" if no_address else args.flag,
                         no_reply_address=no_address, search=args.search,
                         page=args.page, per_page=args.per_page or config.web.page_size)
    with database.unit_of_work() as session:
        page = list_queue(session, config, wanted)
        rows = [queue_row(case, config) for case in page.cases]
    print_json(rows, pretty=True)
    return 0


def cmd_review_decide(args) -> int:
    config, database = configured(args)
    with database.unit_of_work() as session:
        result = decide(session, config, args)
    print_json(result)
    return 0


def decide(session, config, args: argparse.Namespace) -> dict:
    """Apply one `review decide` action; the case's reference, status and queued mail."""
    user = find_user(session, args.actor)
    actor = Actor(user.name, user.id) if user else Actor(args.actor)
    case = get_case(session, args.ref)
    letter = not args.no_letter
    action = args.action
    sent = []
    if action == "accept":
        decisions.accept(session, actor, case, handler=args.handler_name)
    elif action == "decline":
        sent = [decisions.decline(session, config, actor, case, reason=_required(args.reason, "--reason"),
                                  send_letter=letter)]
    elif action == "redirect":
        sent = decisions.redirect(session, config, actor, case, service=args.service, send_letter=letter,
                                  forward=args.forward)
    elif action == "mediate":
        sent = [decisions.mediate(session, config, actor, case, service=args.service)]
    elif action == "merge":
        decisions.merge(session, actor, case, _required(args.into, "--into"))
    elif action == "not-complaint":
        decisions.not_complaint(session, actor, case, reason=args.reason or "information_request")
    elif action == "close":
        resolved = None if args.resolved is None else args.resolved == "yes"
        sent = [decisions.close(session, config, actor, case, outcome=_required(args.outcome, "--outcome"),
                                resolved=resolved, norms=args.norm, recommendation=args.recommendation,
                                send_letter=letter)]
    elif action == "reply-address":
        sent = decisions.set_reply_address(session, actor, case, _required(args.address, "--address"))
    session.flush()
    return {
        "ref": case.ref,
        "action": action,
        "status": case.status,
        "merged_into": case.merged_into.ref if case.merged_into else None,
        "mail": [{"kind": row.kind, "recipient": row.recipient, "status": row.status, "message_id": row.message_id}
                 for row in sent if row is not None],
    }


def _required(value, option: str):
    if not value:
        raise MailintakeError(f"this action needs {option}")
    return value
