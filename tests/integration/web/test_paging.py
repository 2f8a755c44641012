"""Every list of the review UI pages by seeking from a row's key, and costs the same number of SQL statements at any size."""

from __future__ import annotations

import dataclasses
import html
import re
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import event

from mailintake.store.models import AuditEntry, Case, MessageRecord, OutboxMessage
from mailintake.web import create_app
from tests.support.web import ADMIN, logged_in

START = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
LISTS = ["/", "/?status=all", "/quarantaine", "/overgeslagen", "/uitgaand", "/logboek"]
NEXT = re.compile(r'href="([^"]+)" rel="next"')
PREVIOUS = re.compile(r'href="([^"]+)" rel="prev"')
REFS = re.compile(r">(OMB-2026-\d{5})</a>")


def seed(world, count: int, first: int = 1) -> None:
    """`count` cases (three at a time received in the same second), each with a problem message,
    a skipped message, an acknowledgement and an audit entry."""
    with world.database.unit_of_work() as session:
        for n in range(first, first + count):
            case = Case(ref=f"OMB-2026-{n:05d}", year=2026, number=n, received_at=START + timedelta(seconds=n // 3),
                        sender_name=f"Burger {n}", sender_address=f"burger{n}@example.be", subject=f"Klacht {n}",
                        text="Mijn parkeerkaart werd geweigerd.")
            session.add(case)
            session.flush()
            session.add_all([
                MessageRecord(mailbox="INBOX", uidvalidity=1, uid=2 * n, size=10, raw=b"x" * 10, outcome="quarantined",
                              attempts=3, last_error="triage broke"),
                MessageRecord(mailbox="INBOX", uidvalidity=1, uid=2 * n + 1, size=10, raw=b"y" * 10,
                              outcome="skipped", reason="spam", case_id=case.id, received_at=case.received_at,
                              parsed={"sender": {"name": "Spammer", "address": f"s{n}@spam.example"},
                                      "subject": f"You won {n}"}, verdict={"kind": "spam"}),
                OutboxMessage(kind="acknowledgement", case_id=case.id, message_id=f"<ack-{n}@example.be>",
                              recipient=case.sender_address, status="sent", give_up_at=START, sent_at=START),
                AuditEntry(actor="an", action="view", case_id=case.id),
            ])


def statements(world, client, url: str) -> int:
    counted = []

    def count(*_args):
        counted.append(1)

    event.listen(world.database.engine, "before_cursor_execute", count)
    try:
        response = client.get(url)
    finally:
        event.remove(world.database.engine, "before_cursor_execute", count)
    assert response.status_code == 200, url
    return len(counted)


def test_every_list_costs_the_same_statements_with_3_or_150_rows(admin, review_world):
    seed(review_world, 3)
    few = {url: statements(review_world, admin.client, url) for url in LISTS}
    seed(review_world, 147, first=4)
    many = {url: statements(review_world, admin.client, url) for url in LISTS}
    last = {url: statements(review_world, admin.client, url + ("&" if "?" in url else "?") + "last=1") for url in LISTS}
    assert many == few
    assert all(count <= few[url] + 1 for url, count in last.items()), last  # at most the count, then the rows
    assert max(few.values()) < 15, few


@pytest.fixture
def small_pages(review_world):
    """A logged-in admin on an app that shows 7 rows a page."""
    config = dataclasses.replace(review_world.config, web=dataclasses.replace(review_world.config.web, page_size=7))
    app = create_app(config, review_world.database, overrides={"TESTING": True})
    return logged_in(app, ADMIN)


def walk(client, url: str, link: re.Pattern, found: re.Pattern) -> list[list[str]]:
    """The rows of every page from `url` on, following `link` until there is none."""
    pages = []
    while url:
        page = client.get(url).get_data(as_text=True)
        pages.append(found.findall(page))
        following = link.search(page)
        url = html.unescape(following.group(1)) if following else ""
    return pages


def test_the_queue_seeks_forward_and_back_through_ties_in_received_at(small_pages, review_world):
    seed(review_world, 30)
    every = [f"OMB-2026-{n:05d}" for n in range(1, 31)]
    forward = walk(small_pages.client, "/?status=all", NEXT, REFS)
    assert [len(rows) for rows in forward] == [7, 7, 7, 7, 2]
    assert sum(forward, []) == every
    backward = walk(small_pages.client, "/?status=all&last=1", PREVIOUS, REFS)
    assert backward == forward[::-1]
    old_link = small_pages.get("/?status=all&page=3").get_data(as_text=True)
    assert REFS.findall(old_link) == forward[2] and "pagina 3 van 5" in old_link
    assert "pagina 5 van 5" in small_pages.get("/?status=all&last=1").get_data(as_text=True)


def test_every_other_list_walks_its_rows_once_newest_first(small_pages, review_world):
    seed(review_world, 16)
    ids = re.compile(r"<tr>\s*<td>(\d+)</td>")
    for url in ["/quarantaine", "/overgeslagen"]:
        pages = walk(small_pages.client, url, NEXT, ids)
        rows = [int(i) for i in sum(pages, [])]
        assert [len(p) for p in pages] == [7, 7, 2] and rows == sorted(rows, reverse=True), url
        assert walk(small_pages.client, url + "?last=1", PREVIOUS, ids) == pages[::-1], url
    for url in ["/uitgaand", "/logboek"]:
        pages = walk(small_pages.client, url, NEXT, REFS)
        assert sum(pages, []) == [f"OMB-2026-{n:05d}" for n in range(16, 0, -1)], url


def test_a_hand_edited_page_key_shows_the_first_page(small_pages, review_world):
    seed(review_world, 10)
    for url in ["/?after=nonsense", "/?before=1-2-3", "/quarantaine?after=x", "/logboek?before=%27;--"]:
        response = small_pages.get(url)
        assert response.status_code == 200 and "pagina 1 van 2" in response.get_data(as_text=True), url
