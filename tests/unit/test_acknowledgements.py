"""acknowledgements: the right words in the right language, safe headers, nothing quoted back."""

import dataclasses
import email
import email.policy
from datetime import datetime, timezone

import jinja2.meta
import pytest
from markupsafe import escape

from mailintake.config import from_dict
from mailintake.domain import FLAGS
from mailintake.mail.parsing import parse
from mailintake.outbox.acknowledgements import AckRequest, compose, render, template_context
from mailintake.outbox.answer_policy import is_own_mail
from mailintake.outbox.compose import (
    DEFAULT_SERVICES,
    LOOP_HEADER,
    environment,
    make_message_id,
    message_id_domain,
    templates_dir,
)

LANGUAGES = ("nl", "fr", "en")
REF = "OMB-2026-00042"
SUBJECTS = {
    "nl": f"Ontvangstmelding klacht [{REF}]",
    "fr": f"Accusé de réception de votre plainte [{REF}]",
    "en": f"Acknowledgement of your complaint [{REF}]",
}
# Wording that appears only in the paragraph of each flag.
FLAG_MARKERS = {
    "nl": {
        "anonymous": "Een anonieme klacht kan de ombudsdienst niet behandelen",
        "stale_facts": "meer dan een jaar geleden",
        "judicial_procedure": "Zolang een rechtszaak loopt",
        "general_policy": "kunt u terecht bij de gemeenteraad",
        "first_line_not_tried": "nog niet zelf hebt gecontacteerd",
    },
    "fr": {
        "anonymous": "ne peut pas traiter une plainte anonyme",
        "stale_facts": "remontent à plus d'un an",
        "judicial_procedure": "Tant qu'une affaire est pendante",
        "general_policy": "vous adresser au conseil communal",
        "first_line_not_tried": "vous n'avez pas encore pris contact",
    },
    "en": {
        "anonymous": "cannot handle anonymous complaints",
        "stale_facts": "more than a year ago",
        "judicial_procedure": "As long as a court case is pending",
        "general_policy": "known to the city council",
        "first_line_not_tried": "you have not yet contacted the service concerned",
    },
}
DAYS = {"nl": "{} dagen", "fr": "{} jours", "en": "{} days"}
FLAG_INTRO = {
    "nl": "Bij een eerste lezing",
    "fr": "À la première lecture",
    "en": "On a first reading",
}


@pytest.fixture
def config():
    return from_dict(
        {
            "smtp": {"from_address": "ombudsdienst@leuven.example.be", "from_name": "Ombudsdienst Stad Leuven"},
            "deadlines": {"admissibility_days": 7, "handling_days": 33},
            "office": {
                "name": "Ombudsdienst Teststad",
                "address": "Testplein 9, 3000 Leuven",
                "email": "ombuds@test.example",
                "phone": "000 00 00 00",
                "website": "https://ombuds.test.example/",
            },
        }
    )


def request(**changes) -> AckRequest:
    values = dict(
        ref=REF,
        language="nl",
        received_at=datetime(2026, 3, 3, 13, 5, tzinfo=timezone.utc),
        flags=(),
        service="stad",
        recipient_name="Jan Peeters",
        recipient_address="jan@example.be",
        in_reply_to="<citizen-1@example.be>",
        references=("<older@example.be>",),
        kind="acknowledgement",
        message_id="<ack.0123456789abcdef0123456789abcdef@leuven.example.be>",
    )
    values.update(changes)
    return AckRequest(**values)


def flat(text: str) -> str:
    """Whitespace (line wraps, no-break spaces) folded to single spaces."""
    return " ".join(text.split())


def parts(message) -> tuple[str, str]:
    """(plain text, HTML) of a composed message, read back from its bytes like a mail client would."""
    parsed = email.message_from_bytes(message.as_bytes(), policy=email.policy.default)
    text = parsed.get_body(("plain",)).get_content()
    html = parsed.get_body(("html",)).get_content()
    return text, html


# --- subject, body, contact --------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_subject_carries_the_reference(config, language):
    message = compose(request(language=language), config)
    assert message["Subject"] == SUBJECTS[language]


@pytest.mark.parametrize("language", ["", "de", "NL-be", None])
def test_unknown_language_gets_dutch(config, language):
    assert compose(request(language=language), config)["Subject"] == SUBJECTS["nl"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_body_has_reference_deadlines_and_office_contact(config, language):
    for body in parts(compose(request(language=language), config)):
        body = flat(body)
        assert REF in body
        assert DAYS[language].format(7) in body
        assert DAYS[language].format(33) in body
        for value in ("Ombudsdienst Teststad", "Testplein 9, 3000 Leuven", "ombuds@test.example",
                      "000 00 00 00", "https://ombuds.test.example/"):
            assert value in body


@pytest.mark.parametrize(
    "language, free, independent, confidential, add_info",
    [
        ("nl", "is gratis", "onafhankelijk", "vertrouwelijk", "laat het referentienummer [OMB-2026-00042] in het onderwerp staan"),
        ("fr", "est gratuite", "indépendance", "confidentielle", "en laissant la référence [OMB-2026-00042] dans l'objet"),
        ("en", "free of charge", "independent", "confidentially", "keep the reference [OMB-2026-00042] in the subject line"),
    ],
)
def test_body_says_free_independent_confidential_and_how_to_add(config, language, free, independent, confidential, add_info):
    for body in parts(compose(request(language=language), config)):
        body = flat(body)
        for phrase in (free, independent, confidential, add_info):
            assert phrase in body


def test_office_phone_and_website_are_left_out_when_not_configured():
    config = from_dict({"office": {"phone": "", "website": ""}})
    text, html = parts(compose(request(), config))
    assert "Telefoon" not in text and "Website" not in text
    assert "Telefoon" not in html and "Website" not in html


@pytest.mark.parametrize(
    "language, moment, expected",
    [
        ("nl", datetime(2026, 3, 3, 13, 5, tzinfo=timezone.utc), "3 maart 2026 om 14.05 uur"),
        ("fr", datetime(2026, 3, 3, 13, 5, tzinfo=timezone.utc), "3 mars 2026 à 14h05"),
        ("en", datetime(2026, 3, 3, 13, 5, tzinfo=timezone.utc), "3 March 2026 at 14:05"),
        # 23:30 UTC is already the next day in Brussels, in summer time too.
        ("nl", datetime(2026, 7, 31, 23, 30, tzinfo=timezone.utc), "1 augustus 2026 om 1.30 uur"),
        ("fr", datetime(2026, 7, 31, 23, 30, tzinfo=timezone.utc), "1er août 2026 à 1h30"),
        ("en", datetime(2026, 7, 31, 23, 30, tzinfo=timezone.utc), "1 August 2026 at 1:30"),
    ],
)
def test_received_date_is_written_in_the_language_and_time_zone(config, language, moment, expected):
    for body in parts(compose(request(language=language, received_at=moment), config)):
        assert expected in flat(body)


# --- flag paragraphs ------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("flag", FLAGS)
def test_a_flag_gets_its_paragraph_and_no_other(config, language, flag):
    for body in parts(compose(request(language=language, flags=(flag,)), config)):
        body = flat(body)
        assert FLAG_INTRO[language] in body
        for name, marker in FLAG_MARKERS[language].items():
            assert (marker in body) == (name == flag), f"{name} paragraph with flags ({flag},)"


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_flags_no_flag_paragraphs(config, language):
    for body in parts(compose(request(language=language, flags=()), config)):
        body = flat(body)
        assert FLAG_INTRO[language] not in body
        for marker in FLAG_MARKERS[language].values():
            assert marker not in body


@pytest.mark.parametrize("language", LANGUAGES)
def test_all_flags_all_paragraphs_once(config, language):
    for body in parts(compose(request(language=language, flags=FLAGS), config)):
        body = flat(body)
        for marker in FLAG_MARKERS[language].values():
            assert body.count(marker) == 1


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("service", sorted(DEFAULT_SERVICES))
def test_first_line_paragraph_names_the_service_and_its_contact(config, language, service):
    expected = DEFAULT_SERVICES[service]
    text, html = parts(compose(request(language=language, flags=("first_line_not_tried",), service=service), config))
    for key in ("name", "contact"):
        assert expected[key][language] in flat(text)
        assert str(escape(expected[key][language])) in flat(html)


def test_service_contact_from_config_wins_over_the_defaults():
    config = from_dict({"services": {
        "agsl": {"name": "AGSL parkeerwinkel", "contact": {"nl": "de parkeerwinkel (Testlaan 1)", "en": "the parking shop"}},
        "politie": {"contact": "het wijkkantoor"},
    }})
    nl_text, _ = parts(compose(request(flags=("first_line_not_tried",), service="agsl"), config))
    assert "AGSL parkeerwinkel: de parkeerwinkel (Testlaan 1)" in flat(nl_text)
    # A language missing from the config table falls back to the configured Dutch text.
    fr_text, _ = parts(compose(request(language="fr", flags=("first_line_not_tried",), service="agsl"), config))
    assert "de parkeerwinkel (Testlaan 1)" in flat(fr_text)
    # A plain string serves every language; the name keeps its default.
    en_text, _ = parts(compose(request(language="en", flags=("first_line_not_tried",), service="politie"), config))
    assert "Leuven Police: het wijkkantoor" in flat(en_text)


@pytest.mark.parametrize("service", [None, "other", "unknown"])
def test_first_line_paragraph_without_a_known_service_stays_generic(config, service):
    text, html = parts(compose(request(flags=("first_line_not_tried",), service=service), config))
    assert "Neem daarom eerst contact op met de dienst zelf." in flat(text)
    for defaults in DEFAULT_SERVICES.values():
        assert defaults["contact"]["nl"] not in text
    assert "<li>" not in html.split("Neem daarom")[1].split("Krijgt u")[0]


def test_service_contact_appears_only_with_the_first_line_flag(config):
    text, html = parts(compose(request(flags=("anonymous",), service="stad"), config))
    assert DEFAULT_SERVICES["stad"]["contact"]["nl"] not in text + html


# --- nothing quoted back, escaping, header injection ---------------------------------------


def test_the_complaint_text_and_subject_never_appear(config):
    raw = (
        "From: =?utf-8?q?Jan_Peeters?= <jan@example.be>\r\n"
        "To: ombudsdienst@leuven.example.be\r\n"
        "Subject: Geheim onderwerp ZQXJ parkeerboete Naamsestraat\r\n"
        "Message-ID: <citizen-77@example.be>\r\n"
        "\r\n"
        "Mijn buurman Karel Vermeulen kreeg een boete QWRTZ-4471 en mijn rekeningnummer is BE71 0961 2345 6769.\r\n"
    ).encode()
    parsed = parse(raw)
    ack = request(
        recipient_name=parsed.sender.name,
        recipient_address=parsed.sender.address,
        in_reply_to=parsed.message_id,
        references=parsed.references,
        flags=FLAGS,
    )
    sent = compose(ack, config).as_bytes().decode("ascii")
    text, html = parts(compose(ack, config))
    for secret in ("ZQXJ", "Naamsestraat", "Vermeulen", "QWRTZ", "BE71", "Geheim onderwerp"):
        assert secret not in sent and secret not in text and secret not in html
    # By construction: neither the request nor the template context has a place for them.
    assert {f.name for f in dataclasses.fields(AckRequest)}.isdisjoint({"subject", "text", "body", "complaint"})


def test_templates_use_only_the_documented_names(config):
    env = environment()
    allowed = set(template_context(request(), config, "nl"))
    names = [n for n in env.list_templates() if n.startswith("acknowledgement/") and n.endswith((".txt", ".html"))]
    assert len(names) == 3 * 8  # per language: subject, text, html for two kinds, and the contact block twice
    for name in names:
        source = env.loader.get_source(env, name)[0]
        used = jinja2.meta.find_undeclared_variables(env.parse(source))
        assert used <= allowed, f"{name} uses {sorted(used - allowed)}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_html_part_escapes_a_hostile_name(config, language):
    hostile = '<script>alert("x")</script> & <b>Jan</b>'
    _, html = parts(compose(request(language=language, recipient_name=hostile), config))
    assert "<script>" not in html and "<b>Jan</b>" not in html
    assert "alert" not in html  # markup is no name: the greeting goes without one
    _, html = parts(compose(request(language=language, recipient_name="Seán O'Brien"), config))
    assert "O&#39;Brien" in html  # a real name that reaches the HTML is escaped


def test_html_part_escapes_office_values_from_config():
    config = from_dict({"office": {"name": "Ombuds & <Co>"}})
    _, html = parts(compose(request(), config))
    assert "Ombuds &amp; &lt;Co&gt;" in html
    assert "<Co>" not in html


def test_crlf_in_a_name_cannot_inject_a_header(config):
    ack = request(recipient_name="Jan\r\nBcc: victim@example.org\r\n\r\n<h1>body</h1>")
    raw = compose(ack, config).as_bytes()
    back = email.message_from_bytes(raw, policy=email.policy.default)
    assert back["Bcc"] is None
    assert len(back.get_all("To")) == 1
    assert [a.addr_spec for a in back["To"].addresses] == ["jan@example.be"]
    assert not any(line.lower().startswith(b"bcc:") for line in raw.splitlines())
    assert "\n" not in back["To"].addresses[0].display_name


def test_crlf_in_message_ids_cannot_inject_a_header(config):
    ack = request(in_reply_to="<a@example.be>\r\nBcc: victim@example.org", references=("<b@example.be>\nX-Evil: 1",))
    back = email.message_from_bytes(compose(ack, config).as_bytes(), policy=email.policy.default)
    assert back["Bcc"] is None and back["X-Evil"] is None
    assert back["In-Reply-To"] == "<a@example.be>"
    assert back["References"] == "<b@example.be> <a@example.be>"


@pytest.mark.parametrize("address", ["jan@example.be\r\nBcc: victim@example.org", "", "jan peeters@example.be", "not-an-address"])
def test_a_bad_recipient_address_is_refused_not_sent(config, address):
    with pytest.raises(ValueError):
        compose(request(recipient_address=address), config)


def test_a_name_that_is_an_address_is_not_used_as_a_name(config):
    message = compose(request(recipient_name="evil@example.org"), config)
    assert message["To"].addresses[0].display_name == ""
    assert "evil@example.org" not in parts(message)[0]


def test_non_ascii_names_survive(config):
    back = email.message_from_bytes(compose(request(recipient_name="Zoë Çelik-Vandenbroucke"), config).as_bytes(),
                                    policy=email.policy.default)
    assert back["To"].addresses[0].display_name == "Zoë Çelik-Vandenbroucke"
    assert "Beste Zoë Çelik-Vandenbroucke," in back.get_body(("plain",)).get_content()


# --- headers ----------------------------------------------------------------------------


def test_required_headers(config):
    ack = request()
    message = compose(ack, config, now=datetime(2026, 3, 3, 13, 6, tzinfo=timezone.utc))
    back = email.message_from_bytes(message.as_bytes(), policy=email.policy.default)
    assert str(back["From"]) == "Ombudsdienst Stad Leuven <ombudsdienst@leuven.example.be>"
    assert str(back["To"]) == "Jan Peeters <jan@example.be>"
    assert back["Reply-To"].addresses[0].addr_spec == "ombudsdienst@leuven.example.be"
    assert back["Subject"] == SUBJECTS["nl"]
    assert back["Date"] == "Tue, 03 Mar 2026 14:06:00 +0100"
    assert back["Message-ID"] == ack.message_id
    assert back["In-Reply-To"] == "<citizen-1@example.be>"
    assert back["References"] == "<older@example.be> <citizen-1@example.be>"
    assert back["Auto-Submitted"] == "auto-replied"
    assert back["X-Auto-Response-Suppress"] == "All"
    assert back[LOOP_HEADER] == "leuven.example.be"
    assert back["Content-Language"] == "nl"
    assert back.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in back.iter_parts()] == ["text/plain", "text/html"]
    for name in ("From", "To", "Subject", "Date", "Message-ID", "Auto-Submitted"):
        assert len(back.get_all(name)) == 1


def test_reply_to_comes_from_config_when_set():
    config = from_dict({"smtp": {"from_address": "noreply@leuven.example.be", "reply_to": "ombuds@leuven.example.be"}})
    assert compose(request(), config)["Reply-To"].addresses[0].addr_spec == "ombuds@leuven.example.be"


def test_without_a_citizen_message_id_there_is_no_threading(config):
    message = compose(request(in_reply_to=None, references=()), config)
    assert message["In-Reply-To"] is None and message["References"] is None


def test_references_do_not_repeat_the_citizen_message_id(config):
    # The outbox passes the citizen's thread with their own Message-ID already appended.
    message = compose(request(references=("<older@example.be>", "<citizen-1@example.be>")), config)
    assert message["References"] == "<older@example.be> <citizen-1@example.be>"


def test_plain_text_lines_are_wrapped(config):
    text, _ = parts(compose(request(flags=FLAGS), config))
    for line in text.splitlines():
        assert len(line) <= 76 or " " not in line, line


def test_our_acknowledgement_is_recognised_as_our_own_mail(config):
    ack = request(message_id=make_message_id(message_id_domain(config)))
    parsed = parse(compose(ack, config).as_bytes())
    assert is_own_mail(parsed, (), message_id_domain(config), LOOP_HEADER) is not None
    assert parsed.header("Auto-Submitted") == "auto-replied"


# --- follow-up notice -------------------------------------------------------------------


FOLLOW_UP_SUBJECTS = {
    "nl": f"Aanvulling toegevoegd aan klacht [{REF}]",
    "fr": f"Complément ajouté à votre plainte [{REF}]",
    "en": f"Your message was added to your complaint [{REF}]",
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_follow_up_notice_is_short_and_names_the_case(config, language):
    message = compose(request(language=language, kind="follow_up_notice", flags=("anonymous",)), config)
    assert message["Subject"] == FOLLOW_UP_SUBJECTS[language]
    assert message["Auto-Submitted"] == "auto-replied"
    for body in parts(message):
        body = flat(body)
        assert REF in body
        assert "ombuds@test.example" in body
        assert FLAG_INTRO[language] not in body
        assert DAYS[language].format(33) not in body


# --- the request and Message-IDs ----------------------------------------------------------


@pytest.mark.parametrize("name", [
    "Beste klant, uw terugbetaling van 250 EUR staat klaar op www.example.com",
    "Klik op https://example.com", "Jan 0471 12 34 56", "€ 99", "Een heel lange naam met veel te veel woorden erin",
])
def test_a_display_name_that_is_no_name_is_left_out_of_the_greeting(config, name):
    text, html = parts(compose(request(recipient_name=name), config))
    assert name not in text and name not in html
    assert compose(request(recipient_name=name), config)["To"].addresses[0].display_name == ""


def test_a_comma_in_a_long_name_never_splits_the_folded_to_header(config):
    long_name = "Peeters, Jan-Willem Alexander Maria"
    message = compose(request(recipient_name=long_name, recipient_address="jan@example.be"), config)
    folded = message.as_bytes(policy=email.policy.SMTP.clone(max_line_length=30))
    back = email.message_from_bytes(folded, policy=email.policy.default)
    assert [a.addr_spec for a in back["To"].addresses] == ["jan@example.be"]


def test_make_message_id_is_unique_and_in_our_domain():
    first, second = make_message_id("Leuven.Example.BE"), make_message_id("leuven.example.be")
    assert first != second
    assert first.startswith("<ack.") and first.endswith("@leuven.example.be>")


@pytest.mark.parametrize("domain", ["", "leuven.be\r\nBcc: x@y", "a b.be", "<leuven.be>"])
def test_make_message_id_refuses_a_bad_domain(domain):
    with pytest.raises(ValueError):
        make_message_id(domain)


def test_message_id_domain_prefers_the_configured_one():
    assert message_id_domain(from_dict({"smtp": {"from_address": "ombuds@Leuven.be"}})) == "leuven.be"
    assert message_id_domain(from_dict({"acknowledgement": {"message_id_domain": "ack.leuven.be"}})) == "ack.leuven.be"


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"received_at": datetime(2026, 3, 3, 13, 5)}, "aware"),
        ({"kind": "reminder"}, "unknown acknowledgement kind"),
        ({"flags": ("rude",)}, "unknown flag"),
        ({"message_id": "ack@leuven.be"}, "message_id"),
    ],
)
def test_request_refuses_what_it_cannot_render(changes, message):
    with pytest.raises(ValueError, match=message):
        request(**changes)


def test_request_round_trips_through_json():
    ack = request(flags=("anonymous", "stale_facts"))
    assert AckRequest.from_json(ack.to_json()) == ack


def test_templates_ship_with_the_package_or_the_source_tree():
    folder = templates_dir()
    for language in LANGUAGES:
        for name in ("acknowledgement.subject.txt", "acknowledgement.txt", "acknowledgement.html",
                     "follow_up_notice.subject.txt", "follow_up_notice.txt", "follow_up_notice.html"):
            assert (folder / "acknowledgement" / language / name).is_file()


def test_render_gives_subject_text_and_html(config):
    subject, text, html = render(request(language="en"), config)
    assert subject == SUBJECTS["en"]
    assert text.startswith("Dear Jan Peeters,\n\n")
    assert html.lstrip().startswith("<!DOCTYPE html>") and 'lang="en"' in html
