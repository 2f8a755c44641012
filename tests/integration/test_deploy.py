"""The production files in deploy/: systemd units that `systemd-analyze verify` accepts, and nginx in front of
`mailintake serve` (real nginx on 127.0.0.1, a throw-away certificate): TLS, HSTS, Secure cookies, and proxy
headers trusted only from the proxy."""

from __future__ import annotations

import http.client
import re
import shutil
import ssl
import subprocess
import sys
import time
from pathlib import Path

import pytest

from devkit.devmail import free_port, wait_for_port
from devkit.harness import DaemonProcess
from mailintake.review.accounts import add_user
from tests.support.paths import ROOT
from tests.support.web import STAFF

DEPLOY = ROOT / "deploy"
FORGED = "203.0.113.66"  # TEST-NET-3: an address no request here comes from
TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def test_systemd_units_pass_systemd_analyze_verify(tmp_path):
    analyze = shutil.which("systemd-analyze") or pytest.skip("systemd-analyze is not installed")
    command = Path(sys.executable).with_name("mailintake")  # the unit's /opt/... path, here in this venv
    units = []
    for unit in sorted((DEPLOY / "systemd").glob("*.service")):
        text = unit.read_text().replace("/opt/mailintake/venv/bin/mailintake", str(command))
        (tmp_path / unit.name).write_text(text)
        units.append(str(tmp_path / unit.name))
    assert len(units) == 2
    done = subprocess.run([analyze, "verify", *units], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stderr.strip() == "", done.stderr


@pytest.mark.parametrize("unit", ["mailintake.service", "mailintake-web.service"])
def test_units_are_hardened_and_restart_on_failure(unit):
    text = (DEPLOY / "systemd" / unit).read_text()
    for line in ("User=mailintake", "ProtectSystem=strict", "ReadWritePaths=/var/lib/mailintake", "NoNewPrivileges=yes",
                 "PrivateTmp=yes", "ProtectHome=yes", "CapabilityBoundingSet=\n", "Restart=on-failure",
                 "--config /etc/mailintake/config.toml"):
        assert line in text, line


@pytest.fixture
def served(world, tmp_path):
    """`mailintake serve` behind a real nginx with our site config; (https port, http port, serve port, log)."""
    nginx = shutil.which("nginx") or shutil.which("/usr/sbin/nginx") or pytest.skip("nginx is not installed")
    trustme = pytest.importorskip("trustme")
    with world.database.unit_of_work() as session:
        add_user(session, *STAFF)
    serve_port, http_port, https_port = free_port(), free_port(), free_port()
    config = world.write_config(tmp_path / "web.toml", web={"trusted_proxy": "127.0.0.1"})
    ca = trustme.CA()
    cert = ca.issue_cert("localhost", "127.0.0.1")
    cert.private_key_and_cert_chain_pem.write_to_path(str(tmp_path / "server.pem"))
    ca.cert_pem.write_to_path(str(tmp_path / "ca.pem"))
    site = (DEPLOY / "nginx" / "mailintake.conf").read_text()
    site = site.replace("listen 80;", f"listen 127.0.0.1:{http_port};").replace("listen [::]:80;", "")
    site = site.replace("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;")
    site = site.replace("listen [::]:443 ssl http2;", "").replace("http://127.0.0.1:8080;", f"http://127.0.0.1:{serve_port};")
    site = re.sub(r"ssl_certificate(_key)? [^;]+;", lambda m: f"ssl_certificate{m.group(1) or ''} {tmp_path}/server.pem;",
                  site)
    (tmp_path / "site.conf").write_text(site)
    temp = {name: tmp_path / name for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi")}
    for folder in temp.values():
        folder.mkdir()
    (tmp_path / "nginx.conf").write_text(
        f"user root;\nworker_processes 1;\npid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\n"
        "daemon off;\nevents { worker_connections 64; }\nhttp {\n"
        f"  access_log {tmp_path}/access.log;\n"
        + "".join(f"  {name}_temp_path {path};\n" if name != "body" else f"  client_body_temp_path {path};\n"
                  for name, path in temp.items())
        + f"  include {tmp_path}/site.conf;\n}}\n"
    )
    serve = DaemonProcess(config, env=world.env, cwd=world.tmp, name="serve",
                          args=("serve", "--host", "127.0.0.1", "--port", str(serve_port)))
    proxy = subprocess.Popen([nginx, "-c", str(tmp_path / "nginx.conf"), "-p", str(tmp_path)],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        serve.wait_for("review UI on", timeout=60)
        wait_for_port("127.0.0.1", https_port, deadline=time.monotonic() + 30, proc=proxy)
        context = ssl.create_default_context(cafile=str(tmp_path / "ca.pem"))
        yield {"https": https_port, "http": http_port, "serve": serve_port, "log": serve, "tls": context}
    finally:
        proxy.terminate()
        proxy.wait(timeout=30)
        serve.terminate()


def request(connection: http.client.HTTPConnection, method: str, path: str, body: str | None = None,
            headers: dict | None = None) -> tuple[http.client.HTTPResponse, str]:
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    return response, response.read().decode("utf-8", "replace")


def session_cookie(response: http.client.HTTPResponse) -> str:
    [cookie] = [v for k, v in response.getheaders() if k.lower() == "set-cookie" and v.startswith("mailintake_session=")]
    return cookie


def test_login_through_nginx_over_tls_gets_secure_cookies_and_hsts(served):
    connection = http.client.HTTPSConnection("localhost", served["https"], context=served["tls"], timeout=30)
    page, html = request(connection, "GET", "/login", headers={"X-Forwarded-For": FORGED})
    cookie = session_cookie(page)
    assert page.status == 200 and "Secure" in cookie and "HttpOnly" in cookie
    assert page.getheader("Strict-Transport-Security", "").startswith("max-age=")
    form = f"csrf_token={TOKEN.search(html).group(1)}&name={STAFF[0]}&password={STAFF[1].replace(' ', '+')}"
    login, _ = request(connection, "POST", "/login", body=form, headers={
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie.split(";")[0],
        "X-Forwarded-For": FORGED, "Referer": f"https://localhost:{served['https']}/login"})
    assert login.status == 302 and "Secure" in session_cookie(login)
    line = served["log"].wait_for(f"login accepted for '{STAFF[0]}'")
    assert "from 127.0.0.1" in line and FORGED not in line  # nginx overwrote the forged header


def test_plain_http_is_redirected_to_https(served):
    connection = http.client.HTTPConnection("127.0.0.1", served["http"], timeout=30)
    response, _ = request(connection, "GET", "/login")
    assert response.status == 301 and response.getheader("Location").startswith("https://")


def test_proxy_headers_from_anyone_but_the_proxy_are_not_trusted(served):
    """A direct request from another address with a forged X-Forwarded-For/-Proto: plain HTTP, its own address."""
    connection = http.client.HTTPConnection("127.0.0.1", served["serve"], timeout=30, source_address=("127.0.0.2", 0))
    headers = {"X-Forwarded-For": FORGED, "X-Forwarded-Proto": "https"}
    page, html = request(connection, "GET", "/login", headers=headers)
    assert page.status == 200 and "Secure" not in session_cookie(page)
    form = f"csrf_token={TOKEN.search(html).group(1)}&name={STAFF[0]}&password=wrong"
    request(connection, "POST", "/login", body=form, headers={
        **headers, "Content-Type": "application/x-www-form-urlencoded", "Cookie": session_cookie(page).split(";")[0]})
    line = served["log"].wait_for(f"login refused for '{STAFF[0]}'")
    assert "from 127.0.0.2" in line and FORGED not in line
