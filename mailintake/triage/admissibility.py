"""Admissibility flags read from the writer's words: judicial_procedure, general_policy,
first_line_not_tried. Each returns a Flag with the sentences that decided it, or None.

Rules are sentence-level combinations of vocabulary from flags.toml:
- judicial: a court or judicial body together with a procedure word (or a summons-like
  word on its own), unless the sentence or the next one sets it apart (closed, unrelated,
  only threatened, merely advised).
- general policy: a weighted score over policy makers, decisions judged as such, requests
  to reverse them and changes that hit everyone; "ik heb niets tegen de parkeerzone"
  style sentences veto it.
- first line: a first-person contact with the service (strong verbs alone, weaker verbs with
  a desk or service named), a forwarded answer, or a web form's "yes"; a negated contact or
  "rechtstreeks naar u" is evidence that it was not tried.
"""

from __future__ import annotations

import re

from .model import Evidence, Flag
from .text import FORWARDED_SUBJECT, Sentence, Text


def judicial_flag(text: Text) -> Flag | None:
    v = text.vocab
    courts, actions, strong = v.regex("flags.judicial.courts"), v.regex("flags.judicial.actions"), v.regex("flags.judicial.strong")
    negations = v.regex("flags.judicial.negations")
    prosecution = v.regex("flags.judicial.prosecution")
    sentences = text.sentences
    evidence, certain = [], False
    for s in sentences:
        court = courts.search(s.text) if courts else None
        hit = (strong.search(s.text) if strong else None) or (court if court and actions and actions.search(s.text) else None)
        if not hit:
            continue
        following = [t.text for t in sentences[s.index + 1: s.index + 1 + ENDED_REACH]]
        if negations and (negations.search(s.text) or any(
                (_anaphoric(nxt) if i == 0 else False) or _REFERS_BACK.search(nxt) for i, nxt in enumerate(following)
                if negations.search(nxt))):
            continue
        # a complaint lodged with the prosecutor, or a case against a third party, may not concern the service
        with_prosecutor = bool(prosecution and prosecution.search(hit.group(0)))
        doubt = " (with the prosecutor: against whom?)" if with_prosecutor else \
            " (against another party?)" if _against_someone_else(s.text, text) else ""
        certain = certain or not doubt
        detail = f"procedure: '{hit.group(0)}'" + doubt
        evidence.append(Evidence(s.text, "body", detail))
    return Flag("judicial_procedure", tuple(evidence[:3]), certain=certain) if evidence else None


_ANAPHORA = re.compile(r"^(die|dat|deze|dit|that|this|it|cette|ce|elle|celle)\b", re.I)
# "Er is geen cassatieberoep ingesteld, die procedure is dus definitief afgelopen": the next sentence names it again
_REFERS_BACK = re.compile(r"\b(die|deze|dat|het|de|this|that|the|cette|ce|cet|la|le) (procedure|zaak|rechtszaak|procédure|affaire|"
                          r"case|lawsuit|proceedings|vonnis|arrest|uitspraak|jugement|judgment|judgement|verdict)\b", re.I)
ENDED_REACH = 2  # sentences after the one naming a court that may say its procedure has ended
AGAINST_REACH = 60  # characters after "tegen" / "against" / "contre" that name the other party
ACT_REACH = 25  # ... or, closer, the act of a service the procedure is against


def _against_someone_else(sentence: str, text: Text) -> bool:
    """ "een zaak tegen de uitbater": the other party is named, and it is none of the bodies the office covers."""
    against = text.vocab.regex("flags.judicial.against")
    found = against.search(sentence) if against else None
    if not found:
        return False
    party = sentence[found.start(): found.end() + AGAINST_REACH]
    acts = text.vocab.regex("flags.judicial.acts")
    if acts and acts.search(sentence[found.end(): found.end() + ACT_REACH]):
        return False  # "un recours contre ce permis": against what a service did
    return not any(pattern.search(party) for service in text.vocab.get("services.services", {}) or {} if service != "other"
                   for pattern, weight, _ in text.vocab.weighted(f"services.services.{service}") if weight >= 1.0)


def _anaphoric(sentence: str) -> bool:
    return bool(_ANAPHORA.match(sentence))


POLICY_THRESHOLD = 2.0  # asserted: what the citizen may be told
POLICY_DOUBT = 1.5  # shown to staff as uncertain


def policy_flag(text: Text) -> Flag | None:
    v = text.vocab
    get = lambda k: v.regex(f"flags.policy.{k}")  # noqa: E731
    veto = get("not_policy")
    candidates = text.sentences + [Sentence(text.subject, -1, -1, "subject")] if text.subject else text.sentences
    applied = get("applied_correctly")
    vetoed = [s for i, s in enumerate(candidates) if veto and veto.search(s.text) and not _taken_back(candidates, i, get)
              and not (applied and applied.search(s.text))]
    # "je ne conteste pas ma facture ... je conteste cette décision elle-même": what is not contested is
    # something else when another sentence contests the decision itself
    if vetoed and not any(_contests_as_such(s.text, get) for s in candidates if s not in vetoed):
        return None
    score, evidence = 0.0, []
    since_decided = POINT_BACK_SENTENCES  # sentences since the last one that named a decision
    changes_told: set[tuple[str, str]] = set()
    for s in candidates:
        # "Le conseil a décidé ... C'est disproportionné", "het circulatieplan ... belachelijk. draai dat terug":
        # the judgement points back at the decision
        recent = since_decided < POINT_BACK_SENTENCES
        inherited = recent and (_points_back(s.text) or _maker_opens(s.text, get))
        gained, why, decided = _policy_score(s.text, get, inherited, recent and s.where != "subject")
        # a change told as hitting everyone ("toutes les terrasses devront fermer", "van 25 naar 60 euro") is a
        # decision a judgement can point back at: "C'est injuste pour tous les habitants"
        changed = any(reason.startswith("general_changes") for reason in why) or (inherited and gained > 0)
        since_decided = 0 if decided or changed else since_decided + 1
        if gained and all(reason.startswith("general_changes") for reason in why):
            # "trein afgeschaft ... weer afgeschaft ... 'afgeschaft' op het bord": the same change told again in the
            # body is one sign, not one a sentence (the subject repeating it is another)
            told = {(s.where, reason.lower()) for reason in why}
            gained = 0.0 if told <= changes_told else gained
            changes_told |= told
        if gained:
            score += gained
            evidence.append(Evidence(s.text, s.where, f"+{gained:g}: {', '.join(why)}"))
    if score < POLICY_DOUBT:
        return None
    evidence.sort(key=lambda e: -float(e.detail.split(":")[0]))
    return Flag("general_policy", tuple(evidence[:4]), certain=score >= POLICY_THRESHOLD)


POINT_BACK_SENTENCES = 3  # "dat", "this", "ça" still points at a decision named this many sentences before

_BUT = re.compile(r"\b(maar|but|mais|toch)\b|\s[:;]\s", re.I)  # "je ne conteste pas une amende : je conteste ce plan"
_OPENS_WITH_BUT = re.compile(r"^\W*(maar|but|mais|toch)\b", re.I)


def _taken_back(candidates: list[Sentence], index: int, get) -> bool:
    """A concession the writer takes back, in the same sentence after "maar" or in the next one opening with it:
    "je ne conteste pas que mon vélo était mal garé, ok. mais ce règlement ... est absurde"."""
    if _contested_after_but(candidates[index].text, get):
        return True
    following = candidates[index + 1].text if index + 1 < len(candidates) else ""
    return bool(_OPENS_WITH_BUT.match(following)) and _policy_score(following, get)[0] > 0


def _contested_after_but(sentence: str, get) -> bool:
    """ "Ik snap dat het voor de veiligheid is, maar het is een slechte beslissing": a concession the writer
    takes back in the same sentence is no veto."""
    found = _BUT.search(sentence)
    return bool(found) and _policy_score(sentence[found.end():], get)[0] > 0


# a pronoun among the first words points back: "C'est disproportionné", "zet da terug", "schaf da af", "scrap it"
_POINTS_BACK = re.compile(r"^\W*(?:[\w'’]+\W+){0,3}?(c['’]est|ce n['’]est|dat|da|dit|that|this|it|ça|cela|zoiets)\b", re.I)
# "Ik vind dat ik ...", "Ik wil dat AGSL ...", "I think that ...": "dat" and "that" after a verb of saying, thinking
# or wanting open a clause
_OPENS_A_CLAUSE = re.compile(r"\b(vind|vinden|vond|denk|denken|dacht|hoop|weet|zeg|zegt|zei|wil|wilt|willen|vraag|vragen|eis|"
                             r"eisen|verwacht|think|thought|believe|hope|know|say|said|feel|want|ask|demand|expect)\W+(dat|da|that)$", re.I)


def _maker_opens(sentence: str, get) -> bool:
    """A sentence whose subject is who made the decision just named: "Met het nieuwe terrasreglement ... Het college
    heeft blijkbaar alleen naar de horeca geluisterd." """
    makers = get("makers")
    found = makers.search(sentence[:MAKER_OPENS]) if makers else None
    return bool(found) and found.start() <= MAKER_OPENS // 2


MAKER_OPENS = 30  # characters: a maker named this early opens the sentence ("Het college heeft", "The council has")


# "Ik vind dat schandalig.", "I find that absurd": a verb of judging whose "dat" has at most two words after it
# is no clause but the decision just told
_JUDGES_THAT = re.compile(r"\b(vind|vinden|vond|find|found|trouve)\W+(dat|da|that|ça|cela)(\W+[\w'’-]+){1,2}\W*$", re.I)


def _points_back(sentence: str) -> bool:
    found = _POINTS_BACK.match(sentence)
    return bool(found) and (not _OPENS_A_CLAUSE.search(sentence[: found.end()]) or bool(_JUDGES_THAT.search(sentence)))


def _policy_score(sentence: str, get, inherited: bool = False, recent: bool = False) -> tuple[float, list[str], bool]:
    """The sentence's score, why, and whether it names a decision itself. A request for the old state back needs no
    pronoun to point back at a decision named just before: "... een slechte beslissing. Ik vraag om de dinsdag terug open te
    doen", "... da de stad zoiets beslist. Gewoon laten zoals het was." """
    score, why = 0.0, []
    named = bool(get("decisions").search(sentence)) if get("decisions") else False
    if named:  # "waarover de rechter al beslist heeft": a judgment, no policy
        court = get("court_decisions")
        named = not (court and court.search(sentence))
    decision = inherited or named
    for key, weight, needs_decision in (("makers", 1.0, True), ("evaluations", 1.0, True), ("contest", 1.0, True),
                                        ("reversal", 1.5, True), ("restore", 1.5, True), ("as_such", 2.0, False), ("general_changes", 0.5, False),
                                        ("no_exception", 1.0, False), ("group_question", 1.0, False),
                                        ("collective", 1.0, False)):
        pattern = get(key)
        if not pattern or (needs_decision and not (decision or (recent and key == "restore"))):
            continue
        found = _contests_as_such(sentence, get) if key == "as_such" else pattern.search(sentence)
        if found:
            score += weight
            why.append(f"{key} '{found.group(0)}'")
    return score, why, named


def _contests_as_such(sentence: str, get) -> re.Match | None:
    """The rule itself contested ("het reglement zelf"), unless the writer cites it for their case
    ("volgens het reglement zelf kan dat wel")."""
    as_such, cites = get("as_such"), get("cites_rule")
    if not as_such:
        return None
    cited = [found.span() for found in cites.finditer(sentence)] if cites else []
    return next((found for found in as_such.finditer(sentence)
                 if not any(start <= found.start() and found.end() <= end for start, end in cited)), None)


def first_line_flag(text: Text) -> Flag | None:
    """first_line_not_tried unless something shows the service was contacted first."""
    v = text.vocab
    form = _webform_answer(text)
    if form is True:
        return None
    if form is False:
        answer = text.webform.get("contacted") if text.webform else ""
        said = Evidence(f"Heeft u de dienst zelf al gecontacteerd?: {answer}", "webform", "form answer: no")
        # "nee" on the form, while the message tells of calls and a visit and says what the "nee" meant ("een
        # officiële klacht heb ik nog niet ingediend, daarom nee"): staff judge
        informal = v.regex("flags.first_line.informal_only")
        told = next((s for s in text.sentences if "?" not in s.text and _contact(s.text, text) == CONTACTED), None)
        if told is not None and informal and any(informal.search(s.text) for s in text.sentences):
            return Flag("first_line_not_tried", (said, Evidence(told.text, "body", "but the message tells of a contact")),
                        certain=False)
        return Flag("first_line_not_tried", (said,))
    negative: list[Evidence] = []
    maybe: Evidence | None = None
    contacted: Evidence | None = None
    for s in text.sentences:
        outcome = _contact(s.text, text)
        if outcome == CONTACTED and contacted is None:
            contacted = Evidence(s.text, "body", "but this may be a contact with the service")
        if outcome == MAYBE_CONTACTED and maybe is None:
            maybe = Evidence(s.text, "body", "but this may be a contact with the service")
        if outcome == NOT_CONTACTED:
            negative.append(Evidence(s.text, "body", "says the service was not contacted"))
    said_not_contacted = bool(negative)
    direct = v.regex("flags.first_line.direct")
    straight = [s for s in text.sentences if direct and direct.search(s.text)]
    # a forwarded mail of the service shows a contact, unless the writer says they did not answer it and came
    # straight to us: then it is the letter the complaint is about ("ik ga nie bellen, ik stuur het direct door")
    # ... or says outright that the service itself was not told ("We hebben 't nog ni tegen 't Zorgbedrijf zelf
    # gezegd" above a sibling's forwarded mail)
    told_not_itself = any(_ITSELF.search(e.text) for e in negative)
    if contacted is None and _forwarded_answer(text) and not (said_not_contacted and (straight or told_not_itself)):
        return None
    if contacted is not None:
        # a contact verb outweighs silence, but not a writer who says both that they did not go back to the
        # service and that they come straight to us: the "contact" may be the incident itself; staff judge
        if not (said_not_contacted and straight):
            return None
        return Flag("first_line_not_tried", tuple(negative[:2]) + (
            Evidence(straight[0].text, "body", "writes to the ombudsdienst directly"), contacted), certain=False)
    for s in straight:
        if not any(e.text == s.text for e in negative):
            negative.append(Evidence(s.text, "body", "writes to the ombudsdienst directly"))
    if maybe is not None:  # a visit or a word with a desk, and elsewhere "not contacted": staff judge ...
        if not negative:
            return None
        # ... unless the writer says both that they did not contact the service and that they came straight to
        # us: what looked like a contact was then the request the complaint is about ("ik heb gevraagd om ...")
        # ... or that the service itself was not told ("ook geen klacht bij de politie zelf"): the visit was the incident
        return Flag("first_line_not_tried", tuple(negative[:2]) + (maybe,),
                    certain=said_not_contacted and (bool(straight) or told_not_itself))
    if not negative:  # silence is weak evidence: people often leave out that they called first
        absent = Evidence(text.subject or "(no subject)", "body", "no earlier call, mail, visit, answer or complaint number of the service")
        return Flag("first_line_not_tried", (absent,), certain=False)
    return Flag("first_line_not_tried", tuple(negative[:3]))


_ITSELF = re.compile(r"\b(zelf|lui-même|elle-même|eux-mêmes|itself|themselves)\b", re.I)


def _webform_answer(text: Text) -> bool | None:
    if not text.webform:
        return None
    answer = text.webform.get("contacted")
    if answer is None:
        return None
    yes, no = text.vocab.regex("identity.webform_yes"), text.vocab.regex("identity.webform_no")
    if yes and yes.search(answer):
        return True
    if no and no.search(answer):
        return False
    return None


# hearing nothing back is about an answer, so a contact: "omdat ik niets hoorde heb ik een brief gestuurd"
_ANSWER = re.compile(r"\b(antwoord|reactie|reply|replies|answer|response|réponse|répond(?:s|ent|ait|aient)?\b|gehoord|hoorde|hoorden|heard|teruggebeld|entendu|nouvelles)", re.I)
# coordination starts a clause, and so does punctuation spoken to a phone ("naar buiten punt aan de receptie gezegd")
_CLAUSE = re.compile(r"[,;:()]|\s(?:maar|but|mais|want|omdat|because|car|parce que|en|and|et|punt|komma|vraagteken|"
                     r"full stop|comma|question mark|virgule)\s", re.I)


CONTACTED, MAYBE_CONTACTED, NOT_CONTACTED = "contacted", "maybe", "not contacted"


def _contact(sentence: str, text: Text) -> str | None:
    """CONTACTED (a contact verb), MAYBE_CONTACTED (a weaker verb with a desk or service named), NOT_CONTACTED
    (a negated contact), or None: neither."""
    v = text.vocab
    strong, weak, desks = v.regex("flags.first_line.strong"), v.regex("flags.first_line.weak"), v.regex("flags.first_line.desks")
    negations = v.regex("flags.first_line.negations")
    ignore = v.regex("flags.first_line.ignore")
    if ignore:
        sentence = ignore.sub(" ", sentence)
    outcome = None
    for clause in _CLAUSE.split(sentence):
        verb, found = (strong.search(clause) if strong else None), CONTACTED
        if not verb and weak:
            w = weak.search(clause)
            verb, found = (w if w and desks and desks.search(sentence) and not _staff_did_it(sentence, clause[: w.start()])
                           and not _someone_else_did_it(clause[: w.start()]) else None), MAYBE_CONTACTED
        if not verb:
            continue
        about_answer = _ANSWER.search(clause)
        before = clause[: verb.start()]
        # the negation before the verb, right after it, or inside a phrase such as "heb hen nog niks laten weten"
        negated = negations.search(before + " " + clause[verb.start(): verb.end()] + _right_after(clause, verb.end())) \
            if negations else None
        if negated and not about_answer and _nobody_did_it(before, negated):
            continue  # "niemand heeft gebeld": the service did not call, which says nothing of the writer
        if negated and _writer_was_not_told(before, clause[verb.end():]):
            continue  # "de politie die mij niet heeft verwittigd": the service's step not taken, not the writer's
        if negated and found == MAYBE_CONTACTED and not _WRITER.search(clause):
            continue  # "er is geen advies van de milieudienst gevraagd": an impersonal passive, none of the writer's steps
        if negated and not about_answer:
            outcome = outcome or NOT_CONTACTED
            continue
        if found == CONTACTED:
            return CONTACTED
        outcome = MAYBE_CONTACTED if outcome is None else outcome  # "ik heb hen niet gemaild, ik schrijf u": not
    return outcome


NEGATION_REACH = 12  # characters after a contact verb where a negation still belongs to it ("gebeld heb ik niet")
_REPORTED = re.compile(r"\b(dat|da|that|que|qu['’]|of|if|whether|waarom|why|pourquoi)\b", re.I)


def _right_after(clause: str, end: int) -> str:
    """The words right after a verb that may negate it: whole words only, and none of what was said ("ze hebben
    mij gezegd dat dit niet meer bestaat" is a contact, and what they said is no negation of it)."""
    after = clause[end: end + NEGATION_REACH]
    if end + NEGATION_REACH < len(clause) and not clause[end + NEGATION_REACH].isspace():
        after = after.rsplit(" ", 1)[0] if " " in after else ""  # never half a word: "nie" of "niet"
    reported = _REPORTED.search(after)
    return after[: reported.start()] if reported else after


# someone of the service as the subject of the sentence: "Two officers stopped me and asked for my ID" is the
# incident, not the writer asking
_STAFF_SUBJECT = re.compile(r"^\W*(?:\w+\s+){0,2}?(agents?|agenten|officers?|policem[ae]n|politieagent\w*|inspecteurs?|"
                            r"medewerkers?|bedienden?|clerks?|policiers?|fonctionnaires?|guichetière|employés?)\b"
                            r"(?![^.]{0,60}\b(ik|i|je|j['’]|we|wij|nous)\b)", re.I)


_STAFF_JUST_BEFORE = re.compile(r"\b(officers?|agents?|agenten|agente|policem[ae]n|policiers?|clerks?|medewerkers?|"
                                r"bediende|fonctionnaires?)\s+(?:\w+\s+)?$", re.I)  # "the way one of the officers spoke"


# a friend, a neighbour or family as the subject: "A friend said the OCMW never helps students" is hearsay, not the
# writer asking
_SOMEONE_ELSE = re.compile(r"\b(a|my|our|een|mijn|onze|un|une|mon|ma|notre) (friend|neighbou?r|colleague|flatmate|kotmate|"
                           r"vriend|vriendin|kennis|buur|buurman|buurvrouw|collega|kotgenoot|ami|amie|voisin|voisine|collègue|"
                           r"coloc\w*)\b(?!.*\b(ik|i|je|j['’]|we|wij|nous)\b)", re.I)


def _someone_else_did_it(before: str) -> bool:
    return bool(_SOMEONE_ELSE.search(before))


def _staff_did_it(sentence: str, before: str = "") -> bool:
    return bool(_STAFF_SUBJECT.match(sentence)) or bool(_STAFF_JUST_BEFORE.search(before))


_NOBODY = {"niemand", "nobody", "no one", "personne"}
_WRITER = re.compile(r"\b(ik|'k|wij|we|i|je|j'|nous|on|heb|hebben|ben|zijn|had|have|ai|avons)\b", re.I)  # also "heb nog niemand gebeld"


# the writer as the object of the negated verb: "die mij niet heeft verwittigd", "who did not inform me"
_WRITER_BEFORE_NEGATION = re.compile(r"\b(die|dat|wie|zij|ze|hij)\s+(mij|me|ons)\s+(\w+\s+)?(niet|nooit|nie)\s+$", re.I)
_WRITER_AFTER_VERB = re.compile(r"^\s*(me|us)\b", re.I)
_SOMEONE_ELSE_AS_SUBJECT = re.compile(r"\b(who|which|they|he|she|it)\b", re.I)


def _writer_was_not_told(before: str, after: str) -> bool:
    if _WRITER_BEFORE_NEGATION.search(before):
        return True
    return bool(_WRITER_AFTER_VERB.match(after) and _SOMEONE_ELSE_AS_SUBJECT.search(before))


def _nobody_did_it(before: str, negated: re.Match) -> bool:
    """A "nobody" that is the subject (nothing of the writer before it) rather than the object."""
    return negated.group(0).lower() in _NOBODY and negated.start() < len(before) and not _WRITER.search(before[: negated.start()])


def _forwarded_answer(text: Text) -> bool:
    pattern = text.vocab.regex("flags.first_line.forwarded_answer")
    if not text.quoted.strip():
        return False
    automatic = text.vocab.regex("flags.first_line.automatic_forward")
    if automatic and automatic.search(text.quoted):
        return False  # a survey or an order confirmation forwarded answers nobody
    return bool(FORWARDED_SUBJECT.match(text.subject) or (pattern and pattern.search(text.body)))
