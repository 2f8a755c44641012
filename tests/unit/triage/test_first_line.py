"""first_line_not_tried: a rejected appeal or objection shows the service was contacted first."""

from __future__ import annotations

from email.message import EmailMessage

import pytest

from mailintake.mail.parsing import parse
from mailintake.triage import triage


def complaint(body: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = "Sam Peeters <sam@example.be>"
    message["To"] = "ombudsdienst@leuven.example.be"
    message["Subject"] = "Klacht / plainte / complaint"
    message["Date"] = "Mon, 16 Nov 2026 10:00:00 +0100"
    message.set_content(body)
    return message


@pytest.mark.parametrize(
    "body",
    [
        "AGSL charged me 35 EUR for parking although I had paid with the app. My appeal was rejected "
        "without looking at the proof.\n\nSam Peeters",
        "AGSL rekende 35 euro parkeergeld aan hoewel ik met de app betaald had. Mijn bezwaar werd "
        "afgewezen zonder naar het bewijs te kijken.\n\nSam Peeters",
        "AGSL m'a facturé 35 euros de stationnement alors que j'avais payé avec l'application. Mon "
        "recours a été rejeté sans examen de la preuve.\n\nSam Peeters",
    ],
    ids=["en", "nl", "fr"],
)
def test_rejected_appeal_means_first_line_was_tried(body):
    verdict = triage(parse(complaint(body).as_bytes()))
    assert verdict.kind == "complaint"
    assert "first_line_not_tried" not in verdict.flag_names


@pytest.mark.parametrize(
    "body",
    [
        "AGSL charged me 35 EUR for parking although I had paid with the app. This is unfair.\n\nSam Peeters",
        "AGSL rekende 35 euro parkeergeld aan hoewel ik met de app betaald had. Dit is onterecht.\n\nSam Peeters",
    ],
    ids=["en", "nl"],
)
def test_silence_about_contact_is_only_uncertain(body):
    """Nothing says the service was contacted, nothing says it was not: staff check, the citizen is not told."""
    verdict = triage(parse(complaint(body).as_bytes()))
    assert "first_line_not_tried" not in verdict.flag_names
    assert "first_line_not_tried" in verdict.uncertain_flag_names
    assert verdict.flag("first_line_not_tried").evidence  # with its evidence, for staff


@pytest.mark.parametrize(
    "body",
    [
        "AGSL charged me 35 EUR for parking although I paid with the app. I have not contacted AGSL, I write to you directly.",
        "AGSL rekende 35 euro aan hoewel ik met de app betaald had. Ik heb AGSL nog niet gecontacteerd.",
        "L'AGSL m'a facturé 35 euros alors que j'avais payé. Je n'ai pas encore contacté l'AGSL.",
    ],
    ids=["en", "nl", "fr"],
)
def test_saying_the_service_was_not_contacted_asserts_the_flag(body):
    verdict = triage(parse(complaint(body + "\n\nSam Peeters").as_bytes()))
    assert "first_line_not_tried" in verdict.flag_names


def test_vocabulary_from_config_extends_routing():
    from mailintake.config import from_dict
    from mailintake.intake.analysis import triage_settings

    body = "De fietsenstalling aan het station is al weken vol. Ik heb gebeld maar kreeg geen antwoord.\n\nJan Peeters"
    parsed = parse(complaint(body).as_bytes())
    plain = triage_settings(from_dict({}))
    extended = triage_settings(
        from_dict({"triage": {"vocabulary": {"services": {"services": {"agsl": {r"\bfietsenstalling\b": 3.0}}}}}})
    )
    assert triage(parsed, plain).service != "agsl"
    assert triage(parsed, extended).service == "agsl"
