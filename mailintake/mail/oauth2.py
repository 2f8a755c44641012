"""OAuth2 access tokens for the mailbox and the SMTP relay: acquired, cached in memory, renewed before they expire.

The only module that imports msal (Microsoft) and google-auth (Google); the
generic provider speaks RFC 6749 to a token endpoint over plain HTTPS. msal and
google-auth are imported by the provider that needs them: every command
would pay a third of a second for them otherwise.

    source = token_source(config.mailbox.oauth2, config.mailbox.username)
    client.oauth2_login(user, source.token())      # cached until shortly before it expires
    source.invalidate()                            # the server refused it: the next token() is a fresh one

One `TokenSource` per settings and mailbox is shared by every connection of a
process, so a reconnect after a long IDLE gets a token that is still valid.
A refresh token the provider rotates is written back to its file atomically.
Tokens and secrets are never logged.
"""

from __future__ import annotations

import json
import logging
import os
import ssl
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import requests

from ..config import OAuth2Config
from ..errors import TokenError

log = logging.getLogger(__name__)

DEFAULT_SCOPES = {
    "microsoft": "https://outlook.office365.com/.default",
    "google": "https://mail.google.com/",
    "generic": "",
}
MICROSOFT_LOGIN = "https://login.microsoftonline.com"
GOOGLE_TOKEN_URL = "https://oauth2.googleapis.com/token"
RENEW_MARGIN = 300.0  # seconds before expiry a token is renewed (at most half its lifetime)


@dataclass(frozen=True)
class Token:
    value: str
    expires_at: float  # time.time()
    lifetime: float

    def fresh(self, now: float) -> bool:
        return now < self.expires_at - min(RENEW_MARGIN, self.lifetime / 2)


class TokenSource:
    """Access tokens for one client and one mailbox (`subject`), cached until shortly before they expire."""

    def __init__(self, settings: OAuth2Config, subject: str):
        self.settings = settings
        self.subject = subject
        self.endpoint = token_endpoint(settings)
        self._token: Token | None = None
        self._lock = threading.Lock()
        self._msal_app = None

    def token(self) -> str:
        with self._lock:
            if self._token is None or not self._token.fresh(time.time()):
                self._token = self._fetch()
                log.info("oauth2: new access token from %s, valid for %.0f s", self.endpoint, self._token.lifetime)
            return self._token.value

    def describe(self) -> str:
        """Get a token now and say where from and for how long (`check-config`); never the token itself."""
        self.token()
        left = self._token.expires_at - time.time() if self._token else 0
        return f"token from {self.endpoint}, valid for {left:.0f} s"

    def invalidate(self) -> None:
        """Forget the cached token (the server refused it); the next `token()` asks the provider again."""
        with self._lock:
            self._token = None
            self._msal_app = None  # msal keeps its own cache; a new app starts without it

    def _fetch(self) -> Token:
        settings = self.settings
        if settings.provider == "microsoft" and settings.grant == "client_credentials":
            return self._microsoft_client_credentials()
        if settings.provider == "google":
            return self._google()
        if settings.grant == "refresh_token":
            return self._refresh_grant()
        return self._post({"grant_type": "client_credentials", "client_id": settings.client_id,
                           "client_secret": settings.client_secret.value(), **self._scope()})

    # -- Microsoft: msal, client secret or certificate ------------------------------------------

    def _microsoft_client_credentials(self) -> Token:
        if self._msal_app is None:
            self._msal_app = self._new_msal_app()
        try:
            answer = self._msal_app.acquire_token_for_client(scopes=[scope_of(self.settings)])
        except (requests.RequestException, ValueError) as exc:
            raise TokenError(f"token endpoint {self.endpoint}: {_first_line(exc)}") from None
        if "access_token" not in answer:
            raise TokenError(f"token endpoint {self.endpoint} refused the client: {_microsoft_error(answer)}")
        return _token(answer["access_token"], answer.get("expires_in"))

    def _new_msal_app(self):
        import msal

        settings = self.settings
        try:
            return msal.ConfidentialClientApplication(
                settings.client_id, client_credential=self._microsoft_credential(),
                authority=microsoft_authority(settings), instance_discovery=not settings.token_url,
                http_client=http_session(settings), timeout=settings.timeout_seconds,
            )
        except (requests.RequestException, ValueError) as exc:
            raise TokenError(f"token endpoint {self.endpoint}: {_first_line(exc)}") from None

    def _microsoft_credential(self):
        settings = self.settings
        if not settings.certificate_file:
            return settings.client_secret.value()
        try:
            pem = Path(settings.certificate_file).read_text(encoding="ascii")
        except OSError as exc:
            raise TokenError(f"[oauth2] certificate_file: cannot read {settings.certificate_file}: {exc.strerror}") from None
        return {"private_key": pem, "thumbprint": settings.certificate_thumbprint.replace(":", "").upper(),
                "public_certificate": pem}

    # -- Google: google-auth, refresh token or service account ----------------------------------

    def _google(self) -> Token:
        import google.auth.exceptions
        import google.auth.transport.requests
        import google.oauth2.credentials

        settings = self.settings
        if settings.grant == "refresh_token":
            before = _read_secret_file(settings.refresh_token_file, "refresh_token_file")
            credentials = google.oauth2.credentials.Credentials(
                None, refresh_token=before, token_uri=settings.token_url or GOOGLE_TOKEN_URL,
                client_id=settings.client_id, client_secret=settings.client_secret.value() or None,
                scopes=[scope_of(settings)],
            )
        else:
            credentials = self._google_service_account()
        try:
            credentials.refresh(google.auth.transport.requests.Request(http_session(settings)))
        except google.auth.exceptions.GoogleAuthError as exc:
            raise TokenError(f"token endpoint {self.endpoint} refused the client: {_google_error(exc)}") from None
        if settings.grant == "refresh_token" and credentials.refresh_token and credentials.refresh_token != before:
            write_atomically(Path(settings.refresh_token_file), credentials.refresh_token)
        lifetime = (credentials.expiry.timestamp() - time.time()) if credentials.expiry else 3600.0
        return _token(credentials.token, lifetime)

    def _google_service_account(self):
        import google.oauth2.service_account

        settings = self.settings
        try:
            info = json.loads(Path(settings.service_account_file).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise TokenError(f"[oauth2] service_account_file: cannot read {settings.service_account_file}: "
                             f"{getattr(exc, 'strerror', None) or exc}") from None
        if settings.token_url:
            info["token_uri"] = settings.token_url
        return google.oauth2.service_account.Credentials.from_service_account_info(
            info, scopes=[scope_of(settings)], subject=self.subject)

    # -- RFC 6749 over HTTPS: the generic provider, and refresh tokens -------------------------

    def _refresh_grant(self) -> Token:
        settings = self.settings
        form = {"grant_type": "refresh_token", "client_id": settings.client_id,
                "refresh_token": _read_secret_file(settings.refresh_token_file, "refresh_token_file"), **self._scope()}
        if settings.client_secret.configured:
            form["client_secret"] = settings.client_secret.value()
        answer = self._post_json(form)
        rotated = answer.get("refresh_token")
        if rotated and rotated != form["refresh_token"]:
            write_atomically(Path(settings.refresh_token_file), rotated)
        return _token(answer["access_token"], answer.get("expires_in"))

    def _post(self, form: dict) -> Token:
        answer = self._post_json(form)
        return _token(answer["access_token"], answer.get("expires_in"))

    def _post_json(self, form: dict) -> dict:
        request = urllib.request.Request(self.endpoint, data=urllib.parse.urlencode(form).encode(),
                                         headers={"Accept": "application/json"}, method="POST")
        context = ssl.create_default_context(cafile=self.settings.ca_file)
        try:
            with urllib.request.urlopen(request, timeout=self.settings.timeout_seconds, context=context) as response:
                answer = json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as exc:
            raise TokenError(f"token endpoint {self.endpoint} refused the client: {_http_error(exc)}") from None
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise TokenError(f"token endpoint {self.endpoint}: cannot get a token: {_first_line(exc)}") from None
        if "access_token" not in answer:
            raise TokenError(f"token endpoint {self.endpoint} answered without an access_token")
        return answer

    def _scope(self) -> dict:
        scope = scope_of(self.settings)
        return {"scope": scope} if scope else {}


class _Session(requests.Session):
    """A requests session that verifies with its own CA bundle; plain requests lets $REQUESTS_CA_BUNDLE win."""

    def request(self, *args, **kwargs):
        kwargs.setdefault("verify", self.verify)
        return super().request(*args, **kwargs)


def http_session(settings: OAuth2Config) -> requests.Session:
    session = _Session()
    session.verify = settings.ca_file or True
    return session


_sources: dict[tuple[OAuth2Config, str], TokenSource] = {}
_sources_lock = threading.Lock()


def token_source(settings: OAuth2Config, subject: str) -> TokenSource:
    """The process's one token source for these settings and this mailbox."""
    with _sources_lock:
        key = (settings, subject.lower())
        if key not in _sources:
            _sources[key] = TokenSource(settings, subject)
        return _sources[key]


def scope_of(settings: OAuth2Config) -> str:
    return settings.scope or DEFAULT_SCOPES[settings.provider]


def microsoft_authority(settings: OAuth2Config) -> str:
    """https://login.microsoftonline.com/TENANT, or what `token_url` names (sovereign clouds, tests)."""
    if settings.token_url:
        return settings.token_url.removesuffix("/").removesuffix("/oauth2/v2.0/token")
    return f"{MICROSOFT_LOGIN}/{settings.tenant_id}"


def token_endpoint(settings: OAuth2Config) -> str:
    """Where tokens come from, for messages."""
    if settings.provider == "microsoft":
        return f"{microsoft_authority(settings)}/oauth2/v2.0/token"
    if settings.provider == "google":
        return settings.token_url or GOOGLE_TOKEN_URL
    return settings.token_url


def xoauth2_string(user: str, token: str) -> str:
    """The SASL XOAUTH2 initial response (before base64), as Microsoft and Google document it."""
    return f"user={user}\x01auth=Bearer {token}\x01\x01"


def write_atomically(path: Path, value: str) -> None:
    """Replace `path` with `value` (0600) so that a crash leaves the old token or the new one, never half."""
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(value + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise TokenError(f"[oauth2] refresh_token_file: cannot save the rotated token to {path}: {exc.strerror}") from None
    log.info("oauth2: the provider rotated the refresh token; saved to %s", path)


def _read_secret_file(path: str | None, key: str) -> str:
    try:
        return Path(os.path.expandvars(path or "")).read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise TokenError(f"[oauth2] {key}: cannot read {path}: {exc.strerror}") from None


def _token(value: str, expires_in) -> Token:
    lifetime = 3600.0 if expires_in in (None, "") else float(expires_in)  # 0 means expired, not an hour
    return Token(value, time.time() + lifetime, lifetime)


def _microsoft_error(answer: dict) -> str:
    """`AADSTS7000215 invalid client secret provided` from Entra's error answer."""
    description = next(iter((answer.get("error_description") or "").strip().splitlines()), "")
    code, _, text = description.partition(":")
    if code.startswith("AADSTS"):
        sentence = text.strip().split(". ")[0].rstrip(".")
        return f"{code} {sentence[:1].lower()}{sentence[1:]}"
    return f"{answer.get('error', 'error')}{': ' + description if description else ''}"


def _google_error(exc: Exception) -> str:
    text = str(exc.args[0]) if exc.args else str(exc)
    return text.splitlines()[0][:300]


def _http_error(exc: urllib.error.HTTPError) -> str:
    try:
        answer = json.loads(exc.read() or b"{}")
    except ValueError:
        answer = {}
    if str(answer.get("error_description", "")).startswith("AADSTS"):
        return _microsoft_error(answer)
    error = answer.get("error") or f"HTTP {exc.code}"
    return f"{error}{': ' + str(answer['error_description'])[:200] if answer.get('error_description') else ''}"


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0][:300]}" if text else type(exc).__name__
