"""Letters staff send from a case: drafted from editable templates, approved, then mailed by the outbox.

`draft()` renders `templates/letters/<language>/<kind>.subject.txt` and `.txt`
into a `Letter` that staff may edit before sending; the outbox keeps the text
as approved, and `compose()` turns that row into an `EmailMessage` at send time.
Letters to the citizen go out in the case's language; letters to a service
(mediation request, forward) in Dutch.

>>> letter = draft("decline", case, config, reason="anonymous")
>>> letter.subject
'Uw klacht [OMB-2026-00042]'
"""

from __future__ import annotations

import email.policy
from dataclasses import dataclass
from datetime import datetime, timezone
from email.message import EmailMessage
from email.utils import format_datetime

from .acknowledgements import (
    LOOP_HEADER,
    _address,
    _message_ids,
    display_name,
    environment,
    format_received,
    message_id_domain,
    service_contact,
)
from .config import Config
from .models import Case, OutboxMessage
from .parsing import clean_line
from .services import service_address

TO_CITIZEN = ("decline", "redirect", "closing", "reply")
TO_SERVICE = ("mediation_request", "forward")
KINDS = TO_CITIZEN + TO_SERVICE
LANGUAGES = ("nl", "fr", "en")
MAX_BODY = 50_000


class LetterError(ValueError):
    """A letter cannot be drafted or sent as asked (no recipient, empty text)."""


@dataclass(frozen=True)
class Letter:
    kind: str
    recipient: str
    recipient_name: str
    language: str
    subject: str
    body: str

    def edited(self, subject: str | None, body: str | None) -> "Letter":
        """The same letter with the text staff approved; the reference stays in the subject."""
        return approved(self.kind, self.recipient, self.recipient_name, self.language, subject or self.subject,
                        body or self.body, _ref_of(self.subject))


def approved(kind: str, recipient: str, recipient_name: str, language: str, subject: str, body: str, ref: str) -> Letter:
    subject = clean_line(subject).strip()
    if ref and f"[{ref}]" not in subject:
        subject = f"{subject} [{ref}]".strip()
    body = body.replace("\r\n", "\n").strip()
    if not body:
        raise LetterError("the letter is empty")
    if len(body) > MAX_BODY:
        raise LetterError("the letter is too long")
    return Letter(kind, recipient, recipient_name, language, subject, body + "\n")


def draft(kind: str, case: Case, config: Config, **details) -> Letter:
    """The template's text for this case; `details` are the decision's values (reason, outcome, ...)."""
    if kind not in KINDS:
        raise LetterError(f"unknown letter kind {kind!r}")
    recipient, name, language = _recipient(kind, case, config, details.get("service"))
    context = _context(case, config, language, details)
    env = environment()
    subject = env.get_template(f"letters/{language}/{kind}.subject.txt").render(context)
    body = env.get_template(f"letters/{language}/{kind}.txt").render(context)
    return approved(kind, recipient, name, language, subject, body, case.ref)


def compose(row: OutboxMessage, config: Config, *, now: datetime | None = None) -> EmailMessage:
    """The mail for an approved letter in the outbox, threaded with the case's messages."""
    smtp = config.smtp
    message = EmailMessage(policy=email.policy.SMTP)
    message["From"] = _address(smtp.from_name, smtp.from_address)
    message["To"] = _address(row.recipient_name, row.recipient)
    message["Reply-To"] = _address(smtp.from_name, smtp.reply_to or smtp.from_address)
    message["Subject"] = clean_line(row.subject or "")
    message["Date"] = format_datetime((now or datetime.now(timezone.utc)).astimezone(config.intake.zone))
    message["Message-ID"] = clean_line(row.message_id)
    answered = row.answers
    if answered is not None and answered.message_id:
        thread = _message_ids([*((answered.parsed or {}).get("references") or ()), answered.message_id])
        if thread:
            message["In-Reply-To"] = thread[-1]
            message["References"] = " ".join(thread[-20:])
    message[LOOP_HEADER] = message_id_domain(config)
    body = row.body or ""
    message.set_content(body, cte="7bit" if body.isascii() and _short_lines(body) else "quoted-printable")
    message["Content-Language"] = row.language
    return message


def _recipient(kind: str, case: Case, config: Config, service: str | None) -> tuple[str, str, str]:
    if kind in TO_SERVICE:
        target = service or case.service
        address = service_address(config, target)
        if not address:
            raise LetterError(f"no address configured for service {target!r} ([services.{target}] address)")
        contact = service_contact(target, config, "nl")
        return address, contact.name if contact else "", "nl"
    if not case.reply_address:
        raise LetterError(f"case {case.ref} has no mail address to write to")
    language = case.language if case.language in LANGUAGES else "nl"
    return case.reply_address, case.sender_name, language


def _context(case: Case, config: Config, language: str, details: dict) -> dict:
    service = details.get("service") or case.service
    return {
        "ref": case.ref,
        "language": language,
        "received": format_received(case.received_at, config.intake.zone, language),
        "recipient_name": display_name(case.sender_name),
        "citizen_name": display_name(case.sender_name),
        "subject": clean_line(case.subject),
        "text": case.text,
        "service": service_contact(service, config, language),
        "office": config.office,
        "deadlines": config.deadlines,
        "reason": details.get("reason"),
        "outcome": details.get("outcome"),
        "resolved": details.get("resolved"),
        "norms": tuple(details.get("norms") or ()),
        "recommendation": details.get("recommendation") or "",
        "handler": details.get("handler") or "",
    }


def _ref_of(subject: str) -> str:
    start, end = subject.rfind("["), subject.rfind("]")
    return subject[start + 1:end] if 0 <= start < end else ""


def _short_lines(text: str) -> bool:
    return all(len(line) <= 78 for line in text.splitlines())
