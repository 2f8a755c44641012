"""The fixed lists staff decide from: statuses, decline reasons, outcomes, ombudsnormen, channels; the outbox's states.

Languages, services and flags, which every stage shares, are in `mailintake.domain`.

Keys are stored in the database (and counted by the annual report); the Dutch
labels are what the review UI shows. Letters word a reason in the citizen's
language through their own templates, keyed by the same keys.
"""

from __future__ import annotations

from ..domain import CaseStatus
from ..store.models import OutboxStatus

STATUSES = {
    CaseStatus.DRAFT: "te beoordelen",
    CaseStatus.ACCEPTED: "ontvankelijk",
    CaseStatus.MEDIATION: "in bemiddeling",
    CaseStatus.CLOSED: "afgesloten",
    CaseStatus.DECLINED: "onontvankelijk",
    CaseStatus.REDIRECTED: "doorverwezen",
    CaseStatus.NOT_COMPLAINT: "geen klacht",
    CaseStatus.MERGED: "samengevoegd",
}

DECLINE_REASONS = {
    "anonymous": "anoniem",
    "general_policy": "algemeen beleid",
    "judicial_procedure": "gerechtelijke procedure",
    "stale_facts": "feiten ouder dan 1 jaar",
    "first_line_not_tried": "eerstelijn niet doorlopen",
    "not_competent": "niet bevoegd",
    "not_a_complaint": "geen klacht",
    "manifestly_unfounded": "kennelijk ongegrond",
    "already_handled": "al eerder behandeld",
}

OUTCOMES = {
    "founded": "gegrond",
    "partly_founded": "deels gegrond",
    "unfounded": "ongegrond",
    "mediated": "bemiddeld",
}

# The 14 Flemish ombudsnormen.
OMBUDSNORMEN = {
    "lawfulness": "overeenstemming met het recht",
    "reasoning": "afdoende motivering",
    "equality": "gelijkheid en onpartijdigheid",
    "legal_certainty": "rechtszekerheid en gerechtvaardigd vertrouwen",
    "reasonableness": "redelijkheid en evenredigheid",
    "courtesy": "correcte bejegening",
    "active_service": "actieve dienstverlening",
    "correspondence": "deugdelijke correspondentie",
    "accessibility": "vlotte bereikbaarheid",
    "information": "doeltreffende algemene informatieverstrekking",
    "accuracy": "goede uitvoeringspraktijk en administratieve nauwkeurigheid",
    "reasonable_time": "redelijke behandeltermijn",
    "coordination": "efficiënte coördinatie",
    "privacy": "respect voor de persoonlijke levenssfeer",
}

CHANNELS = {
    "email": "e-mail",
    "letter": "brief",
    "phone": "telefoon",
    "visit": "bezoek",
    "web_form": "webformulier",
}
MANUAL_CHANNELS = ("letter", "phone", "visit")

NOT_COMPLAINT_REASONS = {
    "information_request": "informatievraag",
    "spam": "spam",
    "other": "andere",
}

MAIL_STATUSES = {
    OutboxStatus.PENDING: "wacht op verzending",
    OutboxStatus.HELD: "tegengehouden",
    OutboxStatus.SENT: "verzonden",
    OutboxStatus.FAILED: "mislukt",
    OutboxStatus.SUPPRESSED: "niet verzonden",
}
