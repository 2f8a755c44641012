"""WCAG 2.1 AA in the real browser: axe-core (the npm package) on every page and state staff meet, the keyboard
alone through a decision, and the markup and reflow the standard asks for.

No page may have a violation of impact "serious" or "critical"; the others are printed and written to
accessibility-report.json, each to be explained in the closing note.
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from mailintake.store.models import Case
from tests.integration.web.conftest import log_in
from tests.support.axe import audit, blocking
from tests.support.mails import complaint
from tests.support.paths import ROOT, read_mail
from tests.support.web import ADMIN, STAFF

REPORT = ROOT / "accessibility-report.json"


pytestmark = pytest.mark.one_database


@pytest.fixture
def page(browser):
    """A tab in which axe-core's script may be injected past the pages' Content-Security-Policy."""
    context = browser.new_context(bypass_csp=True)
    yield context.new_page()
    context.close()


@pytest.fixture
def office(review_world):
    """A queue with an HTML mail, attachments, a thread, a robot and a complaint without reply address."""
    review_world.deliver(
        read_mail("intake/en-m-leuven-lift-alternative.eml"),
        read_mail("intake/en-agsl-parking-pdf-attachment.eml"),
        read_mail("intake/newsletter-list-id.eml"),
        complaint(Message_ID="<klacht-an@example.be>"),
        complaint(From="Meldpunt <no-reply@meldpunt.example.be>", subject="Nieuwe melding", body=(
            "Nieuwe melding via het meldpunt.\n\nNaam: Piet Claes\nTelefoon: 0470 12 34 56\n"
            "Omschrijving: De stoep voor ons huis ligt al weken open na werken van de stad.\n")),
    )
    review_world.poll()
    with review_world.database.unit_of_work() as session:
        cases = {c.subject: (c.ref, c.public_id) for c in session.scalars(select(Case))}
    ref, _ = cases["Klacht over het containerpark"]
    for n in range(3):  # a thread: follow-ups citing the case
        review_world.deliver(complaint(subject=f"Re: Ontvangstmelding klacht [{ref}]", body=f"Nog een aanvulling ({n}).\n\nAn Peeters"))
    review_world.poll()
    return cases


def _states(base: str, cases: dict) -> list[tuple[str, str]]:
    html_case = next(pid for subject, (_, pid) in cases.items() if "lift" in subject.lower())
    attached = next(pid for subject, (_, pid) in cases.items() if "park" in subject.lower() and "containerpark" not in subject.lower())
    thread = cases["Klacht over het containerpark"][1]
    return [
        ("queue", f"{base}/"),
        ("queue filtered", f"{base}/?status=all&service=stad"),
        ("queue search results", f"{base}/?q=containerpark"),
        ("queue empty", f"{base}/?q=zzzzzzzz"),
        ("queue without reply address", f"{base}/?flag=geen_antwoordadres"),
        ("case with HTML mail", f"{base}/zaken/{html_case}"),
        ("case with attachments", f"{base}/zaken/{attached}"),
        ("case with a thread", f"{base}/zaken/{thread}"),
        ("case without reply address", f"{base}/zaken/{cases['Nieuwe melding'][1]}"),
        ("quarantine", f"{base}/quarantaine"),
        ("skipped", f"{base}/overgeslagen"),
        ("outbox", f"{base}/uitgaand"),
        ("manual intake", f"{base}/nieuw"),
        ("audit log", f"{base}/logboek"),
        ("annual report", f"{base}/jaarverslag"),
    ]


def _check(page, name: str, found: dict) -> None:
    for summary in page.locator("details > summary").all():
        summary.click()  # open what is folded, so it is checked too
    page.wait_for_load_state("networkidle")
    found[name] = audit(page)


def test_every_page_and_state_has_no_serious_or_critical_violation(page, live_server, office, app):
    found: dict[str, list[dict]] = {}
    page.goto(f"{live_server}/login")
    _check(page, "login", found)
    log_in(page, live_server)
    for name, url in _states(live_server, office):
        page.goto(url)
        _check(page, name, found)
    _decision_states(page, live_server, office, found)
    REPORT.write_text(json.dumps(found, indent=1, ensure_ascii=False), "utf-8")
    print(json.dumps({name: [(v["id"], v["impact"]) for v in violations] for name, violations in found.items()}, indent=1))
    assert {name: blocking(v) for name, v in found.items() if blocking(v)} == {}  # the bar
    assert {name: v for name, v in found.items() if v} == {}  # and ours: none of a lesser impact either


def _decision_states(page, base: str, cases: dict, found: dict) -> None:
    public_id = cases["Klacht over het containerpark"][1]
    page.goto(f"{base}/zaken/{public_id}")
    page.fill("#merge input[name=into]", "OMB-1999-99999")
    page.click("#merge button[type=submit]")
    page.wait_for_load_state("load")
    _check(page, "decision with a validation error", found)
    page.goto(f"{base}/zaken/{public_id}")
    page.click("#decline button[type=submit]")
    page.wait_for_selector("textarea[name=body]")
    _check(page, "decline letter form", found)


def test_the_admin_pages_have_no_serious_or_critical_violation(browser, live_server, office):
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    page.goto(f"{live_server}/")
    page.fill("input[name=name]", ADMIN[0])
    page.fill("input[name=password]", ADMIN[1])
    page.click("button[type=submit]")
    page.wait_for_load_state("load")
    page.goto(f"{live_server}/wissen")
    violations = audit(page)
    context.close()
    assert violations == []


def test_markup_skip_link_languages_labels_and_frame_titles(page, live_server, office):
    log_in(page, live_server)
    assert page.get_attribute("html", "lang") == "nl"
    page.keyboard.press("Tab")
    skip = page.evaluate("document.activeElement.getAttribute('href')")
    assert skip and skip.startswith("#"), "the first Tab reaches a skip link"
    assert page.locator(skip).count() == 1
    html_case = next(pid for subject, (_, pid) in office.items() if "lift" in subject.lower())
    page.goto(f"{live_server}/zaken/{html_case}")
    for summary in page.locator("details > summary").all():
        summary.click()
    for frame in page.locator("iframe").all():
        assert frame.get_attribute("title")
    assert page.locator("#citizen-text[lang]").count() == 1  # the mail's own language on the mail
    for field in page.locator("input:not([type=hidden]), select, textarea").all():
        field_id = field.get_attribute("id")
        labelled = (field_id and page.locator(f"label[for='{field_id}']").count()) or field.evaluate("el => !!el.closest('label')")
        assert labelled or field.get_attribute("aria-label") or field.get_attribute("aria-labelledby"), field_id


def test_keyboard_alone_log_in_open_a_case_decide_and_back(page, live_server, office):
    ref, _ = office["Klacht over het containerpark"]
    page.goto(f"{live_server}/login")
    _tab_to(page, "input[name=name]")
    page.keyboard.type(STAFF[0])
    page.keyboard.press("Tab")
    page.keyboard.type(STAFF[1])
    page.keyboard.press("Enter")
    page.wait_for_selector("h1:has-text('Wachtrij')")
    _tab_to(page, f"a:has-text('{ref}')")
    page.keyboard.press("Enter")
    page.wait_for_selector(f"h1:has-text('{ref}')")
    _tab_to(page, "#accept button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_selector(".flash-ok")
    _tab_to(page, "nav a:has-text('Wachtrij')")
    page.keyboard.press("Enter")
    page.wait_for_selector("h1:has-text('Wachtrij')")


def _tab_to(page, selector: str, limit: int = 200) -> None:
    """Tab until `selector` has the focus, and check the focus can be seen there."""
    target = page.locator(selector).first
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            style = target.evaluate("el => { const s = getComputedStyle(el); return [s.outlineStyle, s.outlineWidth, s.boxShadow]; }")
            assert style[0] != "none" and style[1] != "0px" or style[2] != "none", f"no visible focus on {selector}: {style}"
            return
    raise AssertionError(f"{selector} cannot be reached with Tab")


@pytest.mark.parametrize("where", ["queue", "case"])
def test_at_320_css_pixels_only_data_tables_scroll_sideways(browser, live_server, office, where):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    log_in(page, live_server)
    if where == "case":
        page.goto(f"{live_server}/zaken/{office['Klacht over het containerpark'][1]}")
    too_wide = page.evaluate("""() => [...document.querySelectorAll('body *')]
        .filter(el => !el.closest('table, .table-scroll, pre, iframe') && el.getBoundingClientRect().right > 321)
        .map(el => el.tagName + '.' + el.className).slice(0, 10)""")
    context.close()
    assert too_wide == []


def test_the_audit_finds_what_it_is_meant_to_find(page):
    """The check itself can fail: an image without text and an unlabelled field are caught."""
    page.set_content('<!doctype html><html lang="nl"><body><main><img src="x.png"><input name="q"></main></body></html>')
    assert {"image-alt", "label"} <= {v["id"] for v in blocking(audit(page))}
