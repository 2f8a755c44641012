"""What a message becomes, stored in the caller's transaction: own mail, a robot, a follow-up, or a new case.

In order: our own mail is skipped; robots (auto-replies, bounces, bulk, spam)
are skipped, never answered, and linked to a case they cite; a message that
cites an open case, answers its thread or repeats its words joins it (a
service's answer is marked as theirs); anything else is a new draft case with
its acknowledgement queued. Every decision leaves its reason on the record.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..config import Config
from ..domain import ROBOT_KINDS, Outcome
from ..mail.message import Parsed
from ..outbox import answer_policy
from ..outbox.compose import LOOP_HEADER, message_id_domain
from ..outbox.queue import FOLLOW_UP_NOTICE, mark_undeliverable, queue_acknowledgement
from ..store.models import AttachmentRecord, Blob, Case, MessageRecord
from ..triage import Verdict
from . import cases
from .ledger import finish


class Resolver:
    """Gives an analysed message its outcome; `acknowledge=False` queues no mail (imports of old mail)."""

    def __init__(self, config: Config, acknowledge: bool = True):
        self.config = config
        self.acknowledge = acknowledge
        self.message_id_domain = message_id_domain(config)
        self.own_addresses = config.own_addresses()

    def apply(self, session: Session, record: MessageRecord, raw: bytes, parsed: Parsed, verdict: Verdict) -> Outcome:
        """Store the analysis and the outcome it leads to."""
        record.message_id = parsed.message_id
        record.parsed = parsed.to_json()
        record.verdict = verdict.to_json()
        store_attachments(session, record, parsed)
        own = answer_policy.is_own_mail(parsed, self.own_addresses, self.message_id_domain, LOOP_HEADER)
        if own:
            return finish(record, Outcome.SKIPPED, f"own mail: {own}")
        if verdict.kind in ROBOT_KINDS:
            return self._skip_robot(session, record, parsed, verdict, raw)
        existing = (
            cases.open_case_by_ref(session, verdict.case_ref)
            or (None if verdict.another_matter else cases.case_in_thread(session, parsed))
            or cases.recent_repeat(session, parsed)
        )
        if existing is not None:
            return self._join(session, record, parsed, existing)
        return self._new_case(session, record, parsed, verdict)

    def _skip_robot(self, session: Session, record: MessageRecord, parsed: Parsed, verdict: Verdict, raw: bytes) -> Outcome:
        """Robots are never answered; one that cites a case is linked to it for staff to see."""
        record.case = cases.open_case_by_ref(session, verdict.case_ref) or cases.case_in_thread(session, parsed)
        reason = verdict.reason or verdict.kind
        if verdict.kind == "bounce":
            bounced = mark_undeliverable(session, raw, f"bounce {parsed.message_id or ''}: {parsed.subject}")
            if bounced is not None:
                record.case = record.case or bounced.case
                reason += f"; our mail {bounced.message_id} marked undeliverable"
        return finish(record, Outcome.SKIPPED, reason)

    def _join(self, session: Session, record: MessageRecord, parsed: Parsed, case: Case) -> Outcome:
        """A message that cites, answers or repeats a case joins it. Staff see who else wrote; only the case's
        own sender gets a notice, and a service's answer counts as theirs only when DMARC vouches for it."""
        record.case = case
        sender = parsed.sender.address if parsed.sender else ""
        service = self.config.service_for_address(sender)
        if service:  # a service answering our mediation request: theirs, not the citizen's follow-up
            record.from_service = service
            if not answer_policy.dmarc_passed(parsed, self.config.acknowledgement.authserv_id):
                record.sender_check = f"niet geverifieerd: geen DMARC-pass van onze server voor {sender}"
            return finish(record, Outcome.FOLLOW_UP, f"answer from service {service} on {case.ref}")
        if sender and sender not in {case.sender_address.lower(), case.reply_address.lower()}:
            record.sender_check = f"andere afzender: {sender} (de zaak is van {case.sender_address or 'onbekend'})"
            return finish(record, Outcome.FOLLOW_UP, f"follow-up from another sender on {case.ref}")
        if self.acknowledge and self.config.acknowledgement.follow_up_notice:
            queue_acknowledgement(session, self.config, case, record, kind=FOLLOW_UP_NOTICE)
        return finish(record, Outcome.FOLLOW_UP, f"follow-up on {case.ref}")

    def _new_case(self, session: Session, record: MessageRecord, parsed: Parsed, verdict: Verdict) -> Outcome:
        case = cases.create_draft(session, self.config, parsed=parsed, verdict=verdict,
                                  received_at=record.received_at, cited_ref=verdict.case_ref)
        record.case = case
        unverified = answer_policy.dmarc_failed(parsed, self.config.acknowledgement.authserv_id)
        if unverified:
            case.sender_verified = False
            case.sender_check = unverified
        elif parsed.sender and answer_policy.dmarc_passed(parsed, self.config.acknowledgement.authserv_id):
            self._answer_the_verified_sender(case, parsed.sender.address)
        if self.acknowledge:
            queue_acknowledgement(session, self.config, case, record)
        note = f"new case {case.ref}" + (f" (cited unknown or closed {verdict.case_ref})" if verdict.case_ref else "")
        return finish(record, Outcome.CASE, note)


    @staticmethod
    def _answer_the_verified_sender(case: Case, sender: str) -> None:
        """A Reply-To in another domain than a DMARC-verified From could aim our mail at anyone: answer From,
        or hold the mail for staff when From cannot be answered."""
        if case.reply_address.rpartition("@")[2].lower() == sender.rpartition("@")[2].lower():
            return
        if answer_policy.unanswerable_address(sender) is None:
            case.reply_address = sender
        else:
            case.sender_verified = False
            case.sender_check = f"antwoordadres {case.reply_address} in een ander domein dan de geverifieerde afzender"


def store_attachments(session: Session, record: MessageRecord, parsed: Parsed) -> None:
    """Attachments by content: one query for the bytes already stored, each new blob added once."""
    wanted = {item.sha256 for item in parsed.attachments}
    stored = set(session.scalars(select(Blob.sha256).where(Blob.sha256.in_(wanted)))) if wanted else set()
    for item in parsed.attachments:
        if item.sha256 not in stored:
            session.add(Blob(sha256=item.sha256, size=item.size, data=item.payload))
            stored.add(item.sha256)
        record.attachments.append(
            AttachmentRecord(filename=item.filename, content_type=item.content_type, size=item.size, sha256=item.sha256)
        )
