"""Log lines on stderr, one per event: plain text, or JSON lines for log shippers (`--log-format json`).

Under systemd, stderr goes to the journal, which stamps each line itself.
Message bodies and secrets are never logged (the intake logs only an
exception's type; imapclient's protocol log stays off).
"""

from __future__ import annotations

import json
import logging
import os
import sys
from datetime import datetime, timezone

FORMATS = ("text", "json")
FORMAT_ENV = "MAILINTAKE_LOG_FORMAT"
TEXT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
NOISY_LOGGERS = ("mailparser", "imapclient", "alembic", "mail-parser-reply", "mailparser_reply")


class JsonLines(logging.Formatter):
    """`{"time": ..., "level": ..., "logger": ..., "message": ...}` per line."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info and record.exc_info[0] is not None:
            line["exception"] = record.exc_info[0].__name__
        return json.dumps(line, ensure_ascii=False)


def default_format() -> str:
    return os.environ.get(FORMAT_ENV, "text")


def setup_logging(verbose: bool, fmt: str = "text") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonLines() if fmt == "json" else logging.Formatter(TEXT))
    logging.basicConfig(level=logging.DEBUG if verbose else logging.INFO, handlers=[handler])
    for noisy in NOISY_LOGGERS:
        logging.getLogger(noisy).setLevel(logging.ERROR)
