"""Serving the review UI with waitress, the only module that imports it."""

from __future__ import annotations

import sys

from flask import Flask
from waitress import create_server


def serve(app: Flask, host: str, port: int, threads: int, trusted_proxy: str = "") -> None:
    """Serve until interrupted; `X-Forwarded-Proto`/`-For` are honoured only from `trusted_proxy`."""
    options = {"trusted_proxy": trusted_proxy, "trusted_proxy_headers": "x-forwarded-proto x-forwarded-for",
               "clear_untrusted_proxy_headers": True} if trusted_proxy else {}
    server = create_server(app, host=host, port=port, threads=threads, ident="mailintake", **options)
    print(f"mailintake review UI on http://{host}:{port}/", file=sys.stderr, flush=True)  # listening now
    try:
        server.run()
    finally:
        server.close()
