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


def listed(world, search: str, **wanted):
    with world.database.unit_of_work() as session:
        return list_queue(session, world.config, QueueFilter(status="all", search=search, **wanted))


def test_hits_come_best_first_each_with_a_snippet_of_where_it_hit(world):
    once = register(world, "Het zwembad was dicht. Verder was alles in orde, de rest van de dag verliep zonder "
                           "problemen en ook de bibliotheek was open zoals beloofd.")
    often = register(world, "Zwembad dicht, weer het zwembad dicht, elke week is het zwembad dicht.")
    page = listed(world, "Zwembad")
    assert page.ranked and [case.ref for case in page.cases] == [often, once]
    pieces = page.snippets[page.cases[1].id]
    assert [piece for piece, hit in pieces if hit] == ["zwembad"]
    assert "".join(piece for piece, _ in pieces).startswith("Het zwembad was dicht. Verder")


def test_a_hit_only_in_a_follow_up_is_shown_from_the_follow_up(world):
    world.deliver(complaint(Message_ID="<eerste@example.be>"))
    world.poll()
    [ref] = found(world, "containerpark")
    world.deliver(complaint(subject=f"RE: Uw klacht [{ref}]", body="Ook ligt er overal hondenpoep.\n\nAn Peeters\n"))
    world.poll()
    page = listed(world, "hondenpoep")
    [case] = page.cases
    assert [piece for piece, hit in page.snippets[case.id] if hit] == ["hondenpoep"]


def test_search_combines_with_the_status_and_service_filters(world):
    stad = register(world, "De parkeerboete in de Tiensestraat was onterecht.")
    other = register(world, "Nog een parkeerboete, nu in de Naamsestraat.")
    with world.database.unit_of_work() as session:
        session.scalar(select(Case).where(Case.ref == stad)).service = "stad"
        session.scalar(select(Case).where(Case.ref == other)).service = "agsl"
    assert [c.ref for c in listed(world, "parkeerboete", service="agsl").cases] == [other]
    assert [c.ref for c in listed(world, "parkeerboete", service="stad").cases] == [stad]
    assert listed(world, "parkeerboete", service="politie").cases == []


def test_more_hits_than_are_worth_ranking_are_listed_oldest_first(world, monkeypatch):
    refs = [register(world, f"Klacht nummer {n} over het zwembad." + " Zwembad, zwembad!" * n) for n in range(3)]
    assert [c.ref for c in listed(world, "zwembad").cases] == refs[::-1]  # ranked: the most hits first
    monkeypatch.setattr("mailintake.store.search.RANK_LIMIT", 2)
    with world.database.unit_of_work() as session:
        from mailintake.store import search
        assert search.ranking(session, "zwembad") is None
        assert search.ranking(session, "zwembad", limit=3) is not None
    page = listed(world, "zwembad")
    assert not page.ranked and [c.ref for c in page.cases] == refs  # oldest first, as without a search
