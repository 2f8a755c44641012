"""`triage(parsed)`: one parsed message in, one Verdict out. Pure and deterministic."""

from __future__ import annotations

from dataclasses import replace

from ..domain import COMPLAINT, FLAGS, FOLLOW_UP
from ..mail.message import Parsed
from ..mail.parsing import detect_language
from . import admissibility, dates, identity, kind, routing
from .model import Evidence, Flag, TriageSettings, Verdict
from .text import Text
from .vocabulary import vocabulary

_FLAG_ORDER = tuple(FLAGS)


def triage(parsed: Parsed, settings: TriageSettings | None = None) -> Verdict:
    """Classify the message, and for complaints propose flags and a service, with evidence.

    >>> verdict = triage(parse(raw))
    >>> verdict.kind, verdict.service, [f.name for f in verdict.flags]
    ('complaint', 'politie', ['anonymous'])
    """
    settings = settings or TriageSettings()
    text = Text(parsed, vocabulary(dict(settings.vocabulary_overrides)))
    case_ref = kind.case_reference(text, settings.case_prefix)
    earlier = kind.another_matter(text, case_ref) if case_ref else None
    if earlier is not None:  # a new problem beside an earlier, settled case: it must not join that case
        case_ref = None
    decision = kind.classify(text, case_ref, settings.own_addresses, settings.trusted_spam_headers)
    if earlier is not None and decision.kind == FOLLOW_UP:  # a reply to our mail, about another matter
        decision = kind.KindDecision(COMPLAINT, "written by a person in reply to our mail")
    if earlier is not None and decision.kind == COMPLAINT:
        decision = replace(decision, reason=f"{decision.reason}; {earlier.detail}", evidence=decision.evidence + (earlier,))
    reply_address, channel = identity.reply_address_and_channel(text, settings.own_addresses)
    language = _language(text, decision.kind, case_ref)
    common = dict(language=language, case_ref=case_ref, reply_address=reply_address, channel=channel,
                  reason=decision.reason, reason_evidence=decision.evidence, another_matter=earlier is not None)
    if decision.kind != COMPLAINT:
        return Verdict(kind=decision.kind, service=None, confidence=0.0, alternatives=(), service_evidence=(),
                       flags=(), **common)
    reference = parsed.date.date() if parsed.date else None
    finding = dates.assess(text, reference, settings.stale_after_days)
    flags = _flags(text, finding)
    asserted = tuple(f for f in flags if f.certain)
    uncertain = tuple(f for f in flags if not f.certain)
    proposal = routing.route(text, settings.min_confidence, settings.alternatives)
    return Verdict(kind=COMPLAINT, service=proposal.service, confidence=proposal.confidence,
                   alternatives=proposal.alternatives, service_evidence=proposal.evidence, flags=asserted,
                   uncertain_flags=uncertain,
                   facts_date=finding.facts.point.isoformat() if finding.facts else None, **common)


def _flags(text: Text, finding: dates.DateFinding) -> tuple[Flag, ...]:
    found = [
        identity.anonymous_flag(text),
        finding.stale,
        admissibility.judicial_flag(text),
        admissibility.policy_flag(text),
        admissibility.first_line_flag(text),
    ]
    flags = [f for f in found if f is not None]
    return tuple(sorted(_moot_form_answer(flags), key=lambda f: _FLAG_ORDER.index(f.name)))


def _moot_form_answer(flags: list[Flag]) -> list[Flag]:
    """A form's "Nee" to "contacted the service?" on a complaint against a rule as such: whether the service could
    have changed the rule first is for staff to judge, not something to tell the citizen (the labels leave it out
    four times in five there, against one in twenty when the writer says it in words)."""
    policy = next((f for f in flags if f.name == "general_policy" and f.certain), None)
    if policy is None:
        return flags
    moot = Evidence(policy.evidence[0].text, policy.evidence[0].where, "but the complaint is against the rule itself: staff judge")
    return [Flag(f.name, f.evidence + (moot,), certain=False) if f.name == "first_line_not_tried" and f.certain
            and all(e.where == "webform" for e in f.evidence) else f for f in flags]


def _language(text: Text, kind_name: str, case_ref: str | None) -> str:
    """The parser's language, except for web forms (their labels are Dutch whatever the citizen
    wrote), bounces (the mail system's own words come first, our quoted message after) and automatic replies
    to our acknowledgement (its Dutch subject quoted in their own words)."""
    if text.webform and text.webform.description.strip():
        return detect_language(text.webform.description)
    if kind_name == "bounce":
        head = text.parsed.reply_text.split("\n\n\n")[0][:600]
        return detect_language(head) if head.strip() else text.parsed.language
    if kind_name == "auto_reply" and case_ref:  # "Your message ... Subject: [OMB-...] Ontvangstbevestiging ... was read"
        own = _without_lines_naming(text.parsed.reply_text, case_ref)
        if len(own.strip()) < SHORT_OWN_WORDS:  # "Your message" and the rest read as a quote's header block
            own = _without_lines_naming(text.parsed.text or "", case_ref)
        return detect_language(own) if own.strip() else text.parsed.language
    return text.parsed.language


SHORT_OWN_WORDS = 40


def _without_lines_naming(text: str, case_ref: str) -> str:
    return "\n".join(line for line in text.splitlines() if case_ref not in line)
