"""Who wrote it and where to answer: the `anonymous` flag, the reply address and the channel.

A writer is identified by a name anywhere: the From display name, a web form's name field,
a signed line at the end of their words, or "mijn naam is ...". A first name alone is a
name. A wish to stay anonymous is evidence, but a name found elsewhere still identifies.
"""

from __future__ import annotations

import re

from .model import Evidence, Flag
from .text import Text, colleagues_forward
from .text import is_no_reply as no_reply_address

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_INITIALS = re.compile(r"(?:[^\W\d_]\.[\s\-–]*){1,4}")  # "J.V.", "M.-C. D.": initials identify nobody
_TOKEN = re.compile(r"[\w\u00C0-\u024F'’.-]+")
_FAMILY = re.compile(r"^(?:de |la |the )?(?:familie|famille|family|gezin|fam\.)\s+(?P<surname>\S.*)$", re.I)
# a street signed instead of a name: "Muntstraat", "Rue de la Station", "Naamsesteenweg"
_STREET = re.compile(r"\w{3}(straat|plein|steenweg|dreef|kaai)$|^(rue|avenue|chaussée|place|boulevard)$", re.I)


def is_no_reply(address: str, text: Text) -> bool:
    return no_reply_address(address, text.vocab)


def _relays_a_form(sender: str, text: Text) -> bool:
    """From an address nobody reads, or a site's own sender (website@) relaying a form that names another
    address, in a mail that says not to answer it or comes from such a site address; or such a site's sender
    that says it is not read, relaying a form that names no address at all."""
    if is_no_reply(sender, text) or text.webform.forwarded:
        return True
    form_address = _form_address(text)
    relay = text.vocab.regex("identity.relay_senders")
    by_relay = bool(relay and relay.search(sender.split("@")[0]))
    if not form_address:  # an anonymous form: only a site's own sender that says it is not read relays it
        return by_relay and bool(text.find("identity.do_not_reply_notices", text.full))
    if form_address == sender.lower():
        return False
    return by_relay or bool(text.find("identity.do_not_reply_notices"))


def reply_address_and_channel(text: Text, own_addresses: tuple[str, ...]) -> tuple[str, str]:
    """Reply-To if usable, else a web form's address when From is a no-reply sender, else From.
    Empty when the only address is one nobody reads: then the case waits for staff to fill one in."""
    parsed = text.parsed
    sender = parsed.sender.address if parsed.sender else ""
    own = {a.lower() for a in own_addresses}
    form_address = _form_address(text)
    relayed = text.webform is not None and _relays_a_form(sender, text)
    channel = "webform" if form_address and relayed else "email"
    for candidate in parsed.reply_to:
        if candidate.address not in own and not is_no_reply(candidate.address, text):
            return candidate.address, channel
    if channel == "webform":
        return form_address, channel
    if relayed:  # a form relay whose form gave no address: one the citizen wrote in their message, or none
        return _requested_address(text, own), "webform"
    return _requested_address(text, own) or _person_in_cc(text, own, sender) or _forwarded_citizen(text, own) or sender, channel


def _forwarded_citizen(text: Text, own: set[str]) -> str:
    """A citizen's mail a colleague passes on ("Deze mail kwam binnen op info@...; ik stuur hem door naar jullie"): the
    answer goes to the citizen who wrote it, not to the colleague."""
    forwarded = colleagues_forward(text.parsed, text.full, text.vocab)
    if forwarded is None:
        return ""
    address = forwarded[0]
    colleague_domain = text.parsed.sender.address.lower().rpartition("@")[2]
    if address.lower() in own or address.lower().rpartition("@")[2] == colleague_domain or is_no_reply(address, text):
        return ""
    return address


def _person_in_cc(text: Text, own: set[str], sender: str) -> str:
    """The one person in Cc, when the writer asks us to deal with them directly (a councillor or a social worker
    passing on a citizen's complaint)."""
    copied = [a.address for a in text.parsed.cc
              if a.address.lower() not in own and a.address.lower() != sender.lower() and not is_no_reply(a.address, text)]
    if len(copied) != 1:
        return ""
    cc_named, answer_them = text.vocab.regex("identity.cc_named"), text.vocab.regex("identity.answer_them")
    if cc_named and answer_them and any(cc_named.search(s.text) and answer_them.search(s.text) for s in text.sentences):
        return copied[0]
    return ""


REQUEST_REACH = 120  # characters between "please reply to" and the address it names (one clause about whose it is)


def _requested_address(text: Text, own: set[str]) -> str:
    """ "Please reply to my private address amira@...", "antwoord mij liefst op ...": the writer's own words
    name where the answer should go."""
    request = text.vocab.regex("identity.reply_requests")
    if not request:
        return ""
    for found in request.finditer(text.body):
        address = _EMAIL.search(text.body, found.end(), found.end() + REQUEST_REACH)
        if address and address.group(0).lower() not in own and not is_no_reply(address.group(0), text):
            return address.group(0)
    return ""


def _form_address(text: Text) -> str:
    if not text.webform:
        return ""
    found = _EMAIL.search(text.webform.get("email") or "")
    return found.group(0).lower() if found else ""


def anonymous_flag(text: Text) -> Flag | None:
    """The flag with its evidence, or None when a name identifies the writer.

    Asserted when no name is found anywhere. When only the From display name looks like a
    name while the writer signs as "een bewoner" or asks to stay anonymous, the display name may
    be a label ("Zonnepanelen Kessel-Lo"): the flag is uncertain, for staff to judge. So it is when the writer
    gives a name and asks to stay anonymous beside it ("Anoniem melden: ja"): unknown to the service, or to us?"""
    written = _written_name(text)
    requests = [Evidence(s.text, "body", "asks to stay anonymous") for s in text.sentences_matching("identity.anonymity_requests")[:2]]
    if text.webform and _yes(text.webform.get("anonymity"), text):
        requests.insert(0, Evidence(f"anoniem: {text.webform.get('anonymity')}", "webform", "form answer: stay anonymous"))
    if written:
        # a name given and "Anoniem melden: ja" beside it: unknown to the service, or to us? staff judge
        return Flag("anonymous", tuple(requests[:2]) + (Evidence(written, "body", "but the writer gives this name"),),
                    certain=False) if requests else None
    described = [Evidence(line, "body", "signs with a description, not a name") for line in _descriptions(text)]
    sender = text.parsed.sender
    shown = f"{sender.name} <{sender.address}>".strip() if sender and sender.name else (sender.address if sender else "")
    display = _display_name(text)
    if display:
        if not (requests or described):
            return None
        if len(display.split()) == 1:  # "DeWreker" above "Een Leuvenaar die het beu is": a nickname, no person's name
            return Flag("anonymous", tuple(requests + described) + (
                Evidence(f"From: {shown}", "header:From", "the display name is one word, a nickname rather than a name"),))
        return Flag("anonymous", tuple(requests + described) + (
            Evidence(f"From: {shown}", "header:From", "only the display name looks like a name; it may be a label"),), certain=False)
    items = requests + described + [Evidence(f"From: {shown}", "header:From", "no name in display name, signature or body")]
    return Flag("anonymous", tuple(items))


def _display_name(text: Text) -> str | None:
    if text.webform is not None:
        return None
    sender = text.parsed.sender
    if sender and not is_no_reply(sender.address, text) and looks_like_name(sender.name, text):
        return sender.name
    return None


def _written_name(text: Text) -> str | None:
    """A name the writer gave: a form's name field, a signed line, "mijn naam is ..."."""
    if text.webform is not None:
        name = _PARENTHESIS.sub("", text.webform.get("name") or "").strip()  # "Jozef Claessens (ingevuld door zoon)"
        if looks_like_name(name, text):
            return name
    for line in _closing_lines(text):
        line = _PARENTHESIS.sub("", line).strip() or line  # "Annelies Peeters (dochter van mevrouw Peeters)"
        if looks_like_name(line, text) or _signed_in_lower_case(line, text):
            return line
        signed = _WITH_ROLE.match(line)  # "Hilde Verbist, voorzitter"
        if signed and looks_like_name(signed.group(1), text):
            return signed.group(1)
    statements = text.vocab.regex("identity.name_statements")
    found = statements.search(text.body) if statements else None
    return found.group(0) if found else (_introduced_in_lower_case(text) or _signed_in_subject(text)
                                         or _named_on_top(text) or _signed_after_a_chain(text))


_SUBJECT_SIGNATURE = re.compile(r"\s[-–—|]\s*([^-–—|:]{3,40})$")


def _signed_in_subject(text: Text) -> str | None:
    """ "bezwaar parkeerretributie afgewezen - Tom Claes": a name of two words or more closing the subject."""
    found = _SUBJECT_SIGNATURE.search(text.subject.strip())
    name = found.group(1).strip() if found else ""
    return name if len(name.split()) >= 2 and looks_like_name(name, text) else None


_TOP_NAME = re.compile(r"^\s*([^\W\d_][^,\-–(\n]{2,40}?)\s*[,\-–(]")


def _named_on_top(text: Text) -> str | None:
    """ "Marc Janssens, Wilsele - ik zet dat bovenaan": a name opening the body, when the sender's address spells its
    initials or its surname (otherwise a first line of capitalised words is as likely a salutation or a place)."""
    found = _TOP_NAME.match(text.body)
    name = found.group(1).strip() if found else ""
    words = name.split()
    if not 2 <= len(words) <= 4 or not looks_like_name(name, text):
        return None
    local = _address_letters(text)
    initials = "".join(w[0] for w in words).lower()
    surname = re.sub(r"[^a-z]", "", words[-1].lower())
    return name if local and (local.startswith(initials) or _spells_surname(local, surname)) else None


OWN_WORDS_ABOVE_A_CHAIN = 12  # a forward's header line or two, no more


def _signed_after_a_chain(text: Text) -> str | None:
    """The writer's own words under a forwarded chain ("Hierboven de hele historiek. … Karel Lemmens"): the quoted
    part's last lines, when a closing stands just above them and nothing of the writer's stands above the chain
    (otherwise those last lines sign the mail the writer quotes)."""
    if len(text.body.split()) > OWN_WORDS_ABOVE_A_CHAIN:
        return None
    lines = [l.strip() for l in text.parsed.quoted_text.splitlines() if l.strip()][-6:]
    closings = text.vocab.regex("identity.closings")
    for index, line in enumerate(lines[:-1]):
        if closings and closings.search(line) and len(line.split()) <= 5:
            following = _PARENTHESIS.sub("", lines[index + 1]).strip()
            if looks_like_name(following, text) and not lines[index + 1].startswith(">"):
                return following
    return None


_PARENTHESIS = re.compile(r"\s*\([^)]*\)")
_WITH_ROLE = re.compile(r"^([^,]{3,60}),\s*(?:[a-zà-ÿ][\w-]*)(?:\s+[\w-]+){0,2}\.?$")  # a name, then a role in lower case


_LOWER_INTRODUCTION = re.compile(
    r"\b(?:mijn naam is|ik heet|ik ben|.k ben|my name is|i am|i.m|je suis|je m.appelle)\s+([a-zà-ÿ][a-zà-ÿ'-]+(?:\s+[a-zà-ÿ][a-zà-ÿ'-]+){1,3})")


def _introduced_in_lower_case(text: Text) -> str | None:
    """ "ps ik ben kelly de witte": a name introduced without capitals counts when the sender's address spells
    its surname ("dewitte.k@..."); "ik ben echt boos" is a phrase, and no address spells "echt boos"."""
    local = _address_letters(text)
    if not local:
        return None
    for found in _LOWER_INTRODUCTION.finditer(text.body):
        words = found.group(1).split()
        for size in range(len(words), 1, -1):
            surname = re.sub(r"[^a-z]", "", "".join(words[1:size]))
            if _spells_surname(local, surname) and looks_like_name(" ".join(words[:size]).title(), text):
                return " ".join(words[:size])
    return None


def _signed_in_lower_case(line: str, text: Text) -> bool:
    """ "sanne de meyer" from sannedemeyer93@..., "jeroen" from jeroen.w@...: a name written without capitals
    counts when the sender's address or display name spells it too (otherwise a lower-case line is as likely a
    phrase)."""
    if line != line.lower() or not 1 <= len(line.split()) <= 4 or not looks_like_name(line.title(), text):
        return False
    sender = text.parsed.sender
    if sender is None:
        return False
    if len(line.split()) == 1:  # "jeroen" from jeroen.w@...: the address's own first word
        return len(set(line)) >= 3 and line in re.split(r"[^a-zà-ÿ]+", sender.address.lower().partition("@")[0])
    letters = re.sub(r"[^a-z]", "", line)
    local = _address_letters(text)
    shown = (sender.name or "").lower().split()
    return (len(letters) >= 5 and letters in local) or (bool(shown) and shown[0] == line.split()[0] and len(shown[0]) >= 3)


def _spells_surname(local: str, surname: str) -> bool:
    """Whether the letters of an address ("dewittek") spell a surname long enough to tell ("dewitte")."""
    return len(surname) >= 4 and surname in local


def _address_letters(text: Text) -> str:
    """The letters of the sender's address before the @: "dewitte.k93" is "dewittek"."""
    sender = text.parsed.sender
    return re.sub(r"[^a-z]", "", sender.address.lower().partition("@")[0]) if sender else ""


_DESCRIBED = re.compile(r"^(een|a|an|un|une|uw|your|votre)\s+(\w+)", re.I)


def _descriptions(text: Text) -> list[str]:
    """Closing lines where the writer describes themselves instead of signing: "een bewoner uit Kessel-Lo"."""
    not_names = set(text.vocab.get("identity.not_a_name", []))
    found = []
    for line in _closing_lines(text):
        match = _DESCRIBED.match(line)
        words = [w.lower() for w in re.findall(r"\w+", line)[1:4]]
        if match and any(w in not_names for w in words):
            found.append(line)
    return found[-1:]


def _yes(answer: str | None, text: Text) -> bool:
    yes = text.vocab.regex("identity.webform_yes")
    return bool(answer and yes and yes.search(answer))


def _closing_lines(text: Text) -> list[str]:
    """The last lines of the writer's words plus their signature: where people sign."""
    body_lines = [l.strip() for l in text.body.splitlines() if l.strip()]
    if len(body_lines) > 2:
        body_lines = body_lines[1:]  # the salutation
    if text.webform is None:
        body_lines += [l.strip() for l in text.parsed.signature.splitlines() if l.strip()]
    closings = text.vocab.regex("identity.closings")
    tail = body_lines[-8:]
    return [l for l in tail if not (closings and closings.search(l))]


def looks_like_name(value: str, text: Text) -> bool:
    """A short line of capitalised words that are not descriptions, places or closings."""
    value = (value or "").strip().strip(",;:!").lstrip("-–—~ ")  # "- J." signs with an initial, "– Tom Claes" with a name
    if not value or len(value) > 60 or "@" in value or any(ch.isdigit() for ch in value) or _INITIALS.fullmatch(value):
        return False
    value = value.strip(".")
    vocab = text.vocab
    if value.lower() in set(vocab.get("identity.placeholder_names", [])):
        return False
    family = _FAMILY.match(value)
    if family:  # "Famille Lambert-Dubois", "de familie Janssens": the family's name
        return looks_like_name(family.group("surname"), text)
    not_names = set(vocab.get("identity.not_a_name", []))
    places = set(vocab.get("identity.places", []))
    joiners = set(vocab.get("identity.name_joiners", []))
    titles = set(vocab.get("identity.titles", []))
    tokens = [t.strip(".'’") for t in re.split(r"[\s\-–|/,]+", value) if t.strip(".'’")]
    if not tokens or len(tokens) > 6:
        return False
    if tokens[0].lower() in ("een", "a", "an", "the", "un", "une", "de", "het"):
        if len(tokens) < 2 or not tokens[1][:1].isupper():
            return False  # "een bezorgde burger"; but "An Vandamme", "De Smet"
    words = [t for t in tokens if t.lower() not in joiners and t.lower() not in titles]
    if not words:
        return False
    for word in words:
        low = word.lower()
        if low in not_names or low in places or _STREET.search(low):
            return False
        if not word[:1].isupper() or not _TOKEN.fullmatch(word):
            return False
    if len(words) == 1 and (words[0].isupper() and len(words[0]) > 1 and len(value.split()) == 1):
        return len(words[0]) >= 3  # "JOS" signed in capitals
    return True
