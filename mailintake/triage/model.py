"""The values triage produces and the settings it accepts: plain frozen dataclasses."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping


@dataclass(frozen=True)
class Evidence:
    """What made a decision: the sentence or header (`text`), where it was found, and detail
    such as a resolved date.

    >>> Evidence("Op 14 februari 2025 ...", "body", "2025-02-14, 384 days before the message")
    """

    text: str
    where: str
    detail: str = ""

    def to_json(self) -> dict:
        return {"text": self.text, "where": self.where, "detail": self.detail}


@dataclass(frozen=True)
class Flag:
    """A flag with its evidence. `certain` is False when the evidence is weak: staff are shown the flag
    "te controleren", the citizen is never told of it."""

    name: str
    evidence: tuple[Evidence, ...] = ()
    certain: bool = True

    def uncertain(self) -> "Flag":
        return Flag(self.name, self.evidence, certain=False)

    def to_json(self) -> dict:
        return {"name": self.name, "evidence": [e.to_json() for e in self.evidence]}


@dataclass(frozen=True)
class TriageSettings:
    """Knobs staff may turn; the defaults suit the Leuven ombudsdienst.

    `vocabulary_overrides` is merged over the packaged TOML vocabulary: tables merge key by
    key, lists are extended; a key written as "=name" replaces the packaged value outright.
    """

    stale_after_days: int = 365
    min_confidence: float = 0.45
    case_prefix: str = "OMB"
    own_addresses: tuple[str, ...] = ()
    vocabulary_overrides: Mapping[str, Any] = field(default_factory=dict)
    alternatives: int = 2
    trusted_spam_headers: tuple[str, ...] = ("spamassassin",)  # "spamassassin", "rspamd", "microsoft"

    def __hash__(self) -> int:  # vocabulary_overrides is a dict; hash what identifies us
        return hash((self.stale_after_days, self.min_confidence, self.case_prefix, self.own_addresses,
                     self.trusted_spam_headers, repr(sorted(self.vocabulary_overrides.items()))))


@dataclass(frozen=True)
class Verdict:
    """Triage's proposal for one message. Staff decide; every proposal carries evidence."""

    kind: str
    service: str | None
    confidence: float
    alternatives: tuple[tuple[str, float], ...]
    service_evidence: tuple[Evidence, ...]
    flags: tuple[Flag, ...]
    language: str
    case_ref: str | None
    reply_address: str
    channel: str
    reason: str
    reason_evidence: tuple[Evidence, ...] = ()
    facts_date: str | None = None
    uncertain_flags: tuple[Flag, ...] = ()  # weak evidence: for staff to check, never told to the citizen
    another_matter: bool = False  # says it is not about the case it cites or answers: it must not join that case

    @property
    def flag_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.flags)

    @property
    def uncertain_flag_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.uncertain_flags)

    def flag(self, name: str) -> Flag | None:
        """The flag asserted or uncertain, with its evidence."""
        return next((f for f in self.flags + self.uncertain_flags if f.name == name), None)

    def to_json(self) -> dict:
        return {
            "kind": self.kind,
            "service": self.service,
            "confidence": round(self.confidence, 3),
            "alternatives": [[s, round(c, 3)] for s, c in self.alternatives],
            "service_evidence": [e.to_json() for e in self.service_evidence],
            "flags": [f.to_json() for f in self.flags],
            "uncertain_flags": [f.to_json() for f in self.uncertain_flags],
            "language": self.language,
            "case_ref": self.case_ref,
            "reply_address": self.reply_address,
            "channel": self.channel,
            "reason": self.reason,
            "reason_evidence": [e.to_json() for e in self.reason_evidence],
            "facts_date": self.facts_date,
        }
