"""Staff's own account: the second factor (TOTP) with its QR code and recovery codes."""

from __future__ import annotations

import io

import segno
from flask import Blueprint, flash, g, make_response, redirect, render_template, url_for

from ..review import accounts, audit
from ..store.models import StaffUser
from . import forms
from .auth import actor
from .context import config, db

bp = Blueprint("account", __name__)


def _me() -> StaffUser:
    return db().get(StaffUser, g.user.id)


@bp.route("/account/tweestap", methods=["GET", "POST"])
def second_factor():
    user = _me()
    form = forms.CodeForm()
    if user.totp_secret:
        return render_template("second_factor.html", enabled=True, form=None)
    if form.validate_on_submit():
        codes = accounts.confirm_second_factor(user, form.code.data)
        if codes is None:
            flash("De code klopt niet; probeer de volgende code uit de app.", "error")
            return render_template("second_factor.html", enabled=False, form=form, secret=user.totp_pending), 422
        audit.record(db(), actor(), "second_factor_on")
        db().commit()
        return render_template("second_factor.html", enabled=True, form=None, recovery_codes=codes)
    if not user.totp_pending:
        accounts.start_second_factor(user)
        db().commit()
    return render_template("second_factor.html", enabled=False, form=form, secret=user.totp_pending)


@bp.route("/account/tweestap/qr.svg")
def qr_code():
    user = _me()
    if not user.totp_pending:
        return redirect(url_for("account.second_factor"))
    out = io.BytesIO()
    segno.make(accounts.enrolment_uri(user, config().office.name), error="m").save(out, kind="svg", scale=5)
    response = make_response(out.getvalue())
    response.headers["Content-Type"] = "image/svg+xml"
    return response
