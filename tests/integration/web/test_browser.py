"""End to end in Debian's headless Chromium (Playwright): the staff flow, and hostile mail that must stay inert.

The app runs under waitress on 127.0.0.1, mail comes through the real Dovecot
and intake, letters leave through the real relay into the SMTP sink. Hostile
HTML may name a local HTTP listener; it must never be asked for anything.
"""

from __future__ import annotations

import email
import email.policy
import http.server
import threading

import pytest
from sqlalchemy import select

from mailintake.outbox.relay import Relay
from mailintake.store.models import Case, MessageRecord
from tests.integration.web.conftest import log_in
from tests.support.mails import complaint
from tests.support.paths import MAILS


class Listener(http.server.ThreadingHTTPServer):
    """Records every request; a hostile mail that makes the browser fetch anything shows up here."""

    def __init__(self):
        self.hits: list[str] = []
        listener = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's naming)
                listener.hits.append(self.path)
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        super().__init__(("127.0.0.1", 0), Handler)

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.server_address[1]}"


@pytest.fixture
def listener():
    server = Listener()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_staff_log_in_open_a_case_decline_it_and_the_letter_is_sent(page, live_server, review_world):
    review_world.deliver(complaint(Message_ID="<klacht-an@example.be>"))
    review_world.poll()
    with review_world.database.unit_of_work() as session:
        ref = session.scalar(select(Case.ref))

    log_in(page, live_server)
    page.click(f"a:has-text('{ref}')")
    page.wait_for_selector(f"h1:has-text('{ref}')")
    assert "containerpark" in page.inner_text("#citizen-text")
    page.select_option("#decline select[name=reason]", "anonymous")
    page.click("#decline button[type=submit]")
    page.wait_for_selector("textarea[name=body]")
    assert "anonieme klacht" in page.input_value("textarea[name=body]")
    page.fill("input[name=subject]", "Uw klacht bij de ombudsdienst")
    page.click("button:has-text('Beslissing opslaan en versturen')")
    page.wait_for_selector(".flash-ok")
    assert "onontvankelijk" in page.inner_text(".case-head")

    assert Relay(review_world.config, review_world.database).send_due().sent >= 1
    sent = [email.message_from_bytes(m.content, policy=email.policy.default) for m in review_world.smtp.messages]
    letter = next(m for m in sent if m["Subject"].startswith("Uw klacht bij de ombudsdienst"))
    assert f"[{ref}]" in letter["Subject"] and letter["In-Reply-To"] == "<klacht-an@example.be>"
    assert "anonieme klacht" in letter.get_body(("plain",)).get_content()
    assert page.dialogs == []


def test_hostile_mail_runs_nothing_and_fetches_nothing(page, live_server, review_world, listener):
    corpus = sorted((MAILS / "xss").glob("*.eml"))
    review_world.deliver(*[p.read_bytes().replace(b"__LISTENER__", listener.address.encode()) for p in corpus])
    review_world.poll()
    with review_world.database.unit_of_work() as session:
        public_ids = list(session.scalars(select(Case.public_id)))
        html_ids = [m.id for m in session.scalars(select(MessageRecord)) if (m.parsed or {}).get("html")]
    assert len(public_ids) >= 5 and len(html_ids) >= 5

    log_in(page, live_server)
    visited = [f"{live_server}/", f"{live_server}/overgeslagen", f"{live_server}/quarantaine"]
    visited += [f"{live_server}/zaken/{public_id}" for public_id in public_ids]
    for url in visited:
        page.goto(url)
        for summary in page.locator("details > summary").all():
            summary.click()  # open the HTML views, so their iframes load
        page.wait_for_load_state("networkidle")
        for frame in page.frames:
            assert frame.locator("script").count() == 0, frame.url
        assert page.evaluate("typeof window.__xss") == "undefined"
    for record_id in html_ids:  # the sanitised HTML opened on its own, outside the iframe
        page.goto(f"{live_server}/berichten/{record_id}/html")
        page.wait_for_load_state("networkidle")
        assert page.locator("script").count() == 0
    page.goto(f"{live_server}/zaken/{public_ids[0]}")
    page.click("#decline button[type=submit]")  # the letter page shows mail-derived text in a textarea
    page.wait_for_selector("textarea[name=body]")

    assert page.dialogs == []
    assert listener.hits == []
    page.goto(f"{live_server}/")
    assert page.get_by_text("Klacht <script>alert('subject')</script> parkeren").count() == 1  # shown, as text
