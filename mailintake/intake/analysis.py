"""Parse and triage raw bytes: the pure step between the intake's two commits. No database, no network."""

from __future__ import annotations

from ..config import Config
from ..mail.message import Parsed
from ..mail.parsing import parse
from ..triage import TriageSettings, Verdict, triage


def analyse(raw: bytes, settings: TriageSettings) -> tuple[Parsed, Verdict]:
    parsed = parse(raw)
    return parsed, triage(parsed, settings)


def triage_settings(config: Config) -> TriageSettings:
    """The `[triage]` and `[intake]` settings triage reads."""
    return TriageSettings(
        stale_after_days=config.triage.stale_after_days,
        min_confidence=config.triage.min_confidence,
        case_prefix=config.intake.case_prefix,
        own_addresses=config.own_addresses(),  # a reply to our acknowledgement quotes our From
        vocabulary_overrides=config.triage.vocabulary,
        trusted_spam_headers=tuple(config.triage.trusted_spam_headers),
    )
