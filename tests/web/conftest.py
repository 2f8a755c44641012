"""Fixtures for the review UI: a world with staff users, the Flask app on it, and logged-in test clients."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from mailintake.accounts import add_user
from mailintake.web import create_app

from ..test_intake import complaint

STAFF = ("an", "een lang wachtwoord")
ADMIN = ("beheer", "nog een lang wachtwoord")
TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


@dataclass
class Staff:
    """A logged-in test client with its CSRF token."""

    client: object
    token: str

    def get(self, url: str, **kwargs):
        return self.client.get(url, **kwargs)

    def post(self, url: str, data: dict | None = None, **kwargs):
        return self.client.post(url, data={"csrf_token": self.token, **(data or {})}, **kwargs)


def csrf_token(client, url: str = "/login") -> str:
    found = TOKEN.search(client.get(url).get_data(as_text=True))
    assert found, f"no CSRF token on {url}"
    return found.group(1)


def log_in(client, name: str, password: str):
    return client.post("/login", data={"csrf_token": csrf_token(client), "name": name, "password": password})


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


def logged_in(app, credentials=STAFF) -> Staff:
    client = app.test_client()
    response = log_in(client, *credentials)
    assert response.status_code == 302, response.get_data(as_text=True)
    return Staff(client, csrf_token(client, "/"))


@pytest.fixture
def staff(app) -> Staff:
    return logged_in(app, STAFF)


@pytest.fixture
def admin(app) -> Staff:
    return logged_in(app, ADMIN)


@pytest.fixture
def case(review_world):
    """One draft case from a real mail through the real intake: (ref, public_id)."""
    from mailintake.models import Case
    from sqlalchemy import select

    review_world.deliver(complaint(Message_ID="<klacht-an@example.be>"))
    assert review_world.poll().cases == 1
    with review_world.database.unit_of_work() as session:
        found = session.scalar(select(Case))
        return found.ref, found.public_id
