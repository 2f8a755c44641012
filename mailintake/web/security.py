"""Security plumbing of the web UI: signing key, cookies, CSRF, response headers."""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
from pathlib import Path

from flask import Flask, request
from flask.sessions import SecureCookieSessionInterface
from flask_wtf.csrf import CSRFProtect
from sqlalchemy.exc import IntegrityError

from ..config import Config
from ..errors import ConfigError
from ..store.database import Database
from ..store.models import AppSetting

log = logging.getLogger(__name__)
SECRET_SETTING = "web.secret_key"
PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; "
    "frame-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
# the sanitised HTML of a mail: nothing runs, nothing is fetched (inline data: images only)
MAIL_CSP = (
    "default-src 'none'; img-src data:; style-src 'none'; script-src 'none'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'self'; sandbox"
)

csrf = CSRFProtect()


class SessionInterface(SecureCookieSessionInterface):
    """Signed cookie sessions, marked Secure when configured or when the request came over TLS."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"] or request.is_secure)


def init_app(app: Flask, config: Config, database: Database) -> None:
    app.secret_key = app.config.get("SECRET_KEY") or signing_key(config, database)
    app.session_interface = SessionInterface()
    csrf.init_app(app)
    app.after_request(_headers)


def signing_key(config: Config, database: Database) -> str:
    """`[web] secret_key_env` when set; else a key made of two secrets, one shared through the database (so that
    several `serve` processes agree) and one in a file outside it (`secret_key_file`): a copy of the database
    alone does not let anyone forge a session."""
    if config.web.secret_key_env:
        value = os.environ.get(config.web.secret_key_env)
        if not value:
            raise ConfigError(f"[web] secret_key_env: environment variable {config.web.secret_key_env} is not set")
        return value
    shared = _shared_secret(database)
    outside = _file_secret(config, database)
    if outside is None:
        log.warning("web: the signing key lives in the database only; set [web] secret_key_file or secret_key_env")
        return shared
    return hmac.new(outside.encode(), shared.encode(), hashlib.sha256).hexdigest()


def _file_secret(config: Config, database: Database) -> str | None:
    """The secret of `[web] secret_key_file` (made, 0600, when missing); by default next to the SQLite file."""
    path = config.web.secret_key_file
    if not path and database.engine.dialect.name == "sqlite" and database.engine.url.database not in (None, "", ":memory:"):
        path = f"{database.engine.url.database}.web-key"
    if not path:
        return None
    file = Path(os.path.expandvars(path))
    try:
        fd = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    except OSError as exc:
        raise ConfigError(f"[web] secret_key_file: cannot create {file}: {exc.strerror}") from None
    else:
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(48) + "\n")
    try:
        value = file.read_text().strip()
    except OSError as exc:
        raise ConfigError(f"[web] secret_key_file: cannot read {file}: {exc.strerror}") from None
    if len(value) < 32:
        raise ConfigError(f"[web] secret_key_file: {file} holds fewer than 32 characters")
    return value


def _shared_secret(database: Database) -> str:
    with database.unit_of_work() as session:
        found = session.get(AppSetting, SECRET_SETTING)
        if found is not None:
            return found.value
    try:
        with database.unit_of_work() as session:
            value = secrets.token_urlsafe(48)
            session.add(AppSetting(key=SECRET_SETTING, value=value))
            return value
    except IntegrityError:  # another process stored one first: use theirs
        with database.unit_of_work() as session:
            return session.get(AppSetting, SECRET_SETTING).value


def _headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", PAGE_CSP)
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "same-origin"
    headers.setdefault("X-Frame-Options", "DENY")
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    if request.endpoint != "static":
        headers["Cache-Control"] = "no-store"
    return response
