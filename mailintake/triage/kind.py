"""What kind of mail this is: complaint, follow_up, auto_reply, bounce, bulk or spam.

Robots win over follow-ups: a bounce or an out-of-office that quotes our case reference is
still a robot (the reference is kept so staff see it on the case), never the citizen's
words. `Auto-Submitted: auto-generated` alone decides nothing: web forms carry it too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import unescape

from .model import Evidence
from .text import FORWARDED_SUBJECT, TEXT_LIMIT, Text
from .vocabulary import gate_open, literals_in


@dataclass(frozen=True)
class KindDecision:
    kind: str
    reason: str
    evidence: tuple[Evidence, ...] = ()


def case_reference(text: Text, prefix: str) -> str | None:
    """The first case reference (e.g. OMB-2026-00042) in subject, own words, quote or full text; typed loosely by a
    citizen ("omb 2026/00098", "OMB.2026.00098") it is the same reference. Our own spelling (five digits) comes
    first wherever it is: "OMB-2026-412" in the subject and our "OMB-2026-00412" quoted below are one case."""
    ours = re.compile(rf"\b{re.escape(prefix)}-(\d{{4}})-(\d{{5,6}})\b", re.I)
    strict = re.compile(rf"\b{re.escape(prefix)}-(\d{{4}})-(\d{{1,6}})\b", re.I)
    loose = re.compile(rf"\b{re.escape(prefix)}[-\s/._]?(\d{{4}})[-\s/._](\d{{3,6}})\b", re.I)
    parsed = text.parsed
    sources = (text.subject, parsed.reply_text[:TEXT_LIMIT], text.quoted, text.full)
    for pattern in (ours, strict, loose):  # our own spelling, quoted, before the citizen's "omb 2026/309"
        for source in sources:
            found = pattern.search(source or "")
            if found:
                return f"{prefix.upper()}-{found.group(1)}-{found.group(2)}"
    return None


def another_matter(text: Text, case_ref: str) -> Evidence | None:
    """A reference the writer cites, in their own words only, as an earlier case the office settled, while telling
    of a new problem, or says in reply that this is about something else: the mail is a new complaint, not a
    follow-up on that case ("Ik antwoord op uw mail ..., maar het gaat over iets helemaal anders dan mijn klacht")."""
    told_apart = text.sentences_matching("kind.different_matter")
    if told_apart:
        return Evidence(told_apart[0].text, "body", f"says it is about another matter than {case_ref}")
    if case_ref.lower() in text.subject.lower() or text.quoted.strip():
        return None
    settled, new = text.vocab.regex("kind.settled_case"), text.vocab.regex("kind.another_matter")
    if not (settled and new):
        return None
    citing = [s for s in text.sentences if case_ref.rsplit("-", 1)[-1] in s.text]
    if not any(settled.search(s.text) or (s.index + 1 < len(text.sentences)
                                          and settled.search(text.sentences[s.index + 1].text)) for s in citing):
        return None
    told = next((s for s in text.sentences if new.search(s.text)), None)
    return Evidence(told.text, "body", f"cites {case_ref} as an earlier, settled case") if told else None


def classify(text: Text, case_ref: str | None, own_addresses: tuple[str, ...],
             trusted_spam_headers: tuple[str, ...] = ("spamassassin",)) -> KindDecision:
    for rule in (_read_receipt, _bounce, _auto_reply, _invitation, _machine_report, _bulk):
        decision = rule(text)
        if decision and decision.reason == AUTO_REPLY_BY_WORDS:  # "dit is een automatisch bericht" is phishing's too
            return _spam_content(text) or decision
        if decision:
            return decision
    decision = _spam_verdict(text, trusted_spam_headers) or _spam_content(text) or _bulk_content(text)
    if decision:
        return decision
    follow = _follow_up(text, case_ref, own_addresses)
    if follow:
        return follow
    return KindDecision("complaint", "written by a person; no robot, bulk or spam signs")


def _header(text: Text, name: str) -> str | None:
    value = text.parsed.header(name)
    return value.strip() if value is not None else None


def _header_evidence(name: str, value: str, detail: str = "") -> Evidence:
    return Evidence(f"{name}: {value}", f"header:{name}", detail)


def _read_receipt(text: Text) -> KindDecision | None:
    """A read receipt (MDN, RFC 8098) is an automatic answer, not a failed delivery."""
    content_type = _header(text, "Content-Type") or ""
    mdn = re.search(r"report-type\s*=\s*\"?disposition-notification", content_type, re.I)
    if mdn or "message/disposition-notification" in text.parsed.part_types:
        return KindDecision("auto_reply", "read receipt (disposition notification)",
                            (_header_evidence("Content-Type", content_type),))
    # Outlook's plain-text receipt: "Gelezen: <subject>" and "... werd gelezen op <date>"
    subject, said = text.vocab.regex("kind.read_receipt_subjects"), text.vocab.regex("kind.read_receipt_phrases")
    if subject and said and subject.search(text.subject) and said.search(text.full[:1000]):
        return KindDecision("auto_reply", "read receipt (its wording)", (Evidence(text.subject, "subject"),))
    return None


# RFC 7489's subject of a DMARC aggregate report (TLS reports, RFC 8460, use the same): "Report Domain: leuven.be
# Submitter: google.com Report-ID: 1542..."
_REPORT_SUBJECT = re.compile(r"\breport.?domain:\s*\S+.{0,40}\bsubmitter:\s*\S+", re.I)
_REPORT_TYPES = ("application/gzip", "application/x-gzip", "application/zip", "application/tlsrpt+gzip", "application/tlsrpt+json",
                 "text/xml", "application/xml")


def _machine_report(text: Text) -> KindDecision | None:
    """A DMARC or TLS aggregate report: a receiving server's statistics, sent to whatever address asked for them."""
    if not _REPORT_SUBJECT.search(text.subject):
        return None
    report = next((a for a in text.parsed.attachments if a.content_type.lower() in _REPORT_TYPES
                   or a.filename.lower().endswith((".xml.gz", ".xml", ".zip", ".json.gz"))), None)
    if report is None:
        return None
    return KindDecision("bulk", "an aggregate report of a mail server (DMARC or TLS)",
                        (Evidence(text.subject, "subject"), Evidence(report.filename, "mime", "report attached")))


def _invitation(text: Text) -> KindDecision | None:
    """A calendar invitation: an event sent to many, never a complaint."""
    parsed = text.parsed
    calendar = next((t for t in parsed.part_types if t in ("text/calendar", "application/ics")), None)
    ics = next((a for a in parsed.attachments if a.filename.lower().endswith(".ics")), None)
    if calendar or ics:
        shown = calendar or f"{ics.filename} ({ics.content_type})"
        response = text.vocab.regex("kind.meeting_response_subjects")
        if response and response.search(text.subject):  # "Geaccepteerd: Overleg ...": the calendar program answering
            return KindDecision("auto_reply", "a meeting response", (Evidence(shown, "mime", "calendar part"),
                                                                      Evidence(text.subject, "subject", "meeting response")))
        return KindDecision("bulk", "calendar invitation", (Evidence(shown, "mime", "calendar part"),))
    return None


def _bounce(text: Text) -> KindDecision | None:
    parsed, vocab = text.parsed, text.vocab
    content_type = _header(text, "Content-Type") or ""
    if parsed.content_type == "multipart/report" and re.search(r"delivery-status", content_type, re.I):
        return KindDecision("bounce", "delivery status notification (multipart/report)",
                            (_header_evidence("Content-Type", content_type),))
    sender = parsed.sender.address if parsed.sender else ""
    local = sender.split("@")[0]
    daemon = vocab.regex("kind.daemon_senders")
    subjects = vocab.regex("kind.bounce_subjects")
    if local and daemon and daemon.search(local) and _says_undelivered(text):  # a "postmaster" asking us to log in is no bounce
        return KindDecision("bounce", f"sent by the mail system ({sender})",
                            (_header_evidence("From", _header(text, "From") or sender),))
    if parsed.content_type == "multipart/report":
        return KindDecision("bounce", "multipart/report notification",
                            (_header_evidence("Content-Type", content_type),))
    return_path = _header(text, "Return-Path")
    if return_path is not None and return_path.strip("<> ") == "" and subjects and subjects.search(text.subject):
        return KindDecision("bounce", "empty return path and a delivery-failure subject",
                            (_header_evidence("Return-Path", return_path), Evidence(text.subject, "subject")))
    return None


def _says_undelivered(text: Text) -> bool:
    subjects, phrases = text.vocab.regex("kind.bounce_subjects"), text.vocab.regex("kind.bounce_phrases")
    return bool(subjects and subjects.search(text.subject) or phrases and phrases.search(text.full[:4000]))


AUTO_REPLY_BY_WORDS = "autoresponder wording in a short message"
_REPLY_PREFIX = re.compile(r"^\s*(re|tr|fw|fwd|wg|aw|antw|réf)\s*:", re.I)


def _helpdesk_acknowledgement(text: Text) -> KindDecision | None:
    """Another service's automatic receipt ("Uw melding werd geregistreerd onder nummer 2026-4471 ... Dit bericht
    werd automatisch verzonden"), in the mail's own words and without a person's story: never answered."""
    received, automatic = text.vocab.regex("kind.acknowledgement_phrases"), text.vocab.regex("kind.sent_automatically")
    own = text.parsed.reply_text or ""
    relays_a_person = text.webform is not None and (text.webform.get("name") or text.webform.get("email"))
    if relays_a_person or not (received and automatic) or _personal(own, text.parsed.language):
        return None
    found = received.search(own)
    if found and automatic.search(own):
        return KindDecision("auto_reply", "an automatic receipt of another service's helpdesk",
                            (Evidence(_sentence_around(own, found), "body"),))
    return None


def _auto_reply(text: Text) -> KindDecision | None:
    vocab = text.vocab
    auto = _header(text, "Auto-Submitted")
    if auto and auto.lower().startswith("auto-replied"):
        return KindDecision("auto_reply", "RFC 3834 auto-reply", (_header_evidence("Auto-Submitted", auto),))
    for name in ("X-Autoreply", "X-Autorespond", "X-Auto-Response-Suppress"):
        value = _header(text, name)
        if name == "X-Auto-Response-Suppress" and text.webform:
            continue  # a form relay asks not to be auto-answered too: it carries a citizen's words
        if value is not None and value.lower() not in ("no", "none", "false", "0"):
            return KindDecision("auto_reply", f"autoresponder header {name}", (_header_evidence(name, value),))
    subjects = vocab.regex("kind.auto_reply_subjects")
    # "RE: Automatisch antwoord: ...", "TR: Réponse automatique": a person answering or passing on an auto-reply
    if subjects and subjects.search(text.subject) and not _REPLY_PREFIX.match(text.subject):
        return KindDecision("auto_reply", "out-of-office subject", (Evidence(text.subject, "subject"),))
    acknowledged = _helpdesk_acknowledgement(text)
    if acknowledged:
        return acknowledged
    phrases = vocab.regex("kind.auto_reply_phrases")
    body = text.parsed.reply_text or ""
    found = phrases.search(body) if phrases and len(body) < 600 else None
    if found:
        return KindDecision("auto_reply", AUTO_REPLY_BY_WORDS,
                            (Evidence(_sentence_around(body, found), "body"),))
    if auto and auto.lower() != "no" and not text.webform and not _personal(body):
        # a machine's mailing with a mass-mail footer ("you received this invitation because ...") is bulk
        return _bulk_content(text) or KindDecision("auto_reply", "machine-generated mail without a person's words",
                                                   (_header_evidence("Auto-Submitted", auto),))
    return None


def _bulk(text: Text) -> KindDecision | None:
    vocab = text.vocab
    for name in vocab.get("kind.bulk_headers", []):
        value = _header(text, name)
        if value is not None:
            return KindDecision("bulk", f"list or bulk mail ({name})", (_header_evidence(name, value),))
    precedence = (_header(text, "Precedence") or "").lower()
    if precedence in vocab.get("kind.bulk_precedence", []) and not text.webform:  # form relays set it too
        return KindDecision("bulk", f"Precedence: {precedence}", (_header_evidence("Precedence", precedence),))
    return None


def _spam_verdict(text: Text, trusted: tuple[str, ...]) -> KindDecision | None:
    """The receiving server's own spam verdict, from the filters named in `[triage] trusted_spam_headers`."""
    checks = {"spamassassin": _spamassassin, "rspamd": _rspamd, "microsoft": _exchange}
    for name in trusted:
        decision = checks[name](text)
        if decision:
            return decision
    return None


def _spamassassin(text: Text) -> KindDecision | None:
    vocab = text.vocab
    for name in vocab.get("kind.spam_flag_headers", []):
        value = _header(text, name)
        if value and value.lower().startswith("yes"):
            return KindDecision("spam", f"marked as spam by the mail server ({name})", (_header_evidence(name, value),))
    for name in vocab.get("kind.spam_score_headers", []):
        value = _header(text, name)
        score = _float(value)
        if score is not None and score >= float(vocab.get("kind.spam_score_threshold", 5.0)):
            return KindDecision("spam", f"spam score {score} from the mail server", (_header_evidence(name, value or ""),))
    return None


_RSPAMD_SPAM = ("reject", "add header", "rewrite subject")


def _rspamd(text: Text) -> KindDecision | None:
    action = (_header(text, "X-Rspamd-Action") or "").lower()
    if action in _RSPAMD_SPAM:
        return KindDecision("spam", f"Rspamd action '{action}'", (_header_evidence("X-Rspamd-Action", action),))
    result = _header(text, "X-Spamd-Result") or ""
    if re.match(r"\s*default:\s*true\b", result, re.I):
        return KindDecision("spam", "Rspamd marked it as spam", (_header_evidence("X-Spamd-Result", result[:120]),))
    return None


def _exchange(text: Text) -> KindDecision | None:
    """Exchange Online Protection: spam confidence level 5 and up is spam (-1: a trusted sender)."""
    for name, pattern in (("X-MS-Exchange-Organization-SCL", r"^\s*(-?\d+)"), ("X-Forefront-Antispam-Report", r"\bSCL:(-?\d+)")):
        found = re.search(pattern, _header(text, name) or "", re.I)
        if found and int(found.group(1)) >= 5:
            return KindDecision("spam", f"Exchange Online Protection SCL {found.group(1)}",
                                (_header_evidence(name, (_header(text, name) or "")[:120]),))
    return None


FORWARDED_SPAM_WEIGHT = 0.5  # a citizen forwarding a service's invoice or letter quotes its wording


def _spam_content(text: Text) -> KindDecision | None:
    decision = _spam_score(text, [(f"{text.subject}\n{text.full}", 1.0, "body")])
    if decision is None:
        return None  # the whole text is no spam: no need to look at who wrote which part
    own, forwarded = _own_and_forwarded(text)
    if not forwarded or not _a_persons_words(own, text):
        return decision
    if FORWARDED_SUBJECT.match(text.subject):  # "FW: Laatste herinnering ...": the forwarded mail's subject
        return _spam_score(text, [(own, 1.0, "body"), (f"{text.subject}\n{forwarded}", FORWARDED_SPAM_WEIGHT, "quoted")])
    return _spam_score(text, [(f"{text.subject}\n{own}", 1.0, "body"), (forwarded, FORWARDED_SPAM_WEIGHT, "quoted")])



def _spam_score(text: Text, parts: list[tuple[str, float, str]]) -> KindDecision | None:
    vocab = text.vocab
    score, marketing, evidence = 0.0, 0.0, []
    tables = [(table, sign, vocab.weighted(table))  # their gates known before the bits
              for table, sign in (("kind.spam_signs", "spam sign"), ("kind.marketing_signs", "sales pitch"))]
    for haystack, factor, where in parts:
        bits = literals_in(haystack.lower())
        for table, sign, entries in tables:
            for pattern, weight, literal in entries:
                found = pattern.search(haystack) if gate_open(literal, bits) else None
                if found:
                    if table == "kind.marketing_signs":
                        marketing += weight * factor
                    else:
                        score += weight * factor
                    evidence.append(Evidence(_sentence_around(haystack, found), where, f"{sign} (+{weight * factor:g})"))
    for found in (_look_alike_sender(text), _impersonated_authority(text), _disguised_authority_link(text)):
        if found:
            score += LOOK_ALIKE_WEIGHT
            evidence.append(found)
    dangerous = _dangerous_attachment(text)
    if dangerous:
        score += dangerous[1]
        evidence.append(dangerous[0])
    total = score + marketing
    if total < float(vocab.get("kind.spam_threshold", 3.0)):
        return None
    if marketing > score:
        return KindDecision("bulk", f"a sales pitch or a mailing to many (score {total:g}, {marketing:g} of it commercial or mass mail)", tuple(evidence))
    return KindDecision("spam", f"spam patterns (score {total:g})", tuple(evidence))


# what a citizen does not send: a program or script, a file dressed as another ("foto.jpg_.zip", "factuur.pdf.exe"),
# an archive named as a business paper ("Payment Invoice.zip", "REQUEST FOR QUOTE.zip")
_RUNNABLE = re.compile(r"\.(exe|scr|pif|com|bat|cmd|js|jse|vbs|vbe|wsf|hta|jar|lnk|msi|ps1|iso|img)$", re.I)
_DRESSED = re.compile(r"\.(pdf|jpe?g|png|docx?|xlsx?|txt)[\s._-]*\.(zip|rar|7z|gz|exe|scr|js|iso|img)$", re.I)
_ARCHIVE = re.compile(r"\.(zip|rar|7z|gz|ace|arj)$", re.I)
_BUSINESS_PAPER = re.compile(r"\b(invoice|factuur|facture|payment|betaling|paiement|order|bestelling|commande|quot(e|ation)|"
                             r"offerte|devis|rfq|remittance|swift|receipt|shipping|dhl|fedex|ups)\b", re.I)
RUNNABLE_WEIGHT, PAPER_ARCHIVE_WEIGHT, EMPTY_CARRIER_WEIGHT = 2.0, 2.0, 1.0
EMPTY_CARRIER_WORDS = 20  # fewer words than this around such a file, none of them "ik" or "I": a carrier for it
_SENT_FROM = re.compile(r"\b(sent from my|verzonden (vanaf|met) mijn|envoyé de mon)\b\s*\S*", re.I)


def _dangerous_attachment(text: Text) -> tuple[Evidence, float] | None:
    for item in text.parsed.attachments:
        name = (item.filename or "").strip()
        if _RUNNABLE.search(name) or _DRESSED.search(name):
            what, weight = "a program or a file dressed as another", RUNNABLE_WEIGHT
        elif _ARCHIVE.search(name) and _BUSINESS_PAPER.search(name.replace("_", " ")):
            what, weight = "an archive named as a business paper", PAPER_ARCHIVE_WEIGHT
        else:
            continue
        if _says_almost_nothing(text.parsed.reply_text):
            what, weight = f"{what}, in a mail that says almost nothing", weight + EMPTY_CARRIER_WEIGHT
        return Evidence(name, "attachment", f"{what} (+{weight:g})"), weight
    return None


def _says_almost_nothing(own: str) -> bool:
    """ "Sent from my iPhone", "Zie bijlage": no one's story ("De factuur klopt niet, ik betaalde al" is one)."""
    own = _SENT_FROM.sub(" ", own)
    return len(own.split()) < EMPTY_CARRIER_WORDS and not _PERSONAL.search(own)


def _own_and_forwarded(text: Text) -> tuple[str, str]:
    """The text above the first forwarded or quoted message, and that message."""
    marker = text.vocab.regex("kind.forward_markers")
    found = marker.search(text.full) if marker else None
    if found:
        return text.full[: found.start()], text.full[found.start():]
    quoted = text.quoted.strip()
    if quoted and quoted in text.full:
        return text.full.replace(quoted, ""), quoted
    return text.full, ""


def _a_persons_words(own: str, text: Text) -> bool:
    """Words above a forwarded mail that address the ombudsdienst or tell a person's story."""
    addressed = text.vocab.regex("kind.addressed_to_us")
    return bool(addressed and addressed.search(own)) or _personal(own)


LOOK_ALIKE_WEIGHT = 1.5
_LABEL = re.compile(r"[a-z0-9]+")


def _look_alike_sender(text: Text) -> Evidence | None:
    """A sender domain dressed up as the recipient's ("leuven-mailbeheer.example.com" to
    "leuven.example.be"): it carries the recipient's name but is neither its domain nor under it."""
    parsed = text.parsed
    sender = (parsed.sender.address if parsed.sender else "").lower().rpartition("@")[2]
    for recipient in parsed.to:
        ours = recipient.address.lower().rpartition("@")[2]
        if not sender or not ours or sender == ours or sender.endswith("." + ours) or ours.endswith("." + sender):
            continue
        name = ours.split(".")[0]
        if len(name) >= 4 and name in _LABEL.findall(sender.split(".")[0]) and sender.split(".")[0] != name:
            return Evidence(f"From: {parsed.sender.address}", "header:From",
                            f"look-alike of the recipient's domain {ours} (+{LOOK_ALIKE_WEIGHT:g})")
    return None


def _impersonated_authority(text: Text) -> Evidence | None:
    """A display name that claims a public authority ("FOD Justitie", "SPF Finances") on an address outside the
    domains such an authority writes from."""
    sender = text.parsed.sender
    names, domains = text.vocab.regex("kind.authority_names"), text.vocab.regex("kind.authority_domains")
    if not sender or not sender.name or not names or not names.search(sender.name):
        return None
    domain = sender.address.lower().rpartition("@")[2]
    if domains and domains.search(domain):
        return None
    return Evidence(f"From: {sender.name} <{sender.address}>", "header:From",
                    f"a public authority's name on an address outside its domains (+{LOOK_ALIKE_WEIGHT:g})")


_LINK = re.compile(r"<a\s[^>]*?href\s*=\s*[\"']?(https?://[^\"'\s>]+)[^>]*>(.*?)</a\s*>", re.I | re.S)
_TAG = re.compile(r"<[^>]+>")
_SHOWN_DOMAIN = re.compile(r"^\W*(?:https?://)?((?:[a-z0-9-]+\.)+[a-z]{2,})(?:[/:?#]\S*)?\W*$", re.I)
# services that rewrite every link of the mail they pass on (Microsoft 365's Safe Links among them): no disguise
_LINK_PROTECTORS = re.compile(r"(^|\.)(safelinks\.protection\.outlook\.com|urldefense\.(com|proofpoint\.com)|"
                              r"linkprotect\.cudasvc\.com|protect-\w+\.mimecast\.com|\w+\.clicktime\.com)$", re.I)


def _disguised_authority_link(text: Text) -> Evidence | None:
    """A link that shows an authority's address ("http://justice.belgium.be/paiement") and leads elsewhere
    ("tribunal-paiement.example.net"): what phishing does, and no citizen."""
    domains = text.vocab.regex("kind.authority_domains")
    if not text.parsed.html or not domains:
        return None
    for href, inner in _LINK.findall(text.parsed.html[:TEXT_LIMIT]):
        shown = _SHOWN_DOMAIN.match(_TAG.sub("", inner))
        target = href.split("/")[2].split(":")[0].lower()
        if not shown or not domains.search(shown.group(1).lower()) or domains.search(target) \
                or _LINK_PROTECTORS.search(target):
            continue
        return Evidence(f"{shown.group(0).strip()} -> {target}", "body",
                        f"a link showing an authority's address leads elsewhere (+{LOOK_ALIKE_WEIGHT:g})")
    return None


FOOTER_CHARS = 800
PRESS_HEADING_CHARS = 200


def _bulk_content(text: Text) -> KindDecision | None:
    """Mass mail without list headers: a press release, or an unsubscribe or preferences footer and no person
    writing as "I"."""
    press = text.vocab.regex("kind.press_release")
    heading = press.search(text.full[:PRESS_HEADING_CHARS]) if press else None
    if heading:
        return KindDecision("bulk", "a press release", (Evidence(heading.group(0).strip(), "body"),))
    footer = text.vocab.regex("kind.mass_mail_footers")
    if not footer or _a_forms_message(text):
        return None  # "you receive this e-mail because you get this form's notifications": a citizen's form
    for tail, where in ((text.full[-FOOTER_CHARS:], "body"), (_html_tail(text), "body:html")):
        found = footer.search(tail)
        if found and not _personal(text.parsed.reply_text or "", text.parsed.language):
            return KindDecision("bulk", "mass mail: an unsubscribe or preferences footer, nobody writing in person",
                                (Evidence(_sentence_around(tail, found), where),))
    return None


FORM_MESSAGE_WORDS = 20


def _a_forms_message(text: Text) -> bool:
    return bool(text.webform) and len(text.webform.description.split()) >= FORM_MESSAGE_WORDS


_TAG = re.compile(r"<[^>]*>")


def _html_tail(text: Text) -> str:
    """The end of the HTML alternative as plain words: mass mailers often trim the footer from the plain part."""
    html = text.parsed.html
    if not html or not text.parsed.text.strip() or text.webform:
        return ""  # an HTML-only mail is already read whole; a form relay's footer is the form owner's
    return " ".join(unescape(_TAG.sub(" ", html[-4 * FOOTER_CHARS:])).split())[-FOOTER_CHARS:]


def _follow_up(text: Text, case_ref: str | None, own_addresses: tuple[str, ...]) -> KindDecision | None:
    if case_ref:
        where = "subject" if case_ref.lower() in text.subject.lower() else "body"
        return KindDecision("follow_up", f"carries case reference {case_ref}", (Evidence(case_ref, where),))
    own = {a.lower() for a in own_addresses}
    domains = {a.split("@")[-1] for a in own}
    for name in ("In-Reply-To", "References"):
        value = (_header(text, name) or "").lower()
        hit = next((d for d in domains if d and f"@{d}>" in value), None)
        if hit:
            return KindDecision("follow_up", f"answers one of our messages ({name})", (_header_evidence(name, value),))
    for line in text.quoted.splitlines()[:40]:
        low = line.lower()
        if any(a in low for a in own) and re.search(r"schreef|wrote|a écrit|^\s*(van|from|de)\s*:", low):
            return KindDecision("follow_up", "quotes one of our messages", (Evidence(line.strip(), "quoted"),))
    whole = text.full.lower()
    if any(a in whole for a in own):  # a quote the reply splitter left in ("Op … schreef Naam <adres>:")
        for line in text.full.splitlines():
            if any(a in line.lower() for a in own) and _ATTRIBUTION.match(line):
                return KindDecision("follow_up", "quotes one of our messages", (Evidence(line.strip(), "body"),))
    return None


# the line above a quoted message: "Op 10 feb. 2026 om 09:12 schreef X <x@…>:", "On … X wrote:", "Le … a écrit :",
# "Van: X <x@…>" of a quoted header block
_ATTRIBUTION = re.compile(r"^[>\s]*(?:(?:op|on|le|am)\b.{0,160}\b(?:schreef|wrote|a écrit|geschreven)\b.{0,160}:"
                          r"|(?:van|from|de|von)\s*:.*)\s*$", re.I)


_PERSONAL = re.compile(r"\b(ik|mijn|i|my|je|j'|mon|ma|mes)\b", re.I)
_PERSONAL_NL = re.compile(r"\b(ik|mijn|'k)\b", re.I)  # Dutch "je" is "you": marketing speaks it


def _personal(body: str, language: str = "") -> bool:
    """Enough first-person prose to be a person's words relayed by a machine."""
    pronouns = _PERSONAL_NL if language == "nl" else _PERSONAL
    return len(body.split()) >= 40 and len(pronouns.findall(body)) >= 3


def _float(value: str | None) -> float | None:
    if not value:
        return None
    found = re.search(r"-?\d+(\.\d+)?", value)
    return float(found.group(0)) if found else None


def _sentence_around(text: str, found: re.Match) -> str:
    start = max(text.rfind("\n", 0, found.start()), text.rfind(". ", 0, found.start()) + 1, 0)
    end_candidates = [i for i in (text.find("\n", found.end()), text.find(". ", found.end())) if i != -1]
    end = min(end_candidates) + 1 if end_candidates else len(text)
    return text[start:end].strip()[:300]
