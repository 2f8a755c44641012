"""Take the README's screenshots of a running review UI with Debian's headless Chromium.

    python -m devkit.screenshots http://127.0.0.1:8080 demo demo-wachtwoord

Writes docs/queue.png and docs/case.png (the first case with flags, else the first case).
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
OUT = Path(__file__).resolve().parents[1] / "docs"


def main(base: str, name: str, password: str) -> int:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        page.goto(f"{base}/login")
        page.fill("input[name=name]", name)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_selector("table.queue")
        page.screenshot(path=str(OUT / "queue.png"), full_page=False)
        flagged = page.locator("tr:has(.badge.flag) td:first-child a")
        (flagged.first if flagged.count() else page.locator("table.queue td:first-child a").first).click()
        page.wait_for_selector(".case-head")
        page.screenshot(path=str(OUT / "case.png"), full_page=False)
        browser.close()
    print(f"wrote {OUT / 'queue.png'} and {OUT / 'case.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
