"""Which service a complaint concerns, with a confidence, alternatives and the deciding words.

Weighted vocabulary per service (services.toml) is summed over the writer's words, the
subject (x1.5), quoted or forwarded text (x0.5) and a web form's service field (x3).
Confidence is the winner's share of all positive weight, damped when little was found.
When the writer says they do not know which body is responsible, or the confidence is
below `min_confidence`, the proposal is `unknown`: staff decide.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .model import Evidence
from .text import ADDRESS, Text, split_sentences
from .vocabulary import gate_open, literals_in

SUBJECT_WEIGHT, QUOTED_WEIGHT, FORM_WEIGHT, STATED_WEIGHT = 1.5, 0.5, 3.0, 8.0  # the writer naming the body outweighs the bodies told of


@dataclass(frozen=True)
class Routing:
    service: str
    confidence: float
    alternatives: tuple[tuple[str, float], ...]
    evidence: tuple[Evidence, ...]


def route(text: Text, min_confidence: float, alternatives: int = 2) -> Routing:
    scores, evidence = _scores(text)
    positive = {k: v for k, v in scores.items() if v > 0}
    total = sum(positive.values())
    ranked = sorted(positive.items(), key=lambda kv: (-kv[1], kv[0]))
    if not ranked:
        return Routing("unknown", 0.0, (), (Evidence(text.subject, "subject", "no service vocabulary found"),))
    shares = [(name, score / (total + 1.0)) for name, score in ranked]
    best, confidence = shares[0]
    alts = tuple((n, round(c, 3)) for n, c in shares[1: 1 + alternatives])
    doubt = _uncertainty(text)
    if doubt is not None and best == "other" and doubt.where == "webform" and _OTHER_CHOSEN.search(doubt.text):
        doubt = None  # "Andere / weet ik niet" on the form, and the text names a body the office does not cover
    if doubt is not None and doubt.where == "webform" and confidence >= FORM_DOUBT_YIELDS:
        doubt = None  # "weet ik niet" picked on the form, and the writer's own words name one service clearly
    if doubt is not None and doubt.detail == CHANNEL_DOUBT and confidence >= (
            FORM_DOUBT_YIELDS if best == "other" else CHANNEL_DOUBT_YIELDS):
        # "je ne sais pas à qui m'adresser" about a police officer's conduct: the police, sent to us; "I'm not sure who
        # else to turn to" after De Lijn's own answer: De Lijn, which we do not cover
        doubt = None
    if doubt is not None and doubt.where == "body" and any(e.where == "webform" for e in evidence[best]):
        doubt = None  # the form's service field names it: "niemand weet wie mijn dossier heeft" is within that service
    if doubt is not None:
        return Routing("unknown", confidence, ((best, round(confidence, 3)),) + alts,
                       (doubt,) + tuple(evidence[best][:4]))
    if confidence < min_confidence:
        return Routing("unknown", confidence, ((best, round(confidence, 3)),) + alts, tuple(evidence[best][:4]))
    if len(ranked) > 1 and ranked[1][1] == ranked[0][1]:  # the proposal stands, but staff must see it is a coin toss
        runner_up = ranked[1][0]
        return Routing(best, confidence, alts, (Evidence(text.subject, "subject", f"a tie: {best} and {runner_up} score the same "
                                                          f"({ranked[0][1]:g}); {best} comes first by name"),)
                       + tuple(evidence[best][:3]) + tuple(evidence[runner_up][:2]))
    elsewhere = _lives_elsewhere(text) if best == "stad" else None
    if elsewhere is not None:
        return Routing("other", confidence, (("stad", round(confidence, 3)),) + alts,
                       (elsewhere,) + tuple(evidence["stad"][:3]))
    return Routing(best, confidence, alts, tuple(evidence[best][:6]))


FORM_DOUBT_YIELDS = 0.75
CHANNEL_DOUBT_YIELDS = 0.6  # a doubt about where to send the complaint yields to a service of ours this clearly ahead
CHANNEL_DOUBT = "the writer does not know where to send the complaint"
_OTHER_CHOSEN = re.compile(r"\b(andere?|other|autre)\b", re.I)


def _lives_elsewhere(text: Text) -> Evidence | None:
    """A resident of a neighbouring municipality writing about municipal services, Leuven named nowhere in
    their own words: their municipality is the one concerned."""
    lives, leuven = text.vocab.regex("services.lives_elsewhere"), text.vocab.regex("services.leuven_named")
    found = lives.search(text.body) if lives else None
    if found is None:
        return None
    landmark = text.vocab.regex("services.leuven_as_landmark")
    own_words = [landmark.sub(" ", t) if landmark else t for t in (text.body, text.subject)]
    if leuven and any(leuven.search(t) for t in own_words):
        return None
    return Evidence(found.group(0), "body", "the writer lives in a neighbouring municipality, Leuven is not named")


def _scores(text: Text) -> tuple[dict[str, float], dict[str, list[Evidence]]]:
    sources = [(_without_asides(text, _unwrapped(_without_sign_off(text))), 1.0, "body"),
               (text.subject, SUBJECT_WEIGHT, "subject"),
               (text.quoted, QUOTED_WEIGHT, "quoted")]
    if text.webform and text.webform.get("service"):
        sources.append((text.webform.get("service"), FORM_WEIGHT, "webform"))
    stated = _stated_body(text)
    if stated:
        sources.append((stated, STATED_WEIGHT, "body"))
    # an address names a mailbox, not the body complained about: "Aan: ... <sandra@telenet-mail.example>"
    sources = [(ADDRESS.sub(" ", src), factor, where) for src, factor, where in sources if src]
    negated = text.vocab.regex("services.negated_names")  # "(dus geen stadsschool)": not the body complained about
    if negated:
        sources = [(negated.sub(" ", src), factor, where) for src, factor, where in sources]
    tables = {service: text.vocab.weighted(f"services.services.{service}")  # their gates known before the bits
              for service in (text.vocab.get("services.services", {}) or {})}
    lowered = [src.lower() for src, *_ in sources]
    sources = [(src, factor, where, literals_in(low)) for (src, factor, where), low in zip(sources, lowered)]
    everywhere = 0  # one literal test per pattern, then per source
    for *_, bits in sources:
        everywhere |= bits
    scores: dict[str, float] = {}
    evidence: dict[str, list[Evidence]] = {}
    operated = _operator_named(text, "\n".join(lowered))
    for service, table in tables.items():
        total, found = 0.0, []
        for pattern, weight, literal in table:
            if not gate_open(literal, everywhere):
                continue
            for source, factor, where, bits in sources:
                hits = pattern.findall(source) if gate_open(literal, bits) else []
                if hits and operated is not None and service == "stad" and operated.search(_word(pattern, source)):
                    continue  # the waste company's work, not the city's
                if hits:
                    count = min(len(hits), 3)
                    total += weight * factor * count
                    if weight > 0:
                        found.append(Evidence(_word(pattern, source), where, f"{service} +{weight * factor * count:g}"))
        scores[service] = total
        evidence[service] = sorted(found, key=lambda e: -float(e.detail.rsplit("+", 1)[-1]))
    return scores, evidence


def _stated_body(text: Text) -> str:
    """What the writer says their complaint is about: "Mijn klacht gaat dus over de stad: zij heeft ...", "my
    complaint is about the museum, not the bus company"."""
    stated = text.vocab.regex("services.complaint_about")
    found = stated.search(text.body) if stated else None
    return text.body[found.end(): found.end() + STATED_REACH].split(",")[0].split(":")[0] if found else ""


STATED_REACH = 40  # characters after "mijn klacht gaat over" that name the body


def _operator_named(text: Text, everywhere: str) -> re.Pattern | None:
    """The words of the work an outside operator does, when the mail names it; else None."""
    operators = text.vocab.regex("services.operators")
    if operators is None or not operators.search(everywhere):
        return None
    return text.vocab.regex("services.operators_work")


SIGN_OFF_LINES = 5  # a closing formula followed by at most this many short lines: name, street, town


def _unwrapped(body: str) -> str:
    """The body with its wrapped lines joined, as sentences are: a mail client that wraps at 72 columns splits
    "Service / fédéral des Pensions" over two lines, and the name must still be read."""
    return _LINE_WRAP.sub(" ", body)


_LINE_WRAP = re.compile(r"[ \t]*(?<!\n)\n(?![ \t]*\n)[ \t]*")


def _without_asides(text: Text, body: str) -> str:
    """The body without the sentences the writer sets apart: "Vorig jaar kreeg ik ook een GAS-boete, maar dat heeft
    hier niets mee te maken" names no body this complaint is about."""
    aside = text.vocab.regex("services.unrelated")
    if not aside or not aside.search(body):
        return body
    return "\n".join(s.text for s in split_sentences(body) if not aside.search(s.text))


def _without_sign_off(text: Text) -> str:
    """The writer's words without their sign-off: "Hoogachtend, / Johan Verbist / Bertem" names where the writer
    lives, not the body complained about."""
    closings = text.vocab.regex("identity.closings")
    lines = text.body.rstrip().splitlines()
    for index in range(len(lines) - 1, max(-1, len(lines) - 2 - SIGN_OFF_LINES), -1):
        line = lines[index].strip()
        if closings and closings.search(line) and len(line) <= 60:
            after = [l for l in lines[index + 1:] if l.strip()]
            if len(after) <= SIGN_OFF_LINES and all(len(l) <= 60 for l in after):
                return "\n".join(lines[:index])
            break
    return text.body


def _word(pattern, source: str) -> str:
    found = pattern.search(source)
    return found.group(0) if found else ""


def _uncertainty(text: Text) -> Evidence | None:
    strong, weak = text.vocab.regex("services.uncertainty_strong"), text.vocab.regex("services.uncertainty")
    channel = text.vocab.regex("services.uncertainty_channel")
    for s in text.sentences:
        if text.webform and _a_forms_question(s.text):
            continue  # "Which service is this about?" is the form asking, not the writer in doubt
        if strong and strong.search(s.text) and not _ours_or_a_private_party(text, s.text) \
                and not _within_one_service(text, s.text) and not _OR_TELL_ME.search(s.text):
            return Evidence(s.text, "body", "the writer does not know which body is responsible")
        if channel and channel.search(s.text) and not _ours_or_a_private_party(text, s.text) \
                and not _within_one_service(text, s.text) and not _OR_TELL_ME.search(s.text):
            return Evidence(s.text, "body", CHANNEL_DOUBT)
        if weak and weak.search(s.text) and _services_named(text, s.text) >= 2 and not _YES_OR_NO.search(s.text):
            return Evidence(s.text, "body", "the writer does not know which body is responsible")
    answer = text.webform.get("service") if text.webform else None
    if answer and any(p and p.search(answer) for p in (strong, channel, weak)):
        return Evidence(answer, "webform", "form answer: does not know the service")
    return None


# "Pouvez-vous faire corriger l'acte, ou me dire à qui je dois m'adresser ?": a request to us with a fallback, not
# doubt about which body the complaint is about
_OR_TELL_ME = re.compile(r"\b(ou|or|of anders|of)\b.{0,12}\b(me dire|nous dire|tell me|tell us|zeg(gen)? (me|mij)|me zeggen|"
                         r"laat (me|mij) weten|me laten weten)\b", re.I)
FORM_QUESTION_WORDS = 8
# "I do not know if the police has come or not": doubt whether something happened, not about which body it is
_YES_OR_NO = re.compile(r"\b(or not|of niet|of nie|ou non|ou pas)\b", re.I)


def _a_forms_question(sentence: str) -> bool:
    first_line = sentence.strip().splitlines()[0] if sentence.strip() else ""
    return first_line.rstrip().endswith("?") and len(first_line.split()) <= FORM_QUESTION_WORDS


def _ours_or_a_private_party(text: Text, sentence: str) -> bool:
    """A doubt between one service of ours and a private party: the service concerned is ours whoever pays."""
    private = text.vocab.regex("services.private_parties")
    return bool(private and private.search(sentence)) and _services_named(text, sentence) == 1


def _within_one_service(text: Text, sentence: str) -> bool:
    """A doubt about who within the one service the sentence names, not about which body it is; "daar" may point
    at the one service the message names elsewhere ("Ik heb nog niet met de dienst zelf contact opgenomen, ik weet
    niet wie daar verantwoordelijk is")."""
    within = text.vocab.regex("services.doubt_within")
    if not (within and within.search(sentence)):
        return False
    named = _services_named(text, sentence)
    return named == 1 or (named == 0 and _services_named(text, f"{text.subject}\n{text.body}") == 1)


def _services_named(text: Text, sentence: str) -> int:
    named = 0
    tables = [text.vocab.weighted(f"services.services.{service}")  # their gates known before the bits
              for service in (text.vocab.get("services.services", {}) or {})]
    bits = literals_in(sentence.lower())
    for table in tables:
        if any(w > 0 and gate_open(lit, bits) and p.search(sentence) for p, w, lit in table):
            named += 1
    return named
