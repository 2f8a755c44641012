"""Serving the review UI with waitress, the only module that imports it."""

from __future__ import annotations

import sys

from flask import Flask
from waitress import serve as waitress_serve


def serve(app: Flask, host: str, port: int, threads: int, trusted_proxy: str = "") -> None:
    """Serve until interrupted; `X-Forwarded-Proto`/`-For` are honoured only from `trusted_proxy`."""
    options = {"trusted_proxy": trusted_proxy, "trusted_proxy_headers": "x-forwarded-proto x-forwarded-for"} \
        if trusted_proxy else {}
    print(f"mailintake review UI on http://{host}:{port}/", file=sys.stderr, flush=True)
    waitress_serve(app, host=host, port=port, threads=threads, ident="mailintake", **options)
