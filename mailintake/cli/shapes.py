"""The JSON shapes the commands print: contracts that scripts and other checks rely on, kept in one place."""

from __future__ import annotations

from datetime import datetime

from ..config import Config
from ..review.deadlines import case_deadlines
from ..store.models import Case, OutboxMessage

CASE_SUMMARY = ("ref", "status", "received_at", "sender_name", "sender_address", "reply_address", "subject",
                "language", "channel", "service", "service_confidence", "flags", "uncertain_flags", "cited_ref")
QUEUE_ROW = ("ref", "status", "received_at", "sender_name", "sender_address", "subject", "service", "flags",
             "uncertain_flags")


def case_columns(case: Case, names: tuple[str, ...]) -> dict:
    """The named columns of a case as JSON values (times in ISO 8601, flags as a list)."""
    return {name: _json_value(name, getattr(case, name)) for name in names}


def case_summary(case: Case) -> dict:
    """One case of `cases list --json`."""
    return {
        **case_columns(case, CASE_SUMMARY),
        "messages": [{"message_id": m.message_id, "sha256": m.sha256, "outcome": m.outcome} for m in case.messages],
    }


def case_detail(case: Case) -> dict:
    """`cases show REF --json`: the summary with the citizen's text, the verdict and the attachments."""
    return {
        **case_summary(case),
        "text": case.text,
        "verdict": case.verdict,
        "attachments": [
            {"filename": a.filename, "content_type": a.content_type, "size": a.size, "sha256": a.sha256,
             "message_id": m.message_id}
            for m in case.messages
            for a in m.attachments
        ],
    }


def queue_row(case: Case, config: Config) -> dict:
    """One queue line of `review list --json`, with the case's deadlines."""
    due = case_deadlines(case, config)
    return {
        **case_columns(case, QUEUE_ROW),
        "themes": [t.theme for t in case.themes],
        "language": case.language,
        "channel": case.channel,
        "handler": case.handler.name if case.handler else None,
        "admissibility_due": due.admissibility.to_json(),
        "handling_due": due.handling.to_json(),
    }


def outbox_row(row: OutboxMessage) -> dict:
    """One mail of `outbox list --json`."""
    return {
        "id": row.id,
        "kind": row.kind,
        "ref": row.case.ref if row.case else None,
        "message_id": row.message_id,
        "recipient": row.recipient,
        "language": row.language,
        "status": row.status,
        "reason": row.reason,
        "attempts": row.attempts,
        "last_error": row.last_error,
        "undeliverable": row.undeliverable,
        "created_at": row.created_at.isoformat(),
        "sent_at": row.sent_at.isoformat() if row.sent_at else None,
    }


def _json_value(name: str, value):
    if isinstance(value, datetime):
        return value.isoformat()
    if name in ("flags", "uncertain_flags"):
        return list(value or [])
    return value
