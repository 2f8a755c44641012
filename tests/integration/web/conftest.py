"""Fixtures for the review UI: a world with staff users, the Flask app on it, and logged-in test clients."""

from __future__ import annotations

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
