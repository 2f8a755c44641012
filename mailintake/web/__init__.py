"""The staff review web UI: a Flask app factory on top of `review`.

`create_app(config, database)` builds the app; nothing is global and nothing is
kept in the process: the signing key comes from the environment or the
database, login throttling lives in the database, sessions in signed cookies.
Screens are in Dutch; every action works without JavaScript.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from ..config import Config
from ..outbox.compose import templates_dir
from ..store.database import Database
from . import account, auth, cases, context, decide, errors, inbox, security, year

STATIC = Path(__file__).resolve().parent / "static"


def create_app(config: Config, database: Database, *, overrides: dict | None = None) -> Flask:
    """The review UI for one config and database; `overrides` are Flask settings (tests)."""
    app = Flask(__name__, template_folder=str(templates_dir() / "web"), static_folder=str(STATIC))
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=config.web.secure_cookies,
        SESSION_COOKIE_NAME="mailintake_session",
        MAX_CONTENT_LENGTH=2 * 1024 * 1024,
        WTF_CSRF_TIME_LIMIT=None,  # the token is bound to the session, which times out itself
        SEND_FILE_MAX_AGE_DEFAULT=3600,
    )
    app.config.update(overrides or {})
    app.jinja_env.autoescape = True  # every template, whatever its extension
    context.init_app(app, config, database)
    security.init_app(app, config, database)
    errors.init_app(app)
    auth.init_app(app)
    for blueprint in (account.bp, auth.bp, cases.bp, decide.bp, inbox.bp, year.bp):
        app.register_blueprint(blueprint)
    return app
