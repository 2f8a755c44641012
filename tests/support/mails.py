"""Test mails built in code: a plain complaint whose every header can be changed."""

from __future__ import annotations

from datetime import datetime, timezone
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid


def complaint(subject: str = "Klacht over het containerpark", body: str | None = None, **headers) -> bytes:
    """A complaint in Dutch from An Peeters; `X_Test="1"` adds header X-Test, `From=`, `Date=`, `Message_ID=` replace."""
    message = EmailMessage()
    message["From"] = headers.pop("From", "An Peeters <an.peeters@example.be>")
    message["To"] = "Ombudsdienst Leuven <ombudsdienst@leuven.example.be>"
    message["Subject"] = subject
    message["Date"] = headers.pop("Date", format_datetime(datetime(2026, 11, 20, 9, 30, tzinfo=timezone.utc)))
    message["Message-ID"] = headers.pop("Message_ID", make_msgid(domain="example.be"))
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(
        body
        or "Geachte,\n\nVorige week werd ik aan het containerpark in Heverlee onvriendelijk weggestuurd "
        "terwijl ik op tijd was. Ik heb de dienst Afvalbeheer gebeld maar kreeg geen antwoord.\n\n"
        "Met vriendelijke groeten,\nAn Peeters\nNaamsestraat 1, 3000 Leuven\n"
    )
    return message.as_bytes()
