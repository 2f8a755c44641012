"""Date mentions resolve against the message date; roles separate facts from context."""

from __future__ import annotations

from datetime import date

import pytest

from mailintake.triage.dates import classify, find_mentions
from mailintake.triage.text import split_sentences
from mailintake.triage.vocabulary import vocabulary

REF = date(2026, 7, 20)


def mentions(text: str, ref: date = REF):
    return find_mentions(split_sentences(text), ref, vocabulary())


@pytest.mark.parametrize("text, start, end", [
    ("Op 14 februari 2025 gebeurde het.", date(2025, 2, 14), date(2025, 2, 14)),
    ("Het was op 3/11/2024.", date(2024, 11, 3), date(2024, 11, 3)),
    ("Sinds 2024-10-02 wacht ik.", date(2024, 10, 2), date(2024, 10, 2)),
    ("Le 12 mars 2024, on m'a refusé.", date(2024, 3, 12), date(2024, 3, 12)),
    ("Op 14/3/25 verhuisde ik.", date(2025, 3, 14), date(2025, 3, 14)),
    ("In de zomer van 2024 liep het mis.", date(2024, 6, 1), date(2024, 8, 31)),
    ("Vorig jaar in augustus besliste de stad.", date(2025, 8, 1), date(2025, 8, 31)),
    ("Op 26 augustus vorig jaar begonnen de werken.", date(2025, 8, 26), date(2025, 8, 26)),
    ("L'été dernier, ma voiture a été endommagée.", date(2025, 6, 1), date(2025, 8, 31)),
    ("Last summer my car was damaged.", date(2025, 6, 1), date(2025, 8, 31)),
    ("In maart kreeg ik een brief.", date(2026, 3, 1), date(2026, 3, 31)),
    ("Fin 2024, j'ai demandé une aide.", date(2024, 9, 1), date(2024, 12, 31)),
])
def test_absolute_partial_and_seasonal_forms(text, start, end):
    found = mentions(text)
    assert [(m.start, m.end) for m in found] == [(start, end)]


@pytest.mark.parametrize("text, days", [
    ("Twee jaar geleden is het gebeurd.", 730),
    ("Anderhalf jaar geleden werd mijn auto getakeld.", 548),
    ("Il y a deux ans, mon manteau a disparu.", 730),
    ("Over a year ago my aunt had to leave.", 366),
    ("Drie maanden geleden kreeg ik een brief.", 91),
])
def test_relative_forms_with_number_words(text, days):
    (m,) = mentions(text)
    assert abs((REF - m.end).days - days) <= 1


def test_a_date_just_ahead_is_the_coming_one_not_last_year():
    (m,) = mentions("De zitting is op 15 september.")
    assert m.start == date(2026, 9, 15)


def test_may_the_verb_is_not_a_month():
    assert mentions("I may have to pay again, they said.") == []


def _roles(text: str, subject: str = "") -> list[tuple[str, str]]:
    class _Text:  # the slice of Text that classify reads
        def __init__(self):
            self.vocab, self.sentences, self.subject = vocabulary(), split_sentences(text), subject
    t = _Text()
    return [(m.text, m.role) for m in classify(find_mentions(t.sentences, REF, t.vocab), t, REF)]


def test_ongoing_situation_is_not_a_past_fact():
    assert _roles("Sinds 2023 ligt de put er en hij ligt er nog steeds.") == [("Sinds 2023", "ongoing")]


def test_no_longer_is_not_ongoing():
    assert _roles("Ik zit niet meer in budgetbeheer sinds begin 2025, maar ik wacht nog altijd.")[0][1] == "fact"


def test_context_dates():
    assert _roles("Ik woon sinds 2019 in Wilsele.")[0][1] == "context"
    assert _roles("Dat is het dubbele van drie jaar geleden.")[0][1] == "context"
    assert _roles("In 2023 had ik een zaak bij de rechtbank. Die zaak is afgesloten en daar gaat het niet over.")[0][1] == "context"


def test_earlier_incident_is_background_when_it_happened_again():
    roles = _roles("In 2022 werd ik al eens gecontroleerd. Op 2 juli werd ik opnieuw tegengehouden.")
    assert roles == [("In 2022", "background"), ("2 juli", "fact")]


def test_each_date_pattern_is_tested_only_where_it_can_match():
    """The cheap tests in front of the date patterns may never skip a match: over all own mail, every
    sentence a pattern matches passes each test that pattern needs."""
    from mailintake.triage.dates import _gates, _Holds, _patterns
    from tests.support.paths import LABELLED_FOLDERS, OWN_TRIAGE_MAILS

    vocab = vocabulary()
    mails = OWN_TRIAGE_MAILS.parent
    sentences = [s.text for folder in LABELLED_FOLDERS for path in (mails / folder).glob("*.eml")
                 for s in split_sentences(path.read_text("utf-8", errors="replace"))]
    gates = _gates(id(vocab), vocab)
    needing = [(name, pattern, needs) for name, pattern, needs in _patterns(id(vocab), vocab) if needs]
    assert len(needing) >= 10
    matched = 0
    for name, pattern, needs in needing:
        for sentence in sentences:
            if pattern.search(sentence):
                matched += 1
                assert all(map(_Holds(gates, sentence), needs)), (name, sentence[:80])
    assert matched > 100
