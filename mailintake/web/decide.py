"""Decision views: one POST route per decision, each calling `review` and committing with its audit entry.

Decisions that send a letter take two steps without JavaScript: the first
POST shows the template's letter in an editable form (the decision's values
ride along as hidden fields), the second sends the approved text. Recipients
are always worked out again on the server, never taken from the form.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for

from ..errors import ReviewError
from ..review import decisions
from ..review.choices import DECLINE_REASONS, NOT_COMPLAINT_REASONS, OUTCOMES
from ..store.lookup import get_case_by_public_id
from . import forms
from .auth import actor
from .context import config, db

bp = Blueprint("decide", __name__)


def _case(public_id: str):
    return get_case_by_public_id(db(), public_id)


def _back(case, message: str, category: str = "ok"):
    flash(message, category)
    return redirect(url_for("cases.case", public_id=case.public_id))


def _invalid(case, form):
    problems = "; ".join(f"{form[name].label.text}: {', '.join(errors)}" for name, errors in form.errors.items())
    return _back(case, f"Niet opgeslagen: {problems or 'ongeldig formulier'}", "error")


def _perform(case, done_message: str, action):
    """Run a decision; commit it with its audit entry, or show staff why it was refused."""
    try:
        action()
    except ReviewError as exc:
        db().rollback()
        return _back(case, f"Niet gelukt: {exc}", "error")
    db().commit()
    return _back(case, done_message)


def _letters_step(case, form, title: str, drafts: list[tuple[str, object]], action):
    """First POST: show the drafts to edit. Second POST (confirm): send the edited text."""
    if not form.confirm.data:
        return render_template("letter.html", case=case, form=form, title=title, drafts=drafts)
    return _perform(case, f"{title}: opgeslagen, brief in de wachtrij om te versturen.", action)


def _edited(form, letter, prefix: str = ""):
    return letter.edited(form[f"{prefix}subject"].data, form[f"{prefix}body"].data)


@bp.route("/zaken/<public_id>/corrigeren", methods=["POST"])
def correct(public_id: str):
    case = _case(public_id)
    form = forms.CorrectForm()
    form.themes.choices = [(t, t) for t in config().review.themes]
    if not form.validate_on_submit():
        return _invalid(case, form)
    return _perform(case, "Dienst, vlaggen en thema's opgeslagen.", lambda: decisions.correct(
        db(), config(), actor(), case, service=form.service.data or None, flags=form.flags.data, themes=form.themes.data))


@bp.route("/zaken/<public_id>/ontvankelijk", methods=["POST"])
def accept(public_id: str):
    case = _case(public_id)
    form = forms.AcceptForm()
    if not form.validate_on_submit():
        return _invalid(case, form)
    return _perform(case, "Ontvankelijk verklaard.", lambda: decisions.accept(db(), actor(), case, form.handler.data or None))


@bp.route("/zaken/<public_id>/onontvankelijk", methods=["POST"])
def decline(public_id: str):
    case = _case(public_id)
    form = forms.DeclineForm()
    if not form.validate_on_submit():
        return _invalid(case, form)
    reason = form.reason.data
    if not form.send_letter.data:
        return _perform(case, f"Onontvankelijk ({DECLINE_REASONS[reason]}), zonder brief.", lambda: decisions.decline(
            db(), config(), actor(), case, reason, send_letter=False))
    try:
        letter = decisions.draft_letter(case, config(), "decline", reason=reason)
    except ReviewError as exc:
        return _back(case, f"Niet gelukt: {exc}", "error")
    return _letters_step(case, form, f"Onontvankelijk: {DECLINE_REASONS[reason]}", [("", letter)], lambda: decisions.decline(
        db(), config(), actor(), case, reason, letter=_edited(form, letter)))


@bp.route("/zaken/<public_id>/doorverwijzen", methods=["POST"])
def redirect_case(public_id: str):
    case = _case(public_id)
    form = forms.RedirectForm()
    if not form.validate_on_submit():
        return _invalid(case, form)
    service = form.service.data
    try:
        drafts = []
        if form.send_letter.data:
            drafts.append(("", decisions.draft_letter(case, config(), "redirect", service=service)))
        if form.forward.data:
            drafts.append(("forward_", decisions.draft_letter(case, config(), "forward", service=service)))
    except ReviewError as exc:
        return _back(case, f"Niet gelukt: {exc}", "error")
    letters = dict(drafts)

    def act():
        decisions.redirect(db(), config(), actor(), case, service=service,
                        letter=_edited(form, letters[""]) if "" in letters else None, send_letter=form.send_letter.data,
                        forward=form.forward.data,
                        forward_letter=_edited(form, letters["forward_"], "forward_") if "forward_" in letters else None)
    if not drafts:
        return _perform(case, "Doorverwezen, zonder brief.", act)
    return _letters_step(case, form, "Doorverwijzen naar de eerste lijn", drafts, act)


@bp.route("/zaken/<public_id>/bemiddeling", methods=["POST"])
def mediate(public_id: str):
    case = _case(public_id)
    form = forms.MediateForm()
    if not form.validate_on_submit():
        return _invalid(case, form)
    try:
        letter = decisions.draft_letter(case, config(), "mediation_request", service=form.service.data)
    except ReviewError as exc:
        return _back(case, f"Niet gelukt: {exc}", "error")
    return _letters_step(case, form, "Vraag tot bemiddeling", [("", letter)], lambda: decisions.mediate(
        db(), config(), actor(), case, letter=_edited(form, letter), service=form.service.data))


@bp.route("/zaken/<public_id>/samenvoegen", methods=["POST"])
def merge(public_id: str):
    case = _case(public_id)
    form = forms.MergeForm()
    if not form.validate_on_submit():
        return _invalid(case, form)
    return _perform(case, f"Samengevoegd met {form.into.data.strip().upper()}.",
                    lambda: decisions.merge(db(), actor(), case, form.into.data))


@bp.route("/zaken/<public_id>/geen-klacht", methods=["POST"])
def not_complaint(public_id: str):
    case = _case(public_id)
    form = forms.NotComplaintForm()
    if not form.validate_on_submit():
        return _invalid(case, form)
    return _perform(case, f"Afgesloten als geen klacht ({NOT_COMPLAINT_REASONS[form.reason.data]}).",
                    lambda: decisions.not_complaint(db(), actor(), case, form.reason.data))


@bp.route("/zaken/<public_id>/antwoordadres", methods=["POST"])
def reply_address(public_id: str):
    case = _case(public_id)
    form = forms.ReplyAddressForm()
    if not form.validate_on_submit():
        return _invalid(case, form)
    address = form.address.data.strip()
    return _perform(case, f"Antwoordadres ingevuld: {address}; de ontvangstmelding vertrekt.",
                    lambda: decisions.set_reply_address(db(), actor(), case, address))


@bp.route("/zaken/<public_id>/vrijgeven", methods=["POST"])
def release(public_id: str):
    case = _case(public_id)
    if not forms.PlainForm().validate_on_submit():
        abort(400)
    return _perform(case, "Tegengehouden mail vrijgegeven.", lambda: decisions.release(db(), actor(), case))


@bp.route("/zaken/<public_id>/afsluiten", methods=["POST"])
def close(public_id: str):
    case = _case(public_id)
    form = forms.CloseForm()
    if not form.validate_on_submit():
        return _invalid(case, form)
    resolved = {"yes": True, "no": False}.get(form.resolved.data)
    values = {"outcome": form.outcome.data, "resolved": resolved, "norms": form.norms.data,
              "recommendation": form.recommendation.data or ""}
    if not form.send_letter.data:
        return _perform(case, f"Afgesloten: {OUTCOMES[form.outcome.data]}, zonder brief.", lambda: decisions.close(
            db(), config(), actor(), case, send_letter=False, **values))
    try:
        letter = decisions.draft_letter(case, config(), "closing", **values)
    except ReviewError as exc:
        return _back(case, f"Niet gelukt: {exc}", "error")
    return _letters_step(case, form, f"Afsluiten: {OUTCOMES[form.outcome.data]}", [("", letter)], lambda: decisions.close(
        db(), config(), actor(), case, letter=_edited(form, letter), **values))


@bp.route("/zaken/<public_id>/antwoorden", methods=["POST"])
def reply(public_id: str):
    case = _case(public_id)
    form = forms.ReplyForm()
    if not form.validate_on_submit():
        return _invalid(case, form)
    try:
        letter = decisions.draft_letter(case, config(), "reply")
    except ReviewError as exc:
        return _back(case, f"Niet gelukt: {exc}", "error")
    return _letters_step(case, form, "Antwoord aan de burger", [("", letter)], lambda: decisions.reply(
        db(), config(), actor(), case, _edited(form, letter)))


