"""Opening a mail connection in the configured security mode: implicit TLS, STARTTLS, or none.

Shared by IMAP and SMTP. The certificate is verified against the system store,
or `ca_file` when set. A failing STARTTLS closes the connection and raises:
never a silent fallback to plain text.
"""

from __future__ import annotations

import ssl
from typing import Callable, TypeVar

Client = TypeVar("Client")


def tls_context(ca_file: str | None) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=ca_file)


def open_secured(
    security: str,
    ca_file: str | None,
    *,
    implicit_tls: Callable[[ssl.SSLContext], Client],
    plain: Callable[[], Client],
    starttls: Callable[[Client, ssl.SSLContext], object],
    close: Callable[[Client], None],
) -> Client:
    """A connected client: `implicit_tls(context)` for "tls", else `plain()`, upgraded with `starttls` for "starttls"."""
    if security == "tls":
        return implicit_tls(tls_context(ca_file))
    client = plain()
    if security == "starttls":
        try:
            starttls(client, tls_context(ca_file))
        except BaseException:
            close(client)
            raise
    return client
