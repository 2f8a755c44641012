"""Fixtures for the review UI: a world with staff users, the Flask app on it, and logged-in test clients."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import select

from mailintake.review.accounts import add_user
from mailintake.store.models import Case
from mailintake.web import create_app
from tests.support.mails import complaint
from tests.support.web import ADMIN, STAFF, Staff, logged_in


@pytest.fixture
def review_world(world):
    with world.database.unit_of_work() as session:
        add_user(session, *STAFF, role="staff")
        add_user(session, *ADMIN, role="admin")
    return world


@pytest.fixture
def app(review_world):
    return create_app(review_world.config, review_world.database, overrides={"TESTING": True})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def staff(app) -> Staff:
    return logged_in(app, STAFF)


@pytest.fixture
def admin(app) -> Staff:
    return logged_in(app, ADMIN)


@pytest.fixture
def case(review_world):
    """One draft case from a real mail through the real intake: (ref, public_id)."""
    review_world.deliver(complaint(Message_ID="<klacht-an@example.be>"))
    assert review_world.poll().cases == 1
    with review_world.database.unit_of_work() as session:
        found = session.scalar(select(Case))
        return found.ref, found.public_id


# --- the real browser: Debian's Chromium driven by Playwright, the app under waitress --------------------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (make test installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def live_server(app):
    from waitress.server import create_server

    server = create_server(app, host="127.0.0.1", port=0, threads=4, clear_untrusted_proxy_headers=True)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()
    thread.join(timeout=10)


@pytest.fixture
def page(browser):
    context = browser.new_context()
    tab = context.new_page()
    tab.dialogs = []
    tab.on("dialog", lambda dialog: (tab.dialogs.append(dialog.message), dialog.dismiss()))
    yield tab
    context.close()


def log_in(page, base: str) -> None:
    page.goto(f"{base}/")
    page.fill("input[name=name]", STAFF[0])
    page.fill("input[name=password]", STAFF[1])
    page.click("button[type=submit]")
    page.wait_for_load_state("load")
    assert "Wachtrij" in page.inner_text("h1"), page.content()[:3000]
