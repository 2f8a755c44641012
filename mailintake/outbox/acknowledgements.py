"""Compose acknowledgement mails: an `AckRequest` and the config in, an `EmailMessage` out.

The wording lives in jinja2 templates under `templates/acknowledgement/<language>/`
so staff can edit it without touching code. This module reads those templates
and nothing else: no SMTP, no database. The request carries no complaint text or
subject, so an acknowledgement cannot quote the complaint back.

>>> request = AckRequest(ref="OMB-2026-00042", language="nl", received_at=some_aware_datetime,
...     flags=("anonymous",), service="stad", recipient_name="", recipient_address="jan@example.be",
...     in_reply_to="<abc@example.be>", references=(), kind="acknowledgement",
...     message_id=make_message_id("leuven.be"))
>>> compose(request, config)["Subject"]
'Ontvangstmelding klacht [OMB-2026-00042]'
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, fields
from datetime import datetime
from email.message import EmailMessage

from ..config import Config
from ..domain import DEFAULT_LANGUAGE, FLAGS, LANGUAGES
from ..mail.message import clean_line
from .compose import (
    display_name,
    environment,
    fill_body,
    format_received,
    is_message_id,
    new_mail,
    service_contact,
)

ACKNOWLEDGEMENT = "acknowledgement"
FOLLOW_UP_NOTICE = "follow_up_notice"
KINDS = (ACKNOWLEDGEMENT, FOLLOW_UP_NOTICE)
TEXT_WIDTH = 76


@dataclass(frozen=True)
class AckRequest:
    """Everything one acknowledgement needs; stored with the outbox row, rendered at send time.

    `in_reply_to` is the citizen's Message-ID; `references` their thread. Our own
    `message_id` is fixed when the outbox row is created, so a retry is recognisable.
    """

    ref: str
    language: str
    received_at: datetime
    flags: tuple[str, ...]
    service: str | None
    recipient_name: str
    recipient_address: str
    in_reply_to: str | None
    references: tuple[str, ...]
    kind: str
    message_id: str

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown acknowledgement kind {self.kind!r} (one of {', '.join(KINDS)})")
        if self.received_at.tzinfo is None or self.received_at.utcoffset() is None:
            raise ValueError("received_at must be an aware datetime")
        unknown = [f for f in self.flags if f not in FLAGS]
        if unknown:
            raise ValueError(f"unknown flag {unknown[0]!r} (one of {', '.join(FLAGS)})")
        if not is_message_id(self.message_id):
            raise ValueError(f"message_id {self.message_id!r} is not of the form <local@domain>")

    def to_json(self) -> dict:
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["received_at"] = self.received_at.isoformat()
        data["flags"] = list(self.flags)
        data["references"] = list(self.references)
        return data

    @classmethod
    def from_json(cls, data: dict) -> "AckRequest":
        values = dict(data)
        values["received_at"] = datetime.fromisoformat(values["received_at"])
        values["flags"] = tuple(values.get("flags") or ())
        values["references"] = tuple(values.get("references") or ())
        return cls(**values)


def language_of(request: AckRequest) -> str:
    """The request's language when we have templates for it, else Dutch."""
    language = (request.language or "").strip().lower()
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


def render(request: AckRequest, config: Config) -> tuple[str, str, str]:
    """(subject, plain text, HTML) of the mail, in the request's language."""
    language = language_of(request)
    context = template_context(request, config, language)
    base = f"acknowledgement/{language}/{request.kind}"
    env = environment()
    subject = clean_line(env.get_template(f"{base}.subject.txt").render(context))
    text = _tidy_text(env.get_template(f"{base}.txt").render(context))
    html = env.get_template(f"{base}.html").render(context).strip() + "\n"
    return subject, text, html


def compose(request: AckRequest, config: Config, *, now: datetime | None = None) -> EmailMessage:
    """The complete mail: headers for threading and loop prevention, plain text plus HTML."""
    subject, text, html = render(request, config)
    message = new_mail(
        config, to_name=request.recipient_name, to_address=request.recipient_address, subject=subject,
        message_id=request.message_id, in_reply_to=request.in_reply_to, references=request.references,
        automatic=True, now=now,
    )
    fill_body(message, text, html=html, language=language_of(request))
    return message


def template_context(request: AckRequest, config: Config, language: str) -> dict:
    """The names a template may use; documented in templates/acknowledgement/README.md."""
    return {
        "ref": clean_line(request.ref),
        "language": language,
        "received": format_received(request.received_at, config.intake.zone, language),
        "recipient_name": display_name(request.recipient_name),
        "flags": tuple(request.flags),
        "service": service_contact(request.service, config, language),
        "deadlines": config.deadlines,
        "office": config.office,
    }


def _tidy_text(text: str) -> str:
    """Wrap long lines (list items keep a hanging indent), at most one blank line in a row."""
    lines: list[str] = []
    for line in text.splitlines():
        line = line.rstrip()
        if len(line) <= TEXT_WIDTH:
            lines.append(line)
            continue
        indent = " " * (len(line) - len(line.lstrip(" -")))
        lines.extend(textwrap.wrap(line, TEXT_WIDTH, subsequent_indent=indent,
                                   break_long_words=False, break_on_hyphens=False))
    tidy = re.sub(r"\n{3,}", "\n\n", "\n".join(lines))
    return tidy.strip() + "\n"
