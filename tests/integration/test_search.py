"""Full-text search over a case's whole file: stemmed in nl/fr/en, accents folded, names by prefix,
follow-ups included, written with the case and gone with it."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import func, select, text

from mailintake.review import messages
from mailintake.review.audit import Actor
from mailintake.review.queue import QueueFilter, list_queue
from mailintake.store.models import Case
from mailintake.year.retention import erase_address
from tests.support.mails import complaint

ROBOT = Actor("test")
RECEIVED = datetime(2026, 3, 2, 12, 0, tzinfo=timezone.utc)


def register(world, text_: str, language: str = "nl", name: str = "Mia Maes", email: str = "") -> str:
    complaint_ = messages.ManualComplaint(channel="letter", received_at=RECEIVED, name=name, text=text_,
                                          language=language, email=email)
    with world.database.unit_of_work() as session:
        return messages.register(session, world.config, ROBOT, complaint_).ref


def found(world, search: str) -> list[str]:
    with world.database.unit_of_work() as session:
        page = list_queue(session, world.config, QueueFilter(status="all", search=search))
        return [case.ref for case in page.cases]


def test_words_are_found_by_their_stem_in_dutch_french_and_english(world):
    boete = register(world, "Ik kreeg een parkeerboete aan het station.")
    refuse = register(world, "On me refuse l'accès à la piscine.", "fr")
    refused = register(world, "My permit was refusé without a reason, the complaints desk said.", "en")
    other = register(world, "Het zwembad in onze straat was gesloten.")
    assert found(world, "parkeerboetes") == [boete]
    assert found(world, "refusé") == [refuse, refused]
    assert found(world, "refuse") == [refuse, refused]
    assert found(world, "complaint") == [refused]
    assert found(world, "STRATEN") == [other]
    assert found(world, "parkeerboete station") == [boete] and found(world, "parkeerboete zwembad") == []


def test_names_addresses_and_references_match_exactly_or_by_prefix(world):
    ref = register(world, "Een klacht.", name="Jozefien Vanderstraeten", email="jozefien.v@example.be")
    register(world, "Nog een klacht.", name="Jan Janssens")
    assert found(world, "Vanderstr") == [ref]
    assert found(world, "jozefien.v@example.be") == [ref]
    assert found(world, ref.rsplit("-", 1)[1]) == [ref]
    assert found(world, "straeten") == []  # a name is found from its start, not from within


def test_text_only_in_a_follow_up_is_found(world):
    world.deliver(complaint(Message_ID="<eerste@example.be>"))
    world.poll()
    [ref] = found(world, "containerpark")
    assert found(world, "hondenpoep") == []
    world.deliver(complaint(subject=f"RE: Uw klacht [{ref}]", body="Ook ligt er overal hondenpoep.\n\nAn Peeters\n"))
    assert world.poll().follow_ups == 1
    assert found(world, "hondenpoep") == [ref]


def test_nothing_of_an_erased_case_can_be_found(world):
    gone = register(world, "Mijn parkeerboete van de Tiensestraat.", name="Wouter Wuyts", email="wouter@example.be")
    kept = register(world, "Mijn parkeerboete van de Naamsestraat.", name="Els Elsen", email="els@example.be")
    with world.database.unit_of_work() as session:
        erase_address(session, world.config, ROBOT, "wouter@example.be")
    assert found(world, "parkeerboete") == [kept]
    for word in ("Tiensestraat", "Wuyts", "wouter", gone):
        assert found(world, word) == [], word
    with world.database.unit_of_work() as session:
        assert session.scalar(select(func.count()).select_from(text("case_search"))) == 1
        assert session.scalar(select(func.count()).select_from(Case)) == 1
        if session.get_bind().dialect.name == "sqlite":  # and not in FTS5's segments either
            data = b"".join(bytes(row[0]) for row in session.execute(text("SELECT block FROM case_search_data")))
            assert b"tiensestraat" not in data and b"wuyts" not in data and b"naamsestraat" in data
