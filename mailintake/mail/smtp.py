"""Sending one mail over SMTP. The only module that imports smtplib.

Errors are sorted into what the relay needs to know: try again later
(`TemporaryFailure`: 4xx, disconnects, timeouts) or never (`PermanentFailure`: 5xx).
"""

from __future__ import annotations

import email.policy
import email.utils
import smtplib
import socket
from email.message import EmailMessage

from ..config import SmtpConfig
from ..errors import PermanentFailure, SmtpFailure, TemporaryFailure
from .tls import open_secured


class SmtpTransport:
    """Opens one connection per `send`; acknowledgements are few and far between."""

    def __init__(self, config: SmtpConfig):
        self.config = config
        self.where = f"SMTP server {config.host}:{config.port}"

    def send(self, message: EmailMessage) -> str:
        """Send and return the server's final answer; raises a SmtpFailure subclass."""
        try:
            with self._connect() as client:
                self._login(client)
                refused = client.sendmail(_envelope_sender(message), _envelope_recipients(message), _wire_bytes(message))
                if refused:
                    raise PermanentFailure(f"{self.where} refused {', '.join(refused)}")
                return "250"
        except smtplib.SMTPRecipientsRefused as exc:
            code, answer = next(iter(exc.recipients.values()))
            raise _by_code(code, f"{self.where} refused the recipient: {code} {_text(answer)}") from None
        except smtplib.SMTPResponseException as exc:
            raise _by_code(exc.smtp_code, f"{self.where} answered {exc.smtp_code} {_text(exc.smtp_error)}") from None
        except (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, OSError, socket.timeout) as exc:
            raise TemporaryFailure(f"{self.where}: {type(exc).__name__}: {exc}") from None
        except smtplib.SMTPException as exc:
            raise TemporaryFailure(f"{self.where}: {type(exc).__name__}: {exc}") from None

    def check_login(self) -> str:
        """Connect (and log in when a username is set); used by `check-config`."""
        try:
            with self._connect() as client:
                self._login(client)
                client.noop()
        except smtplib.SMTPAuthenticationError as exc:
            raise SmtpFailure(f"{self.where} refused the login of {self.config.username}: {exc.smtp_code} {_text(exc.smtp_error)}") from None
        except (smtplib.SMTPException, OSError) as exc:
            raise SmtpFailure(f"{self.where}: cannot connect ({self.config.security}): {type(exc).__name__}: {exc}") from None
        return f"connected to {self.config.host}:{self.config.port}" + (f" as {self.config.username}" if self.config.username else "")

    def _connect(self) -> smtplib.SMTP:
        config = self.config
        timeout = config.timeout_seconds
        return open_secured(
            config.security,
            config.ca_file,
            implicit_tls=lambda context: smtplib.SMTP_SSL(config.host, config.port, timeout=timeout, context=context),
            plain=lambda: smtplib.SMTP(config.host, config.port, timeout=timeout),
            starttls=lambda client, context: client.starttls(context=context),
            close=lambda client: client.close(),
        )

    def _login(self, client: smtplib.SMTP) -> None:
        if self.config.username:
            client.login(self.config.username, self.config.password.value())


def _wire_bytes(message: EmailMessage) -> bytes:
    """Serialise ourselves: smtplib.send_message would rewrite body lines starting "From " as ">From "."""
    return message.as_bytes(policy=email.policy.SMTP)


def _envelope_sender(message: EmailMessage) -> str:
    return email.utils.parseaddr(str(message["Sender"] or message["From"]))[1]


def _envelope_recipients(message: EmailMessage) -> list[str]:
    fields = [str(value) for name in ("To", "Cc") for value in message.get_all(name, [])]
    return [address for _, address in email.utils.getaddresses(fields) if address]


def _by_code(code: int, message: str) -> SmtpFailure:
    return PermanentFailure(message) if 500 <= code < 600 else TemporaryFailure(message)


def _text(answer) -> str:
    return answer.decode("utf-8", "replace") if isinstance(answer, bytes) else str(answer)
