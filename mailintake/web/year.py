"""The office's year in the review UI: the annual report to download, and erasure on request (admins).

Downloading a report is logged (without a case); erasing is a two-step form:
first the dry run shows what would go, then staff confirm.
"""

from __future__ import annotations

from flask import Blueprint, abort, make_response, render_template, request
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField
from wtforms.validators import DataRequired, Length, Regexp

from ..review import audit
from ..store.models import utcnow
from ..year.report import FORMATS, make_report, render
from ..year.retention import erase_address
from .auth import actor, admin_required
from .context import config, db

bp = Blueprint("year", __name__)
MEDIA = {"html": "text/html; charset=utf-8", "pdf": "application/pdf", "csv": "text/csv; charset=utf-8"}
REPORT_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; frame-ancestors 'none'"


class EraseForm(FlaskForm):
    address = StringField("E-mailadres", validators=[DataRequired(), Length(max=320),
                                                        Regexp(r"^[^@\s]+@[^@\s]+$", message="geen e-mailadres")])
    confirmed = HiddenField(default="")


@bp.route("/jaarverslag")
def report_page():
    this_year = utcnow().astimezone(config().intake.zone).year
    return render_template("report.html", years=list(range(this_year, this_year - 6, -1)), formats=FORMATS)


@bp.route("/jaarverslag/<int:year>.<fmt>")
def report_download(year: int, fmt: str):
    if fmt not in FORMATS or not 2000 <= year <= 2100:
        abort(404)
    data = render(make_report(db(), config(), year), fmt)
    audit.record(db(), actor(), "report", note=f"jaarverslag {year} ({fmt})")
    db().commit()
    response = make_response(data)
    response.headers["Content-Type"] = MEDIA[fmt]
    response.headers["Content-Security-Policy"] = REPORT_CSP
    disposition = "inline" if fmt == "html" else "attachment"
    response.headers["Content-Disposition"] = f'{disposition}; filename="jaarverslag-{year}.{fmt}"'
    return response


@bp.route("/wissen", methods=["GET", "POST"])
@admin_required
def erase():
    form = EraseForm()
    result = None
    if request.method == "POST" and form.validate_on_submit():
        final = form.confirmed.data == "yes"
        result = erase_address(db(), config(), actor(), form.address.data, dry_run=not final)
        db().commit()
        form.confirmed.data = "" if final else "yes"
    return render_template("erase.html", form=form, result=result)
