"""Views for what did not arrive as a normal case: quarantine, skipped mail, manual intake; the outbox and the audit log.

Every list is paged by `review.paging`, `[web] page_size` rows at a time.
"""

from __future__ import annotations

from datetime import datetime, time

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from ..domain import Outcome
from ..errors import ReviewError
from ..review import audit, messages
from ..review.choices import MAIL_STATUSES
from ..review.outgoing import outbox_page
from ..store.lookup import get_message
from . import forms
from .auth import actor, admin_required
from .context import config, db, wanted_page

bp = Blueprint("inbox", __name__)


@bp.route("/quarantaine")
def quarantine():
    listing = messages.problem_page(db(), wanted_page(), config().web.page_size)
    return render_template("quarantine.html", listing=listing)


@bp.route("/quarantaine/<public_id>/opnieuw", methods=["POST"])
def retry(public_id: str):
    record = get_message(db(), public_id)
    if not forms.PlainForm().validate_on_submit():
        abort(400)
    try:
        outcome = messages.retry(db(), config(), actor(), record)
    except ReviewError as exc:
        db().rollback()
        flash(f"Niet gelukt: {exc}", "error")
        return redirect(url_for("inbox.quarantine"))
    db().commit()
    if outcome == "failed":
        flash(f"Opnieuw mislukt: {record.last_error}", "error")
    elif record.case is not None and outcome == Outcome.CASE:
        flash(f"Verwerkt: nieuwe zaak {record.case.ref}.", "ok")
        return redirect(url_for("cases.case", public_id=record.case.public_id))
    else:
        flash(f"Verwerkt: {record.reason}.", "ok")
    return redirect(url_for("inbox.quarantine"))


@bp.route("/overgeslagen")
def skipped():
    listing = messages.skipped_page(db(), wanted_page(), config().web.page_size)
    return render_template("skipped.html", listing=listing)


@bp.route("/uitgaand")
def outbox():
    """Every mail we owe or sent (acknowledgements and letters), newest first; `status` narrows it."""
    status = request.args.get("status", "")
    status = status if status in MAIL_STATUSES else ""
    listing = outbox_page(db(), wanted_page(), config().web.page_size, status)
    return render_template("outbox.html", listing=listing, status=status)


@bp.route("/overgeslagen/<public_id>/klacht", methods=["POST"])
def complaint_after_all(public_id: str):
    record = get_message(db(), public_id)
    if not forms.PlainForm().validate_on_submit():
        abort(400)
    try:
        case = messages.complaint_after_all(db(), config(), actor(), record)
    except ReviewError as exc:
        db().rollback()
        flash(f"Niet gelukt: {exc}", "error")
        return redirect(url_for("inbox.skipped"))
    db().commit()
    flash(f"Alsnog een klacht: zaak {case.ref} aangemaakt, ontvangstmelding in de wachtrij.", "ok")
    return redirect(url_for("cases.case", public_id=case.public_id))


@bp.route("/berichten/<public_id>/eigen-zaak", methods=["POST"])
def split_off(public_id: str):
    """A follow-up that is a complaint of its own (another sender) becomes its own case."""
    record = get_message(db(), public_id)
    if not forms.PlainForm().validate_on_submit():
        abort(400)
    was = record.case
    try:
        case = messages.split_off(db(), config(), actor(), record)
    except ReviewError as exc:
        db().rollback()
        flash(f"Niet gelukt: {exc}", "error")
        return redirect(url_for("cases.case", public_id=was.public_id) if was else url_for("cases.queue"))
    db().commit()
    flash(f"Eigen zaak {case.ref} aangemaakt, ontvangstmelding in de wachtrij.", "ok")
    return redirect(url_for("cases.case", public_id=case.public_id))


@bp.route("/berichten/<public_id>/verplaatsen", methods=["POST"])
def move(public_id: str):
    """A follow-up that joined the wrong case goes to the case staff name."""
    record = get_message(db(), public_id)
    form = forms.MergeForm()
    if not form.validate_on_submit():
        abort(400)
    was = record.case
    try:
        target = messages.move(db(), actor(), record, form.into.data.strip())
    except ReviewError as exc:
        db().rollback()
        flash(f"Niet gelukt: {exc}", "error")
        return redirect(url_for("cases.case", public_id=was.public_id))
    db().commit()
    flash(f"Bericht verplaatst naar {target.ref}.", "ok")
    return redirect(url_for("cases.case", public_id=target.public_id))


@bp.route("/nieuw", methods=["GET", "POST"])
def manual():
    form = forms.ManualForm()
    if request.method == "GET":
        form.received.data = datetime.now(config().intake.zone).date()
    if form.validate_on_submit():
        complaint = messages.ManualComplaint(
            channel=form.channel.data,
            received_at=datetime.combine(form.received.data, time(12, 0), config().intake.zone),
            name=form.name.data, text=form.text.data, subject=form.subject.data or "",
            email=form.email.data or "", postal_address=form.postal_address.data or "",
            phone=form.phone.data or "", language=form.language.data, service=form.service.data or None,
        )
        try:
            case = messages.register(db(), config(), actor(), complaint)
        except ReviewError as exc:
            db().rollback()
            flash(f"Niet opgeslagen: {exc}", "error")
            return render_template("manual.html", form=form), 422
        db().commit()
        flash(f"Klacht geregistreerd als {case.ref}.", "ok")
        return redirect(url_for("cases.case", public_id=case.public_id))
    status = 422 if request.method == "POST" else 200
    return render_template("manual.html", form=form), status


@bp.route("/logboek")
@admin_required
def audit_log():
    listing = audit.latest_page(db(), wanted_page(), config().web.page_size)
    return render_template("audit.html", listing=listing, changes=audit.changes)
