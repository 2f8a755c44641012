"""The IMAP mailbox. The only module that imports imapclient.

    with Mailbox.connect(config.mailbox) as box:
        uidvalidity = box.open(config.mailbox.folder)
        for batch in batches(box.uids(), 50):
            for item in box.fetch(batch, max_bytes=...):
                ...
            box.move(done_uids, config.mailbox.processed_folder)

Messages are read with BODY.PEEK[] by UID; the \\Seen flag is never relied on.
"""

from __future__ import annotations

import logging
import socket
import ssl
import time
from datetime import datetime, timezone
from typing import Callable, Iterable, Iterator

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError, LoginError

from ..config import MailboxConfig
from ..errors import MailboxError, MailboxLoginCutOff, MailboxLoginError
from .message import FetchedMessage
from .oauth2 import TokenSource, token_source
from .tls import open_secured

# imapclient logs the whole IMAP conversation at DEBUG, message bodies included:
# turning on debug logging must never put citizens' mail in a log file.
logging.getLogger("imapclient").setLevel(logging.WARNING)

IMAP_ERRORS = (IMAPClientError, OSError, ssl.SSLError, socket.timeout)


class Mailbox:
    """A logged-in IMAP connection to one mailbox account."""

    def __init__(self, client: IMAPClient, config: MailboxConfig):
        self._client = client
        self.config = config
        self.folder: str | None = None

    @classmethod
    def connect(cls, config: MailboxConfig, password: str | None = None) -> "Mailbox":
        """Connect and log in (password, or OAuth2 with `auth = "oauth2"`); errors say which server refused what."""
        where = f"IMAP server {config.host}:{config.port}"
        tokens = token_source(config.oauth2, config.username) if config.auth == "oauth2" else None
        if tokens is not None:
            tokens.token()  # a refused client is the token endpoint's error, before any connection
        else:
            password = config.password.value() if password is None else password
        if tokens is None:
            return cls(_logged_in(config, where, lambda client: _password_login(client, config, password, where)), config)
        oauth2_login = lambda client: _oauth2_login(client, config, tokens, where)  # noqa: E731
        try:
            return cls(_logged_in(config, where, oauth2_login), config)
        except (MailboxLoginError, MailboxLoginCutOff):
            # a refused token is renewed once, and tried on a new connection: a server may close the one that
            # refused it, and a login cut off mid-way (the server's token check timed out) deserves one more try
            tokens.invalidate()
        return cls(_logged_in(config, where, oauth2_login), config)

    def __enter__(self) -> "Mailbox":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def close(self) -> None:
        try:
            self._client.logout()
        except IMAP_ERRORS:
            _close_quietly(self._client)

    def open(self, folder: str) -> int:
        """Select `folder` read-write and return its UIDVALIDITY."""
        info = self._call(f"select {folder}", self._client.select_folder, folder)
        self.folder = folder
        return int(info[b"UIDVALIDITY"])

    def uids(self) -> list[int]:
        """All UIDs in the selected folder, oldest first."""
        return sorted(self._call("search", self._client.search, "ALL"))

    def fetch(self, uids: list[int], max_bytes: int) -> list[FetchedMessage]:
        """Size and arrival time for every UID, and the raw bytes of those within `max_bytes`."""
        return [message for chunk in self.fetch_chunks(uids, max_bytes, chunk_bytes=None) for message in chunk]

    def fetch_chunks(self, uids: list[int], max_bytes: int, chunk_bytes: int | None) -> Iterator[list[FetchedMessage]]:
        """`fetch` in chunks of at most `chunk_bytes` of mail (one message at least), fetched as they are wanted,
        so that a batch of large messages is never in memory at once."""
        if not uids:
            return
        meta = self._call("fetch size", self._client.fetch, uids, ["RFC822.SIZE", "INTERNALDATE"])
        present = [uid for uid in uids if uid in meta]  # an absent one was expunged by someone else in between
        sizes = {uid: int(meta[uid].get(b"RFC822.SIZE", 0)) for uid in present}
        for chunk in _by_size(present, sizes, chunk_bytes):
            yield self._fetch_chunk(chunk, meta, max_bytes)  # no local keeps it while the next chunk arrives

    def _fetch_chunk(self, chunk: list[int], meta: dict, max_bytes: int) -> list[FetchedMessage]:
        small = [uid for uid in chunk if int(meta[uid].get(b"RFC822.SIZE", 0)) <= max_bytes]
        bodies = self._call("fetch body", self._client.fetch, small, ["BODY.PEEK[]"]) if small else {}
        fetched = []
        for uid in chunk:
            raw = bodies.get(uid, {}).get(b"BODY[]")
            fetched.append(FetchedMessage(
                uid=uid,
                size=int(meta[uid].get(b"RFC822.SIZE", len(raw or b""))),
                internal_date=_aware(meta[uid].get(b"INTERNALDATE")),
                raw=raw,
            ))
        return fetched

    def move(self, uids: Iterable[int], folder: str) -> None:
        """Move messages out of the selected folder: MOVE, else COPY + \\Deleted + UID EXPUNGE."""
        uids = sorted(uids)
        if not uids:
            return
        self.ensure_folder(folder)
        if self._client.has_capability("MOVE"):
            self._call(f"move to {folder}", self._client.move, uids, folder)
            return
        self._call(f"copy to {folder}", self._client.copy, uids, folder)
        self._call("flag deleted", self._client.add_flags, uids, [b"\\Deleted"])
        if self._client.has_capability("UIDPLUS"):
            self._call("uid expunge", self._client.uid_expunge, uids)
        else:
            self._call("expunge", self._client.expunge)

    def ensure_folder(self, folder: str) -> None:
        if not self._call("folder exists", self._client.folder_exists, folder):
            self._call(f"create {folder}", self._client.create_folder, folder)

    def append(self, folder: str, raw: bytes, flags: tuple = ()) -> None:
        self.ensure_folder(folder)
        self._call(f"append to {folder}", self._client.append, folder, raw, flags)

    def supports_idle(self) -> bool:
        return bool(self._client.has_capability("IDLE"))

    def idle_until_news(self, seconds: float, stop: Callable[[], bool]) -> bool:
        """IDLE on the selected folder for up to `seconds`, or until `stop()` turns true.

        True when the server reported new mail. Checks `stop` every second, so a
        shutdown never waits for the server.
        """
        deadline = time.monotonic() + seconds
        self._call("idle", self._client.idle)
        try:
            while not stop() and time.monotonic() < deadline:
                responses = self._call("idle wait", self._client.idle_check, timeout=1)
                if any(isinstance(r, tuple) and b"EXISTS" in r for r in responses):
                    return True
            return False
        finally:
            self._call("idle done", self._client.idle_done)

    def _call(self, what: str, method, *args, **kwargs):
        try:
            return method(*args, **kwargs)
        except IMAP_ERRORS as exc:
            raise MailboxError(f"IMAP server {self.config.host}:{self.config.port}: {what} failed: {_describe(exc)}") from None


def _by_size(uids: list[int], sizes: dict[int, int], limit: int | None) -> Iterator[list[int]]:
    chunk, total = [], 0
    for uid in uids:
        if chunk and limit is not None and total + sizes[uid] > limit:
            yield chunk
            chunk, total = [], 0
        chunk.append(uid)
        total += sizes[uid]
    if chunk:
        yield chunk


def batches(items: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _password_login(client: IMAPClient, config: MailboxConfig, password: str, where: str) -> None:
    try:
        client.login(config.username, password)
    except LoginError as exc:
        raise MailboxLoginError(f"{where} refused the login of {config.username}: {_describe(exc)}"
                                f"{_basic_auth_hint(exc)}") from None
    except IMAP_ERRORS as exc:
        raise MailboxError(f"{where}: login failed: {_describe(exc)}") from None


def _logged_in(config: MailboxConfig, where: str, login: Callable[[IMAPClient], None]) -> IMAPClient:
    """A new connection, logged in by `login`; closed again when the login fails."""
    try:
        client = _open_client(config)
    except IMAP_ERRORS as exc:
        raise MailboxError(f"{where}: cannot connect ({config.security}): {_describe(exc)}") from None
    try:
        login(client)
    except BaseException:
        _close_quietly(client)
        raise
    return client


_DROPPED = ("socket error", "eof", "connection reset", "broken pipe", "[unavailable]")  # RFC 5530: try again later


def _oauth2_login(client: IMAPClient, config: MailboxConfig, tokens: TokenSource, where: str) -> None:
    """OAUTHBEARER where the server offers it, else XOAUTH2, with the token source's current token."""
    offered = _auth_mechanisms(client, where)
    mechanism = "OAUTHBEARER" if "OAUTHBEARER" in offered else "XOAUTH2"
    token = tokens.token()
    try:
        if mechanism == "OAUTHBEARER":
            client.oauthbearer_login(config.username, token)
        else:
            client.oauth2_login(config.username, token)
    except LoginError as exc:
        if any(sign in str(exc).lower() for sign in _DROPPED):
            raise MailboxLoginCutOff(f"{where}: the {mechanism} login of {config.username} was cut off before the server "
                                f"answered; it is tried again on the next poll: {_describe(exc)}") from None
        raise MailboxLoginError(
            f"{where} refused {mechanism} for {config.username}: the app has no access to this mailbox "
            f"(Exchange service principal / ApplicationAccessPolicy?): {_describe(exc)}") from None
    except IMAP_ERRORS as exc:
        raise MailboxError(f"{where}: {mechanism} login failed: {_describe(exc)}") from None


def _auth_mechanisms(client: IMAPClient, where: str) -> set[str]:
    try:
        capabilities = client.capabilities()
    except IMAP_ERRORS as exc:
        raise MailboxError(f"{where}: capabilities failed: {_describe(exc)}") from None
    return {c.decode().upper()[5:] for c in capabilities if c.upper().startswith(b"AUTH=")}


def _basic_auth_hint(exc: BaseException) -> str:
    if "basic authentication is disabled" in str(exc).lower():
        return ': the server says basic authentication is disabled: set [mailbox] auth = "oauth2"'
    return ""


def _open_client(config: MailboxConfig) -> IMAPClient:
    timeout = config.timeout_seconds
    return open_secured(
        config.security,
        config.ca_file,
        implicit_tls=lambda context: IMAPClient(config.host, port=config.port, ssl=True, ssl_context=context, timeout=timeout),
        plain=lambda: IMAPClient(config.host, port=config.port, ssl=False, timeout=timeout),
        starttls=lambda client, context: client.starttls(context),
        close=_close_quietly,
    )


def _close_quietly(client: IMAPClient) -> None:
    try:
        client.shutdown()
    except Exception:  # already gone; nothing to release
        pass


def _aware(value) -> datetime | None:
    if not isinstance(value, datetime):
        return None
    # imapclient gives INTERNALDATE as naive local time; astimezone reads it as such
    return value.astimezone(timezone.utc)


def _describe(exc: BaseException) -> str:
    text = str(exc)
    if text[:2] in ("b'", 'b"'):
        text = text[2:-1]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
