"""Logging in and out, and the guard in front of every other page: a valid, recent session.

A session cookie holds the user's id, when it was issued and when it was last
used. It stops working when it has been idle for `[web] idle_minutes`, when it
is older than `session_hours`, when
the user logs out (every session of that user issued before then ends), or
when the user is deactivated. Failed logins are throttled in the database.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime, timedelta, timezone
from functools import wraps
from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, g, redirect, render_template, request, session, url_for

from ..review import accounts
from ..review.audit import Actor
from ..store.models import StaffRole, StaffUser
from .context import config, db
from .forms import CodeForm, LoginForm, PlainForm

log = logging.getLogger(__name__)
bp = Blueprint("auth", __name__)
PUBLIC_ENDPOINTS = ("auth.login", "auth.second_factor", "static")
CODE_WAIT_SECONDS = 300  # between the password and the second-factor code


def init_app(app) -> None:
    app.before_request(_require_login)
    app.context_processor(lambda: {"user": g.get("user"), "plain_form": PlainForm()})


def actor() -> Actor:
    return Actor(g.user.name, g.user.id)


def admin_required(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        if g.user.role != StaffRole.ADMIN:
            abort(403)
        return view(*args, **kwargs)
    return wrapped


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        web = config().web
        policy = accounts.ThrottlePolicy(max_failures=web.max_failed_logins,
                                         max_wait=timedelta(minutes=web.lockout_max_minutes))
        result = accounts.check_login(db(), form.name.data, form.password.data, policy, client=request.remote_addr or "")
        db().commit()
        # the client address is the proxy's X-Forwarded-For only when [web] trusted_proxy sent it
        log.info("login %s for %r from %s", "accepted" if result.ok else "refused", form.name.data[:100],
                 request.remote_addr)
        if result.ok and result.user.totp_secret:
            session.clear()
            session["pending_uid"], session["pending_at"] = result.user.id, time.time()
            return redirect(url_for("auth.second_factor", next=request.args.get("next")))
        if result.ok:
            _start_session(result.user)
            return redirect(_safe_next(request.args.get("next")))
        if result.locked_until is not None:
            wait = max(1, int((result.locked_until - datetime.now(timezone.utc)).total_seconds()))
            flash(f"Te veel mislukte pogingen. Probeer opnieuw over {wait} seconden.", "error")
            return render_template("login.html", form=form), 429
        flash("Naam of wachtwoord klopt niet.", "error")
        return render_template("login.html", form=form), 401
    return render_template("login.html", form=form)


@bp.route("/login/code", methods=["GET", "POST"])
def second_factor():
    """The second step for a user with a second factor: a TOTP code, or one of the recovery codes."""
    uid, since = session.get("pending_uid"), session.get("pending_at", 0)
    user = db().get(StaffUser, uid) if uid is not None and time.time() - since < CODE_WAIT_SECONDS else None
    if user is None or not user.active:
        session.pop("pending_uid", None)
        return redirect(url_for("auth.login"))
    form = CodeForm()
    if not form.validate_on_submit():
        return render_template("login_code.html", form=form)
    client = request.remote_addr or ""
    if accounts.second_factor_locked(db(), user.name, client) is None and accounts.second_factor_ok(user, form.code.data):
        db().commit()
        log.info("second factor accepted for %r from %s", user.name, client)
        _start_session(user)
        return redirect(_safe_next(request.args.get("next")))
    web = config().web
    accounts.note_refused_code(db(), user.name, accounts.ThrottlePolicy(
        max_failures=web.max_failed_logins, max_wait=timedelta(minutes=web.lockout_max_minutes)), client)
    db().commit()
    log.info("second factor refused for %r from %s", user.name, client)
    flash("De code klopt niet.", "error")
    return render_template("login_code.html", form=form), 401


@bp.route("/logout", methods=["POST"])
def logout():
    if PlainForm().validate_on_submit():
        accounts.end_sessions(db().get(StaffUser, g.user.id))
        db().commit()
    session.clear()
    flash("U bent afgemeld.", "info")
    return redirect(url_for("auth.login"))


def _start_session(user: StaffUser) -> None:
    session.clear()
    now = time.time()
    session["uid"] = user.id
    session["issued"] = now
    session["seen"] = now
    session.permanent = False


def _require_login():
    g.user = None
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    expired = _idle_expired()
    user = None if expired else _session_user()
    if user is None:
        for key in ("uid", "issued", "seen"):  # the login ends; a CSRF token for the login form stays
            session.pop(key, None)
        if expired:
            flash("Uw sessie is verlopen. Meld u opnieuw aan.", "info")
        if request.method == "GET":
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        abort(403)
    g.user = user
    session["seen"] = time.time()
    return None


def _session_user() -> StaffUser | None:
    uid, issued = session.get("uid"), session.get("issued")
    if uid is None or issued is None:
        return None
    user = db().get(StaffUser, uid)
    if user is None or not user.active:
        return None
    if issued < user.sessions_valid_after.timestamp():
        return None
    if time.time() - issued > config().web.session_hours * 3600:  # however busy, a session ends; log in again
        return None
    return user


def _idle_expired() -> bool:
    seen = session.get("seen")
    idle = config().web.idle_minutes * 60
    return seen is not None and time.time() - seen > idle


def _safe_next(target: str | None) -> str:
    """Only a path on this site: never an open redirect."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//") \
                and "\\" not in target:
            return target
    return url_for("cases.queue")
