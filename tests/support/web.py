"""Driving the review UI with Flask's test client: staff credentials, CSRF tokens, logged-in clients."""

from __future__ import annotations

import re
from dataclasses import dataclass

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


def logged_in(app, credentials=STAFF) -> Staff:
    client = app.test_client()
    response = log_in(client, *credentials)
    assert response.status_code == 302, response.get_data(as_text=True)
    return Staff(client, csrf_token(client, "/"))
