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

from ..config import Config, SmtpConfig
from ..errors import PermanentFailure, SmtpFailure, TemporaryFailure, TokenError
from .oauth2 import TokenSource, token_source, xoauth2_string
from .tls import open_secured


class SmtpTransport:
    """Opens one connection per `send`; acknowledgements are few and far between.

    Logs in with the password when `[smtp] username` is set, with AUTH XOAUTH2
    when `auth = "oauth2"` (a refused token is renewed once and tried again
    before the send counts as a temporary failure), or not at all.
    """

    def __init__(self, config: SmtpConfig, tokens: TokenSource | None = None, user: str = ""):
        self.config = config
        self.tokens = tokens
        self.user = user or config.username
        self.where = f"SMTP server {config.host}:{config.port}"

    @classmethod
    def from_config(cls, config: Config) -> "SmtpTransport":
        if config.smtp.auth != "oauth2":
            return cls(config.smtp)
        return cls(config.smtp, token_source(config.smtp_oauth2(), config.smtp_user()), config.smtp_user())

    def send(self, message: EmailMessage) -> str:
        """Send and return the server's final answer; raises a SmtpFailure subclass."""
        for _ in range(2):
            try:
                return self._send(message)
            except smtplib.SMTPAuthenticationError as exc:  # only with OAuth2: the token may have expired
                self.tokens.invalidate()
                refused = exc
            except TokenError as exc:  # the token endpoint is down or refuses: try the mail again later
                raise TemporaryFailure(str(exc)) from None
        raise TemporaryFailure(f"{self.where} refused XOAUTH2 for {self.user}: {refused.smtp_code} "
                               f"{_text(refused.smtp_error)}")

    def _send(self, message: EmailMessage) -> str:
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
        except smtplib.SMTPAuthenticationError as exc:
            if self.tokens is not None:
                raise
            raise _by_code(exc.smtp_code, f"{self.where} answered {exc.smtp_code} {_text(exc.smtp_error)}") from None
        except smtplib.SMTPResponseException as exc:
            raise _by_code(exc.smtp_code, f"{self.where} answered {exc.smtp_code} {_text(exc.smtp_error)}") from None
        except (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, OSError, socket.timeout) as exc:
            raise TemporaryFailure(f"{self.where}: {type(exc).__name__}: {exc}") from None
        except smtplib.SMTPException as exc:
            raise TemporaryFailure(f"{self.where}: {type(exc).__name__}: {exc}") from None

    def check_login(self) -> str:
        """Connect and log in as configured; used by `check-config`."""
        for attempt in (1, 2):
            try:
                with self._connect() as client:
                    self._login(client)
                    client.noop()
                break
            except smtplib.SMTPAuthenticationError as exc:
                if self.tokens is not None and attempt == 1:
                    self.tokens.invalidate()
                    continue
                how = "XOAUTH2" if self.tokens is not None else "the login"
                raise SmtpFailure(f"{self.where} refused {how} of {self.user}: {exc.smtp_code} "
                                  f"{_text(exc.smtp_error)}{_basic_auth_hint(exc)}") from None
            except (smtplib.SMTPException, OSError) as exc:
                raise SmtpFailure(f"{self.where}: cannot connect ({self.config.security}): {type(exc).__name__}: {exc}") from None
        how = " with XOAUTH2" if self.tokens is not None else ""
        return f"connected to {self.config.host}:{self.config.port}" + (f" as {self.user}{how}" if self.config.logs_in else "")

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
        if self.tokens is not None:
            client.ehlo_or_helo_if_needed()
            initial = xoauth2_string(self.user, self.tokens.token())
            # after a refusal the server sends a 334 with its error; the empty answer ends the exchange (535)
            client.auth("XOAUTH2", lambda challenge=None: initial if challenge is None else "")
        elif self.config.logs_in:
            client.login(self.config.username, self.config.password.value())


def _wire_bytes(message: EmailMessage) -> bytes:
    """Serialise ourselves: smtplib.send_message would rewrite body lines starting "From " as ">From "."""
    return message.as_bytes(policy=email.policy.SMTP)


def _envelope_sender(message: EmailMessage) -> str:
    return email.utils.parseaddr(str(message["Sender"] or message["From"]))[1]


def _envelope_recipients(message: EmailMessage) -> list[str]:
    fields = [str(value) for name in ("To", "Cc") for value in message.get_all(name, [])]
    return [address for _, address in email.utils.getaddresses(fields) if address]


def _basic_auth_hint(exc: smtplib.SMTPAuthenticationError) -> str:
    if "basic authentication is disabled" in _text(exc.smtp_error).lower():
        return ': the server says basic authentication is disabled: set [smtp] auth = "oauth2"'
    return ""


def _by_code(code: int, message: str) -> SmtpFailure:
    return PermanentFailure(message) if 500 <= code < 600 else TemporaryFailure(message)


def _text(answer) -> str:
    return answer.decode("utf-8", "replace") if isinstance(answer, bytes) else str(answer)
