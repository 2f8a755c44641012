"""The office's fixed vocabulary: one source for each key the stages share.

Keys are stored in the database, used by the triage vocabulary and the labelled
mail, and counted by the annual report; the Dutch labels are what staff screens
show. Review's own lists (decline reasons, outcomes, ombudsnormen, ...) are in
`review.choices`.
"""

from __future__ import annotations

from enum import StrEnum

LANGUAGES = {"nl": "Nederlands", "fr": "Frans", "en": "Engels"}  # citizens' languages, Dutch first
DEFAULT_LANGUAGE = "nl"

# The services whose delivery the office handles complaints about.
SERVICES = {
    "stad": "Stad Leuven",
    "politie": "Politie",
    "ocmw": "OCMW",
    "zorgbedrijf": "Zorgbedrijf",
    "agsl": "AGSL",
    "m-leuven": "M Leuven",
}
OTHER_SERVICE = "other"  # a body the office does not cover
UNKNOWN_SERVICE = "unknown"  # triage could not tell
SERVICE_CHOICES = {**SERVICES, OTHER_SERVICE: "andere", UNKNOWN_SERVICE: "onbekend"}  # what triage proposes, staff choose

# Admissibility flags triage raises, in the order they are shown and explained.
FLAGS = {
    "anonymous": "anoniem",
    "stale_facts": "oude feiten",
    "judicial_procedure": "gerechtelijke procedure",
    "general_policy": "algemeen beleid",
    "first_line_not_tried": "eerstelijn niet doorlopen",
}

COMPLAINT = "complaint"
FOLLOW_UP = "follow_up"
ROBOT_KINDS = ("auto_reply", "bounce", "bulk", "spam")  # never a case, never answered
KINDS = (COMPLAINT, FOLLOW_UP, *ROBOT_KINDS)  # what kind of mail a message is


class Outcome(StrEnum):
    """What one attempt at a message came to.

    The first five are stored on the message, exactly one once it is done;
    FAILED (this attempt failed, another follows) and ALREADY_DONE (an earlier
    run committed the outcome and died before the move) are only reported.
    """

    CASE = "case"
    FOLLOW_UP = "follow_up"
    SKIPPED = "skipped"
    DUPLICATE = "duplicate"
    QUARANTINED = "quarantined"
    FAILED = "failed"
    ALREADY_DONE = "already_done"

    @property
    def counter(self) -> str:
        """Its key in `poll --once`'s JSON and the metrics' `outcome` label."""
        return {Outcome.CASE: "cases", Outcome.FOLLOW_UP: "follow_ups", Outcome.DUPLICATE: "duplicates"}.get(self, self.value)


class CaseStatus:
    """Where a case stands; labels in `review.choices.STATUSES`."""

    DRAFT = "draft"  # made by intake, waiting for staff
    ACCEPTED = "accepted"  # ontvankelijk, a handler works on it
    MEDIATION = "mediation"  # accepted, the service was asked to mediate
    CLOSED = "closed"  # accepted and handled, with an outcome
    DECLINED = "declined"  # onontvankelijk, with a reason
    REDIRECTED = "redirected"  # sent to the service's first line
    NOT_COMPLAINT = "not_complaint"  # information request, spam: closed without a letter
    MERGED = "merged"  # joined another case (merged_into)
    OPEN = (DRAFT, ACCEPTED, MEDIATION)
