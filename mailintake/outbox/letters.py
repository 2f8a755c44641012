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

from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage

from ..config import Config
from ..domain import DEFAULT_LANGUAGE, LANGUAGES
from ..errors import LetterError
from ..mail.message import clean_line
from ..store.models import Case, OutboxMessage
from .compose import display_name, environment, fill_body, format_received, new_mail, service_contact

TO_CITIZEN = ("decline", "redirect", "closing", "reply")
TO_SERVICE = ("mediation_request", "forward")
KINDS = TO_CITIZEN + TO_SERVICE
MAX_BODY = 50_000


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
    """The mail for an approved letter (or a staff notice) in the outbox, threaded with the case's messages."""
    answered = row.answers if row.answers is not None and row.answers.message_id else None
    message = new_mail(
        config, to_name=row.recipient_name, to_address=row.recipient, subject=row.subject or "",
        message_id=row.message_id, in_reply_to=answered.message_id if answered else None,
        references=((answered.parsed or {}).get("references") or ()) if answered else (), now=now,
    )
    fill_body(message, row.body or "", language=row.language)
    return message


def _recipient(kind: str, case: Case, config: Config, service: str | None) -> tuple[str, str, str]:
    if kind in TO_SERVICE:
        target = service or case.service
        address = config.service_address(target)
        if not address:
            raise LetterError(f"no address configured for service {target!r} ([services.{target}] address)")
        contact = service_contact(target, config, "nl")
        return address, contact.name if contact else "", DEFAULT_LANGUAGE
    if not case.reply_address:
        raise LetterError(f"case {case.ref} has no mail address to write to")
    language = case.language if case.language in LANGUAGES else DEFAULT_LANGUAGE
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
