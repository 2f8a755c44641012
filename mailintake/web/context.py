"""The app's config, the request's database session, the page it asks for, and the office's clock, for every view.

`init_app` opens one session per request and rolls back (then closes) what a
view did not commit, and gives the templates the `local` filter: every time
staff see is in `[intake] timezone`, never in the UTC it is stored in.
"""

from __future__ import annotations

from datetime import datetime

from flask import Flask, current_app, g, request
from sqlalchemy.orm import Session

from ..config import Config
from ..review.paging import PageRequest
from ..store.database import Database

KEY_LENGTH = 64  # a page key is a timestamp and an id; anything longer is not one


def init_app(app: Flask, config: Config, database: Database) -> None:
    app.config.update(MAILINTAKE_CONFIG=config, MAILINTAKE_DB=database)
    app.before_request(_open_session)
    app.teardown_request(_close_session)
    app.jinja_env.filters["local"] = local_time


def local_time(moment: datetime | None, pattern: str = "%d-%m-%Y %H:%M") -> str:
    """A stored (aware, UTC) moment on the office's clock, with its summer or winter offset."""
    if moment is None:
        return "—"
    return moment.astimezone(config().intake.zone).strftime(pattern)


def config() -> Config:
    return current_app.config["MAILINTAKE_CONFIG"]


def db() -> Session:
    """The request's database session (committed by views that change something)."""
    return g.db_session


def wanted_page() -> PageRequest:
    """The page of a list the URL names: `after` or `before` a row's key, `last`, or (old links) `page`."""
    args = request.args
    return PageRequest(
        number=args.get("page", 1, type=int) or 1,
        after=args.get("after", "")[:KEY_LENGTH],
        before=args.get("before", "")[:KEY_LENGTH],
        last=bool(args.get("last")),
    )


def _open_session() -> None:
    if request.endpoint == "static":
        return
    g.db_session = current_app.config["MAILINTAKE_DB"].session()


def _close_session(_exc) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.rollback()  # whatever a view did not commit is dropped
        session.close()
