"""Unit tests need no servers: the fixtures that start Dovecot or PostgreSQL are refused here."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def dovecot():
    pytest.fail("tests/unit starts no servers: move a test that needs Dovecot to tests/integration")


@pytest.fixture(scope="session")
def postgres_cluster():
    pytest.fail("tests/unit starts no servers: move a test that needs PostgreSQL to tests/integration")
