"""Security plumbing of the web UI: signing key, cookies, CSRF, response headers."""

from __future__ import annotations

import os
import secrets

from flask import Flask, request
from flask.sessions import SecureCookieSessionInterface
from flask_wtf.csrf import CSRFProtect
from sqlalchemy.exc import IntegrityError

from ..config import Config
from ..errors import ConfigError
from ..store.database import Database
from ..store.models import AppSetting

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
    """`[web] secret_key_env` when set, else a key generated once and shared through the database."""
    if config.web.secret_key_env:
        value = os.environ.get(config.web.secret_key_env)
        if not value:
            raise ConfigError(f"[web] secret_key_env: environment variable {config.web.secret_key_env} is not set")
        return value
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
