"""axe-core, the npm package, for the accessibility tests: its script, and running it on a Playwright page.

The package comes from the npm registry: `npm install` puts it in node_modules/ when npm is there; otherwise
its published tarball is fetched once (pinned version, checked against the registry's sha512) into
.cache/ in the checkout. Nothing of it is shipped.
"""

from __future__ import annotations

import base64
import hashlib
import io
import tarfile
import urllib.request

from tests.support.paths import ROOT

VERSION = "4.14.1"
TARBALL = f"https://registry.npmjs.org/axe-core/-/axe-core-{VERSION}.tgz"
INTEGRITY = "sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ=="
CACHE = ROOT / ".cache" / f"axe-core-{VERSION}" / "axe.min.js"
# WCAG 2.1 A and AA: what the Web Accessibility Directive asks of a city's intranet applications
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = ("serious", "critical")


def axe_script() -> str:
    for candidate in (ROOT / "node_modules" / "axe-core" / "axe.min.js", CACHE):
        if candidate.is_file():
            return candidate.read_text("utf-8")
    CACHE.parent.mkdir(parents=True, exist_ok=True)
    data = urllib.request.urlopen(TARBALL, timeout=60).read()
    digest = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
    if digest != INTEGRITY:
        raise RuntimeError(f"{TARBALL}: integrity {digest} is not the pinned {INTEGRITY}")
    with tarfile.open(fileobj=io.BytesIO(data)) as archive:
        script = archive.extractfile("package/axe.min.js").read().decode("utf-8")
    CACHE.write_text(script, "utf-8")
    return script


def audit(page) -> list[dict]:
    """axe-core's WCAG 2.1 AA violations on the page as it is now (each with id, impact, help and nodes)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe_script())
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS)
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
             "nodes": [n["target"] for n in v["nodes"]][:5]} for v in result["violations"]]


def blocking(violations: list[dict]) -> list[dict]:
    return [v for v in violations if v["impact"] in BLOCKING]
