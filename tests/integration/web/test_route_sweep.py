"""A sweep over every route the review UI registers (from Flask's url_map, not a hand-kept list):
login required, CSRF required on every POST, security headers on every answer."""

from __future__ import annotations

import re

from tests.support.web import csrf_token

OPEN = {"/login", "/static/<path:filename>"}  # the only routes an anonymous visitor may see
PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")


def concrete(rule: str, public_id: str) -> str:
    """A URL for `rule` with real-looking values: the case's public id, id 1, a file name."""

    def value(match):
        converter, name = match.group(1), match.group(2)
        if converter == "int":
            return "1"
        if converter == "path":
            return "style.css"
        return public_id if "id" in name or "case" in name else "x"

    return PARAM.sub(value, rule)


def staff_routes(app) -> list[tuple[str, str]]:
    """(method, rule) for every registered route except the open ones."""
    found = []
    for rule in app.url_map.iter_rules():
        if rule.rule in OPEN:
            continue
        for method in sorted(rule.methods & {"GET", "POST"}):
            found.append((method, rule.rule))
    return found


def assert_security_headers(response, where: str) -> None:
    policy = response.headers.get("Content-Security-Policy", "")
    page = "frame-ancestors 'none'" in policy and "script-src 'self'" in policy
    sandboxed_mail = "default-src 'none'" in policy and "sandbox" in policy  # a stored mail shown or downloaded
    assert page or sandboxed_mail, f"{where}: {policy!r}"
    assert "frame-ancestors" in policy, f"{where}: no frame-ancestors in {policy!r}"
    assert response.headers.get("X-Content-Type-Options") == "nosniff", where
    assert response.headers.get("Referrer-Policy") == "same-origin", where


def test_every_registered_route_requires_login_csrf_and_headers(app, client, staff, case):
    _, public_id = case
    routes = staff_routes(app)
    assert len(routes) >= 10, routes  # the sweep really found the UI
    token = csrf_token(client)
    for method, rule in routes:
        url = concrete(rule, public_id)
        where = f"{method} {rule}"
        if method == "GET":
            anonymous = client.get(url)
            assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"], where
        else:
            anonymous = client.post(url, data={"csrf_token": token})
            assert anonymous.status_code in (302, 400, 403), where
            assert anonymous.status_code != 302 or "/login" in anonymous.headers["Location"], where
            forged = staff.client.post(url, data={"reason": "no token"})
            assert forged.status_code == 400, where
            assert_security_headers(forged, where)
        assert_security_headers(anonymous, where)
        assert_security_headers(staff.get(url) if method == "GET" else anonymous, where)
