"""OAuth2 test worlds on the local authority (devkit/authority.py), and an authority that remembers what it judged.

    with RecordingAuthority(tmp / "authority", lifetime=4) as authority:
        world = oauth2_world(make_world, authority, imap, tmp)
        ...
        authority.introspected        # [(token, active)] per Dovecot login, in order
        authority.checked             # [(mailbox, token, allowed)] per SMTP AUTH XOAUTH2, in order
"""

from __future__ import annotations

import threading
from pathlib import Path

from devkit.authority import LocalAuthority

SECRET = "een-geheim-van-de-app"


class RecordingAuthority(LocalAuthority):
    """A LocalAuthority that keeps each introspection (Dovecot) and each token check (the SMTP sink) it answered."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.introspected: list[tuple[str, bool]] = []
        self.checked: list[tuple[str, str, bool]] = []
        self._record_lock = threading.Lock()

    def introspect(self, token: str) -> dict:
        answer = super().introspect(token)
        with self._record_lock:
            self.introspected.append((token, bool(answer.get("active"))))
        return answer

    def allows(self, mailbox: str, token: str) -> bool:
        allowed = super().allows(mailbox, token)
        with self._record_lock:
            self.checked.append((mailbox, token, allowed))
        return allowed

    def valid(self, mailbox: str, token: str) -> bool:
        """What `allows` would answer, without recording it (for the test's own look)."""
        return super().allows(mailbox, token)

    def client_of(self, token: str) -> str | None:
        """Which client a token was issued to (None: not issued here)."""
        grant = self.tokens.get(token)
        return grant.client_id if grant is not None else None


def secret_file(tmp: Path, name: str = "client-secret", secret: str = SECRET) -> Path:
    path = tmp / name
    path.write_text(secret + "\n")
    return path


def client_table(authority: LocalAuthority, tmp: Path, client_id: str = "app", secret: str = SECRET,
                 **settings) -> dict:
    """An `[... .oauth2]` table for the generic provider: `client_id`, its secret in a file, the authority's endpoint."""
    path = secret_file(tmp, f"{client_id}-secret", secret)
    return {"provider": "generic", "client_id": client_id, "token_url": authority.token_url,
            "ca_file": authority.ca_file, "client_secret_file": str(path), **settings}


def oauth2_world(make_world, authority: LocalAuthority, imap, tmp: Path, smtp: dict | None = None, **mailbox):
    """A world whose mailbox logs in with tokens of client "app"; the relay too (oauth2 = "mailbox") unless `smtp`."""
    world = make_world(imap=imap, check_token=authority.allows,
                       mailbox={"auth": "oauth2", "oauth2": client_table(authority, tmp), "password_env": None,
                                **mailbox},
                       smtp=smtp or {"auth": "oauth2", "oauth2": "mailbox"})
    authority.add_client("app", secret=SECRET, mailboxes=[world.user])
    return world


def logins(dovecot) -> list[str]:
    """The SASL mechanism of every successful IMAP login in Dovecot's log, in order (e.g. ["XOAUTH2"])."""
    text = dovecot.log_path.read_text(errors="replace")
    return [line.split("method=", 1)[1].split(",", 1)[0] for line in text.splitlines()
            if "imap-login: Info: Login:" in line and "method=" in line]
