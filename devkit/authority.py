"""A local OAuth2 provider for the tests: token endpoint, Entra-style metadata and errors, token introspection.

`LocalAuthority` runs two threaded HTTP servers on 127.0.0.1: plain HTTP for
the generic token endpoint and the RFC 7662 introspection Dovecot's oauth2
passdb calls, and HTTPS (a throw-away certificate) for the Microsoft
authority msal insists on. It issues short-lived tokens so expiry is
exercised, serves the client-credentials, refresh-token and JWT-bearer
(client assertion, service account) grants, can rotate refresh tokens, and
answers a wrong secret the way Entra ID does.

    with LocalAuthority(lifetime=3.0) as authority:
        authority.add_client("app", secret="s3cret", mailboxes=["user1"])
        authority.token_url        # generic provider
        authority.authority_url    # microsoft: https://127.0.0.1:PORT/TENANT
        authority.allows("user1", token)
"""

from __future__ import annotations

import base64
import json
import secrets
import ssl
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HOST = "127.0.0.1"
TENANT = "00000000-0000-4000-8000-00000000c0de"
ENTRA_INVALID_SECRET = {
    "error": "invalid_client",
    "error_description": ("AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request "
                          "is the client secret value, not the client secret ID, for a secret added to app "
                          "'00000000-0000-0000-0000-000000000000'. Trace ID: 0 Correlation ID: 0 Timestamp: 0"),
    "error_codes": [7000215],
}


@dataclass
class Client:
    client_id: str
    secret: str | None
    mailboxes: tuple[str, ...]
    thumbprint: str | None = None  # a client assertion must name this certificate (x5t)


@dataclass
class Grant:
    client_id: str
    mailbox: str
    expires_at: float


@dataclass
class Issued:
    """What the authority handed out, for assertions: grant type and client per token request."""

    requests: list[tuple[str, str]] = field(default_factory=list)


class LocalAuthority:
    def __init__(self, root: Path, lifetime: float = 3600.0, rotate_refresh_tokens: bool = False):
        self.root = Path(root)
        self.lifetime = lifetime
        self.rotate_refresh_tokens = rotate_refresh_tokens
        self.clients: dict[str, Client] = {}
        self.refresh_tokens: dict[str, str] = {}  # refresh token -> client id
        self.tokens: dict[str, Grant] = {}
        self.issued = Issued()
        self._lock = threading.Lock()
        self._servers: list[ThreadingHTTPServer] = []
        self.ca_file: str = ""

    # -- set-up ----------------------------------------------------------------------------------

    def add_client(self, client_id: str, secret: str | None = None, mailboxes=(), thumbprint: str | None = None):
        self.clients[client_id] = Client(client_id, secret, tuple(m.lower() for m in mailboxes), thumbprint)

    def issue_refresh_token(self, client_id: str) -> str:
        token = "rt-" + secrets.token_urlsafe(24)
        with self._lock:
            self.refresh_tokens[token] = client_id
        return token

    def expire_all(self) -> None:
        """Every access token issued so far is refused from now on (expired or revoked, as the server sees it)."""
        with self._lock:
            for grant in self.tokens.values():
                grant.expires_at = 0.0

    def start(self) -> "LocalAuthority":
        import trustme  # a test extra, like this whole module

        ca = trustme.CA()
        self.root.mkdir(parents=True, exist_ok=True)
        cert = ca.issue_cert(HOST, "localhost")
        self.ca_file = str(self.root / "authority-ca.pem")
        ca.cert_pem.write_to_path(self.ca_file)
        handler = type("Handler", (_Handler,), {"authority": self})
        plain = ThreadingHTTPServer((HOST, 0), handler)
        tls = ThreadingHTTPServer((HOST, 0), handler)
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        cert.configure_cert(context)
        tls.socket = context.wrap_socket(tls.socket, server_side=True)
        for server in (plain, tls):
            server.daemon_threads = True
            threading.Thread(target=server.serve_forever, name="local-authority", daemon=True).start()
        self._servers = [plain, tls]
        return self

    def stop(self) -> None:
        for server in self._servers:
            server.shutdown()
            server.server_close()
        self._servers = []

    def __enter__(self) -> "LocalAuthority":
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    @property
    def http_url(self) -> str:
        return f"http://{HOST}:{self._servers[0].server_address[1]}"

    @property
    def https_url(self) -> str:
        return f"https://{HOST}:{self._servers[1].server_address[1]}"

    @property
    def token_url(self) -> str:
        return f"{self.http_url}/token"

    @property
    def introspection_url(self) -> str:
        return f"{self.http_url}/introspect"

    @property
    def authority_url(self) -> str:
        """What `[oauth2] token_url` names for provider microsoft: the tenant's token endpoint on HTTPS."""
        return f"{self.https_url}/{TENANT}/oauth2/v2.0/token"

    # -- what the servers decide ---------------------------------------------------------------

    def allows(self, mailbox: str, token: str) -> bool:
        """Whether `token` was issued, has not expired, and grants this mailbox (the SMTP sink's `check_token`)."""
        with self._lock:
            grant = self.tokens.get(token)
        return grant is not None and grant.expires_at > time.time() and grant.mailbox == mailbox.lower()

    def introspect(self, token: str) -> dict:
        with self._lock:
            grant = self.tokens.get(token)
        if grant is None or grant.expires_at <= time.time():
            return {"active": False}
        return {"active": True, "username": grant.mailbox, "client_id": grant.client_id}

    def grant(self, form: dict[str, str], entra: bool) -> tuple[int, dict]:
        grant_type = form.get("grant_type", "")
        client = self._authenticate(form, grant_type)
        if client is None:
            return 401, (ENTRA_INVALID_SECRET if entra else {"error": "invalid_client",
                                                              "error_description": "client authentication failed"})
        answer: dict = {}
        if grant_type == "refresh_token":
            with self._lock:
                owner = self.refresh_tokens.get(form.get("refresh_token", ""))
            if owner != client.client_id:
                return 400, {"error": "invalid_grant", "error_description": "refresh token unknown or used"}
            if self.rotate_refresh_tokens:
                with self._lock:
                    del self.refresh_tokens[form["refresh_token"]]
                answer["refresh_token"] = self.issue_refresh_token(client.client_id)
        elif grant_type not in ("client_credentials", "urn:ietf:params:oauth:grant-type:jwt-bearer"):
            return 400, {"error": "unsupported_grant_type"}
        token = "at-" + secrets.token_urlsafe(24)
        with self._lock:
            self.tokens[token] = Grant(client.client_id, client.mailboxes[0] if client.mailboxes else "",
                                       time.time() + self.lifetime)
            self.issued.requests.append((grant_type, client.client_id))
        return 200, {"access_token": token, "token_type": "Bearer", "expires_in": int(self.lifetime),
                     "ext_expires_in": int(self.lifetime), **answer}

    def _authenticate(self, form: dict[str, str], grant_type: str) -> Client | None:
        if grant_type == "urn:ietf:params:oauth:grant-type:jwt-bearer":  # a Google service account's signed JWT
            claims = _jwt_part(form.get("assertion", ""), 1)
            return self.clients.get(claims.get("iss", ""))
        client = self.clients.get(form.get("client_id", ""))
        if client is None:
            return None
        if "client_assertion" in form:  # msal with a certificate: a JWT naming the certificate's thumbprint
            header = _jwt_part(form["client_assertion"], 0)
            thumbprint = base64.urlsafe_b64decode(header.get("x5t", "") + "==").hex().upper() if header else ""
            return client if client.thumbprint and thumbprint == client.thumbprint.upper() else None
        if client.secret is not None and form.get("client_secret") != client.secret:
            return None
        return client

    def openid_configuration(self, tenant: str) -> dict:
        base = f"{self.https_url}/{tenant}"
        return {"issuer": f"{base}/v2.0", "token_endpoint": f"{base}/oauth2/v2.0/token",
                "authorization_endpoint": f"{base}/oauth2/v2.0/authorize", "jwks_uri": f"{base}/discovery/v2.0/keys"}


class _Handler(BaseHTTPRequestHandler):
    authority: LocalAuthority

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        parts = self.path.split("?")[0].strip("/").split("/")
        if parts[-3:] == ["v2.0", ".well-known", "openid-configuration"]:
            self._answer(200, self.authority.openid_configuration(parts[0]))
        else:
            self._answer(404, {"error": "not_found"})

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers.get("Content-Length") or 0)
        form = {k: v[0] for k, v in urllib.parse.parse_qs(self.rfile.read(length).decode()).items()}
        path = self.path.split("?")[0]
        if path == "/introspect":
            self._answer(200, self.authority.introspect(form.get("token", "")))
        elif path == "/token" or path.endswith("/oauth2/v2.0/token"):
            self._answer(*self.authority.grant(form, entra=path != "/token"))
        else:
            self._answer(404, {"error": "not_found"})

    def _answer(self, status: int, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args) -> None:
        pass


def _jwt_part(jwt: str, index: int) -> dict:
    try:
        part = jwt.split(".")[index]
        return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    except (IndexError, ValueError):
        return {}
