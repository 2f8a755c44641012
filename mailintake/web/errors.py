"""Error pages in Dutch: 400 (also a missing or wrong CSRF token), 403, 404, 413."""

from __future__ import annotations

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError

from ..errors import NotFoundError

MESSAGES = {
    400: "Het verzoek klopt niet. Laad de pagina opnieuw en probeer nog eens.",
    403: "U hebt geen toegang tot deze pagina.",
    404: "Deze pagina of zaak bestaat niet.",
    405: "Deze actie kan zo niet.",
    413: "Het verzoek is te groot.",
}


def init_app(app: Flask) -> None:
    for code in MESSAGES:
        app.register_error_handler(code, _page)
    app.register_error_handler(CSRFError, _csrf)
    app.register_error_handler(NotFoundError, lambda exc: _render(404))


def _page(exc):
    return _render(getattr(exc, "code", 500) or 500)


def _csrf(exc):
    return _render(400, "Het formulier is verlopen of ongeldig (CSRF). Laad de pagina opnieuw.")


def _render(code: int, message: str | None = None):
    return render_template("error.html", code=code, message=message or MESSAGES.get(code, "Er ging iets mis.")), code
