"""Dates in the writer's words, resolved against the message date, and the `stale_facts` flag.

Mentions are found with cheap regular expressions (absolute dates, months, seasons, years,
number-word relative forms such as "anderhalf jaar geleden" or "il y a deux ans") in nl, fr
and en, and resolved to a period [start, end]. Each mention then gets a role:

- future: a hearing or an expiry date, not the facts;
- context: background the writer sets apart ("daar gaat deze klacht niet over"), where they
  live since, comparisons ("het dubbele van drie jaar geleden");
- background: an earlier incident when a later sentence says it happened again;
- ongoing: "sinds 2023 en nog steeds": the situation lasts until today;
- since: "sinds 2021", "depuis 2019": when a state began, rarely the facts themselves;
- fact: everything else.

The facts date is the earliest fact. The facts are stale when the whole period of that
mention lies more than `stale_after_days` before the message date. The flag is asserted
(the citizen may be told) only when the evidence is strong: every fact the writer dates is
that old, or they say so themselves ("meer dan een jaar geleden", "vorig jaar in juni").
When later facts are recent, or only a "since" date is old, it is uncertain: staff check it.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from .model import Evidence, Flag
from .text import Sentence, Text
from .vocabulary import Vocabulary, gate, lowered, may_match


@dataclass(frozen=True)
class Mention:
    text: str
    start: date
    end: date
    granularity: str
    sentence: Sentence
    offset: int
    role: str = "fact"

    def with_role(self, role: str) -> "Mention":
        return Mention(self.text, self.start, self.end, self.granularity, self.sentence, self.offset, role)

    @property
    def point(self) -> date:
        return self.start + (self.end - self.start) / 2


@dataclass(frozen=True)
class DateFinding:
    mentions: tuple[Mention, ...]
    facts: Mention | None
    stale: Flag | None


def assess(text: Text, reference: date | None, stale_after_days: int) -> DateFinding:
    """All mentions with roles, the facts mention, and the stale flag (or None)."""
    if reference is None:
        return DateFinding((), None, None)
    mentions = classify(find_mentions(text.sentences, reference, text.vocab), text, reference)
    facts = _finest([m for m in mentions if m.role == "fact"])
    dated = facts or [m for m in mentions if m.role in ("since", "ongoing")]
    earliest = min(dated, key=lambda m: (m.start, m.end), default=None)
    if earliest is None or earliest.role == "ongoing":
        return DateFinding(tuple(mentions), earliest, None)
    age = (reference - earliest.end).days
    if age <= stale_after_days:
        return DateFinding(tuple(mentions), earliest, None)
    detail = (f"'{earliest.text}' resolved to {_period(earliest)}; {age} days before the "
              f"message date {reference.isoformat()} (limit {stale_after_days})")
    evidence = [Evidence(earliest.sentence.text, "body", detail)]
    # every fact mention, also one a finer mention pinned: "la facture d'octobre 2026" stays recent beside "le 8
    # octobre", the writer's call about it
    recent = [m for m in mentions if m.role == "fact" and _surely_recent(m, reference, stale_after_days)
              and not _a_later_step(m, text.vocab)]
    # "more than a year ago" said of the facts; not of the writer's own report then ("Over a year ago (August 2025)
    # I reported a loose paving stone ... On 2 October 2026 I tripped on that very stone")
    said_old = [m for m in facts if m.granularity == "relative" and (reference - m.end).days > stale_after_days
                and not _a_later_step(m, text.vocab) and not _happened_again(m, text)]
    # a period everyone knows has fuzzy edges: it asserts the flag only when it ended long before the message
    vague = earliest.granularity == "era" and age < ERA_CERTAIN_DAYS
    going_on = _still_going_on(text, earliest) or _said_to_go_on(mentions, text.vocab)
    certain = earliest.role == "fact" and not vague and (not recent or bool(said_old)) and going_on is None
    if recent and not certain:
        evidence.append(Evidence(recent[-1].sentence.text, "body", f"but '{recent[-1].text}' is recent: the facts may be later"))
    if going_on is not None:
        evidence.append(Evidence(going_on.text, "body", "but the writer says it still goes on"))
    stale = Flag("stale_facts", tuple(evidence), certain=certain)
    return DateFinding(tuple(mentions), earliest, stale)


def _still_going_on(text: Text, earliest: Mention) -> Sentence | None:
    """A sentence after the facts saying the problem goes on now ("het is nu nog altijd elke nacht hetzelfde")."""
    still = text.vocab.regex("dates.markers.still_now")
    if not still:
        return None
    return next((s for s in text.sentences if s.index > earliest.sentence.index and still.search(s.text)), None)


AGAIN_REACH = 2  # sentences after an old episode that may say it has come back


def _happened_again(mention: Mention, text: Text) -> bool:
    """ "Two years ago ... I let it go then. But now it's happening again": the old episode is the background of a
    new one, so its age does not outweigh the recent dates."""
    again = text.vocab.regex("dates.markers.again_now")
    index = mention.sentence.index
    return any(_has(again, s.text) for s in text.sentences[index + 1: index + 1 + AGAIN_REACH])


def _said_to_go_on(mentions: list[Mention], vocab: Vocabulary) -> Sentence | None:
    """A problem told as a habit since a date ("Sinds vorig jaar rond Pasen organiseert het jeugdhuis bijna elk
    weekend fuiven"): the dated steps after it need not be the facts' end."""
    habitual = vocab.regex("dates.markers.habitual")
    return next((m.sentence for m in mentions if m.role in ("since", "ongoing") and _has(habitual, m.sentence.text)), None)


ERA_CERTAIN_DAYS = 730
ALMOST = 0.1  # "almost" a period: a tenth of it less, at most a month
MAX_MENTIONS = 200  # dates read per message; a complaint names a handful, a list of thousands is no complaint


def _finest(facts: list[Mention]) -> list[Mention]:
    """Without the coarse mentions that a finer one in the same or the next sentence pins down:
    "vorig jaar, op 4 juli 2025" is 4 July 2025, not the whole year; "Vorig jaar in september heb ik hulp gevraagd.
    De brief met de weigering was gedateerd op 5 september 2025." is 5 September."""
    def pinned(m: Mention) -> bool:
        return any(o is not m and 0 <= o.sentence.index - m.sentence.index <= 1 and m.start <= o.start and o.end <= m.end
                   and (o.end - o.start) < (m.end - m.start) for o in facts)
    return [m for m in facts if not pinned(m)]


_QUOTED = re.compile(r"\"[^\"]{1,200}\"|“[^”]{1,200}”|„[^”“]{1,200}[”“]|«[^»]{1,200}»")


def _a_later_step(m: Mention, vocab: Vocabulary) -> bool:
    """ "Vorige maand heb ik hen gemaild", "le mois dernier, nous avons reçu une citation", "vorige week las ik over
    uw dienst", "vorige week zag ik dezelfde agent weer": a recent date of the writer's contact with the service, a
    court's step, or what made them write to us dates what followed the facts, not the facts."""
    own_words = _QUOTED.sub(" ", m.sentence.text)  # a letter's "niet gemeld" quoted is none of the writer's steps
    return any(pattern is not None and pattern.search(own_words) for pattern in
               (vocab.regex("flags.first_line.strong"), vocab.regex("flags.judicial.strong"), vocab.regex("dates.markers.trigger"),
                vocab.regex("dates.markers.met_again")))  # "vorige week zag ik dezelfde agent weer"


def _surely_recent(m: Mention, reference: date, stale_after_days: int) -> bool:
    """The whole period lies within the limit, with a month's margin for what people round
    ("il y a un an", "in maart"): a year that straddles the limit is no sign either way."""
    margin = 0 if m.granularity == "day" else 31
    return (reference - m.start).days + margin <= stale_after_days


def find_mentions(sentences: list[Sentence], reference: date, vocab: Vocabulary) -> list[Mention]:
    patterns = _patterns(id(vocab), vocab)
    candidate = _candidate(id(vocab), vocab)
    gates = _gates(id(vocab), vocab)
    result: list[Mention] = []
    anchor: date | None = None  # the last day or month written with its year: the story's year
    present = vocab.regex("dates.markers.present")  # "nu", "now": this year's date, not the story's
    residence = vocab.regex("dates.markers.residence")
    for sentence in sentences:
        if len(result) >= MAX_MENTIONS:
            break
        if not (_DIGIT.search(sentence.text) or candidate.search(sentence.text)):
            continue  # the cheap pre-filter: no digit, month, season or relative word
        taken: list[tuple[int, int]] = []
        written_year: tuple[date, date] | None = None  # this sentence's last period whose year is told
        defaulted: list[int] = []  # yearless mentions read as their nearest past, before the sentence told a year
        said_year: tuple[date, date] | None = None  # ... told in words: "vorig najaar", "twee winters terug"
        said_at = 0
        holds = _Holds(gates, sentence.text)
        for name, pattern, needs in patterns:
            if len(result) >= MAX_MENTIONS:
                break
            if not all(map(holds, needs)):
                continue
            for found in pattern.finditer(sentence.text):
                if len(result) >= MAX_MENTIONS:
                    break
                span = found.span()
                if any(span[0] < e and s < span[1] for s, e in taken):
                    continue
                period = _resolve(name, found, reference, vocab)
                if period is None:
                    continue
                taken.append(span)
                yearless = (name in _YEARLESS and not found.groupdict().get("y") and not found.groupdict().get("prev")
                            and (found.groupdict().get("pre") or "").lower() not in _THIS)  # "cet hiver": now's, not the story's
                shared = _year_shared(id(vocab), vocab).match(sentence.text, span[1]) if yearless else None
                if shared:  # "in september en oktober 2023": the year written once is both months'
                    period = _in_year(period, int(shared.group("y")))
                elif yearless and written_year is not None and not _has(present, sentence.text):
                    period = _within(period, written_year,  # "l'hiver 2024-2025 ... jusqu'à la mi-février"
                                     earlier=bool(_PLUPERFECT.search(sentence.text)))
                elif yearless and _previous_year_before(sentence.text, span[0], vocab):
                    period = _in_year(period, reference.year - 1)
                    written_year = said_year = (period[0], period[1])  # "Verleden jaar in de zomer - ..., eind juli"
                    said_at = span[0]
                elif yearless and not _RELATIVE.search(found.group(0)) and (
                        just_before := _YEAR_JUST_BEFORE.search(sentence.text, max(0, span[0] - 40), span[0])):
                    period = _in_year(period, int(just_before.group("y")))  # "de laatste vrijdag van 2024, eind juli"
                elif yearless and anchor is not None and period[0].year != anchor.year and not _has(present, sentence.text):
                    anchored = _in_year(period, anchor.year)
                    # a story runs forward: "op 8 december 2025 ... op 19 januari" is the January after it; a letter's
                    # "votre courrier du 20 août" looks back
                    # ... and so does a pluperfect ("alors que j'avais payé en septembre")
                    forward = anchored[0] < anchor <= period[0] and not _LETTER_OF.search(
                        sentence.text[max(0, span[0] - LETTER_OF_REACH): span[0]]) and not _PLUPERFECT.search(
                        sentence.text, max(0, span[0] - LETTER_OF_REACH), span[0])
                    period = anchored if anchored[1] <= reference and not forward else period
                elif (found.groupdict().get("y") or name == "prevyear_month") and period[2] in ("day", "month") \
                        and period[0].year >= reference.year - 1 \
                        and not _said_since(sentence.text, span[0], vocab.regex("dates.markers.since")) \
                        and not _has(residence, sentence.text):  # "I arrived in Belgium in August 2025": no story's year
                    anchor = period[0]  # "vorig jaar in augustus ... in september" is the September after it
                elif yearless:
                    defaulted.append(len(result))
                if found.groupdict().get("y") or found.groupdict().get("y1") or _year_told(name, found):
                    written_year = (period[0], period[1])
                if _year_told(name, found):
                    said_year, said_at = (period[0], period[1]), span[0]
                result.append(Mention(found.group(0).strip(), period[0], period[1], period[2], sentence, span[0]))
        if said_year is not None and defaulted and not _has(present, sentence.text):
            # only what follows the words: "op 28 september beslist, na de verhoging van vorig najaar" is this year's
            _place_in_told_year(result, [i for i in defaulted if result[i].offset > said_at], said_year, reference)
        _drop_clarified(result, sentence)
    return result[:MAX_MENTIONS]


_LETTER_OF = re.compile(r"\b(votre|uw|your|jullie|ons|notre|our) (courrier|lettre|brief|mail|e-?mail|letter|schrijven|"
                        r"message|bericht)\s+(du|van|of|dated|d\.d\.)\s*$", re.I)
LETTER_OF_REACH = 40


_APPOSITION = re.compile(r"^[\s,(–-]*$")


def _drop_clarified(result: list[Mention], sentence: Sentence) -> None:
    """ "L'été passé, en juillet 2025, ...": a period said in words and at once by its month and year is that
    month; the words' own reading (last summer from today) goes."""
    own = sorted((m for m in result if m.sentence is sentence), key=lambda m: m.offset)
    for said, told in zip(own, own[1:]):
        gap = sentence.text[said.offset + len(said.text): told.offset]
        if (said.granularity in ("season", "relative") and not _YEAR_IN.search(said.text) and _YEAR_IN.search(told.text)
                and _APPOSITION.match(gap) and told.start.year < said.start.year):
            result.remove(said)


_YEAR_IN = re.compile(r"\b(19|20)\d{2}\b")


def _place_in_told_year(result: list[Mention], defaulted: list[int], told: tuple[date, date], reference: date) -> None:
    """ "Vorig najaar, in de herfstvakantie (ik meen de woensdag, 29 oktober)": "29 oktober" was read before the
    sentence told its year; it is that autumn's."""
    for index in defaulted:
        m = result[index]
        start, end, _ = _within((m.start, m.end, m.granularity), told)
        if end <= reference:
            result[index] = Mention(m.text, start, end, m.granularity, m.sentence, m.offset)


_YEARLESS = ("day_month", "month_day", "month", "season")
_TELL_THEIR_YEAR = ("seasons_ago", "season_before_last", "prevyear_month")


def _year_told(name: str, found: re.Match) -> bool:
    """A period whose year the words give, though no year is written: "twee winters terug, op een ochtend in januari"
    is that winter's January, "de zomer van vorig jaar ... eind juli" last year's July, "vorig najaar, in de
    herfstvakantie" last autumn's holiday."""
    groups = found.groupdict()
    prev, pre = groups.get("prev"), (groups.get("pre") or "").lower()
    return (name in _TELL_THEIR_YEAR or bool(prev and _YEAR_WORD.search(prev))
            or (name == "season" and pre in _LAST) or (name == "previous" and bool(_YEAR_WORD.fullmatch(groups.get("u") or ""))))


_LAST = ("last", "vorige", "vorig", "afgelopen")


# what had happened before a date written with its year ("nous avions vidé la chambre le 30 décembre")
_PLUPERFECT = re.compile(r"\b(avions|aviez|avait|avaient|avais|étions|étaient|était|hadden|had|was al|waren al|had already)\b"
                         r"\s+\w+", re.I)
_RELATIVE = re.compile(r"\b(last|vorige?|afgelopen|verleden|dernier|dernière|passée?|this|deze|dit|ce|cet|cette|next|"
                       r"volgende|prochaine?)\b", re.I)  # "received last December" keeps its own year
# a year written just before a yearless date, in the same clause: "de laatste Beleuvenissen-vrijdag van 2024, eind juli"
_YEAR_JUST_BEFORE = re.compile(r"\b(?:van|of|de|en|in|année|jaar|year|eind|einde|begin|midden|medio|end|fin|début|early|late|mid)"
                               r"\s+(?P<y>(?:19|20)\d\d)\b[^.;]{0,30}$", re.I)  # "Eind 2024, rond half december" too
_THIS = ("deze", "this", "cet", "cette")


@lru_cache(maxsize=8)
def _year_shared(_key: int, vocab: Vocabulary) -> re.Pattern:
    """Right after a yearless month: "en oktober 2023", "and 3 October 2023", "- oct. 2023"."""
    months = _alt(vocab.get("dates.months", {}))
    return re.compile(rf"\s*(?:,|en|and|et|of|or|ou|tot|to|à|au|-|–)\s+(?:(?:en|in|au|on|op|to|van|de|of)\s+)?(?:\d{{1,2}}\s+)?(?:{months})\.?,?\s+(?P<y>(?:19|20)\d{{2}})\b",
                      re.IGNORECASE)


def _said_since(sentence: str, offset: int, since: re.Pattern | None) -> bool:
    """ "Sinds maart 2025 is de speeltuin dicht": a state that began then and lasts, no story told in that year
    (so the yearless "op 27 augustus" after it is this year's)."""
    before = _YEAR_SAID_BEFORE.sub("", sentence[max(0, offset - SINCE_REACH - 24): offset].lower())
    return bool(since and (since.search(before[-SINCE_REACH:])
                           or since.match(sentence[offset:].lower())))  # "sinds maart 2025" read as one mention


SINCE_REACH = 14  # characters before a date where "sinds", "depuis", "since" still belong to it
# the year said between "sinds" and the date: "Sinds vorig jaar rond Pasen", "depuis l'an dernier en mars"
_YEAR_SAID_BEFORE = re.compile(r"\b(?:vorig|verleden|voorbij|voorbije|vorige) (?:jaar|joar)\s*$|\blast year\s*$|"
                               r"\bl'(?:an|année) (?:dernier|dernière|passé|passée)\s*(?:en\s*)?$")


def _previous_year_before(sentence: str, offset: int, vocab: Vocabulary) -> bool:
    """ "Vorig jaar, op vrijdag 4 juli" / "l'an dernier, le 3 mai": the year is said before the day."""
    pattern = vocab.regex("dates.markers.previous_year")
    return bool(pattern and pattern.search(sentence[max(0, offset - 40): offset]))


def _within(period: tuple, span: tuple[date, date], earlier: bool = False) -> tuple:
    """A yearless period in the year that puts it inside `span` (a winter crosses New Year), else in the span's
    first year: "in mei 2024 en opnieuw in juni" is June 2024; told as `earlier` (a pluperfect), the year before
    when that year would put it after the span."""
    for year in range(span[0].year, span[1].year + 1):
        placed = _in_year(period, year)
        if span[0] <= placed[0] and placed[1] <= span[1]:
            return placed
    placed = _in_year(period, span[0].year)
    if earlier and placed[0] > span[1]:  # "la facture du 15 janvier 2025, alors que nous avions vidé la chambre le
        return _in_year(period, span[0].year - 1)  # 30 décembre": what had happened before it, the December before
    return placed


def _in_year(period: tuple, year: int) -> tuple:
    start, end, granularity = period
    shift = year - start.year
    if shift == 0:
        return period
    try:
        return start.replace(year=start.year + shift), end.replace(year=end.year + shift), granularity
    except ValueError:  # 29 February
        return start.replace(year=start.year + shift, day=28), end.replace(year=end.year + shift, day=28), granularity


def classify(mentions: list[Mention], text: Text, reference: date) -> list[Mention]:
    vocab = text.vocab
    marker = lambda key: vocab.regex(f"dates.markers.{key}")  # noqa: E731
    recurrence, own, met_again = marker("recurrence"), marker("own_circumstances"), marker("met_again")
    contacted_again = marker("contacted_again")
    latest_recurrence = max(
        (m.sentence.index for m in mentions if _has(recurrence, m.sentence.text) and m.start <= reference
         # "ik werd opnieuw opgenomen", "ik heb opnieuw gemaild": the writer again; "ik zag dezelfde agent
         # opnieuw": what made them write; none is the problem happening again
         and not _has(own, m.sentence.text) and not _has(met_again, m.sentence.text)
         and not _has(contacted_again, m.sentence.text)
         # "I only thought of it again last week": why the writer writes now
         and not _has(marker("why_now"), m.sentence.text)),
        default=-1,
    )
    sentences = text.sentences
    result = []
    for m in mentions:
        result.append(m.with_role(_role(m, sentences, text.subject, reference, latest_recurrence, marker)))
    return result


def _role(m: Mention, sentences: list[Sentence], subject: str, reference: date, latest_recurrence: int, marker) -> str:
    sentence = m.sentence.text
    if m.start > reference:
        return "future"
    if _dateline(m, reference):
        return "context"
    if _has(marker("unrelated"), sentence) or _next_is_unrelated(m, sentences, marker("unrelated")):
        return "context"
    if _has(marker("comparison"), sentence) or _has(marker("why_now"), sentence) or _has(marker("own_circumstances"), sentence):
        return "context"
    if _has(marker("birth"), sentence[max(0, m.offset - 40): m.offset]):
        return "context"
    is_since = _said_since(sentence, m.offset, marker("since"))
    if is_since and _has(marker("residence"), sentence):
        return "context"
    if m.sentence.index < latest_recurrence:
        return "background"
    changed = _has(marker("no_longer"), sentence)
    if is_since and (_has(marker("ongoing"), sentence) or _has(marker("ongoing"), subject)) and not changed:
        return "ongoing"
    return "since" if is_since and not changed else "fact"  # "niet meer sinds": a change


_ANAPHORA = re.compile(r"^(die|dat|deze|dit|that|this|it|cette|ce|elle|celle|celui)\b", re.I)
# a pasted letter's own date line: "Wavre, le 19 janvier 2026", "Leuven, 3 maart 2026", "14 July 2026"
_DATELINE_BEFORE = re.compile(r"^\s*(?:[A-ZÀ-Ý][\w'’ -]{1,40},\s*)?(?:(?:le|den|de|on|op)\s+)?$")
DATELINE_DAYS = 31  # a letter is dated shortly before it is sent


def _dateline(m: Mention, reference: date) -> bool:
    sentence = m.sentence.text
    after = sentence[m.offset:].strip().removeprefix(m.text).strip(" .,")
    return (m.granularity == "day" and not after and bool(_DATELINE_BEFORE.match(sentence[: m.offset]))
            and abs((reference - m.start).days) <= DATELINE_DAYS)


def _next_is_unrelated(m: Mention, sentences: list[Sentence], unrelated) -> bool:
    index = m.sentence.index + 1
    if not unrelated or index >= len(sentences):
        return False
    nxt = sentences[index]
    return bool(_ANAPHORA.match(nxt.text) and unrelated.search(nxt.text))


@lru_cache(maxsize=1024)  # each sentence is asked about each marker once, however many dates it holds
def _has(pattern, text: str) -> bool:
    return bool(pattern and pattern.search(text))


def _period(m: Mention) -> str:
    if m.start == m.end:
        return m.start.isoformat()
    return f"{m.start.isoformat()}..{m.end.isoformat()} ({m.granularity})"


# --- patterns ---------------------------------------------------------------------------

def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@lru_cache(maxsize=8)
def _candidate(_key: int, vocab: Vocabulary) -> _Gate:
    words = list(vocab.get("dates.months", {})) + list(vocab.get("dates.seasons", {}))
    words += list(_SCHOOL_YEAR_WORDS) + list(_GRADE_WORDS)
    words += ["geleden", "ago", "terug", "il y a", "vorig", "vorige", "last", "dernier", "dernière", "passé", "passée", "afgelopen"]
    words += list(_WAITED_WORDS)
    eras = list(vocab.get("dates.eras", {}))
    pattern = rf"\b(?:{_alt(words)})\b|\b(?:{_alt(eras) or '(?!)'})"  # eras also in compounds: "coronaperiode"
    return _Gate(re.compile(pattern, re.IGNORECASE), tuple(words + eras))


class _Gate:
    """A search for any of many words, asked first of the literal index: most sentences hold none of
    them, and one pass over the text for every list's words is cheaper than each list's alternation."""

    __slots__ = ("compiled", "gate")

    def __init__(self, compiled: re.Pattern, words: tuple[str, ...]):
        self.compiled, self.gate = compiled, gate(tuple(dict.fromkeys(w.lower() for w in words)))

    def search(self, text: str) -> bool:
        return may_match(self.gate, lowered(text)) and self.compiled.search(text) is not None


class _Holds:
    """Whether a sentence holds what a date pattern needs (a digit, a month name ...), each tested once."""

    def __init__(self, gates: dict[str, _Gate], text: str):
        self.gates, self.text, self.known = gates, text, {}

    def __call__(self, need: str) -> bool:
        if need not in self.known:
            self.known[need] = _DIGIT.search(self.text) is not None if need == "digit" else self.gates[need].search(self.text)
        return self.known[need]


_DIGIT = re.compile(r"\d")


@lru_cache(maxsize=8)
def _gates(_key: int, vocab: Vocabulary) -> dict[str, _Gate]:
    """Cheap tests, each necessary for some of the patterns below to match (see `_NEEDS`); "digit" is the
    sentence's own."""
    words = {
        "month": tuple(vocab.get("dates.months", {})),
        "season": tuple(vocab.get("dates.seasons", {})),
        "ago": ("geleden", "ago", "terug"),
        "waited": _WAITED_WORDS,
        "il y a": ("il y a",),
        "era": tuple(vocab.get("dates.eras", {})),
        "school_year": _SCHOOL_YEAR_WORDS,
        "grade": _GRADE_WORDS,
    }
    return {need: _Gate(re.compile(_alt(found) or "(?!)", re.IGNORECASE), found) for need, found in words.items()}


_WAITED_WORDS = ("laten rusten", "laten liggen", "gewacht", "gezwegen", "gezegd", "waited", "kept quiet", "kept silent",
                 "let it", "said nothing", "attendu", "laissé", "rien dit")
_SCHOOL_YEAR_WORDS = ("schooljaar", "academiejaar", "année scolaire", "année académique", "school year", "academic year")
_GRADE_WORDS = ("leerjaar", "kleuterklas", "middelbaar", "grade", "primaire", "secondaire", "klas", "class",
                "première année", "deuxième année", "troisième année", "quatrième année", "cinquième année")  # not "année" alone


# What each pattern cannot match without; the tests run before the pattern's own search.
_NEEDS = {
    "prevyear_month": ("month",), "iso": ("digit",), "numeric": ("digit",), "day_month": ("digit", "month"),
    "month_day": ("digit", "month"), "ago": ("ago",), "il_y_a": ("il y a",), "season": ("season",),
    "waited": ("waited",), "waited_en": ("waited",), "waited_fr": ("waited",),
    "month": ("month",), "year": ("digit",), "season_before_last": ("season",), "seasons_ago": ("season",),
    "era": ("era",), "school_year": ("school_year",), "grade": ("grade",),
}


@lru_cache(maxsize=8)
def _patterns(_key: int, vocab: Vocabulary) -> tuple[tuple[str, re.Pattern, tuple[str, ...]], ...]:
    months = _alt(vocab.get("dates.months", {}))
    numbers = _alt(vocab.get("dates.numbers", {}))
    units = _alt(vocab.get("dates.units", {}))
    seasons = _alt(vocab.get("dates.seasons", {}))
    words = vocab.get("dates.words", {})
    early, late, mid = ("|".join(words.get(k, [])) for k in ("early", "late", "mid"))
    more = "|".join(words.get("more_than", []))
    about = "|".join(re.escape(w) for w in words.get("about", [])) or "(?!)"
    year = r"(?:19|20)\d{2}"
    prev_year = (r"(?:van )?(?:vorig|vurig|vurrig|verleden|voorbije?) (?:ja+r|joar|jaor|jor)|(?:of )?last year|de l'année dernière|"
                 r"de l'année passée|de l'an dernier|de l'an passé|l'année dernière|l'année passée|l'an dernier|l'an passé|dernier|passé")
    mod = rf"(?P<mod>{early}|{late}|{mid})"
    pre = r"(?P<pre>in|sinds|sedert|since|en|depuis|vanaf|from|tot|until|of|in de loop van|during|last|vorige|afgelopen)"
    eras = _alt(vocab.get("dates.eras", {})) or "(?!)"
    school = r"(?:school|academie)jaar|(?:school|academic) year|année (?:scolaire|académique)"
    two_years = r"(?P<y1>(?:19|20)\d{2})\s*[-–/]\s*'?(?P<y2>(?:19|20)?\d{2})\b"
    grades = _alt(vocab.get("dates.grades", {})) or "(?!)"
    specs = [
        # a child's grade then and now: "toen ze in het eerste leerjaar zat (nu gaat ze naar het vijfde)"
        ("grade", rf"\b(?:toen|when|quand|lorsqu.)\b.{{0,50}}?\b(?P<g1>{grades})\s+(?:leerjaar|kleuterklas|middelbaar|klas|grade|class|"
                  rf"année|primaire|secondaire)\b.{{0,60}}?\b(?:nu|now|maintenant|aujourd.hui)\b.{{0,40}}?\b(?P<g2>{grades})\b"),
        ("school_year", rf"\b(?:(?P<which>vorig|vorige|verleden|afgelopen|voorbije?|voorvorig|voorvorige|"
                        rf"last|previous|past|l'|l’)\s*)?(?:{school})(?:\s+(?:van\s+|of\s+)?{two_years}|"
                        rf"\s+(?P<which_fr>dernière|passée|précédente))?"),
        ("era", rf"\b(?P<pre>tijdens|gedurende|in|na|vlak na|kort na|sinds|sedert|voor|vóór|pendant|durant|après|depuis|avant|"
                rf"during|after|since|before|(?:bij|aan) het begin van|in het begin van|at the (?:start|beginning) of|au début (?:de|du))\s+(?:de\s+|het\s+|le\s+|la\s+|les\s+|l'|the\s+)?(?:crise\s+du\s+|période\s+(?:du\s+)?|"
                rf"eerste\s+|first\s+|premier\s+)?(?P<era>{eras})(?:-?(?:crisis|periode|tijd|tijden|pandemie|jaren|period|years|crisis))?\b"),
        ("prevyear_month", rf"\b(?:(?:vorig|vurig|vurrig|verleden|voorbije?) (?:ja+r|joar|jaor|jor)|last year|l'année (?:dernière|passée)|l'an (?:dernier|passé))\s+(?:in|en|au mois d[e'])\s*(?P<mon>{months})\b"),
        ("iso", rf"\b(?P<y>{year})-(?P<m>\d{{1,2}})-(?P<d>\d{{1,2}})\b"),
        ("numeric", r"\b(?P<d>\d{1,2})[/.](?P<m>\d{1,2})[/.](?P<y>\d{4}|\d{2})\b"),
        ("day_month", rf"\b(?P<d>\d{{1,2}})(?:e|er|ère|ste|de|st|nd|rd|th)?\s+(?P<mon>{months})\b\.?(?:,?\s+(?P<y>{year})\b|\s+(?P<prev>{prev_year})\b)?"),
        ("month_day", rf"\b(?P<mon>{months})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b(?!\s*(?:[.:/]\d|uur|u\b|h\b|euro|eur|km|%))(?:,?\s+(?P<y>{year})\b)?"),
        ("ago", rf"\b(?:(?P<more>{more})\s+)?(?P<n>{numbers}|\d+)(?P<half2>\s+and a half)?(?P<good>\s+(?:good|goed|goede|dik|dikke|bon|bonne))?\s*(?P<u>{units})(?P<half>\s+and a half|\s+et demie?)?\s+(?:geleden|ago|terug)\b"),
        # how long the writer waited before writing: "ik heb het meer dan een jaar laten rusten", "I waited over a year"
        ("waited", rf"\b(?:ik|we|wij|'k)\b(?:\s+\w+){{0,3}}?\s+(?:(?P<more>meer dan|ruim|more than|plus de|plus d')\s*)?"
                   rf"(?P<n>{numbers}|\d+)\s*(?P<u>{units})\s+(?:laten rusten|laten liggen|gewacht|gezwegen|"
                   rf"niets (?:van |over )?gezegd)\b"),
        ("waited_en", rf"\b(?:i|we)\s+(?:have\s+|had\s+)?(?:waited|kept (?:quiet|silent)|let it (?:rest|go|lie)|said nothing)"
                      rf"\s+(?:for\s+)?(?:(?P<more>more than|over)\s+)?(?P<n>{numbers}|\d+)\s*(?P<u>{units})\b"),
        ("waited_fr", rf"\b(?:j'ai|j’ai|nous avons)\s+(?:attendu|laissé (?:dormir|traîner|passer)|rien dit)\s+"
                      rf"(?:pendant\s+)?(?:(?P<more>plus de|plus d')\s*)?(?P<n>{numbers}|\d+)\s*(?P<u>{units})\b"),
        ("il_y_a", rf"\bil y a\s+(?:(?P<more>{more})\s*)?(?:(?:{about})\s+)?(?P<n>{numbers}|\d+)\s+(?P<u>{units})(?P<half>\s+et demie?)?\b"),
        # (plurals: "two Christmases ago", "twee kerstmissen geleden")
        ("seasons_ago", rf"\b(?P<n>{numbers}|\d+)\s+(?P<season>{seasons})(?:s|es|sen)?\s+(?:geleden|ago|terug)\b|\bil y a\s+(?P<n2>{numbers}|\d+)\s+(?P<season2>{seasons})s?\b"),
        ("season_before_last", rf"\b(?:the\s+)?(?P<season>{seasons})\s+before\s+last\b|\bvoorvorige?\s+(?P<season2>{seasons})\b|\b(?:l'|le\s+)?(?P<season3>{seasons})\s+avant-dernier\b"),
        ("season", rf"\b(?:(?P<pre>in de|in|tijdens de|rond|rond de|omstreeks|during the|during|in the|around|de|l'|cet|cette|en|vers|autour de|last|vorige|afgelopen|vorig|deze|this)\s*)?\b(?P<season>{seasons})\b(?:\s+(?:van\s+|of\s+|de\s+)?(?P<y>{year})\b|\s+(?P<prev>{prev_year})\b)?"),
        ("month", rf"(?:\b{mod}\s*(?:van\s+|of\s+|de\s+|d')?)?(?:\b{pre}\s+)?\b(?P<mon>{months})\b(?:\s+(?:van\s+|of\s+|de\s+)?(?P<y>{year})\b|\s+(?P<prev>{prev_year})\b)?"),
        ("year", rf"(?:\b{pre}\s+)?(?:\b{mod}\s*(?:van\s+|of\s+|de\s+|d')?)?(?:(?:het )?(?:jaar|year|l'année|année)\s+)?\b(?P<y>{year})\b"),
        ("previous", r"\b(?P<prev>vorig|vorige|vurig|vurige|vurrig|verleden|voorbije?|afgelopen|last|past)\s+(?P<u>jaar|joar|jaor|jor|maand|weekend|week-end|week|year|month|zomer)\b"),
        ("previous_fr", r"\b(?:l'|la |le )(?P<u>année|an|mois|semaine|week-end|weekend)\s+(?:derni(?:er|ère)|passée?)\b"),
    ]
    return tuple((name, re.compile(p, re.IGNORECASE), _NEEDS.get(name, ())) for name, p in specs)


# --- resolution -------------------------------------------------------------------------

def _school_year(g, found, ref, vocab):
    """ "Vorig schooljaar", "l'année scolaire 2023-2024", "this school year": September to June."""
    current = ref.year if ref.month >= 9 else ref.year - 1
    which = (g.get("which_fr") or g.get("which") or "").lower().strip()
    if g.get("y1"):
        first, second = int(g["y1"]), _year(g["y2"][-2:])
        if second % 100 != (first + 1) % 100:
            return None
        start_year = first
    elif which.startswith("voorvorig"):
        start_year = current - 2
    elif which in ("vorig", "vorige", "verleden", "afgelopen", "voorbij", "voorbije", "last", "previous", "past",
                   "dernière", "passée", "précédente"):
        start_year = current - 1
    else:  # "dit schooljaar" is now, as "dit jaar"; "elk schooljaar", "l'année scolaire": no particular year
        return None
    return date(start_year, 9, 1), date(start_year + 1, 6, 30), "school year"


def _grade(g, found, ref, vocab):
    """ "Toen ze in het eerste leerjaar zat (nu gaat ze naar het vijfde)": that many school years before this one."""
    table = {k.lower(): v for k, v in vocab.get("dates.grades", {}).items()}
    then, now = table[g["g1"].lower()], table[g["g2"].lower()]
    if not 0 < now - then <= 12:
        return None
    start_year = (ref.year if ref.month >= 9 else ref.year - 1) - (now - then)
    return date(start_year, 9, 1), date(start_year + 1, 6, 30), "school year"


def _era(g, found, ref, vocab):
    """ "Tijdens corona", "après le confinement", "since the pandemic": a period everyone knows, roughly."""
    first, last = (date.fromisoformat(d) for d in vocab.get("dates.eras", {})[g["era"].lower()])
    pre = g["pre"].lower()
    if pre in ("voor", "vóór", "avant", "before"):  # what it was like before: a comparison, not the facts
        return None
    if pre in ("na", "vlak na", "kort na", "après", "after"):
        return last + timedelta(days=1), last + timedelta(days=183), "era"
    if "begin" in pre or "start" in pre or "début" in pre:  # "bij het begin van de coronacrisis": its first months
        return first, first + timedelta(days=61), "era"
    return first, last, "era"


def _resolve(name: str, found: re.Match, ref: date, vocab: Vocabulary):
    g = found.groupdict()
    try:
        return _RESOLVERS[name](g, found, ref, vocab)
    except (ValueError, KeyError, OverflowError):
        return None


def _month_no(value: str, vocab: Vocabulary) -> int:
    return int(vocab.get("dates.months", {})[value.lower().rstrip(".")])


def _year(value: str) -> int:
    y = int(value)
    return y + 2000 if y < 100 else y


def _closest(candidates_past: date, candidates_future: date, ref: date) -> bool:
    """True when the future reading is clearly closer: '15 september' written in July."""
    return (candidates_future - ref).days * 3 < (ref - candidates_past).days


def _day(g, found, ref, vocab):
    d, m = int(g["d"]), (int(g["m"]) if g.get("m") else _month_no(g["mon"], vocab))
    if g.get("mon") and g["mon"].lower() == "may" and not found.group(0).count("May"):
        return None
    if g.get("y"):
        when = date(_year(g["y"]), m, d)
    elif g.get("prev") and _YEAR_WORD.search(g["prev"]):
        when = date(ref.year - 1, m, d)
    elif g.get("prev"):  # "le 22 mai dernier": the last 22 May to have passed, not last year's
        when = date(ref.year if (m, d) < (ref.month, ref.day) else ref.year - 1, m, d)
    else:
        past = date(ref.year if (m, d) <= (ref.month, ref.day) else ref.year - 1, m, d)
        future = date(past.year + 1, m, d) if past <= ref else past
        when = future if future > ref and _closest(past, future, ref) else past
    return when, when, "day"


def _month_period(y: int, m: int, mod: str | None, vocab: Vocabulary):
    last = calendar.monthrange(y, m)[1]
    start, end = date(y, m, 1), date(y, m, last)
    kind = _modifier(mod, vocab)
    if kind == "early":
        end = date(y, m, 10)
    elif kind == "late":
        start = date(y, m, 21)
    elif kind == "mid":
        start, end = date(y, m, 11), date(y, m, 20)
    return start, end


def _modifier(mod: str | None, vocab: Vocabulary) -> str | None:
    if not mod:
        return None
    words = vocab.get("dates.words", {})
    for kind in ("early", "late", "mid"):
        if re.fullmatch("|".join(words.get(kind, [])), mod.strip(), re.I):
            return kind
    return None


def _month(g, found, ref, vocab):
    mon = g["mon"]
    if mon.lower() == "may" and "May" not in found.group(0):
        return None
    shares_a_year = _year_shared(id(vocab), vocab).match(found.string, found.end())  # "mei en juni 2023"
    if not (g.get("y") or g.get("prev") or g.get("pre") or g.get("mod") or shares_a_year):
        return None
    m = _month_no(mon, vocab)
    if g.get("y"):
        y = _year(g["y"])
    elif g.get("prev") or (g.get("pre") or "").lower() in ("last", "vorige", "afgelopen"):
        # "mei vorig jaar" is last year's; "en mai dernier", "last May" the last May to have ended
        of_last_year = bool(g.get("prev") and _YEAR_WORD.search(g["prev"]))
        y = ref.year - 1 if (of_last_year or m >= ref.month) else ref.year
    else:
        past_y = ref.year if m <= ref.month else ref.year - 1
        past, future = date(past_y, m, 1), date(past_y + 1, m, 1)
        began = (g.get("pre") or "").lower() in _BEGAN  # "depuis novembre" written in September: last November
        y = future.year if future > ref and not began and _closest(past, future, ref) else past_y
    start, end = _month_period(y, m, g.get("mod"), vocab)
    return start, end, "month"


_BEGAN = ("sinds", "sedert", "since", "depuis")


def _prevyear_month(g, found, ref, vocab):
    m = _month_no(g["mon"], vocab)
    start, end = _month_period(ref.year - 1, m, None, vocab)
    return start, end, "month"


def _season(g, found, ref, vocab):
    if not (g.get("y") or g.get("prev") or g.get("pre")):
        return None
    first, last = vocab.get("dates.seasons", {})[g["season"].lower()]
    pre = (g.get("pre") or "").lower()
    previous = bool(g.get("prev")) or pre in ("last", "vorige", "afgelopen", "vorig")
    this = pre in _THIS  # "cet hiver" in August is the coming one
    of_last_year = bool(_YEAR_WORD.search(g.get("prev") or ""))  # "de zomer van vorig jaar": not this year's

    def period(y: int):
        start = date(y, first, 1)
        end_y, end_m = (y + 1, last - 12) if last > 12 else (y, last)
        return start, date(end_y, end_m, calendar.monthrange(end_y, end_m)[1])

    if g.get("y"):
        start, end = period(_year(g["y"]))
    elif of_last_year:
        start, end = period(ref.year - 1)
    elif this:
        start, end = period(ref.year - 1)
        if end < ref:
            start, end = period(ref.year)
    else:
        y = ref.year
        start, end = period(y)
        while (end >= ref if previous else start > ref):
            y -= 1
            start, end = period(y)
    return start, end, "season"


def _year_mention(g, found, ref, vocab):
    if not (g.get("pre") or g.get("mod")) or (g.get("pre") or "").lower() in ("last", "vorige", "afgelopen"):
        return None
    y = _year(g["y"])
    start, end = date(y, 1, 1), date(y, 12, 31)
    kind = _modifier(g.get("mod"), vocab)
    if kind == "early":
        end = date(y, 4, 30)
    elif kind == "late":
        start = date(y, 9, 1)
    elif kind == "mid":
        start, end = date(y, 5, 1), date(y, 8, 31)
    return start, end, "year"


def _ago(g, found, ref, vocab):
    n = float(vocab.get("dates.numbers", {}).get(g["n"].lower(), 0) or (g["n"].isdigit() and int(g["n"])) or 0)
    if not n:
        return None
    if g.get("half") or g.get("half2"):
        n += 0.5
    unit = vocab.get("dates.units", {})[g["u"].lower()]
    days = {"year": 365.25, "month": 30.44, "week": 7, "day": 1}[unit] * n
    if g.get("more") and g["more"].lower() in vocab.get("dates.words.almost", []):
        days -= min(days * ALMOST, 31)  # "bijna een jaar geleden": within the year, not beyond it
    elif g.get("more") or g.get("good"):  # "ruim een jaar", "a good year ago": a little more than the period
        days += 1
    when = ref - timedelta(days=round(days))
    return when, when, "relative"


def _previous(g, found, ref, vocab):
    unit = g["u"].lower()
    if unit in ("jaar", "joar", "jaor", "jor", "year", "année", "an"):
        return date(ref.year - 1, 1, 1), date(ref.year - 1, 12, 31), "year"
    if unit in ("maand", "month", "mois"):
        first = date(ref.year, ref.month, 1) - timedelta(days=1)
        return date(first.year, first.month, 1), first, "month"
    if unit == "zomer":
        return None
    if unit in ("weekend", "week-end"):  # the Saturday and Sunday before the week the message was sent in
        saturday = ref - timedelta(days=(ref.weekday() - 5) % 7 or 7)
        return saturday, saturday + timedelta(days=1), "week"
    week = ref - timedelta(days=7)
    return week, week, "week"


_YEAR_WORD = re.compile(r"\b(ja+r|joar|jaor|jor|year|année|an)\b", re.I)


def _seasons_ago(g, found, ref, vocab):
    """ "Two winters ago", "il y a deux étés": counted back from the last one to have ended, as "last winter"."""
    name, count = g.get("season") or g.get("season2"), g.get("n") or g.get("n2")
    n = int(vocab.get("dates.numbers", {}).get(count.lower(), 0) or (count.isdigit() and int(count)) or 0)
    if not 1 <= n <= 50:
        return None
    start, end, granularity = _season({"season": name, "pre": "last"}, found, ref, vocab)
    return _in_year((start, end, granularity), start.year - (n - 1))


def _season_before_last(g, found, ref, vocab):
    """ "The summer before last": the season a year before the last one that has ended."""
    name = g.get("season") or g.get("season2") or g.get("season3")
    start, end, granularity = _season({"season": name, "pre": "last"}, found, ref, vocab)
    return _in_year((start, end, granularity), start.year - 1)


_RESOLVERS = {
    "grade": _grade,
    "school_year": _school_year,
    "era": _era,
    "season_before_last": _season_before_last,
    "seasons_ago": _seasons_ago,
    "prevyear_month": _prevyear_month,
    "iso": _day,
    "numeric": _day,
    "day_month": _day,
    "month_day": _day,
    "ago": _ago,
    "il_y_a": _ago,
    "waited": _ago,
    "waited_en": _ago,
    "waited_fr": _ago,
    "season": _season,
    "month": _month,
    "year": _year_mention,
    "previous": _previous,
    "previous_fr": _previous,
}
