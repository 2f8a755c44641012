"""The decisions staff take on a case, shared by the web UI and the CLI.

Correct service, flags and themes; accept with a handler; decline with a reason;
redirect to the first line;
request mediation; merge; mark as not a complaint; release held mail; close
with an outcome; reply. Each decision checks the case's status, changes
structured columns the annual report counts, queues the letters staff
approved through the outbox, and writes an audit entry (before -> after), all
in the caller's transaction.

>>> with database.unit_of_work() as session:
...     case = lookup.get_case(session, "OMB-2026-00042")
...     decline(session, config, Actor("an"), case, reason="anonymous")
"""

from __future__ import annotations

from sqlalchemy import and_, update
from sqlalchemy.orm import Session

from ..config import Config
from ..domain import FLAGS, OTHER_SERVICE, SERVICE_CHOICES, UNKNOWN_SERVICE, CaseStatus
from ..errors import LetterError, ReviewError
from ..outbox import letters
from ..outbox.answer_policy import unanswerable_address
from ..outbox.queue import queue_letter, set_recipient
from ..outbox.queue import release as release_held_mail
from ..store import search
from ..store.lookup import case_by_ref
from ..store.models import Case, CaseNorm, CaseTheme, MessageRecord, OutboxMessage, OutboxStatus, utcnow
from . import audit
from .accounts import find_user
from .audit import Actor
from .choices import DECLINE_REASONS, NOT_COMPLAINT_REASONS, OMBUDSNORMEN, OUTCOMES, STATUSES

ACTIONS = ("accept", "decline", "redirect", "mediate", "merge", "not-complaint", "close", "reply-address")
UNDECIDED = (CaseStatus.DRAFT,)
ACCEPTED = (CaseStatus.ACCEPTED, CaseStatus.MEDIATION)


def snapshot(case: Case) -> dict:
    """The decision fields of a case, as stored in the audit log."""
    return {
        "status": case.status,
        "service": case.service,
        "flags": sorted(case.flags or []),
        "uncertain_flags": sorted(case.uncertain_flags or []),
        "reply_address": case.reply_address,
        "themes": [t.theme for t in case.themes],
        "handler": case.handler.name if case.handler else None,
        "admissible": case.admissible,
        "decline_reason": case.decline_reason,
        "redirected_to": case.redirected_to,
        "outcome": case.outcome,
        "resolved": case.resolved,
        "norms": [n.norm for n in case.norms],
        "recommendation": case.recommendation,
        "merged_into": case.merged_into.ref if case.merged_into else None,
    }


# --- corrections ----------------------------------------------------------------------------

def correct(session: Session, config: Config, actor: Actor, case: Case, *, service: str | None,
            flags: list[str], themes: list[str]) -> None:
    """Set the service, the flags and the themes staff agree with."""
    _require(case, (*CaseStatus.OPEN, CaseStatus.CLOSED), "corrigeren")
    _check_values("dienst", [service] if service else [], SERVICE_CHOICES)
    _check_values("vlag", flags, FLAGS)
    _check_values("thema", themes, dict.fromkeys(config.review.themes))
    before = snapshot(case)
    case.service = service or None
    case.flags = sorted(set(flags))
    case.uncertain_flags = []  # staff decided on every flag
    _replace_children(case.themes, CaseTheme, "theme", themes)
    _log(session, actor, "correct", case, before)


def accept(session: Session, actor: Actor, case: Case, handler: str | None = None) -> None:
    """Ontvankelijk: the office handles it. Also used to hand an accepted case to someone else."""
    _require(case, (*UNDECIDED, *ACCEPTED), "ontvankelijk verklaren")
    before = snapshot(case)
    if case.status in UNDECIDED:
        _decided(case, CaseStatus.ACCEPTED, admissible=True)
    if handler:
        user = find_user(session, handler)
        if user is None or not user.active:
            raise ReviewError(f"geen actieve medewerker {handler!r}")
        case.handler = user
    _log(session, actor, "accept", case, before)


def decline(session: Session, config: Config, actor: Actor, case: Case, reason: str,
            letter: letters.Letter | None = None, send_letter: bool = True) -> OutboxMessage | None:
    """Onontvankelijk with a reason; the citizen gets the decline letter (as drafted or as edited)."""
    _require(case, (*UNDECIDED, *ACCEPTED), "onontvankelijk verklaren")
    _check_values("reden", [reason], DECLINE_REASONS)
    before = snapshot(case)
    _decided(case, CaseStatus.DECLINED, admissible=False)
    case.decline_reason = reason
    case.closed_at = case.decided_at
    sent = _send(session, config, actor, case, send_letter, letter, "decline", reason=reason)
    _drop_held_mail(session, case, "onontvankelijk verklaard")
    _log(session, actor, "decline", case, before)
    return sent


def redirect(session: Session, config: Config, actor: Actor, case: Case, service: str | None = None,
             letter: letters.Letter | None = None, send_letter: bool = True,
             forward: bool = False, forward_letter: letters.Letter | None = None) -> list[OutboxMessage]:
    """To the service's first line: a letter to the citizen and, if asked, the complaint to the service."""
    _require(case, (*UNDECIDED, *ACCEPTED), "doorverwijzen")
    service = service or case.service
    if service not in SERVICE_CHOICES or service in (OTHER_SERVICE, UNKNOWN_SERVICE):
        raise ReviewError("kies eerst de dienst waarnaar u doorverwijst")
    before = snapshot(case)
    case.service = service
    _decided(case, CaseStatus.REDIRECTED, admissible=False)
    case.redirected_to = service
    case.decline_reason = "first_line_not_tried"
    case.closed_at = case.decided_at
    sent = [_send(session, config, actor, case, send_letter, letter, "redirect", service=service)]
    if forward:
        sent.append(_send(session, config, actor, case, True, forward_letter, "forward", service=service))
    _drop_held_mail(session, case, "doorverwezen naar de eerste lijn")
    _log(session, actor, "redirect", case, before)
    return [row for row in sent if row is not None]


def mediate(session: Session, config: Config, actor: Actor, case: Case, letter: letters.Letter | None = None,
            service: str | None = None) -> OutboxMessage:
    """Ask the service concerned to mediate; its answer, citing the reference, joins the case."""
    _require(case, (*UNDECIDED, *ACCEPTED), "bemiddeling vragen")
    before = snapshot(case)
    if case.status in UNDECIDED:
        _decided(case, CaseStatus.ACCEPTED, admissible=True)
    if service:
        case.service = service
    row = _send(session, config, actor, case, True, letter, "mediation_request", service=case.service)
    case.status = CaseStatus.MEDIATION
    case.mediation_requested_at = utcnow()
    _log(session, actor, "mediate", case, before)
    return row


def merge(session: Session, actor: Actor, case: Case, into_ref: str) -> Case:
    """Join this case to another: its messages and mail move; its reference points to the survivor."""
    _require(case, CaseStatus.OPEN, "samenvoegen")
    survivor = case_by_ref(session, into_ref.strip())
    if survivor is None:
        raise ReviewError(f"geen zaak met referentie {into_ref}")
    if survivor.id == case.id or survivor.status == CaseStatus.MERGED:
        raise ReviewError("samenvoegen kan alleen met een andere, niet samengevoegde zaak")
    before = snapshot(case)
    session.execute(update(MessageRecord).where(MessageRecord.case_id == case.id).values(case_id=survivor.id))
    session.execute(update(OutboxMessage).where(OutboxMessage.case_id == case.id).values(case_id=survivor.id))
    search.rewrite(session, [case.id, survivor.id])  # the messages and mail moved in one statement, past the session
    known = {t.theme for t in survivor.themes}
    survivor.themes.extend(CaseTheme(theme=t.theme) for t in case.themes if t.theme not in known)
    case.status = CaseStatus.MERGED
    case.merged_into = survivor
    case.closed_at = utcnow()
    session.expire(case, ["messages"])
    session.expire(survivor, ["messages"])
    _log(session, actor, "merge", case, before, note=f"samengevoegd met {survivor.ref}")
    audit.record(session, actor, "merge_in", case=survivor, note=f"{case.ref} samengevoegd in deze zaak")
    return survivor


def not_complaint(session: Session, actor: Actor, case: Case, reason: str = "information_request") -> None:
    """Not a complaint (information request, spam): closed without a letter."""
    _require(case, (*UNDECIDED, *ACCEPTED), "als geen klacht afsluiten")
    _check_values("reden", [reason], NOT_COMPLAINT_REASONS)
    before = snapshot(case)
    _decided(case, CaseStatus.NOT_COMPLAINT, admissible=None)
    case.kind = "spam" if reason == "spam" else "not_complaint"
    case.closed_at = case.decided_at
    _drop_held_mail(session, case, f"geen klacht ({NOT_COMPLAINT_REASONS[reason]})")
    _log(session, actor, "not_complaint", case, before, note=reason)


def release(session: Session, actor: Actor, case: Case) -> int:
    """Let held acknowledgements go (after review, or a sender that failed DMARC)."""
    released = release_held_mail(session, case)
    if not released:
        raise ReviewError("er is geen tegengehouden mail voor deze zaak")
    audit.record(session, actor, "release", case=case, note=f"{released} mail(s) vrijgegeven")
    return released


def set_reply_address(session: Session, actor: Actor, case: Case, address: str) -> list[OutboxMessage]:
    """Staff fill in the address a complaint without a usable one is answered at; the waiting
    acknowledgement goes there. Returns the mails that became due."""
    address = (address or "").strip()
    why = unanswerable_address(address)
    if why:
        raise ReviewError(f"dit antwoordadres kan niet: {why}")
    before = snapshot(case)
    case.reply_address = address
    sent = set_recipient(session, case, address)
    _log(session, actor, "reply_address", case, before, note=f"{len(sent)} mail(s) naar het ingevulde adres")
    return sent


def close(session: Session, config: Config, actor: Actor, case: Case, *, outcome: str, resolved: bool | None,
          norms: list[str] = (), recommendation: str = "", letter: letters.Letter | None = None,
          send_letter: bool = True) -> OutboxMessage | None:
    """Close an accepted case with its outcome and the ombudsnormen concerned; the closing letter goes out."""
    _require(case, ACCEPTED, "afsluiten")
    _check_values("uitkomst", [outcome], OUTCOMES)
    _check_values("ombudsnorm", list(norms), OMBUDSNORMEN)
    before = snapshot(case)
    case.status = CaseStatus.CLOSED
    case.outcome = outcome
    case.resolved = resolved
    _replace_children(case.norms, CaseNorm, "norm", norms)
    case.recommendation = recommendation.strip() or None
    case.closed_at = utcnow()
    sent = _send(session, config, actor, case, send_letter, letter, "closing", outcome=outcome,
                 resolved=resolved, norms=norms, recommendation=case.recommendation)
    _log(session, actor, "close", case, before)
    return sent


def reply(session: Session, config: Config, actor: Actor, case: Case, letter: letters.Letter) -> OutboxMessage:
    """A letter to the citizen from the case, threaded with their messages."""
    _require(case, tuple(STATUSES), "beantwoorden")
    if case.status == CaseStatus.MERGED:
        raise ReviewError("deze zaak is samengevoegd; antwoord vanuit de overblijvende zaak")
    row = queue_letter(session, config, case, letter, author_id=actor.id)
    audit.record(session, actor, "reply", case=case, note=letter.subject)
    return row


def draft_letter(case: Case, config: Config, kind: str, **details) -> letters.Letter:
    """The template's letter for a decision, for staff to read and edit before sending."""
    try:
        return letters.draft(kind, case, config, handler=case.handler.name if case.handler else "", **details)
    except LetterError as exc:
        raise ReviewError(str(exc)) from None


# --- helpers --------------------------------------------------------------------------------

def _require(case: Case, allowed: tuple[str, ...], what: str) -> None:
    if case.status not in allowed:
        raise ReviewError(f"{case.ref} is {STATUSES.get(case.status, case.status)}: kan niet {what}")


def _check_values(what: str, values: list, allowed) -> None:
    for value in values:
        if value not in allowed:
            raise ReviewError(f"onbekende {what}: {value!r}")


def _replace_children(children: list, model, key: str, values) -> None:
    """Make a case's theme or norm rows match `values`, keeping rows that stay (their key is the primary key)."""
    wanted = set(values)
    for child in [c for c in children if getattr(c, key) not in wanted]:
        children.remove(child)
    present = {getattr(c, key) for c in children}
    children.extend(model(**{key: v}) for v in sorted(wanted - present))


def _decided(case: Case, status: str, admissible: bool | None) -> None:
    case.status = status
    case.admissible = admissible
    case.decided_at = utcnow()


def _send(session: Session, config: Config, actor: Actor, case: Case, wanted: bool,
          letter: letters.Letter | None, kind: str, **details) -> OutboxMessage | None:
    if not wanted:
        return None
    letter = letter or draft_letter(case, config, kind, **details)
    if letter.kind != kind:
        raise ReviewError(f"verkeerde brief: {letter.kind} in plaats van {kind}")
    return queue_letter(session, config, case, letter, author_id=actor.id)


def _drop_held_mail(session: Session, case: Case, why: str) -> None:
    """A decision that answers the citizen makes a held acknowledgement pointless."""
    session.execute(
        update(OutboxMessage)
        .where(and_(OutboxMessage.case_id == case.id, OutboxMessage.status == OutboxStatus.HELD))
        .values(status=OutboxStatus.SUPPRESSED, reason=f"niet verstuurd: {why}")
    )


def _log(session: Session, actor: Actor, action: str, case: Case, before: dict, note: str | None = None) -> None:
    session.flush()
    audit.record(session, actor, action, case=case, before=before, after=snapshot(case), note=note)
