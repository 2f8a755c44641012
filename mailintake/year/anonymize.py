"""Scrub free text staff wrote (a recommendation) of what could point to a person.

The annual report lists recommendations to the services; they are written by
staff, but may name the complainant, quote an address or cite a reference.
`scrub()` replaces mail addresses, web addresses, references, phone and other
long numbers (national register, IBAN, account), street addresses, the
words of the names and the phrases (street, phone) it is given with "[…]". It is a safety net, not a licence:
staff are asked to write recommendations without personal data.

>>> scrub("Mevrouw Peeters (jan.peeters@example.be, OMB-2026-00042) wachtte 3 maanden.", names=["Jan Peeters"])
'Mevrouw […] ([…]) wachtte 3 maanden.'
"""

from __future__ import annotations

import re
from typing import Iterable

MASK = "[…]"
_PATTERNS = [
    re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE),  # mail address
    re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE),  # web address
    re.compile(r"\b[A-Z][A-Z0-9]{1,15}-\d{4}-\d{3,6}\b"),  # case reference, OMB-2026-00042
    re.compile(r"\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){2,7}(?:\s?[A-Z0-9]{1,4})?\b"),  # IBAN
    re.compile(r"\+?\d[\d ./-]{6,}\d"),  # phone, national register, account numbers
    # a street address: "Naamsestraat 12", "Rue de Namur 10", "Bondgenotenlaan 12 bus 3"
    re.compile(
        r"\b[\w'-]*(?:straat|laan|lei|plein|steenweg|weg|dreef|kaai|vest|hof|voer|markt|berg|dijk|singel|gracht|pad|baan|park|ring|veld|hoek|dal|kouter|vaart|wal|rue|avenue|chaussée|place|street|road)"
        r"(?:\s+[\w'-]+){0,3}?\s+\d+[a-zA-Z]?(?:\s*(?:bus|boîte|b\.?)\s*\d+)?\b",
        re.IGNORECASE | re.UNICODE,
    ),
    re.compile(r"\b[1-9]\d{3}\s+[A-Z][a-zà-ÿ-]+(?:\s+[A-Z][a-zà-ÿ-]+)?"),  # postcode + town, 3000 Leuven
]
_TITLE_WORDS = {"de", "van", "der", "den", "het", "la", "le", "du", "des", "mr", "mevr", "dhr"}


def scrub(text: str | None, names: Iterable[str] = (), phrases: Iterable[str] = ()) -> str | None:
    """`text` with personal details masked; None stays None.

    `names`: the person's name and mail addresses, masked word by word;
    `phrases`: details masked as a whole (the street of a postal address, a phone number).
    """
    if text is None:
        return None
    for phrase in sorted((p.strip() for p in phrases if p and len(p.strip()) >= 4), key=len, reverse=True):
        text = re.sub(re.escape(phrase), MASK, text, flags=re.IGNORECASE)
    for pattern in _PATTERNS:
        text = pattern.sub(MASK, text)
    for word in _name_words(names):
        text = re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", MASK, text, flags=re.IGNORECASE)
    return re.sub(rf"{re.escape(MASK)}(?:[\s,]*{re.escape(MASK)})+", MASK, text)


def _name_words(names: Iterable[str]) -> list[str]:
    """The words of names and of mail addresses' local parts, longest first (so "Peeters" before "Pee")."""
    words: set[str] = set()
    for name in names:
        if not name:
            continue
        local = name.split("@", 1)[0] if "@" in name else name
        for word in re.split(r"[\s._+\-,'\"()<>]+", local):
            if len(word) >= 3 and word.lower() not in _TITLE_WORDS and not word.isdigit():
                words.add(word)
    return sorted(words, key=len, reverse=True)
