"""A seeded generator of a realistic year of the office: cases with their mail and staff decisions.

`generate_year(session, config, year, seed)` writes cases straight into the
database as intake and staff would have left them (raw mail, attachments of
which some are shared between cases, acknowledgements and letters, audit
entries, skipped and quarantined mail) and returns the generator's own record
of every case (`Planned`), so tests can count independently of the report.
The same (year, seed, now) always gives the same cases. Used by the tests and
by `make demo`.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from email.message import EmailMessage
from email.utils import format_datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from mailintake.config import Config
from mailintake.domain import Outcome
from mailintake.intake.cases import next_reference
from mailintake.store.models import (
    AttachmentRecord,
    AuditEntry,
    Blob,
    Case,
    CaseNorm,
    CaseTheme,
    MessageRecord,
    OutboxMessage,
    OutboxStatus,
    utcnow,
)

from .mailgen import FIRST_NAMES, LAST_NAMES, MAIL_DOMAINS, STREETS, tiny_pdf

CHANNELS = {"email": 62, "web_form": 14, "phone": 12, "letter": 7, "visit": 5}
SERVICES = {"stad": 46, "politie": 14, "ocmw": 12, "zorgbedrijf": 6, "agsl": 9, "m-leuven": 5, "other": 5, "unknown": 3}
DECLINE_REASONS = {"not_competent": 30, "general_policy": 15, "judicial_procedure": 10, "stale_facts": 10,
                   "anonymous": 8, "manifestly_unfounded": 17, "already_handled": 10}
OUTCOMES = {"founded": 30, "partly_founded": 25, "unfounded": 30, "mediated": 15}
NORMS = ("reasonable_time", "correspondence", "courtesy", "accessibility", "active_service", "reasoning", "accuracy",
         "information", "lawfulness", "equality")
RECOMMENDATIONS = (
    "Beantwoord mails van burgers binnen de termijn die de dienst zelf belooft.",
    "Leg in de brief over de retributie uit hoe de burger bezwaar kan maken.",
    "Zorg dat de telefonische wachttijd aan het onthaal beperkt blijft tot tien minuten.",
    "Vermeld in elke beslissing de naam en het rechtstreekse nummer van de dossierbehandelaar.",
    "Pas de informatie op de website over parkeervergunningen aan aan het nieuwe reglement.",
)
SHARED_ATTACHMENT = tiny_pdf("Aanvraagformulier bewonerskaart - Stad Leuven")  # the same form many people send


@dataclass(frozen=True)
class Person:
    name: str
    address: str
    postal: str
    phone: str


@dataclass
class Planned:
    """What the generator decided for one case, in the office's time zone."""

    ref: str
    person: Person
    received: datetime
    channel: str
    service: str
    status: str = "draft"
    kind: str = "complaint"
    admissible: bool | None = None
    decline_reason: str | None = None
    redirected_to: str | None = None
    decided: datetime | None = None
    outcome: str | None = None
    resolved: bool | None = None
    closed: datetime | None = None
    themes: tuple[str, ...] = ()
    norms: tuple[str, ...] = ()
    recommendation: str | None = None
    attachments: list[str] = field(default_factory=list)  # sha256 of each attachment


def generate_year(session: Session, config: Config, year: int, seed: int, *, cases: int = 400,
                  now: datetime | None = None, skipped: int = 40) -> list[Planned]:
    """About `cases` contacts received in `year` (none after `now`), with decisions up to `now`."""
    rng = random.Random(f"{seed}-{year}")
    zone = config.intake.zone
    now = (now or utcnow()).astimezone(zone)
    moments = sorted(_moment(rng, year, zone) for _ in range(cases))
    planned: list[Planned] = []
    for moment in (m for m in moments if m < now):
        plan = _plan(rng, config, moment, now, planned)
        planned.append(plan)
        _store(session, config, rng, plan, planned)
    for index in range(skipped):
        _store_skipped(session, rng, _moment(rng, year, zone), index)
    session.flush()
    return planned


# --- deciding ---------------------------------------------------------------------------------

def _moment(rng: random.Random, year: int, zone) -> datetime:
    """A working-hours moment in `year`; weekends and summer are quieter."""
    while True:
        day = date(year, 1, 1) + timedelta(days=rng.randrange(366 if year % 4 == 0 else 365))
        if day.weekday() >= 5 and rng.random() < 0.75 or day.month in (7, 8) and rng.random() < 0.3:
            continue
        return datetime.combine(day, time(rng.randrange(7, 22), rng.randrange(60)), zone)


def _choose(rng: random.Random, weights: dict) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _person(rng: random.Random) -> Person:
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    local = f"{first}.{last}".lower().replace(" ", "").replace("'", "")
    local = local.encode("ascii", "ignore").decode("ascii") or "burger"
    number = rng.randrange(1, 200)
    return Person(
        name=f"{first} {last}",
        address=f"{local}{rng.randrange(10, 99)}@{rng.choice(MAIL_DOMAINS)}",
        postal=f"{rng.choice(STREETS)} {number}, 3000 Leuven",
        phone=f"0470 {rng.randrange(100, 999)} {rng.randrange(100, 999)}",
    )


def _plan(rng: random.Random, config: Config, received: datetime, now: datetime, earlier: list[Planned]) -> Planned:
    plan = Planned(ref="", person=_person(rng), received=received, channel=_choose(rng, CHANNELS),
                   service=_choose(rng, SERVICES))
    decided = received + timedelta(days=rng.choice((1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 15)), hours=rng.randrange(6))
    if decided > now:
        return plan  # still waiting for staff: a draft
    roll = rng.random()
    if roll < 0.08:
        plan.status, plan.kind, plan.decided, plan.closed = "not_complaint", "not_complaint", decided, decided
    elif roll < 0.11 and earlier:
        plan.status, plan.closed = "merged", decided
    elif roll < 0.33:
        plan.status, plan.admissible, plan.decided, plan.closed = "declined", False, decided, decided
        plan.decline_reason = _choose(rng, DECLINE_REASONS)
    elif roll < 0.50:
        plan.status, plan.admissible, plan.decided, plan.closed = "redirected", False, decided, decided
        plan.redirected_to = plan.service if plan.service not in ("other", "unknown") else "stad"
        plan.service, plan.decline_reason = plan.redirected_to, "first_line_not_tried"
    else:
        _handle(rng, config, plan, decided, now)
    if plan.status not in ("not_complaint", "merged"):
        plan.themes = tuple(sorted(rng.sample(config.review.themes, rng.choice((1, 1, 1, 2)))))
    return plan


def _handle(rng: random.Random, config: Config, plan: Planned, decided: datetime, now: datetime) -> None:
    plan.status, plan.admissible, plan.decided = "accepted", True, decided
    days = max(3, int(rng.lognormvariate(3.35, 0.5)))  # median about 28 days, a tail past 45
    closed = plan.received + timedelta(days=days, hours=rng.randrange(8))
    if closed > now:
        plan.status = "mediation" if rng.random() < 0.3 else "accepted"
        return
    plan.status, plan.closed = "closed", closed
    plan.outcome = _choose(rng, OUTCOMES)
    plan.resolved = rng.random() < {"founded": 0.7, "partly_founded": 0.6, "unfounded": 0.2, "mediated": 0.95}[plan.outcome]
    if plan.outcome in ("founded", "partly_founded"):
        plan.norms = tuple(sorted(rng.sample(NORMS, rng.choice((1, 1, 2)))))
        if rng.random() < 0.4:
            plan.recommendation = rng.choice(RECOMMENDATIONS)
            if rng.random() < 0.3:  # staff sometimes forget: the name and address must not reach the report
                last = plan.person.name.split(" ", 1)[1]
                plan.recommendation += f" Mevrouw {last} ({plan.person.address}, {plan.person.postal}) wachtte te lang."


# --- storing ----------------------------------------------------------------------------------

def _store(session: Session, config: Config, rng: random.Random, plan: Planned, planned: list[Planned]) -> None:
    utc = timezone.utc
    received = plan.received.astimezone(utc)
    ref, number = next_reference(session, config.intake.case_prefix, plan.received.year)
    plan.ref = ref
    person = plan.person
    text = (f"Geachte ombudsdienst,\n\n{_complaint_sentence(plan)}\n\nMet vriendelijke groeten,\n{person.name}\n"
            f"{person.postal}\nTel. {person.phone}\n")
    case = Case(
        ref=ref, year=plan.received.year, number=number, status=plan.status, received_at=received,
        created_at=received, sender_name=person.name, sender_address=person.address, reply_address=person.address,
        subject=f"Klacht {plan.service}: {person.name}", language="nl", text=text, channel=plan.channel,
        kind=plan.kind, service=plan.service, flags=[], verdict={"evidence": person.name},
        postal_address=person.postal if plan.channel in ("letter", "visit") else "",
        phone=person.phone if plan.channel == "phone" else "",
        admissible=plan.admissible, decline_reason=plan.decline_reason, redirected_to=plan.redirected_to,
        decided_at=plan.decided.astimezone(utc) if plan.decided else None, outcome=plan.outcome,
        resolved=plan.resolved, recommendation=plan.recommendation,
        closed_at=plan.closed.astimezone(utc) if plan.closed else None,
    )
    case.themes = [CaseTheme(theme=t) for t in plan.themes]
    case.norms = [CaseNorm(norm=n) for n in plan.norms]
    if plan.status == "merged":
        case.merged_into = session.scalar(select(Case).where(Case.ref == planned[-2].ref))
    session.add(case)
    if plan.channel in ("email", "web_form"):
        _store_mail(session, rng, case, plan, text, received)
    _store_trail(session, case, plan)


def _complaint_sentence(plan: Planned) -> str:
    return (f"Ik woon in de {plan.person.postal.split(',')[0]} en heb een klacht over de dienst {plan.service}: "
            "mijn vraag van vorige maand bleef zonder antwoord.")


def _store_mail(session: Session, rng: random.Random, case: Case, plan: Planned, text: str, received: datetime) -> None:
    mail = EmailMessage()
    mail["From"] = f"{plan.person.name} <{plan.person.address}>"
    mail["To"] = "ombudsdienst@leuven.example.be"
    mail["Subject"] = case.subject
    mail["Date"] = format_datetime(received)
    mail["Message-ID"] = f"<{plan.ref.lower()}.{rng.randrange(10**9)}@{plan.person.address.split('@')[1]}>"
    mail.set_content(text)
    attachments = []
    if rng.random() < 0.25:
        attachments.append(("aanvraagformulier.pdf", SHARED_ATTACHMENT))
    if rng.random() < 0.2:
        attachments.append(("brief.pdf", tiny_pdf(f"Brief van {plan.person.name}, {plan.person.postal}")))
    for name, data in attachments:
        mail.add_attachment(data, maintype="application", subtype="pdf", filename=name)
    raw = mail.as_bytes()
    record = MessageRecord(
        mailbox="ombudsdienst", uidvalidity=1, uid=int(hashlib.sha256(plan.ref.encode()).hexdigest()[:12], 16),
        sha256=hashlib.sha256(raw).hexdigest(), size=len(raw), raw=raw, received_at=received,
        message_id=mail["Message-ID"], parsed={"from": plan.person.address, "subject": case.subject, "text": text},
        outcome=Outcome.CASE, attempts=1, case=case, first_seen_at=received, processed_at=received,
    )
    session.add(record)
    for name, data in attachments:
        digest = hashlib.sha256(data).hexdigest()
        if session.get(Blob, digest) is None:
            session.add(Blob(sha256=digest, size=len(data), data=data))
            session.flush()
        session.add(AttachmentRecord(message=record, filename=name, content_type="application/pdf", size=len(data),
                                     sha256=digest))
        plan.attachments.append(digest)
    session.add(OutboxMessage(
        kind="acknowledgement", case=case, answers=record, message_id=f"<ack.{plan.ref.lower()}@leuven.example.be>",
        recipient=plan.person.address, recipient_name=plan.person.name, status=OutboxStatus.SENT,
        next_attempt_at=received, give_up_at=received + timedelta(days=2), created_at=received, sent_at=received,
    ))


def _store_trail(session: Session, case: Case, plan: Planned) -> None:
    """The audit entries staff decisions leave: a view, then the decision with before -> after."""
    if plan.decided is None and plan.closed is None:
        return
    at = (plan.decided or plan.closed).astimezone(timezone.utc)
    session.add(AuditEntry(at=at, actor="an", action="view", case=case))
    after = {"status": plan.status, "service": plan.service, "outcome": plan.outcome,
             "recommendation": plan.recommendation, "themes": list(plan.themes)}
    session.add(AuditEntry(at=at, actor="an", action=plan.status, case=case, before={"status": "draft"}, after=after,
                           note=f"beslist voor {plan.person.name}" if plan.status == "declined" else None))
    if plan.status in ("declined", "redirected", "closed"):
        letter = {"declined": "decline", "redirected": "redirect", "closed": "closing"}[plan.status]
        moment = (plan.closed or plan.decided).astimezone(timezone.utc)
        session.add(OutboxMessage(
            kind=letter, case=case, message_id=f"<{letter}.{plan.ref.lower()}@leuven.example.be>",
            recipient=plan.person.address, recipient_name=plan.person.name, status=OutboxStatus.SENT,
            next_attempt_at=moment, give_up_at=moment + timedelta(days=2), created_at=moment, sent_at=moment,
            subject=f"Uw klacht [{plan.ref}]", body=f"Beste {plan.person.name},\n\nOver uw klacht {plan.ref} ...\n",
        ))


def _store_skipped(session: Session, rng: random.Random, moment: datetime, index: int) -> None:
    """Mail that made no case: newsletters and auto-replies (skipped), a few unreadable ones (quarantined)."""
    person = _person(rng)
    quarantined = index % 8 == 0
    raw = (f"From: {person.name} <{person.address}>\r\nSubject: Afwezig\r\n"
           f"Message-ID: <skip{index}.{rng.randrange(10**9)}@example.be>\r\n\r\nIk ben afwezig. {person.phone}\r\n").encode()
    at = moment.astimezone(timezone.utc)
    session.add(MessageRecord(
        mailbox="ombudsdienst", uidvalidity=1, uid=10**13 + moment.year * 1000 + index,
        sha256=hashlib.sha256(raw).hexdigest(), size=len(raw), raw=raw, received_at=at,
        parsed={"from": person.address, "subject": "Afwezig"},
        outcome=Outcome.QUARANTINED if quarantined else Outcome.SKIPPED,
        reason="could not parse" if quarantined else "auto-reply", attempts=3 if quarantined else 1,
        first_seen_at=at, processed_at=at,
    ))
