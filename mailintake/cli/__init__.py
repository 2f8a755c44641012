"""The command line: `mailintake [--config PATH] COMMAND ...`. Parses arguments and calls in; no logic.

One module per command group registers its commands. Expected faults (bad
config, a server that refuses, an unknown reference) print one line on stderr
and exit non-zero.
"""

from __future__ import annotations

import argparse
import sys

from sqlalchemy.exc import SQLAlchemyError

from .. import __version__
from ..errors import ConfigError, MailintakeError
from ..memory import exit_without_last_collection, return_large_buffers
from . import cases, intake, logs, outbox, review, system, year

EXIT_OK = 0
EXIT_FAULT = 1  # a server refused, a record was not found, a request did not fit
EXIT_CONFIG = 2  # the configuration is wrong; the message names the key
EXIT_INTERRUPTED = 130
COMMAND_GROUPS = (intake, cases, outbox, system, review, year)


def run() -> None:
    """The `mailintake` command and `python -m mailintake`: `main`, then the process ends."""
    exit_without_last_collection(main())


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return_large_buffers()
    logs.setup_logging(args.verbose, args.log_format)
    try:
        return args.handler(args) or EXIT_OK
    except ConfigError as exc:
        print(f"mailintake: configuration error: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    except MailintakeError as exc:
        print(f"mailintake: {exc}", file=sys.stderr)
        return EXIT_FAULT
    except SQLAlchemyError as exc:
        print(f"mailintake: database error: {str(exc).splitlines()[0]}", file=sys.stderr)
        return EXIT_FAULT
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mailintake", description="Email intake of the Ombudsdienst Leuven.")
    parser.add_argument("--config", metavar="PATH", help="config file (default: $MAILINTAKE_CONFIG, else ./config.toml)")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    parser.add_argument("--log-format", choices=logs.FORMATS, default=logs.default_format(),
                        help=f"log lines as text or JSON (default: ${logs.FORMAT_ENV}, else text)")
    parser.add_argument("--version", action="version", version=f"mailintake {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for group in COMMAND_GROUPS:
        group.add_commands(commands)
    return parser
