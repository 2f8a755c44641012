"""Reading views: the queue, a case page, downloads (attachments, raw .eml) and a mail's sanitised HTML."""

from __future__ import annotations

import io
import re

from flask import Blueprint, abort, make_response, redirect, render_template, request, send_file, url_for

from ..domain import FLAGS, LANGUAGES, OTHER_SERVICE, SERVICE_CHOICES, SERVICES, UNKNOWN_SERVICE, CaseStatus
from ..mail.html import sanitise
from ..mail.message import safe_filename
from ..outbox.queue import waiting_for_address
from ..review import accounts, audit
from ..review.choices import (
    CHANNELS,
    DECLINE_REASONS,
    MAIL_STATUSES,
    NOT_COMPLAINT_REASONS,
    OMBUDSNORMEN,
    OUTCOMES,
    STATUSES,
)
from ..review.deadlines import case_deadlines
from ..review.queue import RANK_LIMIT, UNCERTAIN_PREFIX, QueueFilter, case_mail, list_queue, open_case
from ..store.lookup import case_by_ref, get_case_by_public_id, get_message
from ..store.models import AttachmentRecord, Blob
from . import forms
from .auth import actor
from .context import config, db, wanted_page
from .mailview import highlight, mail_document
from .security import MAIL_CSP

bp = Blueprint("cases", __name__)
REF = re.compile(r"^[A-Za-z0-9]+-\d{4}-\d{5}$")
UNFIT_HTML = "<p>Deze HTML is te groot of te diep genest om veilig te tonen. Download het origineel (.eml).</p>"
LABELS = {"statuses": STATUSES, "services": SERVICE_CHOICES, "flags": FLAGS, "reasons": DECLINE_REASONS,
          "outcomes": OUTCOMES, "norms": OMBUDSNORMEN, "channels": CHANNELS, "languages": LANGUAGES,
          "not_complaint": NOT_COMPLAINT_REASONS, "mail_statuses": MAIL_STATUSES}


@bp.app_context_processor
def labels():
    return {"labels": LABELS}


@bp.route("/")
def queue():
    args = request.args
    search = args.get("q", "").strip()[:200]
    if REF.match(search):
        found = case_by_ref(db(), search)
        if found is not None:
            return redirect(url_for("cases.case", public_id=found.public_id))
    wanted = QueueFilter(
        status=args.get("status", "open") if args.get("status", "open") in ("open", "all", *STATUSES) else "open",
        service=args.get("service", "") if args.get("service", "") in SERVICE_CHOICES else "",
        flag=_flag_filter(args.get("flag", "")),
        no_reply_address=args.get("flag") == NO_REPLY_ADDRESS_FILTER,
        search=search,
        per_page=config().web.page_size,
        **_page_fields(wanted_page()),
    )
    page = list_queue(db(), config(), wanted)
    return render_template("queue.html", page=page, wanted=wanted, rank_limit=f"{RANK_LIMIT:,}".replace(",", "."))


def _page_fields(wanted) -> dict:
    return {"page": wanted.number, "after": wanted.after, "before": wanted.before, "last": wanted.last}


@bp.route("/zaken/<public_id>")
def case(public_id: str):
    found = get_case_by_public_id(db(), public_id)
    open_case(db(), actor(), found)
    db().commit()
    return render_template("case.html", case=found, **case_context(found))


def _flag_filter(value: str) -> str:
    """A flag, or a flag "te controleren" (proposed on weak evidence); anything else filters nothing."""
    name = value.removeprefix(UNCERTAIN_PREFIX)
    return value if name in FLAGS else ""


NO_REPLY_ADDRESS_FILTER = "geen_antwoordadres"  # the "vlag" filter's choice for cases that wait for an address


def case_context(case) -> dict:
    """Everything the case page shows besides the case itself, including the decision forms."""
    session = db()
    verdict = case.verdict or {}
    flagged = verdict.get("flags", []) + verdict.get("uncertain_flags", [])
    marks = [(FLAGS.get(f["name"], f["name"]), e["text"]) for f in flagged for e in f.get("evidence", [])]
    marks += [(f"dienst: {SERVICE_CHOICES.get(verdict.get('service'), '')}", e["text"]) for e in verdict.get("service_evidence", [])]
    first = case.messages[0] if case.messages else None
    return {
        "verdict": verdict,
        "text": highlight(case.text, marks),
        "quoted": ((first.parsed or {}).get("quoted_text") or "") if first is not None else "",
        "deadlines": case_deadlines(case, config()),
        "mail": case_mail(session, case),
        "trail": audit.for_case(session, case),
        "forms": decision_forms(case),
        "open": case.status in CaseStatus.OPEN,
        "waiting_for_address": bool(waiting_for_address(session, [case.id])),
    }


def decision_forms(case) -> dict:
    themes = config().review.themes
    correct = forms.CorrectForm(data={"service": case.service or "", "flags": list(case.flags or []),
                                      "themes": [t.theme for t in case.themes]})
    correct.themes.choices = [(t, t) for t in themes]
    accept = forms.AcceptForm(data={"handler": case.handler.name if case.handler else ""})
    accept.handler.choices = [("", "(niemand)")] + [(u.name, u.name) for u in accounts.active_users(db())]
    service = case.service if case.service not in (None, OTHER_SERVICE, UNKNOWN_SERVICE) else next(iter(SERVICES))  # the city, first in the list
    return {
        "correct": correct,
        "accept": accept,
        "decline": forms.DeclineForm(formdata=None, data={"reason": _suggested_reason(case)}),
        "redirect": forms.RedirectForm(formdata=None, data={"service": service}),
        "mediate": forms.MediateForm(formdata=None, data={"service": service}),
        "merge": forms.MergeForm(formdata=None),
        "not_complaint": forms.NotComplaintForm(formdata=None),
        "close": forms.CloseForm(formdata=None),
        "reply": forms.ReplyForm(formdata=None),
        "reply_address": forms.ReplyAddressForm(formdata=None),
    }


def _suggested_reason(case) -> str:
    for flag in case.flags or []:
        if flag in DECLINE_REASONS:
            return flag
    return "not_competent"


@bp.route("/zaken/<public_id>/bijlagen/<int:attachment_id>")
def attachment(public_id: str, attachment_id: int):
    found = get_case_by_public_id(db(), public_id)
    item = db().get(AttachmentRecord, attachment_id)
    if item is None or item.message.case_id != found.id:
        abort(404)
    blob = db().get(Blob, item.sha256)
    audit.record(db(), actor(), "download", case=found, message=item.message, note=f"bijlage {item.id}")
    db().commit()
    return _download(blob.data, safe_filename(item.filename, f"bijlage-{item.id}"))


@bp.route("/berichten/<public_id>/eml")
def raw(public_id: str):
    record = get_message(db(), public_id)
    if record.raw is None:
        abort(404)
    audit.record(db(), actor(), "download", case=record.case, message=record, note="origineel .eml")
    db().commit()
    return _download(record.raw, f"bericht-{record.public_id}.eml")


@bp.route("/berichten/<public_id>/html")
def mail_html(public_id: str):
    """The HTML part as sanitised at intake, for a sandboxed iframe only; the view is logged."""
    record = get_message(db(), public_id)
    parsed = record.parsed or {}
    if not parsed.get("html"):
        abort(404)
    safe = parsed["html_safe"] if "html_safe" in parsed else sanitise(parsed["html"])  # stored since 0.2
    audit.record(db(), actor(), "view_html", case=record.case, message=record)
    db().commit()
    response = make_response(mail_document(safe if safe is not None else UNFIT_HTML, parsed.get("language") or "nl"))
    response.headers["Content-Type"] = "text/html; charset=utf-8"
    response.headers["Content-Security-Policy"] = MAIL_CSP
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    return response


def _download(data: bytes, name: str):
    response = send_file(io.BytesIO(data), mimetype="application/octet-stream", as_attachment=True,
                         download_name=name, max_age=0)
    response.headers["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'none'; sandbox"
    return response
