"""Every route of the review UI through the Flask test client: login, permissions, CSRF, 404s, decisions."""

from __future__ import annotations

import email
import email.policy
import re

from sqlalchemy import select
from sqlalchemy.orm import undefer

from mailintake.outbox.relay import Relay
from mailintake.store.models import AuditEntry, Case, MessageRecord, OutboxMessage
from tests.support.mails import complaint
from tests.support.paths import read_mail
from tests.support.web import STAFF, csrf_token, log_in, logged_in

GET_ROUTES = ["/", "/nieuw", "/quarantaine", "/overgeslagen", "/uitgaand", "/logboek"]


def case_routes(public_id: str) -> list[str]:
    return [f"/zaken/{public_id}/{action}" for action in (
        "corrigeren", "ontvankelijk", "onontvankelijk", "doorverwijzen", "bemiddeling", "samenvoegen", "geen-klacht",
        "vrijgeven", "afsluiten", "antwoorden", "antwoordadres")]


def case_row(world, ref: str) -> Case:
    with world.database.unit_of_work() as session:
        found = session.scalar(select(Case).where(Case.ref == ref))
        session.expunge(found)
        return found


def test_every_page_needs_a_login(client, case):
    _, public_id = case
    for url in [*GET_ROUTES, f"/zaken/{public_id}", "/berichten/1/eml", "/berichten/1/html",
                f"/zaken/{public_id}/bijlagen/1"]:
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url
    for url in case_routes(public_id) + ["/quarantaine/1/opnieuw", "/overgeslagen/1/klacht", "/nieuw", "/logout"]:
        assert client.post(url, data={"csrf_token": csrf_token(client)}).status_code in (302, 403), url


def test_posts_without_csrf_token_are_refused(staff, case):
    _, public_id = case
    for url in case_routes(public_id) + ["/nieuw", "/logout", "/quarantaine/1/opnieuw"]:
        response = staff.client.post(url, data={"reason": "anonymous"})
        assert response.status_code == 400, url
        assert "CSRF" in response.get_data(as_text=True)


def test_unknown_cases_and_files_are_404(staff, case):
    _, public_id = case
    assert staff.get("/zaken/0123456789abcdef0123456789abcdef").status_code == 404
    assert staff.post("/zaken/0123456789abcdef0123456789abcdef/ontvankelijk").status_code == 404
    assert staff.get(f"/zaken/{public_id}/bijlagen/999").status_code == 404
    assert staff.get("/berichten/999/eml").status_code == 404
    assert staff.get("/berichten/999/html").status_code == 404
    assert staff.get("/?q=OMB-2026-99999").status_code == 200  # a search, not a crash


def test_security_headers_on_every_response(client, staff, case):
    _, public_id = case
    for response in (client.get("/login"), staff.get("/"), staff.get(f"/zaken/{public_id}"), staff.get("/nope")):
        headers = response.headers
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert "script-src 'self'" in headers["Content-Security-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"


def test_session_cookie_flags(app, review_world):
    client = app.test_client()
    response = log_in(client, *STAFF)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    secure = app.test_client()
    token = csrf_token(secure)
    response = secure.post("/login", data={"csrf_token": token, "name": STAFF[0], "password": STAFF[1]},
                           base_url="https://localhost", headers={"Referer": "https://localhost/login"})
    assert "Secure" in response.headers["Set-Cookie"]


def test_wrong_passwords_are_throttled_in_the_database(app, review_world):
    client = app.test_client()
    for _ in range(4):
        assert log_in(client, "an", "fout wachtwoord").status_code == 401
    assert log_in(client, "an", "fout wachtwoord").status_code == 429  # the fifth failure locks
    assert log_in(client, *STAFF).status_code == 429  # even the right password waits
    other_process = app.test_client()  # the lock is in the database, not in this client
    assert log_in(other_process, *STAFF).status_code == 429
    assert log_in(app.test_client(), "onbekend", "wat dan ook").status_code == 429  # the client waits: no spraying
    elsewhere = app.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "192.0.2.7"
    assert log_in(elsewhere, "onbekend", "wat dan ook").status_code == 401  # another client, another name: counted


def test_a_lockout_delays_the_rightful_user_for_a_minute_at_most(review_world):
    from datetime import timedelta

    from mailintake.review.accounts import ThrottlePolicy, check_login
    from mailintake.store.models import utcnow

    policy, now = ThrottlePolicy(), utcnow()
    with review_world.database.unit_of_work() as session:
        for n in range(60):  # an attacker spread over many addresses, for a long time
            check_login(session, "an", "geraden", policy, now + timedelta(minutes=n), client=f"198.51.100.{n}")
        locked = check_login(session, "an", STAFF[1], policy, now + timedelta(minutes=59, seconds=30), client="192.0.2.1")
        assert not locked.ok and locked.locked_until == now + timedelta(minutes=60)  # a minute after the last guess
        assert check_login(session, "an", STAFF[1], policy, now + timedelta(minutes=60), client="192.0.2.1").ok


def test_the_lockout_survives_any_number_of_failures(review_world):
    """`first_wait * 2**over` once overflowed a timedelta after max_failures + 41 failures: then no lockout at all."""
    from datetime import timedelta

    from mailintake.review.accounts import ThrottlePolicy, check_login
    from mailintake.store.models import utcnow

    policy, now = ThrottlePolicy(), utcnow()
    with review_world.database.unit_of_work() as session:
        for n in range(200):
            result = check_login(session, "an", "fout", policy, now + timedelta(hours=n), client="203.0.113.9")
            assert not result.ok
        assert result.locked_until == now + timedelta(hours=199) + policy.max_wait  # capped, not overflowed
        soon = now + timedelta(hours=199, minutes=1)
        assert not check_login(session, "an", STAFF[1], policy, soon, client="203.0.113.9").ok


def test_an_admin_lifts_a_lockout(review_world):
    from mailintake.review.accounts import ThrottlePolicy, check_login

    with review_world.database.unit_of_work() as session:
        for _ in range(6):
            check_login(session, "an", "fout", ThrottlePolicy(), client="203.0.113.9")
        assert not check_login(session, "an", STAFF[1], ThrottlePolicy(), client="203.0.113.9").ok
    assert review_world.cli_json("users", "unlock", "an") == {"name": "an", "lifted": 2}
    with review_world.database.unit_of_work() as session:
        assert check_login(session, "an", STAFF[1], ThrottlePolicy(), client="203.0.113.9").ok


def test_idle_session_expires(staff):
    with staff.client.session_transaction() as session:
        session["seen"] -= 31 * 60
    response = staff.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_busy_session_still_ends_after_its_hours(staff):
    assert staff.get("/").status_code == 200
    with staff.client.session_transaction() as session:
        session["issued"] -= 13 * 3600  # in use all the while: never idle
    response = staff.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_logout_ends_the_session_even_for_a_copied_cookie(app):
    staff = logged_in(app)
    with staff.client.session_transaction() as session:
        stolen = dict(session)
    assert staff.post("/logout").status_code == 302
    thief = app.test_client()
    with thief.session_transaction() as session:
        session.update(stolen)
    assert thief.get("/").status_code == 302


def test_login_redirects_only_within_the_site(app):
    client = app.test_client()
    token = csrf_token(client)
    response = client.post("/login?next=https://evil.example/", data={"csrf_token": token, "name": STAFF[0], "password": STAFF[1]})
    assert response.headers["Location"] == "/"


def test_audit_log_is_for_admins(staff, admin):
    assert staff.get("/logboek").status_code == 403
    assert admin.get("/logboek").status_code == 200


def test_signing_key_is_generated_once_and_shared(review_world):
    from mailintake.web import create_app

    first = create_app(review_world.config, review_world.database)
    second = create_app(review_world.config, review_world.database)
    assert first.secret_key == second.secret_key and len(first.secret_key) > 40


def test_queue_lists_filters_and_finds_by_reference(staff, case):
    ref, public_id = case
    page = staff.get("/").get_data(as_text=True)
    assert ref in page and "Klacht over het containerpark" in page
    assert ref not in staff.get("/?status=closed").get_data(as_text=True)
    assert ref in staff.get("/?q=containerpark").get_data(as_text=True)
    assert ref not in staff.get("/?q=zwembad").get_data(as_text=True)
    assert ref not in staff.get("/?service=politie").get_data(as_text=True)
    found = staff.get(f"/?q={ref}")
    assert found.status_code == 302 and found.headers["Location"].endswith(f"/zaken/{public_id}")


def test_search_results_say_their_order_and_mark_where_each_case_hit(staff, case):
    ref, _ = case
    page = staff.get("/?status=all&q=containerparken").get_data(as_text=True)
    assert ref in page and "1 treffer, de beste eerst" in " ".join(page.split())
    assert re.search(r'<small class="snippet"><bdi>[^<]*<mark>containerpark</mark>', page, re.I)
    assert "<mark>" not in staff.get("/?status=all").get_data(as_text=True)


def test_opening_a_case_is_audited(staff, case, review_world):
    ref, public_id = case
    page = staff.get(f"/zaken/{public_id}").get_data(as_text=True)
    assert ref in page and "containerpark" in page
    with review_world.database.unit_of_work() as session:
        [entry] = session.scalars(select(AuditEntry).where(AuditEntry.action == "view")).all()
        assert entry.actor == "an" and entry.case.ref == ref


def test_flag_evidence_is_highlighted_and_reasons_listed(staff, review_world):
    review_world.deliver(read_mail("intake/nl-anoniem-oude-feiten.eml"))
    review_world.poll()
    with review_world.database.unit_of_work() as session:
        public_id = session.scalar(select(Case.public_id))
    page = staff.get(f"/zaken/{public_id}").get_data(as_text=True)
    assert '<mark title="oude feiten">In maart 2023' in page
    assert "omgevingsvergunning" in page and "zekerheid 67%" in page
    assert "resolved to 2023-03-01" in page


def test_decline_shows_an_editable_letter_then_sends_the_edited_text(staff, case, review_world):
    ref, public_id = case
    first = staff.post(f"/zaken/{public_id}/onontvankelijk", {"reason": "anonymous", "send_letter": "y"})
    page = first.get_data(as_text=True)
    assert first.status_code == 200 and "<textarea" in page and "anonieme klacht" in page
    body = re.search(r"<textarea[^>]*>(.*?)</textarea>", page, re.S).group(1)
    edited = body.replace("Wilt u ons", "Wilt u ons alsnog")
    import html
    done = staff.post(f"/zaken/{public_id}/onontvankelijk", {
        "reason": "anonymous", "send_letter": "y", "confirm": "1",
        "subject": "Uw klacht", "body": html.unescape(edited)})
    assert done.status_code == 302
    assert case_row(review_world, ref).status == "declined"
    Relay(review_world.config, review_world.database).send_due()
    letters = [email.message_from_bytes(m.content, policy=email.policy.default) for m in review_world.smtp.messages]
    decline = [m for m in letters if "Uw klacht" == m["Subject"].split(" [")[0]][0]
    assert f"[{ref}]" in decline["Subject"]  # the reference is put back
    assert "Wilt u ons alsnog" in decline.get_body(("plain",)).get_content()


def test_accept_correct_and_close_with_norms(staff, case, review_world):
    ref, public_id = case
    assert staff.post(f"/zaken/{public_id}/corrigeren", {"service": "stad", "flags": ["anonymous"],
                                                          "themes": ["wachttijd", "geen antwoord"]}).status_code == 302
    assert staff.post(f"/zaken/{public_id}/ontvankelijk", {"handler": "an"}).status_code == 302
    row = case_row(review_world, ref)
    assert row.status == "accepted" and row.admissible is True
    response = staff.post(f"/zaken/{public_id}/afsluiten", {"outcome": "founded", "resolved": "yes",
                                                            "norms": ["courtesy", "reasonable_time"],
                                                            "recommendation": "Sneller antwoorden.", "send_letter": "y"})
    assert "Agentschap Binnenlands Bestuur" in response.get_data(as_text=True)
    done = staff.post(f"/zaken/{public_id}/afsluiten", {"outcome": "founded", "resolved": "yes",
                                                        "norms": ["courtesy", "reasonable_time"],
                                                        "recommendation": "Sneller antwoorden.", "confirm": "1",
                                                        "send_letter": "y"})
    assert done.status_code == 302
    with review_world.database.unit_of_work() as session:
        closed = session.scalar(select(Case).where(Case.ref == ref))
        assert closed.status == "closed" and closed.outcome == "founded" and closed.resolved is True
        assert sorted(n.norm for n in closed.norms) == ["courtesy", "reasonable_time"]
        assert sorted(t.theme for t in closed.themes) == ["geen antwoord", "wachttijd"]
        assert closed.handler.name == "an"
        kinds = [r.kind for r in session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))]
        assert kinds[-1] == "closing"


def test_refused_decisions_say_why(staff, case, review_world):
    ref, public_id = case
    response = staff.post(f"/zaken/{public_id}/afsluiten", {"outcome": "founded", "resolved": "", "confirm": "1"},
                          follow_redirects=True)
    assert "Niet gelukt" in response.get_data(as_text=True)  # a draft cannot be closed
    response = staff.post(f"/zaken/{public_id}/bemiddeling", {"service": "agsl"}, follow_redirects=True)
    assert "geen adres" in response.get_data(as_text=True) or "no address" in response.get_data(as_text=True)
    response = staff.post(f"/zaken/{public_id}/samenvoegen", {"into": "OMB-2026-99999"}, follow_redirects=True)
    assert "geen zaak met referentie" in response.get_data(as_text=True)
    assert case_row(review_world, ref).status == "draft"


def test_redirect_not_complaint_merge_reply_and_release(staff, review_world, app):
    review_world.deliver(complaint(), complaint(subject="Tweede klacht", body="Iets anders.\n\nAn Peeters\n"),
                         complaint(subject="Derde", body="Nog iets.\n\nAn Peeters\n"),
                         complaint(subject="Vierde", body="Weer iets.\n\nAn Peeters\n"))
    review_world.poll()
    with review_world.database.unit_of_work() as session:
        ids = [(c.ref, c.public_id) for c in session.scalars(select(Case).order_by(Case.id))]
    (first, p1), (second, p2), (third, p3), (fourth, p4) = ids
    assert staff.post(f"/zaken/{p1}/doorverwijzen", {"service": "stad", "send_letter": "y", "confirm": "1"}).status_code == 302
    assert staff.post(f"/zaken/{p2}/geen-klacht", {"reason": "information_request"}).status_code == 302
    assert staff.post(f"/zaken/{p3}/samenvoegen", {"into": fourth}).status_code == 302
    assert staff.post(f"/zaken/{p4}/antwoorden").status_code == 200
    assert staff.post(f"/zaken/{p4}/antwoorden", {"confirm": "1", "subject": "Vraag",
                                                  "body": "Kunt u een foto sturen?"}).status_code == 302
    assert [case_row(review_world, r).status for r in (first, second, third)] == ["redirected", "not_complaint", "merged"]
    response = staff.post(f"/zaken/{p4}/vrijgeven", follow_redirects=True)
    assert "geen tegengehouden mail" in response.get_data(as_text=True)
    with review_world.database.unit_of_work() as session:
        reply = session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "reply"))
        assert reply.body.startswith("Kunt u een foto sturen?") and f"[{fourth}]" in reply.subject


def test_release_of_a_held_acknowledgement(make_world):
    from mailintake.review.accounts import add_user
    from mailintake.web import create_app

    world = make_world(acknowledgement={"authserv_id": "mx.leuven.example.be"})
    with world.database.unit_of_work() as session:
        add_user(session, *STAFF)
    world.deliver(complaint(Authentication_Results="mx.leuven.example.be; dmarc=fail header.from=example.be"))
    world.poll()
    app = create_app(world.config, world.database, overrides={"TESTING": True})
    staff = logged_in(app)
    with world.database.unit_of_work() as session:
        public_id = session.scalar(select(Case.public_id))
    page = staff.get(f"/zaken/{public_id}").get_data(as_text=True)
    assert "Afzender niet geverifieerd" in page and "Vrijgeven" in page
    assert staff.post(f"/zaken/{public_id}/vrijgeven").status_code == 302
    assert Relay(world.config, world.database).send_due().sent == 1


def test_a_complaint_without_reply_address_is_marked_and_answered_once_staff_fill_one_in(staff, review_world):
    review_world.deliver(complaint(From="Meldpunt <no-reply@meldpunt.example.be>", subject="Nieuwe melding", body=(
        "Nieuwe melding via het meldpunt.\n\nNaam: Piet Claes\nTelefoon: 0470 12 34 56\nWijk: Kessel-Lo\n"
        "Omschrijving: De stoep voor ons huis ligt al weken open na werken van de stad.\n")))
    review_world.poll()
    with review_world.database.unit_of_work() as session:
        public_id = session.scalar(select(Case.public_id))
    queue = staff.get("/?flag=geen_antwoordadres").get_data(as_text=True)
    assert "geen antwoordadres" in queue and "Nieuwe melding" in queue
    page = staff.get(f"/zaken/{public_id}").get_data(as_text=True)
    assert 'id="antwoordadres"' in page and "role=\"alert\"" in page
    refused = staff.post(f"/zaken/{public_id}/antwoordadres", data={"address": "noreply@example.be"}, follow_redirects=True)
    assert "kan niet" in refused.get_data(as_text=True)
    assert staff.post(f"/zaken/{public_id}/antwoordadres", data={"address": "piet@example.be"}).status_code == 302
    assert Relay(review_world.config, review_world.database).send_due().sent == 1
    assert review_world.smtp.messages[-1].rcpt_tos == ("piet@example.be",)
    assert "Nieuwe melding" not in staff.get("/?flag=geen_antwoordadres").get_data(as_text=True)


def test_attachments_and_raw_mail_download_as_attachments(staff, review_world):
    review_world.deliver(read_mail("intake/nl-hostile-attachment-names.eml"))
    review_world.poll()
    with review_world.database.unit_of_work() as session:
        case = session.scalar(select(Case))
        public_id = case.public_id
        attachments = [(a.id, a.filename) for m in case.messages for a in m.attachments]
        record_id = case.messages[0].public_id
    assert attachments
    for attachment_id, filename in attachments:
        response = staff.get(f"/zaken/{public_id}/bijlagen/{attachment_id}")
        assert response.status_code == 200
        disposition = response.headers["Content-Disposition"]
        assert disposition.startswith("attachment;") and "/" not in disposition.split("filename", 1)[1]
        assert response.headers["Content-Type"] == "application/octet-stream"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
    raw = staff.get(f"/berichten/{record_id}/eml")
    assert raw.headers["Content-Disposition"].startswith("attachment;") and raw.data.startswith(b"")
    page = staff.get(f"/zaken/{public_id}").get_data(as_text=True)
    for _, filename in attachments:
        assert "<script" not in filename or "<script" not in page


def test_html_part_is_sanitised_under_its_own_policy(staff, review_world):
    review_world.deliver(read_mail("intake/nl-html-only-stad-wegenwerken.eml"))
    review_world.poll()
    with review_world.database.unit_of_work() as session:
        record_id = session.scalar(select(MessageRecord.public_id))
    response = staff.get(f"/berichten/{record_id}/html")
    assert response.status_code == 200
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "sandbox" in policy and "frame-ancestors 'self'" in policy
    assert b"<script" not in response.data
    with review_world.database.unit_of_work() as session:
        assert session.scalar(select(AuditEntry.action).order_by(AuditEntry.id.desc())) == "view_html"
    assert staff.get("/berichten/1/html").status_code == 404  # message URLs are random ids, not counters


def test_html_too_deeply_nested_is_not_shown_and_costs_nothing_to_open(staff, review_world):
    from devkit.costly import deeply_nested_html

    review_world.deliver(deeply_nested_html())
    review_world.poll()
    with review_world.database.unit_of_work() as session:
        record = session.scalar(select(MessageRecord).options(undefer(MessageRecord.parsed)))
        record_id, stored = record.public_id, record.parsed
    assert stored["html"] and stored["html_safe"] is None  # judged once, at intake
    response = staff.get(f"/berichten/{record_id}/html")
    assert response.status_code == 200 and b"te diep genest" in response.data and b"<div><div>" not in response.data


def test_quarantine_page_and_retry(staff, review_world, monkeypatch):
    review_world.deliver(complaint())
    monkeypatch.setattr("mailintake.intake.analysis.triage", _broken)
    for _ in range(3):
        review_world.poll(workers=0)
    monkeypatch.undo()
    page = staff.get("/quarantaine").get_data(as_text=True)
    assert "triage broke" in page
    with review_world.database.unit_of_work() as session:
        record_id = session.scalar(select(MessageRecord.public_id))
    response = staff.post(f"/quarantaine/{record_id}/opnieuw")
    assert response.status_code == 302 and "/zaken/" in response.headers["Location"]
    assert "Niets in quarantaine" in staff.get("/quarantaine").get_data(as_text=True)


def test_skipped_page_and_complaint_after_all(staff, review_world):
    review_world.deliver(complaint(subject="You won", X_Spam_Flag="YES"))
    review_world.poll()
    assert "You won" in staff.get("/overgeslagen").get_data(as_text=True)
    with review_world.database.unit_of_work() as session:
        record_id = session.scalar(select(MessageRecord.public_id))
    response = staff.post(f"/overgeslagen/{record_id}/klacht")
    assert response.status_code == 302 and "/zaken/" in response.headers["Location"]
    with review_world.database.unit_of_work() as session:
        assert session.scalar(select(Case)).status == "draft"
        assert session.scalar(select(OutboxMessage)).kind == "acknowledgement"
    assert staff.post(f"/overgeslagen/{record_id}/klacht", follow_redirects=True).status_code == 200


def test_manual_intake(staff, review_world):
    assert "Kanaal" in staff.get("/nieuw").get_data(as_text=True)
    response = staff.post("/nieuw", {"channel": "letter", "received": "2026-03-02", "name": "Mia Maes",
                                     "postal_address": "Bondgenotenlaan 1, 3000 Leuven", "language": "nl",
                                     "service": "", "subject": "Brief over parkeerkaart",
                                     "text": "Mijn bewonerskaart werd geweigerd zonder uitleg."})
    assert response.status_code == 302
    with review_world.database.unit_of_work() as session:
        case = session.scalar(select(Case))
        assert (case.channel, case.sender_name, case.reply_address) == ("letter", "Mia Maes", "")
        assert session.scalar(select(OutboxMessage)) is None  # no address, no mail
    assert staff.post("/nieuw", {"channel": "letter", "received": "2026-03-02", "language": "nl"}).status_code == 422


def _broken(*args, **kwargs):
    raise RuntimeError("triage broke")


def test_a_second_factor_is_enrolled_and_then_asked_at_every_login(app, staff, review_world):
    import pyotp

    from mailintake.store.models import StaffUser

    page = staff.get("/account/tweestap").get_data(as_text=True)
    assert "QR-code" in page and staff.get("/account/tweestap/qr.svg").data.startswith(b"<?xml")
    with review_world.database.unit_of_work() as session:
        secret = session.scalar(select(StaffUser).where(StaffUser.name == STAFF[0])).totp_pending
    assert staff.post("/account/tweestap", data={"code": "000000"}).status_code == 422
    done = staff.post("/account/tweestap", data={"code": pyotp.TOTP(secret).now()}).get_data(as_text=True)
    codes = re.findall(r"<code>([0-9a-f]{10})</code>", done)
    assert len(codes) == 8

    client = app.test_client()
    first = log_in(client, *STAFF)
    assert first.status_code == 302 and "/login/code" in first.headers["Location"]
    assert client.get("/").status_code == 302  # the password alone opens nothing
    token = csrf_token(client, "/login/code")
    assert client.post("/login/code", data={"csrf_token": token, "code": "123456"}).status_code == 401
    assert client.post("/login/code", data={"csrf_token": token, "code": pyotp.TOTP(secret).now()}).status_code == 302
    assert client.get("/").status_code == 200

    again = app.test_client()
    log_in(again, *STAFF)
    token = csrf_token(again, "/login/code")
    assert again.post("/login/code", data={"csrf_token": token, "code": codes[0]}).status_code == 302  # a recovery code
    once_more = app.test_client()
    log_in(once_more, *STAFF)
    token = csrf_token(once_more, "/login/code")
    assert once_more.post("/login/code", data={"csrf_token": token, "code": codes[0]}).status_code == 401  # used up

    assert review_world.cli_json("users", "reset-second-factor", STAFF[0])["second_factor"] == "off"
    assert log_in(app.test_client(), *STAFF).headers["Location"].endswith("/")


def test_old_throttle_rows_are_forgotten(review_world):
    from datetime import timedelta

    from mailintake.review.accounts import ThrottlePolicy, check_login
    from mailintake.store.models import LoginThrottle, utcnow

    now = utcnow()
    with review_world.database.unit_of_work() as session:
        for n in range(30):
            check_login(session, f"naam{n}", "fout", ThrottlePolicy(), now - timedelta(days=2), client=f"198.51.100.{n}")
        check_login(session, "an", "fout", ThrottlePolicy(), now, client="192.0.2.1")
        keys = sorted(session.scalars(select(LoginThrottle.name)))
    assert keys == ["client:192.0.2.1", "name:an"]


def test_uncertain_flags_are_shown_to_staff_and_filtered_apart(staff, review_world):
    """Weak evidence: "te controleren" for staff, never in the acknowledgement."""
    review_world.deliver(complaint(From="Sam Peeters <sam.peeters@example.be>", subject="Parkeren", body=(
        "AGSL rekende 35 euro parkeergeld aan hoewel ik met de app betaald had. Dit is onterecht.\n\nSam Peeters\n")))
    review_world.poll()
    with review_world.database.unit_of_work() as session:
        case = session.scalar(select(Case))
        public_id, flags, uncertain = case.public_id, case.flags, case.uncertain_flags
    assert flags == [] and uncertain == ["first_line_not_tried"]
    assert "Parkeren" in staff.get("/?flag=te-controleren:first_line_not_tried").get_data(as_text=True)
    assert "Parkeren" not in staff.get("/?flag=first_line_not_tried").get_data(as_text=True)
    assert "te controleren" in staff.get(f"/zaken/{public_id}").get_data(as_text=True)
    Relay(review_world.config, review_world.database).send_due()
    ack = email.message_from_bytes(review_world.smtp.messages[-1].content, policy=email.policy.default)
    assert "nog niet zelf hebt gecontacteerd" not in ack.get_body(("plain",)).get_content()  # no first-line paragraph
