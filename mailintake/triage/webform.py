"""Web forms, recognised by their structure rather than by one form's labels.

A form relay is mail from an address nobody reads (or one that announces a form) whose text
is a block of labelled fields: "Label: value" lines, or an HTML table that reaches us as
"Label| value" rows. What each field holds is read from the words its label uses in nl/fr/en
("Uw e-mailadres", "Mail", "Voornaam + Familienaam", "Nom / Naam") and from the value itself
(an e-mail address is an e-mail address whatever its label). The citizen's own words are the
longest free-text field; a "Contactgegevens:" heading followed by bare lines gives name and
address too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..mail.message import Parsed
from .vocabulary import Vocabulary

# "Label: value", "Label| value" (a table row), "label = value", "Label ........ value" (dot leaders),
# "[Label] value" or "Label<TAB>value" (an export), each also as a table's first cell ("| Naam| X"); possessive:
# no backtracking
# "Label: value", "Label | value", "Label = value", "Label » value", "Label → value", "Label ........ value"
_FIELD = re.compile(r"^[ \t]*+(?:\|[ \t]*+)?(?:\[([^\]\n]{2,80})\]|([^:|=»→⇒\n]{2,80}?)(?:[ \t]*+(?:[:|=»→⇒]|\.{4,}[ \t]*+:?|…{2,}[ \t]*+:?)|\t++))[ \t]*+(.*)$")
_TABLE_RULE = re.compile(r"^[\s|:-]*$")  # "---|---" under a table's first row
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_URL_START = re.compile(r"^\s*(https?|mailto)\s*$", re.I)
_FOOTER = re.compile(r"^\s*(--\s*|_{3,}|-{3,}\s*)$")
_RULE = re.compile(r"^\s*[-=_]{3,}\s*$")  # under a heading: "Your complaint" / "-----"
MAX_FIELD_LINE = 1_000  # a longer line is no "label: value" field
HEAD = 3_000  # the fields of a form come first
MIN_FIELDS = 2  # from an address nobody reads, two labelled lines make a form
SHORT_VALUE = 40  # a field this short after the citizen's words ends them ("Bijlagen: 0")
ROLES = ("contacted", "anonymity", "email", "name", "service", "description")


@dataclass
class WebForm:
    fields: dict[str, str] = field(default_factory=dict)
    description: str = ""
    forwarded: bool = False  # forwarded by someone else (a colleague), not sent by the relay itself

    def get(self, name: str) -> str | None:
        return self.fields.get(name)


@dataclass(frozen=True)
class _Line:
    index: int
    label: str
    value: str


def read_webform(parsed: Parsed, text: str, vocab: Vocabulary, no_reply: bool) -> WebForm | None:
    """The form in `text`, or None when the mail is no form relay."""
    lines = text.splitlines()
    quoted = _quoted_header_rows(lines)
    fields = [f for f in _field_lines(lines, vocab) if f.index not in quoted]
    in_head = [f for f in fields if sum(len(l) + 1 for l in lines[: f.index]) < HEAD]
    marker = vocab.regex("identity.webform_markers")
    announced = bool(marker and marker.search(text[:1500]))
    if not (announced or (no_reply and len(in_head) >= MIN_FIELDS)):
        return None
    if not (announced and no_reply) and not any(_role(line, vocab) for line in in_head):
        # "Lotte mentioned you in Team | Channel": a notification's table, no field a form asks; "mijn buurvrouw heeft
        # het formulier voor mij ingevuld" in a person's own mail, with no field of a form in it
        return None
    form = WebForm()
    first_named = family_named = False  # after "Voornaam: An", a plain "Naam: Wouters" is the family name
    for line in fields:
        role = _role(line, vocab)
        if role == "description":
            continue
        value = line.value or _value_below(lines, line)
        if role == "name":  # "Melder: Ann Hendrickx | ann@... | 0473 ...": the name is the first part
            value = _NAME_PART.split(value, maxsplit=1)[0]
        label = line.label.replace("_", " ")
        if role == "name" and form.fields.get("name") and value and (
                _LAST_NAME.search(label) or (first_named and _PLAIN_NAME.match(label))):
            form.fields["name"] = f"{form.fields['name']} {value}"  # "first_name: Hannah" / "last_name: O'Connell"
        elif role == "name" and form.fields.get("name") and value and family_named and _FIRST_NAME.search(label):
            form.fields["name"] = f"{value} {form.fields['name']}"  # "Naam: Wouters" / "Voornaam: An"
        elif role and role not in form.fields and (value or role == "name"):
            form.fields[role] = value
            if role == "name":
                first_named = bool(_FIRST_NAME.search(label))
                family_named = not first_named and " " not in value.strip() and bool(
                    _LAST_NAME.search(label) or _PLAIN_NAME.match(label))
    _contact_block(lines, fields, form, vocab)
    _contact_in_one_field(fields, form, vocab)
    form.description = _description(lines, fields, vocab)
    return form


_NOT_A_PERSON = re.compile(r"\b(form|formulier|formulaire|file|bestand|fichier|company|bedrijf|organisation|organisatie|"
                           r"site|user ?name|gebruikersnaam|street|straat)\s*-?\s*(name|naam|nom)\b|\bnom du (formulaire|fichier)\b",
                           re.I)
_LAST_NAME = re.compile(r"\b(last ?name|surname|family name|achternaam|familienaam|nom de famille|nom)\b", re.I)
_FIRST_NAME = re.compile(r"\b(first ?name|given name|forename|voornaam|prénom)\b", re.I)
_PLAIN_NAME = re.compile(r"^\W*(naam|name|nom)\W*$", re.I)
_NAME_PART = re.compile(r"\s*[|;<]\s*|\s+-\s+(?=\S*@)|\s*,\s*(?=\S*@)")  # "Ellen Maes <ellen@...>" too


# the header of a quoted or forwarded mail: "Van: ... / Verzonden: ... / Aan: ... / Onderwerp: ...", never a form's fields
_QUOTED_HEADER = re.compile(r"^\W{0,3}(van|verzonden|aan|onderwerp|cc|bcc|from|sent|to|subject|date|datum|de|envoyé|à|objet|"
                            r"le|reply-to)\W{0,3}\s*:", re.I)
QUOTED_HEADER_ROWS = 3  # so many of them together


def _quoted_header_rows(lines: list[str]) -> set[int]:
    rows: set[int] = set()
    run: list[int] = []
    for i, line in enumerate(lines + [""]):
        if _QUOTED_HEADER.match(line):
            run.append(i)
            continue
        if len(run) >= QUOTED_HEADER_ROWS:
            rows.update(run)
        run = []
    return rows


def _field_lines(lines: list[str], vocab: Vocabulary) -> list[_Line]:
    """ "Label: value" and "Label| value" lines, and headings underlined with a rule (their text follows)."""
    found, asking = [], False  # asking: the form puts its questions and answers on one line ("Wat is uw naam? X")
    for i, line in enumerate(lines):
        asked = _asked_and_answered(line, vocab)
        if asked:
            found.append(_Line(i, asked.group(1).rstrip("?").strip(), _clean_value(asked.group(2))))
            asking = True
            continue
        if asking and _asked_alone(line, vocab):  # "Wat is uw klacht?" with the answer below it
            found.append(_Line(i, line.strip().rstrip("?").strip(), ""))
            continue
        if _is_heading(lines, i):
            found.append(_Line(i + 1, line.strip(), ""))
            continue
        if _is_label_above(lines, i) or _is_known_label_above(lines, i, vocab):
            found.append(_Line(i, (_numbered_question(line) or line.strip()).rstrip("?:").strip(), ""))
            continue
        if len(line) > MAX_FIELD_LINE or _TABLE_RULE.match(line):
            continue
        match = _FIELD.match(line)
        if match and not _URL_START.match(_label(match)):
            found.append(_Line(i, _label(match).strip().strip("\"'*_").strip(), _clean_value(match.group(3))))
    return found


# "Wat is uw naam? Lies Vermeulen": a form's question and its answer on one line
_QUESTION = (r"(?:wat|welke|wanneer|waar|hoe|wie|heeft u|hebt u|bent u|what|which|when|where|how|who|do you|have you|"
             r"did you|quel|quelle|quels|quelles|quand|où|comment|avez-vous|êtes-vous)\b[^?\n]{2,70}\?")
_QUESTION_FIELD = re.compile(rf"^[ \t]*({_QUESTION})[ \t]+(\S.*)$", re.I)
_QUESTION_ALONE = re.compile(rf"^[ \t]*{_QUESTION}[ \t]*$", re.I)
QUESTION_WORDS = 10


def _asked_and_answered(line: str, vocab: Vocabulary) -> re.Match | None:
    """A form's question about one of its fields with the answer after it on the same line (a "Label: value"
    line is read as that)."""
    if len(line) > MAX_FIELD_LINE or _FIELD.match(line):
        return None
    asked = _QUESTION_FIELD.match(line)
    return asked if asked and len(asked.group(1).split()) <= QUESTION_WORDS and _is_form_question(asked.group(1), vocab) \
        else None


def _asked_alone(line: str, vocab: Vocabulary) -> bool:
    """A form's question about one of its fields on a line of its own, its answer below."""
    return (len(line.split()) <= QUESTION_WORDS and bool(_QUESTION_ALONE.match(line))
            and _is_form_question(line.strip(), vocab))


_DUMP_ARROW = re.compile(r"^(=>|->|[*_]+(?=\s))\s*")  # "=> X", and "*Naam:* X" (bold label) leaves "* X"


_JSON_BARE = re.compile(r"^(true|false|null|-?\d+(\.\d+)?)$")


def _clean_value(value: str) -> str:
    """A value as a JSON or print_r dump writes it: '"Lotte Janssens",' and "=> Lotte" are "Lotte ..."; a
    table's bars ("| Yes    |", and a label cell ending in a colon: "Nom complet :| X") are no part of it."""
    value = _DUMP_ARROW.sub("", value.strip().removeprefix("|").removesuffix("|").strip())
    if value.endswith(",") and (value[:1] in "\"'" or _JSON_BARE.match(value[:-1])):
        value = value[:-1]
    return value.strip().strip("\"'").strip()


_QUOTED_ANSWER = re.compile(r"^>\s*")  # "1. Uw naam" / "> Ruben De Smet"


def _label(match: re.Match) -> str:
    return match.group(1) or match.group(2)


def _is_heading(lines: list[str], i: int) -> bool:
    line = lines[i].strip()
    return (bool(line) and len(line) <= 60 and ":" not in line and i + 1 < len(lines) and bool(_RULE.match(lines[i + 1]))
            and not _FIELD.match(line))  # "contact_dienst = ja" above a rule is a field, not a heading


_INDENTED = re.compile(r"^(?: {2,}|\t)\S")


def _is_label_above(lines: list[str], i: int) -> bool:
    """A question or label on its own line with the answer indented deeper below ("Wie bent u?" / "    An Peeters")."""
    line = lines[i]
    label = line.strip()
    return (bool(label) and len(label) <= 80 and ":" not in label and "|" not in label
            and not label.endswith((".", "!", ",")) and i + 1 < len(lines) and bool(_INDENTED.match(lines[i + 1]))
            and _indent(lines[i + 1]) >= _indent(line) + 2)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


_LABEL_WORDS = 8


def _is_known_label_above(lines: list[str], i: int, vocab: Vocabulary) -> bool:
    """A paragraph that opens with a short label a form uses ("Voornaam + familienaam", "Welke dienst?") and
    goes on with its answer on the next line: how an HTML form's "<b>label</b><br>value" reaches us."""
    numbered = _numbered_question(lines[i])  # "2. E-mailadres" / "nadia@...": numbered questions need no blank line
    label = numbered or lines[i].strip()
    if (not label or (i > 0 and lines[i - 1].strip() and not numbered) or i + 1 >= len(lines)
            or not lines[i + 1].strip() or len(label) > 60 or len(label.split()) > _LABEL_WORDS or ":" in label
            or "|" in label or label.endswith((".", "!", ",", ";")) or _FIELD.match(lines[i + 1])):
        return False
    label = label.rstrip("?").strip()
    return any((pattern := vocab.regex(f"identity.webform_fields.{role}")) and pattern.search(label) for role in ROLES)


_QUESTION_NUMBER = re.compile(r"^\d{1,2}\\?[.)]\s+")  # "2. ", "2) ", and "2\. " as HTML-to-text escapes it


def _is_form_question(question: str, vocab: Vocabulary) -> bool:
    """A question naming one of a form's fields (name, address, service, contact, the complaint itself)."""
    return _role(_Line(0, question.rstrip("?"), ""), vocab) is not None


def _numbered_question(line: str) -> str:
    """The question of a numbered form question, also as the last cell of a table row ("| Formulier | 1. Naam"),
    without its number; '' for any other line."""
    cell = line.rsplit("|", 1)[-1].strip()
    numbered = _QUESTION_NUMBER.match(cell)
    return cell[numbered.end():].strip() if numbered else ""


def _role(line: _Line, vocab: Vocabulary) -> str | None:
    """What a field holds, by the words of its label ("first_name" as "first name"); an address-shaped value is
    the e-mail field."""
    label = line.label.replace("_", " ")
    for role in ROLES:
        pattern = vocab.regex(f"identity.webform_fields.{role}")
        if role == "name" and _NOT_A_PERSON.search(label):
            continue  # "form_name: ombudsman_en", "file name: foto.jpg"
        if pattern and pattern.search(label):
            if role == "email" and line.value and not _EMAIL.search(line.value):
                continue
            return role
    if _EMAIL.fullmatch(line.value):
        return "email"
    return None


def _value_below(lines: list[str], line: _Line) -> str:
    """ "Uw naam:" with the answer on the next line, as many forms lay it out."""
    for raw in lines[line.index + 1: line.index + 3]:
        if raw.strip() and not _TABLE_RULE.match(raw):  # an HTML table's rule between question and answer
            return "" if _FIELD.match(raw) else _QUOTED_ANSWER.sub("", raw.strip())
    return ""


def _contact_block(lines: list[str], fields: list[_Line], form: WebForm, vocab: Vocabulary) -> None:
    """Name and address as bare lines under a heading such as "Contactgegevens:"."""
    heading = vocab.regex("identity.webform_contact_heading")
    for line in fields:
        if line.value or not (heading and heading.search(line.label)):
            continue
        for raw in lines[line.index + 1: line.index + 8]:
            value = raw.strip()
            if not value or _FIELD.match(raw):
                break
            if _EMAIL.fullmatch(value):
                form.fields.setdefault("email", value)
            elif "name" not in form.fields or not form.fields["name"]:
                form.fields["name"] = value
        return


_NAME_BEFORE = re.compile(r"^\s*([^\W\d_][^\W\d_'.-]*(?:[ '.-]+[^\W\d_][^\W\d_'.-]*){1,4})\s*[-,;|/(<]*\s*$")


def _contact_in_one_field(fields: list[_Line], form: WebForm, vocab: Vocabulary) -> None:
    """ "Contact: An Peeters - an@example.be - 0470 ..." or "Naam / e-mail: An Peeters - an@...": one short field
    holds the address and, before it, the name. Another field's address counts only when the form has no e-mail
    field at all: one left empty means the citizen gave none ("Betreft: mail van info@..." is not theirs)."""
    if form.fields.get("email"):
        values = [form.fields["email"]]
    elif any(_role(line, vocab) == "email" for line in fields):
        return
    else:
        values = [line.value for line in fields if len(line.value) <= CONTACT_FIELD]
    for value in values:
        found = _EMAIL.search(value)
        if not found:
            continue
        form.fields["email"] = found.group(0)
        name = _NAME_BEFORE.match(value[: found.start()])
        if name and not form.fields.get("name"):
            form.fields["name"] = name.group(1).strip()
        return


CONTACT_FIELD = 160  # a field longer than this is the citizen's words, whatever addresses they quote


def _description(lines: list[str], fields: list[_Line], vocab: Vocabulary) -> str:
    """The citizen's own words: the free-text field, continued over the lines that follow it."""
    pattern = vocab.regex("identity.webform_fields.description")
    candidates = [f for f in fields if pattern and pattern.search(f.label)]
    texts = [_continued(lines, f, vocab) for f in candidates]
    labelled = max(texts, key=len, default="")
    if len(labelled) >= SHORT_VALUE:
        return labelled
    longest = max((_continued(lines, f, vocab) for f in fields), key=len, default="")
    best = longest if len(longest) > len(labelled) else labelled
    if not any(_role(f, vocab) in ("name", "email") for f in fields):
        return best
    first = _before_the_fields(lines, fields)  # a form's own preamble is a line or two: this must be far longer
    return first if len(first) >= PREAMBLE_MIN and len(first) > 2 * len(best) else best


PREAMBLE_MIN = 160


def _before_the_fields(lines: list[str], fields: list[_Line]) -> str:
    """A message written above its form's contact fields ("Goedemorgen, ... / Contactgegevens / Naam: ..."): the
    lines between the form's heading and its first field, when they are the longest text."""
    if not fields:
        return ""
    body = [line.rstrip() for line in lines[1: fields[0].index]]  # the first line is the form's heading
    while body and (not body[-1].strip() or _RULE.match(body[-1]) or len(body[-1].split()) <= 2):
        body.pop()  # "Contactgegevens", "* * *" between the message and the fields
    return "\n".join(body).strip()


def _continued(lines: list[str], start: _Line, vocab: Vocabulary) -> str:
    parts = [start.value]
    for index in range(start.index + 1, len(lines)):
        raw = lines[index]
        if (_FOOTER.match(raw) or _is_heading(lines, index) or _is_label_above(lines, index)
                or (_numbered_question(raw) and _is_known_label_above(lines, index, vocab))):
            break
        match = _FIELD.match(raw) if len(raw) <= MAX_FIELD_LINE else None
        if match and len(match.group(3).strip()) <= SHORT_VALUE and len(_label(match).split()) <= 4:
            break
        if _asked_and_answered(raw, vocab) or _asked_alone(raw, vocab):
            break  # the next question of a form that asks "Wat is uw naam? X"
        parts.append(raw.rstrip())
    return "\n".join(parts).strip()
