"""Staff pages against hostile text and a failing throttle (issue 15, findings 4, 6 and 12).

Mail-derived text reaches the staff pages inside `<bdi>` (or a `dir="auto"` block), so a right-to-left override
(U+202E) in a subject, a display name or a file name cannot reorder what stands next to it; the intake strips
Unicode format characters as well. And any fault in the login throttle refuses the login, the right password
included: a dropped `login_throttle` table in this test's throw-away database.
"""

from __future__ import annotations

import logging
import re
from email.headerregistry import Address
from email.message import EmailMessage

import pytest
from sqlalchemy import select, update

from mailintake.store.models import Case
from tests.support.web import STAFF, log_in

pytestmark = pytest.mark.one_database

RLO = "\u202e"
RLO_FORMS = (RLO, "&#8238;", "&#x202e;", "&#x202E;")
SUBJECT = f"Factuur {RLO}gpj.exe"
NAME = f"Jan {RLO}sneeP"
FILENAME = f"evil{RLO}gpj.exe"


def hostile_mail() -> bytes:
    message = EmailMessage()
    message["From"] = Address(NAME, addr_spec="jan.peeters@example.be")
    message["To"] = "Ombudsdienst Leuven <ombudsdienst@leuven.example.be>"
    message["Subject"] = SUBJECT
    message["Date"] = "Fri, 20 Nov 2026 09:30:00 +0000"
    message["Message-ID"] = "<rlo@example.be>"
    message.set_content("Geachte,\n\nDe factuur die ik kreeg klopt niet. Ik betaalde al in oktober.\n\nJan Peeters\n")
    message.add_attachment(b"MZ not really", maintype="application", subtype="octet-stream", filename=FILENAME)
    return message.as_bytes()


def bdi_texts(html: str) -> list[str]:
    return re.findall(r"<bdi>([^<]*)</bdi>", html)


def outside_isolation(html: str) -> str:
    """The page without its <bdi> elements, its dir="auto" blocks and its <title>."""
    html = re.sub(r"<bdi>[^<]*</bdi>", "", html)
    html = re.sub(r'<div[^>]*dir="auto"[^>]*>[^<]*</div>', "", html)
    return re.sub(r"<title>[^<]*</title>", "", html)


@pytest.fixture
def hostile_case(review_world):
    review_world.deliver(hostile_mail())
    assert review_world.poll().cases == 1
    with review_world.database.unit_of_work() as session:
        case = session.scalar(select(Case))
        return case.public_id


def test_an_rlo_in_subject_name_and_file_name_is_stripped_and_isolated(staff, hostile_case):
    page = staff.get(f"/zaken/{hostile_case}").get_data(as_text=True)
    queue = staff.get("/").get_data(as_text=True)

    for html in (page, queue):
        assert not any(form in html for form in RLO_FORMS)
    assert "Factuur gpj.exe" in bdi_texts(page) and "Factuur gpj.exe" in bdi_texts(queue)
    assert "Jan sneeP" in bdi_texts(page) and "Jan sneeP" in bdi_texts(queue)
    assert "evilgpj.exe" in bdi_texts(page)


def test_an_rlo_already_stored_in_a_case_renders_only_inside_bdi(review_world, staff, hostile_case):
    # a database from before the intake stripped format characters still holds them
    with review_world.database.unit_of_work() as session:
        session.execute(update(Case).values(subject=SUBJECT, sender_name=NAME))

    page = staff.get(f"/zaken/{hostile_case}").get_data(as_text=True)
    queue = staff.get("/").get_data(as_text=True)

    for html in (page, queue):
        assert SUBJECT in bdi_texts(html) and NAME in bdi_texts(html)
        assert RLO not in outside_isolation(html), [line for line in html.splitlines() if RLO in line]


def test_a_fault_in_the_throttle_refuses_even_the_right_password(review_world, app, client, caplog):
    with review_world.database.engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE login_throttle")

    with caplog.at_level(logging.WARNING, logger="mailintake.review.accounts"):
        right = log_in(client, *STAFF)
        wrong = log_in(client, STAFF[0], "niet het wachtwoord")

    assert right.status_code == 429 and wrong.status_code == 429, (right.status_code, wrong.status_code)
    assert "Te veel mislukte pogingen" in right.get_data(as_text=True)
    after = client.get("/")
    assert after.status_code == 302 and after.headers["Location"].startswith("/login")  # no session was started
    assert "login check failed" in caplog.text and "refused" in caplog.text


def test_with_the_throttle_whole_the_right_password_logs_in(review_world, client):
    # the control for the test above: the same login, the same world, the table in place
    assert log_in(client, *STAFF).status_code == 302
    assert client.get("/").status_code == 200
