"""Rules made general from the blind sets' misses, each tested on wording of our own in nl/fr/en."""

from __future__ import annotations

from datetime import date
from email.message import EmailMessage

import pytest

from mailintake.mail.parsing import parse
from mailintake.triage import triage
from mailintake.triage.dates import find_mentions
from mailintake.triage.text import split_sentences
from mailintake.triage.vocabulary import vocabulary


def verdict_of(body: str, *, sender: str = "Lien Wouters <lien.wouters@example.be>", subject: str = "Klacht",
               sent: str = "Wed, 07 Oct 2026 10:00:00 +0200", headers: dict[str, str] | None = None):
    return triage(parse(message_of(body, sender=sender, subject=subject, sent=sent, headers=headers).as_bytes()))


def message_of(body: str, *, sender: str = "Lien Wouters <lien.wouters@example.be>", subject: str = "Klacht",
               sent: str = "Wed, 07 Oct 2026 10:00:00 +0200", headers: dict[str, str] | None = None) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "ombudsdienst@leuven.example.be"
    message["Subject"] = subject
    message["Date"] = sent
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body)
    return message


# --- dates: seasons counted back, and "the summer of last year" ------------------------------------------

@pytest.mark.parametrize("text, ref, start, end", [
    ("In de zomer van vorig jaar reed de veegwagen onze paal omver.", date(2026, 10, 7), date(2025, 6, 1), date(2025, 8, 31)),
    ("In the summer of last year the bin was not emptied.", date(2026, 10, 7), date(2025, 6, 1), date(2025, 8, 31)),
    ("Vorige zomer reed de veegwagen onze paal omver.", date(2026, 10, 7), date(2026, 6, 1), date(2026, 8, 31)),
    ("Three summers ago the roof of the hall leaked.", date(2026, 10, 7), date(2024, 6, 1), date(2024, 8, 31)),
    ("Twee winters geleden vroor de leiding van de sporthal.", date(2026, 2, 5), date(2023, 12, 1), date(2024, 2, 28)),
    ("Il y a deux hivers, la salle n'était pas chauffée.", date(2026, 2, 5), date(2023, 12, 1), date(2024, 2, 28)),
])
def test_a_season_of_last_year_or_some_seasons_back(text, ref, start, end):
    found = find_mentions(split_sentences(text), ref, vocabulary())
    assert [(m.start, m.end) for m in found] == [(start, end)]


def test_a_season_of_last_year_makes_the_facts_stale_when_more_than_a_year_has_passed():
    verdict = verdict_of("In de zomer van vorig jaar heeft de veegwagen onze brievenbus geraakt. Ik heb de "
                         "groendienst toen gebeld, maar er kwam niemand.\n\nLien Wouters")
    assert "stale_facts" in verdict.flag_names


# --- judicial procedure: inflected forms, and a procedure that has ended ---------------------------------

def test_a_family_summoned_before_a_court_is_in_a_judicial_procedure():
    verdict = verdict_of("Le CPAS nous a assignées puis citées devant le juge de paix pour une facture que nous "
                         "contestons. Nous avons écrit deux fois au service.\n\nLien Wouters", subject="Facture")
    assert "judicial_procedure" in verdict.flag_names


def test_an_ended_dispute_set_apart_by_the_writer_is_no_judicial_procedure():
    verdict = verdict_of("Mon litige avec mon voisin est terminé : le juge de paix a rendu son jugement l'an "
                         "dernier. Ce n'est pas l'objet de ma plainte. Le 2 septembre, le guichet du CPAS a perdu "
                         "mon dossier; j'ai téléphoné trois fois.\n\nLien Wouters", subject="Dossier perdu")
    assert "judicial_procedure" not in verdict.flag_names + verdict.uncertain_flag_names


def test_an_appeal_against_a_plan_is_against_an_act_of_the_city():
    verdict = verdict_of("Tegen het bestemmingsplan voor ons park loopt een beroep bij de Raad van State. De dienst "
                         "ruimtelijke planning weigert ons de adviezen te tonen; ik heb hen twee keer gemaild.\n\n"
                         "Lien Wouters", subject="Inzage geweigerd")
    assert "judicial_procedure" in verdict.flag_names
    assert verdict.service == "stad"


# --- general policy: "the rule itself", a veto of something else, colloquial judgements -------------------

@pytest.mark.parametrize("body", [
    "De rekening klopt volgens de regels. Maar de belasting zelf is veel te hoog en moet worden aangepast.",
    "Le calcul est correct. C'est le règlement lui-même que je trouve injuste, il doit être revu.",
    "The amount follows the rules. It is the rule itself that is unfair, and it should be changed.",
], ids=["nl", "fr", "en"])
def test_contesting_the_rule_itself_is_general_policy(body):
    verdict = verdict_of(body + " Ik heb de dienst gebeld.\n\nLien Wouters", subject="Tarief")
    assert "general_policy" in verdict.flag_names


def test_not_contesting_the_bill_but_the_decision_itself_is_general_policy():
    verdict = verdict_of("Je ne conteste pas mon avis de paiement, il est correct. Je conteste la mesure elle-même, "
                         "décidée sans concertation, et je demande qu'elle soit revue. J'ai écrit au service.\n\n"
                         "Lien Wouters", subject="Mesure")
    assert "general_policy" in verdict.flag_names


def test_not_contesting_the_rule_stays_a_veto():
    verdict = verdict_of("Je ne conteste pas le règlement. Mais l'agent a mal appliqué la règle à ma voiture: "
                         "j'avais un ticket valable. J'ai écrit au service.\n\nLien Wouters", subject="Amende")
    assert "general_policy" not in verdict.flag_names


@pytest.mark.parametrize("body", [
    "Die nieuwe camera's aan de ring zijn pure pestpolitiek om de kas te spijzen. Ik vraag dat de stad dat beleid herziet.",
    "The new parking tariffs are a money grab. I ask the council to reverse that decision.",
], ids=["nl", "en"])
def test_a_colloquial_judgement_of_a_policy_with_a_request_to_reverse_it(body):
    verdict = verdict_of(body + "\n\nLien Wouters", subject="Beleid")
    assert "general_policy" in verdict.flag_names


# --- first line ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("body", [
    "De lantaarnpaal in onze straat is al een maand stuk. Ik wend me rechtstreeks tot u.",
    "Le lampadaire de notre rue est en panne depuis un mois. Je m'adresse directement à vous.",
    "The street light in our street has been broken for a month. I turn directly to you.",
], ids=["nl", "fr", "en"])
def test_turning_straight_to_us_asserts_first_line_not_tried(body):
    verdict = verdict_of(body + "\n\nLien Wouters", subject="Lantaarnpaal")
    assert "first_line_not_tried" in verdict.flag_names


def test_the_request_itself_is_no_contact_when_the_writer_says_they_did_not_raise_the_complaint():
    verdict = verdict_of("In mei heb ik bij het OCMW een huurwaarborg gevraagd. Ze zeiden dat het in orde kwam, "
                         "maar er kwam niets. Ik heb hen daar niet over gebeld; ik dacht dat het sneller zou gaan via u."
                         "\n\nLien Wouters", subject="Huurwaarborg")
    assert "first_line_not_tried" in verdict.flag_names


def test_name_calling_is_no_phone_call():
    verdict = verdict_of("On 3 October a steward at the museum called me a thief in front of my children. I have "
                         "not contacted the museum about it.\n\nLien Wouters", subject="Steward")
    assert "first_line_not_tried" in verdict.flag_names


# --- web forms: name and address in one field ------------------------------------------------------------

def test_a_form_field_holding_name_address_and_phone_gives_name_and_reply_address():
    body = ("Nieuwe melding via het formulier\n\nContact: Jonas De Smet / jonas.desmet@example.be / 0470 00 00 00\n"
            "Onderwerp: Zwembad\n\nBericht:\nHet zwembad was op 3 oktober zonder verwittiging gesloten. Ik heb het "
            "onthaal van de sportdienst gemaild, zonder antwoord.\n")
    verdict = verdict_of(body, sender="Formulieren <no-reply@forms.example>", subject="Formulier: melding")
    assert (verdict.reply_address, verdict.channel) == ("jonas.desmet@example.be", "webform")
    assert "anonymous" not in verdict.flag_names


def test_an_empty_e_mail_field_is_not_filled_from_another_field():
    body = ("Nieuwe melding via het formulier\n\nNaam: Jonas De Smet\nE-mail:\nBetreft: antwoord van info@sport.example\n"
            "\nBericht:\nHet zwembad was op 3 oktober zonder verwittiging gesloten. Ik heb het onthaal gemaild.\n")
    verdict = verdict_of(body, sender="Formulieren <no-reply@forms.example>", subject="Formulier: melding")
    assert (verdict.reply_address, verdict.channel) == ("", "webform")


# --- routing ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("body, service", [
    ("Le loyer de ma résidence-services a augmenté sans préavis. J'ai écrit à la direction.", "zorgbedrijf"),
    ("De netbeheerder heeft bij het plaatsen van de digitale meter onze muur beschadigd. Ik heb gebeld.", "other"),
    ("Onze terrasvergunning werd maar voor de helft toegekend. Ik heb de dienst gemaild.", "stad"),
    ("Mijn kotbaas houdt mijn huurwaarborg al drie maanden vast. Ik heb hem gemaild.", "other"),
    ("The civil affairs booking site has had no free slot for a residence card for weeks. I called twice.", "stad"),
    ("Op de Grote Markt werd mijn zoon door twee agenten tegen de grond gewerkt. Hij heeft het commissariaat gemaild.",
     "politie"),
], ids=["service flat", "grid operator", "terrace permit", "student landlord", "civil affairs", "arrest"])
def test_routing_words_for_bodies_named_by_what_they_do(body, service):
    verdict = verdict_of(body + "\n\nLien Wouters", subject="Klacht")
    assert verdict.service == service


@pytest.mark.parametrize("body, service", [
    ("Ik woon in Bertem en de containerpark-pas werkt niet meer. Ik heb het loket gebeld.", "other"),
    ("J'habite à Kortenberg et la collecte des déchets a été oubliée deux fois. J'ai téléphoné au service.", "other"),
    ("Ik woon in Bertem, maar in Heverlee werd mijn fiets bij de afvalophaling meegenomen. Ik heb gebeld.", "stad"),
], ids=["nl neighbour", "fr neighbour", "Leuven named"])
def test_a_resident_of_a_neighbouring_municipality_writes_about_their_own_municipality(body, service):
    verdict = verdict_of(body + "\n\nLien Wouters", subject="Afval")
    assert verdict.service == service, verdict.service_evidence


# --- from the fifth blind set ----------------------------------------------------------------------------

@pytest.mark.parametrize("text, ref, start", [
    ("Twee jaar terug kreeg ik een verkeerde aanslag.", date(2026, 3, 10), date(2024, 3, 10)),
    ("Drie joar terug è'k een vergunning aangevroagd.", date(2026, 3, 10), date(2023, 3, 10)),
    ("In the spring before last the pool was closed for weeks.", date(2026, 3, 10), date(2024, 3, 1)),
])
def test_colloquial_ago_and_a_season_before_last(text, ref, start):
    found = find_mentions(split_sentences(text), ref, vocabulary())
    assert [m.start for m in found] == [start]


def test_the_date_an_earlier_unrelated_complaint_closed_is_context():
    verdict = verdict_of("Your office once helped me with an earlier complaint, closed in 2022. Since August the "
                         "bin in our street has not been emptied. I have called the waste service twice.\n\nLien Wouters",
                         subject="Bins")
    assert "stale_facts" not in verdict.flag_names + verdict.uncertain_flag_names


def test_asking_to_reconsider_ones_own_file_is_no_general_policy():
    verdict = verdict_of("Ik heb gevraagd om de berekening van mijn huurpremie te herzien. Ik vraag dat men mijn "
                         "dossier herziet en de juiste datum gebruikt. Ik heb twee keer gebeld.\n\nLien Wouters",
                         subject="Huurpremie")
    assert "general_policy" not in verdict.flag_names + verdict.uncertain_flag_names


def test_a_survey_invitation_with_an_opt_out_footer_is_bulk():
    verdict = verdict_of("Dear colleague,\n\nWe invite your office to our yearly survey on public services. It takes "
                         "ten minutes: https://survey.example/s?id=77\n\nThe team\n\nTo stop receiving these invitations, "
                         "opt out here: https://survey.example/optout", sender="Survey Team <news@survey.example>",
                         subject="Your views on public services")
    assert verdict.kind == "bulk"


def test_an_advance_fee_offer_is_spam():
    verdict = verdict_of("Dear Friend,\n\nA client of mine died intestate leaving a deposit of EUR 2,300,000.00. As next "
                         "of kin you could receive it; we share it. Reply with your bank details.\n\nJ. Smith",
                         sender="J. Smith <j.smith@lawyers.example>", subject="Confidential proposal")
    assert verdict.kind == "spam"


def test_name_and_address_in_the_e_mail_field_give_both():
    body = ("Melding via website\n\nNaam / e-mail: Jonas De Smet - jonas.desmet@example.be\nTel.: 0470 00 00 00\n\n"
            "Bericht:\nHet zwembad was op 3 oktober zonder verwittiging gesloten. Ik heb het onthaal gemaild.\n")
    verdict = verdict_of(body, sender="Meldingen <meldingen-noreply@stad.example>", subject="Melding via website")
    assert verdict.reply_address == "jonas.desmet@example.be"
    assert "anonymous" not in verdict.flag_names


@pytest.mark.parametrize("text, start", [
    ("De facturen voor mei en juni 2023 kloppen niet.", date(2023, 5, 1)),
    ("Between 3 May and 9 June 2024 the lift was broken.", date(2024, 5, 3)),
    ("Les factures de mars et avril 2024 sont fausses.", date(2024, 3, 1)),
])
def test_a_year_written_once_for_two_months_is_both_months(text, start):
    found = find_mentions(split_sentences(text), date(2026, 4, 14), vocabulary())
    assert found[0].start == start


def test_a_recent_contact_with_the_service_does_not_cast_doubt_on_old_facts():
    verdict = verdict_of("In maart 2024 werd mijn rijbewijsaanvraag bij burgerzaken verkeerd ingevoerd. Vorige maand "
                         "heb ik de dienst daarover gemaild.\n\nLien Wouters", subject="Rijbewijs")
    assert "stale_facts" in verdict.flag_names


# --- school years, school holidays, periods everyone knows, a dated season's months ----------------------

@pytest.mark.parametrize("text, ref, start, end", [
    ("Vorig schooljaar kreeg ons Mila geen plaats in de naschoolse opvang.", date(2026, 10, 7), date(2025, 9, 1), date(2026, 6, 30)),
    ("Voorvorig schooljaar was de refter van de stedelijke school gesloten.", date(2026, 3, 2), date(2023, 9, 1), date(2024, 6, 30)),
    ("Tijdens het schooljaar 2023-2024 reed de schoolbus te laat.", date(2026, 3, 2), date(2023, 9, 1), date(2024, 6, 30)),
    ("L'année scolaire dernière, la garderie fermait trop tôt.", date(2026, 3, 2), date(2024, 9, 1), date(2025, 6, 30)),
    ("Last school year the crossing guard was missing most mornings.", date(2026, 11, 2), date(2025, 9, 1), date(2026, 6, 30)),
    ("Tijdens de krokusvakantie van 2024 was het zwembad zonder verwittiging dicht.", date(2026, 3, 2), date(2024, 2, 1), date(2024, 3, 31)),
    ("Pendant les grandes vacances de 2024, la plaine de jeux était fermée.", date(2026, 3, 2), date(2024, 7, 1), date(2024, 8, 31)),
])
def test_school_years_and_school_holidays(text, ref, start, end):
    found = find_mentions(split_sentences(text), ref, vocabulary())
    assert [(m.start, m.end) for m in found] == [(start, end)]


@pytest.mark.parametrize("text", [
    "Dit schooljaar is de opvang opnieuw overvol.",  # now, as "dit jaar"
    "Elk schooljaar hetzelfde verhaal met de inschrijvingen.",  # no year in particular
    "Voor corona kon je zonder afspraak aan het loket terecht.",  # how it was before: no date of the facts
])
def test_no_date_of_the_facts_in_a_school_year_without_a_year_or_before_a_known_period(text):
    assert find_mentions(split_sentences(text), date(2026, 3, 2), vocabulary()) == []


@pytest.mark.parametrize("body, sent", [
    ("Vlak na de coronaperiode kreeg ik een boete van de parkeerdienst die ik nooit verdiend had. Ik heb toen "
     "bezwaar ingediend en nooit antwoord gekregen.\n\nLien Wouters", "Wed, 06 Sep 2023 10:00:00 +0200"),
    ("Pendant le confinement, le CPAS a coupé mon aide sans me prévenir. J'ai écrit à mon assistante sociale à "
     "l'époque.\n\nLien Wouters", "Wed, 07 Sep 2022 10:00:00 +0200"),
    ("During the lockdown the city fined me for a bin I had put out on the right day. I wrote to the waste "
     "service back then.\n\nLien Wouters", "Wed, 07 Sep 2022 10:00:00 +0200"),
])
def test_facts_dated_by_a_period_everyone_knows_are_for_staff_to_check_while_it_is_recent(body, sent):
    verdict = verdict_of(body, sent=sent)
    assert "stale_facts" in verdict.uncertain_flag_names
    assert "stale_facts" not in verdict.flag_names  # the period's edges are vague: the citizen is told nothing


@pytest.mark.parametrize("body", [
    "Pendant le confinement, le CPAS a coupé mon aide sans me prévenir. J'ai écrit à mon assistante sociale à "
    "l'époque.\n\nLien Wouters",
    "Bij het begin van de coronacrisis werd ik door twee agenten beboet op een bank in het park. Ik heb daar nooit "
    "over geklaagd.\n\nLien Wouters",
])
def test_facts_dated_by_a_period_that_ended_years_ago_are_stale(body):
    assert "stale_facts" in verdict_of(body).flag_names


@pytest.mark.parametrize("text, yearless, start", [
    ("Pendant l'hiver 2024-2025, le chauffage est resté en panne de la fin décembre jusqu'à la mi-février.",
     "la mi-février", date(2025, 2, 11)),
    ("Pendant l'hiver 2024-2025, le chauffage est resté en panne de la fin décembre jusqu'à la mi-février.",
     "fin décembre", date(2024, 12, 21)),
    ("In mei 2024 stond het water in de kelder en in juni opnieuw.", "in juni", date(2024, 6, 1)),
])
def test_a_yearless_month_in_a_sentence_with_a_dated_period_lies_in_that_period(text, yearless, start):
    found = {m.text: m.start for m in find_mentions(split_sentences(text), date(2026, 3, 23), vocabulary())}
    assert found[yearless] == start


# --- first line: telling the service in other words, and telling nobody ---------------------------------

@pytest.mark.parametrize("body", [
    "De poetsdienst van het zorgbedrijf komt al drie weken niet opdagen. Ik heb hen daar nog niets van laten weten.",
    "Ik heb de verantwoordelijke van het dienstencentrum er zelf nog niet over aangesproken.",
    "La crèche a perdu le doudou de mon fils. Je ne les ai pas encore contactés à ce sujet.",
    "Le gardien du musée m'a crié dessus. Je n'ai pas osé leur en parler.",
    "An officer pushed my son at the station. We told no one, we were too scared.",
    "Twee agenten hebben mij uitgescholden aan de Vaartkom. Ik heb toen aan niemand iets gezegd.",
])
def test_saying_the_service_was_not_told_asserts_first_line_not_tried(body):
    verdict = verdict_of(body + "\n\nLien Wouters")
    assert "first_line_not_tried" in verdict.flag_names


@pytest.mark.parametrize("body", [
    "De poetsdienst van het zorgbedrijf komt al drie weken niet opdagen. Ik heb hen dat vorige week laten weten.",
    "La crèche a perdu le doudou de mon fils. Je les ai contactés deux fois, sans réponse.",
    "The day centre forgot my mother's pills twice. I let them know the same day.",
])
def test_telling_the_service_in_other_words_is_a_contact(body):
    verdict = verdict_of(body + "\n\nLien Wouters")
    assert "first_line_not_tried" not in verdict.flag_names + verdict.uncertain_flag_names


# --- general policy: nothing against the staff, split verbs in the imperative ---------------------------

@pytest.mark.parametrize("body", [
    "Sinds januari kost een bewonerskaart 60 euro. De bediende aan het loket legde uit dat het stadsbestuur die "
    "nieuwe tarieven beslist heeft. Ik heb niets tegen het personeel, maar ik vind die tarieven onrechtvaardig "
    "en vraag dat ze verlaagd worden.",
    "Since March the city charges for every visit to the recycling park. I have nothing against the staff, they "
    "were kind. I find this rule unfair for pensioners and ask that it be reconsidered.",
])
def test_nothing_against_the_staff_leaves_the_rule_contested(body):
    verdict = verdict_of(body + "\n\nLien Wouters", subject="Tarieven")
    assert "general_policy" in verdict.flag_names


def test_reversing_a_decision_with_a_split_verb_counts():
    verdict = verdict_of("De gemeenteraad heeft beslist dat de bib op zaterdag dicht blijft. Draai die beslissing "
                         "terug, alstublieft, want werkende mensen kunnen anders nooit.\n\nLien Wouters",
                         subject="Openingsuren bib")
    assert "general_policy" in verdict.flag_names


def test_nothing_against_the_rule_still_vetoes():
    verdict = verdict_of("Ik heb niets tegen de regel zelf, maar de parkeerwachter schreef mij een boete terwijl "
                         "mijn kaart duidelijk achter de voorruit lag. Ik heb de parkeerwinkel gemaild.\n\nLien Wouters",
                         subject="Parkeerboete")
    assert "general_policy" not in verdict.flag_names + verdict.uncertain_flag_names


@pytest.mark.parametrize("body", [
    "Die knip in onze straat moet gewoon weg, heel de wijk rijdt nu om langs de school.",
    "Sinds het nieuwe circulatieplan er is, staat de knip aan de Vaart ons in de weg. Ik vraag dat die knip "
    "weggehaald wordt.",
])
def test_a_traffic_measure_for_a_whole_area_asked_to_go_is_general_policy(body):
    verdict = verdict_of(body + "\n\nLien Wouters", subject="Knip")
    assert "general_policy" in verdict.flag_names + verdict.uncertain_flag_names


# --- web forms: dot leaders, and an HTML form's label above its answer ----------------------------------

def test_a_form_with_dot_leaders_gives_name_and_address():
    body = ("Nieuwe inzending van het klachtenformulier\n\nVoornaam en naam ....... Bram Claes\n"
            "E-mailadres .............. bram.claes@example.be\nOnderwerp ................ Zwembad\n\n"
            "Toelichting:\nOp 3 oktober was het zwembad zonder verwittiging gesloten. Ik heb het onthaal gemaild.\n")
    verdict = verdict_of(body, sender="Formulieren <formulieren@stad.example>", subject="Klachtenformulier")
    assert verdict.reply_address == "bram.claes@example.be"
    assert verdict.channel == "webform"
    assert "anonymous" not in verdict.flag_names


def html_form(rows: list[tuple[str, str]]) -> bytes:
    message = EmailMessage()
    message["From"] = "Website <no-reply@stad.example>"
    message["To"] = "ombudsdienst@leuven.example.be"
    message["Subject"] = "Formulier ombudsdienst"
    message["Date"] = "Wed, 07 Oct 2026 10:00:00 +0200"
    cells = "".join(f"<p><b>{label}</b><br>{value}</p>" for label, value in rows)
    message.set_content(f"<html><body>{cells}</body></html>", subtype="html")
    return message.as_bytes()


def test_an_html_form_with_each_label_above_its_answer_gives_name_and_address():
    raw = html_form([("Your name", "Ella Moons"), ("Mail address for our reply", "ella.moons@example.com"),
                     ("Which service?", "Library"),
                     ("What happened?", "On 2 October the library fined me twice for the same book. I wrote "
                                        "to the desk the next day.")])
    verdict = triage(parse(raw))
    assert verdict.reply_address == "ella.moons@example.com"
    assert "anonymous" not in verdict.flag_names


def test_a_name_introduced_without_capitals_counts_when_the_address_spells_it():
    verdict = verdict_of("de poetsdienst is al 3 weken nie geweest, ik heb 2x gebeld.\n\nps ik ben tine van aken, "
                         "klantnummer 4471", sender="vanaken.t@example.be")
    assert "anonymous" not in verdict.flag_names


def test_a_lower_case_phrase_after_ik_ben_is_no_name():
    verdict = verdict_of("de poetsdienst is al 3 weken nie geweest, ik heb 2x gebeld. ik ben echt boos nu",
                         sender="poets.klacht@example.be")
    assert "anonymous" in verdict.flag_names


# --- dates: dialect "last year", number words, "depuis <month>", "this winter", grades then and now -----

@pytest.mark.parametrize("text, ref, start", [
    ("Vurig joar in oktober stond de kermis weken voor onze deur.", date(2026, 11, 20), date(2025, 10, 1)),
    ("Il y a quinze mois, le guichet a perdu mon dossier.", date(2026, 11, 20), date(2025, 8, 20)),
    ("Twintig maanden geleden viel de straatlamp uit.", date(2026, 11, 20), date(2025, 3, 21)),
    ("Le chauffage est en panne depuis décembre.", date(2026, 10, 7), date(2025, 12, 1)),
    ("We hebben de facturen van april en van mei 2025 nooit gekregen.", date(2026, 10, 7), date(2025, 4, 1)),
    ("Toen mijn zoon in het tweede leerjaar zat (nu zit hij in het zesde), kreeg hij geen plaats.",
     date(2026, 10, 7), date(2022, 9, 1)),
    ("When my daughter was in first grade (she is now in fourth grade), the crossing guard never came.",
     date(2026, 3, 7), date(2022, 9, 1)),
    ("Quand mon fils était en première année (il est maintenant en troisième), la garderie l'a oublié.",
     date(2026, 10, 7), date(2024, 9, 1)),
])
def test_dates_in_dialect_number_words_and_grades(text, ref, start):
    found = find_mentions(split_sentences(text), ref, vocabulary())
    assert min(m.start for m in found) == start


def test_this_winter_written_in_summer_is_the_coming_one():
    found = find_mentions(split_sentences("Deze winter wil ik niet opnieuw zonder verwarming zitten."),
                          date(2026, 8, 10), vocabulary())
    assert [(m.start, m.end) for m in found] == [(date(2026, 12, 1), date(2027, 2, 28))]


def test_a_long_settled_matter_set_apart_is_context():
    verdict = verdict_of("Sinds 3 september wacht ik op mijn huurwaarborg van het OCMW, ik heb vier keer gebeld. "
                         "Het is niet omdat ik ooit schulden had, dat is al lang afgerond bij de vrederechter in "
                         "2019.\n\nLien Wouters", subject="Huurwaarborg")
    assert "stale_facts" not in verdict.flag_names + verdict.uncertain_flag_names


# --- policy: the rule named only to say it is fine; consultation, prices, decided above -----------------

@pytest.mark.parametrize("body", [
    "Het tarief zelf vind ik redelijk, daar gaat het mij niet om: de automaat gaf geen ticket en toch kreeg ik "
    "een retributie. Ik heb de parkeerwinkel gemaild.",
    "Met de regels zelf van de bib heb ik geen probleem. Maar de bediende rekende mij twee keer dezelfde boete aan; "
    "ik heb dat aan de balie gezegd.",
    "I don't have a problem with the parking rules themselves. The warden fined me while my card was behind the windscreen; I "
    "wrote to the parking shop.",
])
def test_a_rule_named_only_to_say_it_is_fine_is_no_policy_complaint(body):
    verdict = verdict_of(body + "\n\nLien Wouters", subject="Boete")
    assert "general_policy" not in verdict.flag_names


@pytest.mark.parametrize("body", [
    "Het nieuwe parkeerplan is asociaal voor wie geen oprit heeft. Dat plan werd gemaakt zonder enige inspraak "
    "van de bewoners.",
    "Sinds januari kost een zwembeurt 7 euro in plaats van 4 euro. Die beslissing komt van hogerhand, zei de "
    "kassierster. Een zwembad moet voor iedereen betaalbaar blijven.",
    "The new parking plan was adopted without consulting anyone in our street. This plan is antisocial.",
])
def test_contesting_a_decision_made_without_consultation_or_a_price_raise_is_general_policy(body):
    verdict = verdict_of(body + "\n\nLien Wouters", subject="Beleid")
    assert "general_policy" in verdict.flag_names


# --- robots: cold outreach and a lottery's fee; routing of bodies near the city's -----------------------

def test_a_cold_seo_pitch_written_as_a_personal_note_is_spam():
    verdict = verdict_of("Hi,\n\nI noticed your site is not on the first page of Google. We've helped more than "
                         "150 councils double their organic traffic. Would you be open to a quick call on Thursday?\n\n"
                         "If you're not the right person, please forward this to whoever runs your website.\n\nTom",
                         sender="Tom Baker <tom@growthly.example>", subject="Quick idea for your website")
    assert verdict.kind == "spam"


def test_a_lottery_win_with_a_fee_before_the_transfer_is_spam():
    verdict = verdict_of("Gefeliciteerd! Uw e-mailadres werd getrokken bij de internationale loterij: u heeft "
                         "500.000 euro gewonnen. Betaal eerst de administratiekosten van 190 euro voor de overschrijving "
                         "en stuur ons uw bankgegevens en een kopie van uw identiteitskaart.\n\nMevr. Jansen",
                         sender="Loterij <prijs@winnaars.example>", subject="U bent winnaar")
    assert verdict.kind == "spam"


@pytest.mark.parametrize("body, service", [
    ("Een agent van de politiezone Bertem hield mij aan in Leefdaal en was onbeleefd. Ik heb die zone gemaild.",
     "other"),
    ("Sinds het capaciteitstarief is mijn energiefactuur verdubbeld. Ik heb de VREG gemaild, maar ik woon in Leuven "
     "dus ik probeer het ook bij de stad.", "other"),
    ("Het lokaal dienstencentrum annuleerde onze uitstap en betaalde het inschrijvingsgeld nooit terug. Ik vroeg "
     "het twee keer aan het onthaal.", "zorgbedrijf"),
    ("Onze straat werd na de sneeuwval vijf dagen niet geruimd en niet gestrooid, terwijl alles in Herent al "
     "proper was. Ik heb twee keer gebeld.", "stad"),
    ("Le service Logement n'a jamais envoyé au propriétaire le rapport de l'inspecteur. J'ai rappelé deux fois.",
     "stad"),
])
def test_routing_of_bodies_near_the_citys(body, service):
    assert verdict_of(body + "\n\nLien Wouters").service == service


# --- the seventh blind set's lessons ----------------------------------------------------------------------

def test_a_call_that_was_the_incident_with_no_return_and_a_direct_letter_is_for_staff_to_judge():
    verdict = verdict_of("Op 3 oktober heb ik burgerzaken gebeld voor een afspraak en de bediende heeft mij "
                         "uitgescholden. Daarna ben ik niet teruggegaan en heb ik ook niet gemaild, ik schrijf u "
                         "meteen.\n\nLien Wouters", subject="Loket")
    assert "first_line_not_tried" in verdict.uncertain_flag_names


@pytest.mark.parametrize("body, address", [
    ("De bib rekende mij twee keer dezelfde boete aan; ik heb de balie gemaild. Antwoord mij liefst op "
     "lien.prive@example.com, dit adres is van mijn werk.", "lien.prive@example.com"),
    ("Le CPAS ne répond plus depuis un mois, j'ai appelé trois fois. Merci de me répondre à l'adresse "
     "lien.w@example.org.", "lien.w@example.org"),
])
def test_the_address_the_writer_asks_to_be_answered_at(body, address):
    assert verdict_of(body + "\n\nLien Wouters").reply_address == address


@pytest.mark.parametrize("body", [
    "Ik kreeg geen antwoord op mijn mail aan info@agsl.example.be van 3 mei.",
    "They never answered to my letter sent to info@agsl.example.be.",
    "Je n'ai reçu aucune réponse à mon courriel à cpas@leuven.example.be.",
])
def test_an_address_named_near_an_answer_that_never_came_is_not_where_to_reply(body):
    assert verdict_of(body + "\n\nLien Wouters").reply_address == "lien.wouters@example.be"


def test_a_yearless_date_after_a_dated_one_runs_the_story_forward():
    found = find_mentions(split_sentences("Op 12 november 2025 diende ik mijn aanvraag in. Op 9 januari belde ik "
                                          "de dienst."), date(2026, 2, 3), vocabulary())
    assert [m.start for m in found] == [date(2025, 11, 12), date(2026, 1, 9)]


def test_being_summoned_to_appear_before_a_court_is_a_judicial_procedure():
    verdict = verdict_of("Le CPAS nous a fait citer devant le juge de paix pour des factures que nous contestons. "
                         "Nous avons écrit deux fois à la direction.\n\nLien Wouters", subject="Factures")
    assert "judicial_procedure" in verdict.flag_names


@pytest.mark.parametrize("body", [
    "sinds mei is de bib op zaterdag dicht, da heeft de gemeenteraad zo beslist. ik vraag dat ge die beslissing "
    "terug draait, want voor oudere mensen is dat de enige dag dat er iemand mee kan.",
    "depuis le 1er mars la carte de la piscine passe de 30 à 42 euros. je demande que la ville revoie ces tarifs.",
])
def test_a_council_decision_or_a_price_raise_asked_to_be_reversed_is_general_policy(body):
    verdict = verdict_of(body + "\n\nLien Wouters", subject="Beslissing")
    assert "general_policy" in verdict.flag_names


@pytest.mark.parametrize("body, service", [
    ("De gemeenteraad heeft beslist dat onze wijk betalend parkeren wordt; AGSL voert dat enkel uit. Ik vind die "
     "beslissing onrechtvaardig voor bewoners zonder garage.", "stad"),
    ("The Immigration Office (DVZ) lost my documents; the city desk sent them on time. I emailed DVZ twice.",
     "other"),
    ("La plaine de jeux du parc est cassée depuis un mois. Je ne sais pas à quel service de la ville m'adresser.",
     "stad"),
])
def test_routing_by_the_decision_maker_and_by_a_service_of_the_city(body, service):
    assert verdict_of(body + "\n\nLien Wouters").service == service


def test_a_form_with_labels_indented_less_than_their_answers():
    body = ("Er werd een formulier ingediend.\n\n  Naam\n      Bram Claes\n  E-mailadres\n      bram.claes@example.be\n"
            "  Omschrijving\n      Op 3 oktober was het zwembad zonder verwittiging gesloten. Ik heb het onthaal\n"
            "      gemaild, zonder antwoord.\n")
    verdict = verdict_of(body, sender="Stad <noreply@stad.example>", subject="Formulier")
    assert verdict.reply_address == "bram.claes@example.be"
    assert "anonymous" not in verdict.flag_names


def test_a_complaint_form_announced_by_its_heading_from_a_notifications_address():
    body = ("KLACHTFORMULIER\n===============\n\nUw naam\n    Bram Claes\n\nUw e-mailadres\n    bram.claes@example.be\n\n"
            "Wat is er gebeurd?\n    Op 3 oktober was het zwembad zonder verwittiging gesloten. Ik heb het onthaal\n"
            "    gemaild, zonder antwoord.\n")
    verdict = verdict_of(body, sender="Digitaal loket <meldingen@loket.stad.example>", subject="Nieuwe melding")
    assert verdict.reply_address == "bram.claes@example.be"


@pytest.mark.parametrize("body", [
    "De groendienst heeft vorige week onze haag weggehaald. Ik schrijf u meteen, bij de stad luisteren ze toch nie.",
    "'k heb een parkeerboete van AGSL gekregen terwijl de automaat kapot was. 'k heb nog niks naar AGSL gestuurd.",
])
def test_writing_straight_away_or_having_sent_nothing_asserts_first_line_not_tried(body):
    assert "first_line_not_tried" in verdict_of(body + "\n\nLien Wouters").flag_names


def test_an_earlier_contact_about_something_else_is_context():
    verdict = verdict_of("In 2019 had ik al eens contact met de stad over iets anders. Sinds begin september rijdt de "
                         "veegwagen hier om 5 uur; ik heb dat twee keer gemeld.\n\nLien Wouters", subject="Lawaai",
                         sent="Wed, 07 Oct 2026 10:00:00 +0200")
    assert "stale_facts" not in verdict.flag_names + verdict.uncertain_flag_names


def test_a_chain_letter_to_forward_within_a_day_is_spam():
    verdict = verdict_of("Hoi allemaal! Dit is geen grap. Wie deze mail binnen 24 uur doorstuurt naar 10 mensen "
                         "krijgt geluk.\n\nAn", sender="An <an.d@example.be>", subject="FW: FW: lees dit")
    assert verdict.kind == "spam"


def test_a_cold_pitch_about_visitors_lost_on_google_is_spam():
    verdict = verdict_of("Hi,\n\nSome of your pages don't show up on Google, which is costing you visitors. I made "
                         "a short video about it, no strings attached.\n\nSam", sender="Sam <sam@rankly.example>",
                         subject="Your site")
    assert verdict.kind == "spam"


# --- the eighth blind set's lessons -----------------------------------------------------------------------

def test_what_made_the_writer_write_now_casts_no_doubt_on_old_facts():
    verdict = verdict_of("Op 3 maart 2025 heeft een agent mij aan het station uitgescholden. Ik heb dat nooit aan "
                         "de politie gemeld. Vorige week las ik in het stadsmagazine over uw dienst.\n\nLien Wouters",
                         sent="Wed, 07 Oct 2026 10:00:00 +0200")
    assert "stale_facts" in verdict.flag_names


def test_an_age_reached_recently_is_no_date_of_the_facts():
    verdict = verdict_of("In de zomer van 2024 verdween in het woonzorgcentrum de bril van mijn vader. Ik heb de "
                         "directie toen gemaild. Hij is vorige maand 85 geworden en heeft nog altijd geen bril.\n\n"
                         "Lien Wouters", sent="Wed, 07 Oct 2026 10:00:00 +0200")
    assert "stale_facts" in verdict.flag_names


@pytest.mark.parametrize("body", [
    "[Naam] Bram Claes\n[E-mail] bram.claes@example.be\n[Uw bericht]\nOp 3 oktober was het zwembad zonder "
    "verwittiging gesloten. Ik heb het onthaal gemaild.\n",
    "------------------\nnaam     = Bram Claes\nemail    = bram.claes@example.be\ncontact_dienst = ja\n"
    "------------------\nbericht:\nOp 3 oktober was het zwembad zonder verwittiging gesloten.\n",
])
def test_forms_with_bracketed_labels_or_equals_signs(body):
    verdict = verdict_of(body, sender="Formulieren <formulieren@stad.example>", subject="Formulier ombudsdienst")
    assert verdict.reply_address == "bram.claes@example.be"
    assert "anonymous" not in verdict.flag_names
    assert "first_line_not_tried" not in verdict.flag_names


def test_a_form_relay_marked_junk_is_still_a_complaint():
    verdict = verdict_of("[Naam] Bram Claes\n[E-mail] bram.claes@example.be\n[Uw bericht]\nOp 3 oktober was het "
                         "zwembad zonder verwittiging gesloten. Ik heb het onthaal gemaild.\n",
                         sender="Formulieren <formulieren@stad.example>", subject="Formulier ombudsdienst",
                         headers={"Precedence": "junk"})
    assert verdict.kind == "complaint"


def test_an_out_of_office_by_its_words_alone():
    verdict = verdict_of("Bonjour,\n\nJe suis en vacances jusqu'au 12 septembre, avec un accès limité à mes e-mails. "
                         "Pour une urgence, contactez ma collègue.\n\nAnne Dupont", sender="Anne Dupont <anne@example.be>",
                         subject="Absente du bureau")
    assert verdict.kind == "auto_reply"


@pytest.mark.parametrize("body, sender, subject", [
    ("Chers amis,\n\nAprès les tempêtes, des familles ont tout perdu. Faites un don aujourd'hui par virement sur le "
     "compte BE12 3456 7890 1234.\n\nLa Fondation", "Fondation <dons@fondation.example>", "Un geste"),
    ("Geachte klant,\n\nFactuur 77-12 van 890,00 EUR is niet betaald. Om een invorderingsprocedure te vermijden, "
     "vragen wij u binnen 24 uur te betalen via onderstaande link.\n\nDebiteurenbeheer",
     "Facturatie <facturen@boekhoud.example>", "HERINNERING factuur"),
    ("Hoi!\n\nJullie pagina staat niet hoog in de zoekresultaten. Wij helpen gemeenten om bovenaan te komen. Zullen "
     "we eens 10 minuutjes bellen?\n\nSanne", "Sanne <sanne@zichtbaar.example>", "vraagje over jullie site"),
])
def test_appeals_for_money_and_pitches_by_strangers_are_spam(body, sender, subject):
    assert verdict_of(body, sender=sender, subject=subject).kind == "spam"


def test_a_concession_taken_back_in_the_same_sentence_is_no_veto():
    verdict = verdict_of("Sinds september is onze straat een schoolstraat. Ik snap dat het voor de veiligheid is, "
                         "maar het is een slechte beslissing. Ik vind dat het college die maatregel moet "
                         "terugdraaien.\n\nLien Wouters", subject="Schoolstraat")
    assert "general_policy" in verdict.flag_names


FORWARDED_REMINDER = """---------- Doorgestuurd bericht ----------
Van: AGSL <retributies@agsl.example.be>

Geachte klant,

U parkeerde op 3 september zonder geldig ticket. Gelieve de retributie van 35 euro binnen 14 dagen te betalen
via onderstaande beveiligde link: https://betalen.agsl.example.be/r?id=4471
Bij niet-betaling volgt een invorderingsprocedure.

AGSL
"""


def test_a_citizen_forwarding_a_services_payment_reminder_is_a_complaint():
    verdict = verdict_of("Beste ombudsdienst,\n\nHieronder de mail van AGSL. Ik had wel betaald via de app, ik heb "
                         "hen twee keer gemaild.\n\nLien Wouters\n\n" + FORWARDED_REMINDER, subject="Fw: Retributie")
    assert verdict.kind == "complaint"


def test_the_same_reminder_forwarded_without_a_word_to_us_is_still_judged_whole():
    verdict = verdict_of("zie hieronder\n\n" + FORWARDED_REMINDER, sender="Betalingen <pay@agsl-betaling.example>",
                         subject="Fw: Retributie")
    assert verdict.kind == "spam"


# --- the ninth blind set's lessons ------------------------------------------------------------------------

@pytest.mark.parametrize("body, sender, subject", [
    ("Geachte belastingplichtige,\n\nU heeft recht op een terugbetaling van €212,40. Om ze te ontvangen moet u uw "
     "bankgegevens binnen 24 uur bevestigen via de link hieronder.\n\nDienst Terugbetalingen",
     "Terugbetalingen <no-reply@terugbetaling-fin.example.top>", "Uw terugbetaling staat klaar"),
    ("Hallo,\n\nWij zoeken mensen voor eenvoudig werk vanuit huis. Geen ervaring nodig. Verdienste tot €300 per dag. "
     "Stuur 'JOB' via WhatsApp naar +44 7700 900999.\n\nTeam HR", "HR <jobs@thuiswerk.example.com>", "Vacature"),
    ("Hello dear,\n\nI came across your email in a directory. I am single and looking for someone I can trust with "
     "my late father's inheritance of 4 million dollars.\n\nMary", "Mary <mary1990@mail.example.com>", "Hello"),
    ("FAITES SUIVRE À TOUS VOS CONTACTS ! Un virus destructeur efface votre disque dur, Microsoft l'a confirmé "
     "hier.\n\nJosée", "Josée <josee@mail.example.be>", "TR: TR: urgent"),
    ("Hoi,\n\nJullie staan niet op de eerste pagina van Google, zo lopen jullie heel wat bezoekers mis. Wij hielpen "
     "al meer dan 30 gemeenten. Zin in een gesprekje van 15 minuten? Geen interesse? Laat het me weten.\n\nBram",
     "Bram <bram@zichtbaar.example>", "Korte vraag"),
])
def test_refund_phishing_job_and_romance_scams_hoaxes_and_pitches_are_spam(body, sender, subject):
    assert verdict_of(body, sender=sender, subject=subject).kind == "spam"


def test_running_into_the_same_officer_again_casts_no_doubt_on_old_facts():
    verdict = verdict_of("Op 14 november 2024 werd ik aan de kant gezet en uitgescholden door een agent. Ik heb nooit "
                         "geklaagd. Vorige week kwam ik dezelfde agent tegen in de Diestsestraat.\n\nLien Wouters",
                         sent="Mon, 16 Feb 2026 10:00:00 +0100")
    assert "stale_facts" in verdict.flag_names


def test_being_sent_back_and_forth_between_two_services_leaves_the_service_to_staff():
    verdict = verdict_of("in stadskantoor zeggen ze ga naar ocmw, in ocmw zeggen ze ga naar stadskantoor. ik heb 3 "
                         "keer gebeld.\n\nLien Wouters")
    assert verdict.service == "unknown"


def test_refusing_to_call_the_call_centre_first_asserts_first_line_not_tried():
    verdict = verdict_of("mijn container is weer niet geleegd. ik ga niet eerst naar dat callcenter bellen, regel "
                         "het.\n\nLien Wouters")
    assert "first_line_not_tried" in verdict.flag_names


@pytest.mark.parametrize("body", [
    'Payload:\n{\n  "naam": "Bram Claes",\n  "email": "bram.claes@example.be",\n  "omschrijving": "Op 3 oktober was '
    'het zwembad zonder verwittiging gesloten. Ik heb het onthaal gemaild."\n}\n',
    "Array\n(\n    [naam] => Bram Claes\n    [email] => bram.claes@example.be\n    [bericht] => Op 3 oktober was het "
    "zwembad zonder verwittiging gesloten. Ik heb het onthaal gemaild.\n)\n",
])
def test_forms_dumped_as_json_or_print_r(body):
    verdict = verdict_of("Nieuwe inzending formulier\n\n" + body, sender="Webforms <webforms@relay.stad.example>",
                         subject="Formulier ombudsdienst")
    assert verdict.reply_address == "bram.claes@example.be"
    assert "anonymous" not in verdict.flag_names


def test_a_judgement_that_points_back_at_the_decision_counts_for_it():
    verdict = verdict_of("Le conseil communal a décidé le mois dernier de porter l'amende à 350 euros. C'est "
                         "disproportionné et c'est du racket.\n\nLien Wouters", subject="Amende")
    assert "general_policy" in verdict.flag_names


# --- the tenth and eleventh blind sets' lessons -----------------------------------------------------------

@pytest.mark.parametrize("body, sender, subject", [
    ("LAATSTE AANMANING\n\nIndien u niet binnen 48 uur betaalt, gaat uw dossier naar de gerechtsdeurwaarder.\n\n"
     "Betaal nu veilig online:\nhttps://boetes-be.example.xyz/pay?ref=X1", "FOD Justitie <noreply@boetes-be.example.xyz>",
     "Onbetaalde boete"),
    ("Bonjour,\n\nNous n'avons pas pu traiter votre dernier paiement. Votre abonnement sera suspendu dans les 24 heures. "
     "Mettre a jour le paiement: http://stream-billing.example.com/u", "Streaming <service@stream-billing.example.com>",
     "Paiement échoué"),
    ("hi dear\n\ni saw your profile, i am lonely and honest", "Kate <kate1999@example.net>", "hi dear"),
    ("Bonjour,\n\nTravail à domicile, 200 à 600 euros par jour. Aucune experience requise. WhatsApp : +44 7700 900555",
     "RH <rh@example.com>", "Offre d'emploi"),
    ("Cher(e) ami(e),\n\nUn client décédé a laissé un dépôt de 3.200.000 EUR. La procédure est légale et sans risque; "
     "nous partagerons les fonds à 50/50.\n\nMe Dupont", "Me Dupont <cabinet@example.tg>", "Succession"),
    ("Hi,\n\nWe've helped 30+ cities cut response times. Would you be open to a 15-minute call? Here's my calendar: "
     "https://example.io/book/tom\n\nIf you'd rather not hear from me again, just say so.", "Tom <tom@flow.example.io>",
     "Quick question"),
])
def test_more_spam_written_as_plain_mail(body, sender, subject):
    assert verdict_of(body, sender=sender, subject=subject).kind == "spam"


@pytest.mark.parametrize("body", [
    "die nieuwe parkeerregels zijn belachelijk. draai da terug.",
    "de stadsbelastingen zijn veel te hoog. schaf da af.",
    "Je ne conteste pas le calcul de ma taxe. Je conteste le principe même de cette taxe, décidée par le conseil "
    "communal, et je demande qu'elle soit revue.",
])
def test_terse_or_conceding_policy_complaints(body):
    assert "general_policy" in verdict_of(body + "\n\nLien Wouters", subject="Beleid").flag_names


def test_a_group_word_must_name_a_group():
    verdict = verdict_of("Het OCMW weigerde mijn huurwaarborg. Ik vroeg de maatschappelijk werker de beslissing te "
                         "heroverwegen. Ik wil een procedure vermijden, die voor alle partijen geld kost.\n\nLien Wouters")
    assert "general_policy" not in verdict.flag_names


@pytest.mark.parametrize("body", [
    "Ik weet dat ik nog beroep kan aantekenen bij de politierechtbank, maar dat wil ik vermijden. Daarom vraag ik u te "
    "bemiddelen over mijn GAS-boete; ik diende al verweer in.",
    "Mijn cliënte wenst geen enkele procedure op te starten. De termijn om beroep in te stellen bij de arbeidsrechtbank "
    "loopt nog. Zij vroeg het OCMW om een herziening.",
])
def test_a_court_that_could_be_asked_is_no_procedure(body):
    assert "judicial_procedure" not in verdict_of(body + "\n\nLien Wouters").flag_names


def test_a_case_that_comes_before_the_court_is_a_procedure():
    verdict = verdict_of("De overtreding komt op 12 juni voor de politierechtbank. Ik klaag over het optreden van de "
                         "agenten; ik heb de klachtendienst gemaild.\n\nLien Wouters")
    assert "judicial_procedure" in verdict.flag_names


def test_why_the_writer_writes_only_now_dates_no_facts():
    verdict = verdict_of("On 12 February 2025 the care home refused to return my father's deposit; I had written "
                         "twice. I am only writing to you now because settling his estate took most of last year.\n\n"
                         "Lien Wouters", sent="Wed, 25 Feb 2026 10:00:00 +0100")
    assert "stale_facts" in verdict.flag_names


def test_a_form_table_whose_first_row_starts_with_a_bar():
    verdict = verdict_of("| Klachtenformulier  \n---  \n| Naam| Bram Claes  \n---|---  \nE-mail| bram.claes@example.be  \n"
                         "Uw klacht| Op 3 oktober was het zwembad zonder verwittiging gesloten. Ik heb het onthaal gemaild.",
                         sender="Forms <notifications@forms.example>", subject="New submission")
    assert "anonymous" not in verdict.flag_names


def test_a_reporter_field_with_name_address_and_phone():
    verdict = verdict_of("MELDING 2026-05-19-0934\nCategorie : Voetpaden\nLocatie   : Tervuursesteenweg 150, Heverlee\n"
                         "Melder    : Bram Claes | bram.claes@example.be | 0470 00 00 00\nTekst     :\ntegels liggen los "
                         "sinds maart, 2x gemeld via dit meldpunt, telkens afgesloten.\nToestemming contact : JA\n",
                         sender="Meldpunt <noreply@stad.example>", subject="Nieuwe melding")
    assert "anonymous" not in verdict.flag_names


def test_a_forwarded_notice_the_writer_refuses_to_answer_asserts_first_line_not_tried():
    verdict = verdict_of("Ik ga nie met da callcenter bellen. Dus ik stuur het direct naar jullie.\n\nWout\n\n"
                         "---------- Doorgestuurd bericht ---------\nVan: AGSL <noreply@agsl.example.be>\n"
                         "Onderwerp: Retributie\n\nGeachte,\n\nU bent een retributie verschuldigd van 35 euro.\n",
                         subject="Fwd: Retributie")
    assert "first_line_not_tried" in verdict.flag_names


@pytest.mark.parametrize("body, expected", [
    ("Ik heb nog niet met hen over gesproken, ik durf da nie tegen mijn begeleider te zeggen.", "first_line_not_tried"),
    ("I not contact police yet, I write you first.", "first_line_not_tried"),
    ("je n'ai pas encore contacté le CPAS, je préfère vous écrire à vous directement.", "first_line_not_tried"),
])
def test_not_contacted_in_the_writers_own_words(body, expected):
    assert expected in verdict_of(body + "\n\nLien Wouters").flag_names


def test_written_short_two_years_ago():
    found = find_mentions(split_sentences("2j geleden hebben ze mijn haag kapot gesnoeid."), date(2026, 5, 12), vocabulary())
    assert found[0].start.year == 2024


def test_a_short_request_to_be_answered_at_work():
    verdict = verdict_of("uittreksel nooit ontvangen, 2x gemaild. antw aub op mijn werkadres lien@werk.example.com\n\n"
                         "Lien Wouters")
    assert verdict.reply_address == "lien@werk.example.com"


def test_an_out_of_office_that_looks_like_a_reply():
    verdict = verdict_of("Hi,\n\nI'm currently travelling with limited access to email until 14 July.\n\nDaan",
                         sender="Daan <daan@studio.example>", subject="Re: Ontvangstbevestiging klacht OMB-2026-0301")
    assert verdict.kind == "auto_reply"


@pytest.mark.parametrize("body, service", [
    ("Ik deed aangifte bij het politiekantoor van de zone Herent-Kortenberg; ze weigerden een pv. Ik mailde de zone.",
     "other"),
    ("The caretaker of the municipal sports hall shouted at the children. I told the sports service reception.",
     "stad"),
])
def test_routing_of_a_neighbouring_zone_and_the_sports_hall(body, service):
    assert verdict_of(body + "\n\nLien Wouters").service == service


def test_phishing_that_calls_itself_an_automatic_message_is_spam_and_an_away_notice_stays_one():
    phishing = verdict_of("Beste inwoner,\n\nU heeft recht op een energiepremie van €250. Bevestig uw gegevens en "
                          "rekeningnummer via onderstaande beveiligde link, anders vervalt uw recht: "
                          "https://premie.example.top/a?id=1\n\nDit is een automatisch bericht.",
                          sender="Vlaanderen Energiepremie <info@premie.example.top>", subject="Uw premie")
    away = verdict_of("Dit is een automatisch bericht. Ik ben afwezig tot 12 augustus.\n\nAn",
                      sender="An Peeters <an@example.be>", subject="Afwezig")
    assert (phishing.kind, away.kind) == ("spam", "auto_reply")


# --- the twelfth blind set's form layouts -----------------------------------------------------------------

@pytest.mark.parametrize("body, sender", [
    ("form_id=complaint\nname=Bram Claes\nemail=bram.claes@example.be\nmessage=On 3 October the pool was closed "
     "without notice. I e-mailed the desk.\n", "Contact Form <wordpress@stad.example>"),
    ("*Naam:* Bram Claes\n*E-mail:* bram.claes@example.be\n\n*Uw bericht:*\nOp 3 oktober was het zwembad zonder "
     "verwittiging gesloten. Ik heb het onthaal gemaild.\n", "Webformulier <formulieren@stad.example>"),
    ("Meld een klacht - antwoorden\n\n1. Uw naam\n> Bram Claes\n\n2. Uw e-mailadres\n> bram.claes@example.be\n\n"
     "3. Wat is er gebeurd?\n> Op 3 oktober was het zwembad zonder verwittiging gesloten. Ik heb het onthaal gemaild.\n",
     "Formulieren <formulieren@stad.example>"),
])
def test_forms_as_key_value_bold_labels_or_numbered_questions(body, sender):
    verdict = verdict_of(body, sender=sender, subject="Formulier")
    assert verdict.reply_address == "bram.claes@example.be"
    assert "anonymous" not in verdict.flag_names


# --- the twelfth blind set's other lessons ----------------------------------------------------------------

def _with_html_alternative(plain: str, html: str, sender: str) -> bytes:
    message = message_of(plain, sender=sender, subject="Nieuws")
    message.add_alternative(html, subtype="html")
    return message.as_bytes()


def test_a_mailing_whose_footer_is_only_in_its_html_alternative_is_bulk():
    raw = _with_html_alternative(
        "Product update - October\nNew: faster search and a planner.\nWebinar 20 October: https://vendor.example/w\n",
        "<p>New: faster search and a planner.</p><p><small>U ontvangt deze e-mail omdat u een demo aanvroeg. "
        "<a href='https://vendor.example/p'>Voorkeuren beheren</a></small></p>",
        "Vendor <news@vendor.example>")
    assert triage(parse(raw)).kind == "bulk"


def test_a_persons_complaint_with_a_footer_in_its_html_alternative_stays_a_complaint():
    story = ("Ik heb op 2 oktober mijn bewonerskaart aangevraagd en ik kreeg nog altijd niets. Ik heb de parkeerwinkel "
             "twee keer gebeld en mijn mails bleven onbeantwoord. Ik moet nu elke dag een ticket betalen en dat vind "
             "ik niet correct.\n\nLien Wouters\n")
    raw = _with_html_alternative(story, f"<p>{story}</p><p><small>Unsubscribe from our parish newsletter</small></p>",
                                 "Lien Wouters <lien.wouters@example.be>")
    assert triage(parse(raw)).kind == "complaint"


@pytest.mark.parametrize("body", [
    "Een cliënt van mij overleed zonder erfgenaam en droeg dezelfde familienaam als u. Het bedrag kan wettelijk aan u "
    "worden overgemaakt. Stuur mij in vertrouwen uw volledige naam, adres en telefoonnummer.\n\nMr. J. Claessens",
    "Un de mes clients est mort sans héritier. Il portait le même nom que vous. Envoyez-moi votre nom complet, votre "
    "adresse et votre numéro de téléphone.\n\nMe J. Claessens",
])
def test_a_stranger_with_your_surname_and_an_estate_is_spam(body):
    assert verdict_of(body, sender="Notaris <office@estate.example.net>", subject="Vertrouwelijk").kind == "spam"


@pytest.mark.parametrize("body", [
    "Sinds de wegenwerken liggen de stoeptegels voor ons huis los. Niemand kon me zeggen wie ervoor verantwoordelijk "
    "is: de aannemer of de stad. Ik heb het meldpunt van de dienst openbaar domein al gemaild.",
    "Since the roadworks the pavement in our street is broken. Nobody could tell me who is responsible, the contractor "
    "or the city. I e-mailed the public works service twice.",
])
def test_a_doubt_between_a_contractor_and_the_city_leaves_the_city(body):
    assert verdict_of(body + "\n\nLien Wouters").service == "stad"


def test_a_tree_the_city_owns_is_the_citys_even_when_the_police_came_to_see():
    verdict = verdict_of("Een tak van een straatboom, eigendom van de stad, viel op mijn auto. De politie kwam een "
                         "vaststelling doen. Mijn schadeclaim blijft al maanden liggen.\n\nLien Wouters")
    assert verdict.service == "stad"


@pytest.mark.parametrize("body", [
    "Je ne conteste pas une erreur dans ma facture. Je conteste cette hausse elle-même et je demande qu'on revienne "
    "sur ce tarif.",
    "Ik betwist geen fout in mijn factuur. Ik betwist de verhoging zelf van het abonnement.",
    "I do not dispute my invoice, which is correct. I object to the increase itself of the parking rate.",
])
def test_contesting_the_increase_itself_is_general_policy(body):
    assert "general_policy" in verdict_of(body + "\n\nLien Wouters", subject="Abonnement").flag_names


@pytest.mark.parametrize("body", [
    "De medewerker van het dienstencentrum lachte me uit. Ik heb daar zelf niets van gezegd, ik durfde niet.",
    "L'employé du centre s'est moqué de moi. Je n'ai rien dit sur place.",
    "The man at the service centre laughed at me. I didn't say anything at the time.",
])
def test_saying_nothing_where_it_happened_is_no_contact(body):
    assert "first_line_not_tried" in verdict_of(body + "\n\nLien Wouters").flag_names


# --- the thirteenth blind set's lessons ---------------------------------------------------------------------

FORM_TABLE = ("A new form was submitted.\n\n+-----------+--------------------------+\n| Field     | Answer                   |\n"
              "+-----------+--------------------------+\n| Name      | Bram Claes               |\n"
              "| E-mail    | bram.claes@example.be    |\n| Contacted | Yes                      |\n"
              "+-----------+--------------------------+\n\nComplaint:\nOn 3 October the pool was closed without notice "
              "and nobody at the desk could tell me why. I called them twice.\n")


def test_a_form_relay_that_asks_not_to_be_auto_answered_is_still_a_complaint():
    verdict = verdict_of(FORM_TABLE, sender="Contact Platform <noreply@contact.stad.example>", subject="New submission",
                         headers={"X-Auto-Response-Suppress": "All"})
    assert (verdict.kind, verdict.reply_address, verdict.channel) == ("complaint", "bram.claes@example.be", "webform")


def test_a_table_rows_closing_bar_is_no_part_of_the_answer():
    from mailintake.triage.text import Text
    raw = message_of(FORM_TABLE, sender="Contact Platform <noreply@contact.stad.example>", subject="Formulier")
    assert Text(parse(raw.as_bytes()), vocabulary()).webform.get("contacted") == "Yes"


@pytest.mark.parametrize("notice", ["Antwoorden op dit adres worden niet gelezen.", "Replies to this address are not read.",
                                    "Les réponses à cette adresse ne sont pas lues."])
def test_an_anonymous_form_from_a_platform_that_is_not_read_waits_for_an_address(notice):
    body = ('Een nieuwe melding:\n\n{\n  "type": "klacht",\n  "anoniem": true,\n  "naam": "",\n  "email": "",\n'
            '  "omschrijving": "De straat wordt al weken niet geveegd. Ik heb de dienst Netheid gebeld."\n}\n\n' + notice)
    verdict = verdict_of(body, sender="Meldingsplatform <platform@meldingen.stad.example>", subject="Nieuwe melding")
    assert (verdict.kind, verdict.reply_address, verdict.channel) == ("complaint", "", "webform")
    assert "anonymous" in verdict.flag_names


@pytest.mark.parametrize("body, sender", [
    ("Beste burger,\n\nKoppel uw digitale sleutel opnieuw voor 28 februari. Anders verliest u de toegang tot uw "
     "documenten.\n\nhttps://koppel.example/k", "Mijn Burgerprofiel <melding@burgerprofiel-secure.example>"),
    ("Dear user,\n\nA registered document is waiting in your eBox. Deadline to acknowledge: 48 hours. After that the "
     "document will be deemed legally served.\n\nhttps://open-doc.example/d", "eBox Belgium <notify@ebox-docs.example>"),
    ("Cher citoyen,\n\nVotre accès expire. Sans action, vous perdrez l'accès à vos documents. Délai : 24 heures.\n\n"
     "https://acces.example/a", "itsme <support@itsme-verify.example>"),
])
def test_a_public_service_name_on_a_foreign_domain_with_a_threat_is_spam(body, sender):
    assert verdict_of(body, sender=sender, subject="Actie vereist").kind == "spam"


@pytest.mark.parametrize("body", [
    "Hoi,\n\nSorry dat ik je stoor. Ik ben op reis en mijn tas is gestolen, ik zit vast in het hotel. Kun je mij 500 "
    "euro voorschieten? Ik stuur je de rekeninggegevens. Zeg het aan niemand.\n\nEls",
    "Hi,\n\nSorry to bother you. My wallet was stolen and the hotel won't let me leave. Could you lend me 400 euro? "
    "I'll send you the bank details. Please don't tell anyone.\n\nEls",
    "Coucou,\n\nMon sac a été volé et l'hôtel me retient. Pourrais-tu me prêter 450 euros ? N'en parle à personne.\n\nEls",
])
def test_a_friend_stranded_abroad_asking_for_money_is_spam(body):
    assert verdict_of(body, sender="Els <els.v58@mail-example.example>", subject="Dringend").kind == "spam"


def test_a_gift_of_millions_that_needs_a_fee_before_the_transfer_is_spam():
    verdict = verdict_of("Dear Sir,\n\nMy collection, valued last year at 2 million euro, will go to your city's museum. "
                         "A notary fee of EUR 1,500 must be paid by your office before the transfer.\n\nJ. Smith",
                         sender="J. Smith <j.smith@mail.example>", subject="A donation")
    assert verdict.kind == "spam"


@pytest.mark.parametrize("body", [
    "Hi,\n\nOffices like yours cut their handling time with our tool. This quarter: 30% discount. Would you have time "
    "for a short demo? Just pick a slot here: https://vendor.example/demo\n\nIf it isn't relevant, reply \"no thanks\" "
    "and I won't follow up.\n\nHannah",
    "Dag,\n\nDiensten zoals de uwe werken sneller met ons pakket. Dit kwartaal 25% korting. Heeft u tijd voor een korte "
    "demo? Kies een moment: https://vendor.example/demo\n\nIs dit niet relevant, antwoord dan \"nee bedankt\".\n\nHanne",
])
def test_a_sales_pitch_to_the_office_is_bulk(body):
    assert verdict_of(body, sender="Hannah <hannah@vendor.example>", subject="Quick question").kind == "bulk"


@pytest.mark.parametrize("body, service", [
    ("De stadsbibliotheek sloot vorige week twee uur te vroeg. Ik heb het onthaal gemaild.\n\nHoogachtend,\n"
     "Johan Peeters\nHerent", "stad"),
    ("Mon père reçoit les repas à domicile de Zorg Leuven et ils arrivent froids. J'ai téléphoné au service.\n\n"
     "Monique, fille de M. Albert Dupont", "zorgbedrijf"),
    ("Ik kreeg een boete in de lage-emissiezone voor een wagen die er mag rijden. Mijn bezwaar werd afgewezen.", "stad"),
])
def test_routing_of_a_sign_off_town_a_monsieur_the_care_company_and_the_emission_zone(body, service):
    assert verdict_of(body + "\n\nLien Wouters").service == service


def test_a_forms_own_question_about_the_service_is_no_doubt_of_the_writer():
    body = ("Online complaint form\n\nName: Bram Claes\nE-mail: bram.claes@example.be\n\nYour complaint\nMy appointment "
            "at the Civil Affairs desk was cancelled twice. I went to the counter.\n\nWhich service is this about?\n"
            "Civil Affairs\n")
    verdict = verdict_of(body, sender="Forms <noreply@forms.stad.example>", subject="Complaint form")
    assert verdict.service == "stad"


# --- the fourteenth blind set's lessons ---------------------------------------------------------------------

def test_numbered_questions_with_their_answers_on_the_next_line_and_the_first_in_a_table_row():
    body = ("| Klachtenformulier Nieuw antwoord | 1\\. Voor- en achternaam  \n---  \nBram Claes  \n2\\. E-mailadres  \n"
            "bram.claes@example.be  \n3\\. Heeft u de dienst zelf al gecontacteerd?  \nJa  \n4\\. Beschrijf uw klacht  \n"
            "Op 3 oktober was het zwembad zonder verwittiging gesloten. Ik heb het onthaal twee keer gemaild.\n")
    verdict = verdict_of(body, sender="Microsoft Forms <no-reply@forms.example.com>", subject="Nieuw antwoord")
    assert (verdict.reply_address, verdict.channel) == ("bram.claes@example.be", "webform")
    assert "anonymous" not in verdict.flag_names


def test_a_tab_separated_export_is_a_form():
    body = ("Melding geexporteerd\n==========\nID\tA-1\nNaam melder\tBram Claes\nE-mail melder\tbram.claes@example.be\n"
            "Omschrijving\tOp 3 oktober was het zwembad zonder verwittiging gesloten. Ik heb het onthaal gemaild.\n")
    verdict = verdict_of(body, sender="Stad App <noreply@app.stad.example>", subject="Export melding")
    assert (verdict.reply_address, verdict.channel) == ("bram.claes@example.be", "webform")
    assert "anonymous" not in verdict.flag_names


@pytest.mark.parametrize("words", ["vous pouvez me joindre à bram.claes@example.be", "you can reach me at "
                                   "bram.claes@example.be", "u kunt mij bereiken op bram.claes@example.be"])
def test_a_form_without_an_address_field_answers_the_address_the_writer_gives(words):
    body = (f"Nouveau message via le formulaire de contact.\n\nLangue : FR\nSujet : Piscine\nMessage :\nBonjour, je suis "
            f"Bram Claes et {words}. Le 3 octobre la piscine était fermée sans prévenir. J'ai écrit à l'accueil.\n")
    verdict = verdict_of(body, sender="Formulaire <no-reply@cms.example.be>", subject="Formulaire de contact")
    assert (verdict.reply_address, verdict.channel) == ("bram.claes@example.be", "webform")


@pytest.mark.parametrize("body", [
    "Beste klant,\n\nDeze maand 20% korting op briefpapier.\n\nHet team\n\nWenst u geen aanbiedingen meer te ontvangen? "
    "Stuur ons een mail.",
    "Dear colleague,\n\nJoin our free webinar on 22 October: https://academy.example/w\n\nThe team\n\nYou receive this "
    "invitation because you attended one of our events.",
    "COMMUNIQUÉ DE PRESSE\nNamur, le 22 avril 2026\n\nLe médiateur régional publie son rapport annuel : hausse de 18 % "
    "des réclamations.\n\nContact presse : presse@mediateur.example",
    "PRESS RELEASE - for immediate release\n\nThe regional ombudsman publishes its annual report.\n\nPress contact: "
    "press@ombudsman.example",
])
def test_offers_invitations_and_press_releases_are_mass_mail(body):
    assert verdict_of(body, sender="Sender <info@sender.example>", subject="Nieuws").kind == "bulk"


def test_a_form_relays_notification_footer_leaves_the_citizens_complaint():
    body = ("Nom: Bram Claes\nAdresse e-mail: bram.claes@example.be\nVotre plainte: Nous avions réservé une visite "
            "guidée pour 24 élèves au musée, annulée la veille sans explication. Nous avons écrit à la billetterie "
            "deux fois sans réponse.\n\nYou receive this e-mail because you are a recipient of notifications for "
            "this form.\n")
    assert verdict_of(body, sender="Forms <noreply@forms.example>", subject="Formulaire").kind == "complaint"


@pytest.mark.parametrize("body", [
    "Goedemiddag,\n\nOnze factuur van 12 januari is nog niet betaald. U kunt de factuur hier downloaden: "
    "http://facturen.example.top/dl/1\n\nGelieve binnen 48 uur te betalen om een ingebrekestelling te vermijden.\n\nKatrien",
    "Madame, Monsieur,\n\nUne infraction a été constatée. Montant : 58 €. À défaut de paiement dans les 72 heures, le "
    "montant sera majoré à 174 €.\n\n[PAYER EN LIGNE](https://amendes.example.org/payer?ref=1)",
])
def test_a_fake_invoice_or_fine_with_a_link_and_a_penalty_is_spam(body):
    assert verdict_of(body, sender="Debiteuren <facturatie@firma.example.net>", subject="RE: factuur").kind == "spam"


def test_a_procedure_the_next_sentence_calls_finished_is_no_judicial_procedure():
    verdict = verdict_of("Ik heb beroep aangetekend en de Raad voor Vergunningsbetwistingen heeft de vergunning van "
                         "mijn buren vernietigd. Er is "
                         "geen cassatieberoep ingesteld, die procedure is dus definitief afgelopen. Nu antwoordt de "
                         "dienst Omgeving niet op mijn mails van mei en juni.\n\nLien Wouters")
    assert "judicial_procedure" not in verdict.flag_names and "judicial_procedure" not in verdict.uncertain_flag_names


def test_a_finished_investigation_before_a_court_case_is_still_a_judicial_procedure():
    verdict = verdict_of("Ik heb klacht neergelegd bij het parket. Het onderzoek is afgerond en de zaak komt in juni "
                         "voor de correctionele rechtbank.\n\nLien Wouters")
    assert "judicial_procedure" in verdict.flag_names


@pytest.mark.parametrize("body, service", [
    ("Ik denk dat het een GAS-boete is, maar mijn man gooide de brief weg. Ik weet dus niet eens wie die boete "
     "gestuurd heeft. Aan wie moet ik me richten?", "unknown"),
    ("I returned my books to the Tweebronnen library and still got a fine. I went to the desk twice.", "stad"),
])
def test_routing_of_an_unknown_sender_of_a_fine_and_the_city_library(body, service):
    assert verdict_of(body + "\n\nLien Wouters").service == service


def test_the_writers_own_hospital_stay_again_does_not_make_the_facts_background():
    verdict = verdict_of("In september en oktober 2024 kwam de gezinszorg van het Zorgbedrijf heel onregelmatig. Ik heb "
                         "toen het kantoor gebeld. Daarna ben ik in november 2024 opnieuw in het ziekenhuis opgenomen, "
                         "tot de zomer van vorig jaar.\n\nLien Wouters", sent="Wed, 28 Jan 2026 10:00:00 +0100")
    assert "stale_facts" in verdict.flag_names


@pytest.mark.parametrize("body", [
    "Een agent duwde mij tegen een kraam en nam mijn gsm af. Ik heb toen geen klacht ingediend, ik was bang. Ik heb het "
    "meer dan een jaar laten rusten. Vorige maand zag ik dezelfde agent opnieuw en kwam alles terug.",
    "An officer pushed me against a stall and took my phone. I filed no complaint then. I kept quiet for more than a "
    "year. Last month I saw the same officer again and it all came back.",
    "Un agent m'a poussé contre un stand et a pris mon téléphone. Je n'ai pas porté plainte. J'ai attendu plus d'un an. "
    "Le mois dernier, j'ai revu le même agent à nouveau.",
])
def test_waiting_more_than_a_year_before_writing_makes_the_facts_stale(body):
    assert "stale_facts" in verdict_of(body + "\n\nLien Wouters", sent="Tue, 10 Feb 2026 10:00:00 +0100").flag_names


def test_a_service_that_waited_months_dates_nothing():
    found = find_mentions(split_sentences("De dienst heeft zeven maanden gewacht om mijn dossier volledig te verklaren."),
                          date(2026, 2, 4), vocabulary())
    assert found == []


# --- the fifteenth blind set's lessons ----------------------------------------------------------------------

FORWARDED_FORM = ("Dag collega's,\n\nDeze inzending kwam bij ons binnen, maar is voor jullie bedoeld.\n\nGroetjes,\nEls\n\n"
                  "-----Oorspronkelijk bericht-----\nVan: e-loket <noreply-eloket@{domain}>\nVerzonden: maandag 29 juni "
                  "2026 16:55\nAan: onthaal@{domain}\nOnderwerp: inzending Contact\n\nFormulier: Contact\nNaam: Bram Claes\n"
                  "E-mail: bram.claes@example.be\nOmschrijving:\nMijn aanvraag bij het OCMW werd zonder uitleg geweigerd. "
                  "Ik heb mijn maatschappelijk assistente gebeld.\n")


def test_a_form_a_colleague_forwards_is_answered_at_the_citizens_address():
    verdict = verdict_of(FORWARDED_FORM.format(domain="leuven.example.be"), sender="Els <els@leuven.example.be>",
                         subject="FW: inzending Contact")
    assert (verdict.reply_address, verdict.channel) == ("bram.claes@example.be", "webform")
    assert "anonymous" not in verdict.flag_names


def test_a_notification_someone_outside_forwards_is_no_form():
    verdict = verdict_of(FORWARDED_FORM.format(domain="elders.example"), sender="Els <els@elders.example>",
                         subject="FW: inzending Contact")
    assert (verdict.reply_address, verdict.channel) == ("els@elders.example", "email")


def test_a_chatbot_transcript_is_answered_at_the_users_address():
    body = ("Dit gesprek werd door de gebruiker doorgestuurd.\n\nKanaal: webchat\nGesprek-ID: CB-1\nGebruiker: Bram Claes "
            "<bram.claes@example.be> (ingegeven bij start)\n\n[10:02] Bot: Waarmee kan ik helpen?\n[10:03] Gebruiker: "
            "het zwembad was op 3 oktober dicht zonder verwittiging, ik heb het onthaal gemaild\n")
    verdict = verdict_of(body, sender="Stadsbot <chatbot@stad.example>", subject="Transcript gesprek")
    assert (verdict.reply_address, verdict.channel) == ("bram.claes@example.be", "webform")
    assert "anonymous" not in verdict.flag_names


def test_thinking_that_one_may_know_why_does_not_point_back_at_a_decision():
    verdict = verdict_of("Mijn aanvraag werd geweigerd. Mijn assistente zei dat het een beslissing van het comité is en "
                         "dat ze er niets aan kan doen. Ik vind dat ik toch mag weten waarom.\n\nLien Wouters")
    assert "general_policy" not in verdict.flag_names


def test_a_judgment_already_given_is_neither_policy_nor_a_pending_procedure():
    verdict = verdict_of("Ik ben in beroep gegaan bij de politierechtbank. Op 12 maart heeft de rechter de GAS-boete "
                         "vernietigd. Het vonnis is definitief. Toch kreeg ik op 4 mei een aanmaning van de stad. Ik "
                         "vind dit absurd: ik moet achter een deurwaarder aan voor iets waarover de rechter al beslist "
                         "heeft.\n\nLien Wouters", sent="Wed, 27 May 2026 10:00:00 +0200")
    assert not {"general_policy", "judicial_procedure"} & set(verdict.flag_names + verdict.uncertain_flag_names)


def test_a_trading_platform_that_multiplies_a_small_deposit_is_spam():
    verdict = verdict_of("Beste lezer,\n\nDuizenden Belgen verdienen nu tot €3.000 per week met een automatisch "
                         "handelsplatform. U stort eenmalig €250. Er zijn nog maar 12 plaatsen vrij: "
                         "http://platform.example.ru\n\nDe redactie", sender="Nieuws <redactie@nieuws.example.ru>",
                         subject="Financiële vrijheid")
    assert verdict.kind == "spam"


@pytest.mark.parametrize("body, service", [
    ("Ik heb vier keer gebeld over mijn dossier en telkens valt de lijn weg. Van het kastje naar de muur.", "unknown"),
    ("Elke vrijdag staat er een politiecombi op het fietspad. Wij moeten tussen de bussen door fietsen.", "politie"),
    ("Mijn zoon kreeg geen plaats in de stedelijke basisschool, een ander kind later wel. Ik vroeg het secretariaat "
     "waarom.", "stad"),
])
def test_routing_of_a_dropped_phone_line_a_police_van_and_a_city_school(body, service):
    assert verdict_of(body + "\n\nLien Wouters").service == service


@pytest.mark.parametrize("when, stale", [("Bijna een jaar geleden", False), ("Meer dan een jaar geleden", True),
                                         ("Il y a presque un an,", False), ("Almost two years ago", True)])
def test_almost_a_year_ago_is_within_the_year(when, stale):
    verdict = verdict_of(f"{when} werd mijn fiets door de stad weggehaald. Ik heb de dienst gemaild.\n\nLien Wouters")
    assert ("stale_facts" in verdict.flag_names + verdict.uncertain_flag_names) == stale


# --- the sixteenth blind set's lessons ----------------------------------------------------------------------

def test_machine_form_fields_in_snake_case_join_first_and_last_name():
    body = ("form_name: ombudsman_en\nfirst_name: Bram\nlast_name: Claes\nemail: bram.claes@example.be\nmessage: On 3 "
            "October the pool was closed without notice. I e-mailed the desk twice.\n")
    verdict = verdict_of(body, sender="City forms <webforms@stad.example>", subject="Form")
    assert "anonymous" not in verdict.flag_names


@pytest.mark.parametrize("body, sender", [
    ("Namens het buurtcomité klagen wij over de speeltuin, al maanden dicht. We mailden de dienst twee keer.\n\n"
     "Met vriendelijke groeten,\n\nHilde Verbist, voorzitter\nKarel Smolders, secretaris\nBuurtcomité Wilsele-Dorp\n\n"
     "----- Doorgestuurd bericht -----\nVan: buurtcomite@example.org\nAan: groen@stad.example\nOnderwerp: speeltuin\n\n"
     "Geachte, wanneer gaat de speeltuin weer open?\n",
     "Buurtcomite Wilsele-Dorp <buurtcomite@example.org>"),
    ("1. Uw naam\nJozef Claessens (ingevuld door zoon Bram)\n\n2. Uw e-mailadres\nbram.c@example.com\n\n3. Wat is er "
     "gebeurd?\nDe maaltijden kwamen in juli koud aan. Ik heb het dienstencentrum twee keer gebeld.\n",
     "Website <website@zorg.example>"),
])
def test_a_name_signed_with_a_role_or_given_with_a_remark_is_a_name(body, sender):
    assert "anonymous" not in verdict_of(body, sender=sender, subject="Klacht").flag_names


@pytest.mark.parametrize("body", [
    "Cher bénéficiaire,\n\nUn héritage de 4.750.000 EUR laissé par un client portant le même nom que vous attend. "
    "Envoyez vos nom complet et numéro de téléphone.\n\nMe Kouassi",
    "Bonjour,\n\nVotre site n'apparaît pas en première page de Google. Résultats garantis ou remboursés, audit complet "
    "gratuit. Répondez simplement « OUI ».\n\nL'équipe",
])
def test_an_estate_for_a_namesake_and_a_search_ranking_pitch_are_spam(body):
    assert verdict_of(body, sender="Office <office@example.top>", subject="Confidentiel").kind == "spam"


def test_a_council_decision_nobody_was_consulted_on_asked_to_be_withdrawn_is_policy():
    verdict = verdict_of("De gemeenteraad heeft op 26 januari beslist dat de terrassen om 23 uur dicht moeten. Niemand "
                         "van de horeca is geconsulteerd. Ik vraag de stad dit besluit in te trekken.\n\nLien Wouters")
    assert "general_policy" in verdict.flag_names


def test_tidying_last_years_papers_is_why_the_writer_writes_now():
    verdict = verdict_of("Op 25 januari 2025 werd mijn auto weggetakeld. Ik schreef de politiezone begin februari 2025. "
                         "Nu ik mijn papieren van vorig jaar opruim, wil ik toch mijn geld terug.\n\nLien Wouters",
                         sent="Tue, 10 Feb 2026 10:00:00 +0100")
    assert "stale_facts" in verdict.flag_names


def test_not_knowing_whether_it_was_the_city_or_something_else_leaves_the_service_open():
    verdict = verdict_of("Een dame belde me over mijn premie en was onbeleefd. Ik weet eigenlijk niet of ze van de stad "
                         "was of van iets anders.\n\nLien Wouters")
    assert verdict.service == "unknown"


# --- the seventeenth and eighteenth blind sets' lessons ------------------------------------------------------

@pytest.mark.parametrize("body", [
    "In maart 2025 werd onze container drie keer niet geleegd. Ik heb toen gebeld. Vorige week heb ik opnieuw gebeld "
    "en ze zeggen dat het te lang geleden is.\n\nLien Wouters",
    "In March 2025 our bin was skipped three times. I phoned them then. Last week I called them again and they say "
    "it is too long ago.\n\nLien Wouters",
    "En mars 2025, notre conteneur n'a pas été vidé trois fois. J'ai téléphoné. La semaine passée j'ai téléphoné à "
    "nouveau et on me dit que c'est trop ancien.\n\nLien Wouters",
])
def test_writing_to_the_service_again_is_not_the_problem_happening_again(body):
    verdict = verdict_of(body, sent="Wed, 15 Apr 2026 10:00:00 +0200")
    assert "stale_facts" in verdict.flag_names


@pytest.mark.parametrize("still", [
    "Het is nog altijd elke nacht hetzelfde lawaai.", "It still starts every night at ten.",
    "Le bruit recommence toujours chaque soir.",
])
def test_old_facts_said_to_go_on_every_night_are_left_for_staff(still):
    verdict = verdict_of(f"In januari 2025 is de nieuwe koelinstallatie van de stadshal geplaatst en sindsdien bromt ze. "
                         f"{still}\n\nLien Wouters", sent="Wed, 15 Apr 2026 10:00:00 +0200")
    assert "stale_facts" not in verdict.flag_names
    assert "stale_facts" in {f.name for f in verdict.uncertain_flags}


def test_a_decision_of_the_museums_board_contested_is_policy():
    verdict = verdict_of("Sinds januari betalen studenten 8 euro in het museum. Ik las dat het een beslissing is van het "
                         "bestuur van het museum. Ik vind dit geen goede regel, cultuur moet voor iedereen zijn.\n\n"
                         "Lien Wouters")
    assert "general_policy" in verdict.flag_names


@pytest.mark.parametrize("body", [
    "I got a fine for my bike at the station. I am not complaining about the rule itself, I know it. But the fine was "
    "sent to the wrong address and I never got a chance to react.\n\nLien Wouters",
    "Ik kreeg een boete voor mijn fiets. Ik klaag niet over de regel zelf, die ken ik. Maar de boete ging naar een oud adres "
    "en ik kon niet reageren.\n\nLien Wouters",
    "J'ai reçu une amende pour mon vélo. Je ne me plains pas de la règle elle-même. Mais l'amende a été envoyée à une "
    "ancienne adresse.\n\nLien Wouters",
    "Mijn aanvraag voor een bewonersparkeervergunning werd geweigerd, terwijl volgens het reglement zelf een "
    "bedrijfswagen wel mag met een attest. Dat attest zat erbij.\n\nLien Wouters",
    "My request was refused although according to the regulation itself a company car is allowed with a certificate.\n\n"
    "Lien Wouters",
])
def test_a_rule_the_writer_does_not_contest_or_cites_for_their_case_is_no_policy(body):
    verdict = verdict_of(body)
    assert "general_policy" not in verdict.flag_names + verdict.uncertain_flag_names


@pytest.mark.parametrize("body", [
    "Mijn aanvraag werd op 3 maart geweigerd. Ik heb op de weigeringsmail gereageerd met het attest erbij, maar kreeg "
    "dezelfde standaardmail terug.\n\nLien Wouters",
    "My request was refused on 3 March. I replied to their letter with the certificate, but got the same standard "
    "answer.\n\nLien Wouters",
    "Ma demande a été refusée le 3 mars. J'ai répondu à leur courrier avec l'attestation, sans résultat.\n\nLien Wouters",
])
def test_answering_the_services_own_mail_is_contact_with_it(body):
    verdict = verdict_of(body)
    assert "first_line_not_tried" not in verdict.flag_names + verdict.uncertain_flag_names


@pytest.mark.parametrize("body", [
    "Gisteren riep een medewerker van de bibliotheek tegen mijn dochter. I am writing to you because I don't know who "
    "to ask at the library.\n\nLien Wouters",
    "Gisteren riep een medewerker van de bibliotheek tegen mijn dochter. Ik schrijf u omdat ik niet weet bij wie ik "
    "terecht kan in de bibliotheek.\n\nLien Wouters",
])
def test_writing_to_us_for_not_knowing_whom_to_ask_is_first_line_not_tried(body):
    assert "first_line_not_tried" in verdict_of(body).flag_names


@pytest.mark.parametrize("body", [
    "Een parkeerwachter schreeuwde tegen mijn moeder in de Bondgenotenlaan omdat we even stilstonden.\n\nLien Wouters",
    "Mijn bewonersparkeervergunning werd niet verlengd, hoewel ik alles had opgeladen.\n\nLien Wouters",
    "Een controleur van Parkeren Leuven was onbeleefd tegen mij.\n\nLien Wouters",
])
def test_parking_wardens_residents_permits_and_agsls_brand_are_agsl(body):
    assert verdict_of(body).service == "agsl"


@pytest.mark.parametrize("body, service", [
    ("Mijn leefloon werd te laat gestort door het OCMW. Ik weet niet wie daarvoor verantwoordelijk is bij het OCMW.\n\n"
     "Lien Wouters", "ocmw"),
    ("A guard in the museum M Leuven shouted at my son. I don't know who is responsible in the museum.\n\nLien Wouters",
     "m-leuven"),
])
def test_not_knowing_who_within_the_one_named_service_leaves_that_service(body, service):
    assert verdict_of(body).service == service


@pytest.mark.parametrize("body, headers, kind", [
    ("Beste,\n\nOntdek onze nieuwe planningsmodule. Al meer dan 60 gemeenten gingen u voor. Schrijf u nu in voor de "
     "demo: https://vendor.example.com/demo?utm_source=mail\n\nHet team", {}, "bulk"),
    ("Dear colleague,\n\nOur platform, trusted by 300 cities, now sorts your mail. Register now for a free webinar.\n\n"
     "The team", {}, "bulk"),
    ("Hallo,\n\nOnze lentecatalogus staat online.\n\nU ontvangt deze e-mail als klant van Drukkerij Voorbeeld. Geen "
     "interesse meer? Laat het ons weten.", {}, "bulk"),
    ("Dear colleague,\n\nPlease take part in our short questionnaire: https://survey.example.org/s/1\n\nYou received "
     "this invitation because your office is listed in a directory.", {"Auto-Submitted": "auto-generated"}, "bulk"),
    ("Hello,\n\nInvoice 2026-114 (EUR 980.00) is overdue. Please settle the invoice today: "
     "https://pay.example.net/i/2026-114\n\nIf you have already paid, please ignore this message.\n\nBilling",
     {}, "spam"),
])
def test_vendor_pitches_mailings_surveys_and_dunning_mails_are_robots(body, headers, kind):
    verdict = verdict_of(body, sender="Team <info@vendor.example.com>", subject="Nieuws", headers=headers)
    assert verdict.kind == kind


def test_a_councillor_passing_on_a_citizen_in_cc_asks_us_to_answer_the_citizen():
    body = ("Beste ombudsdienst,\n\nMevrouw Peeters vroeg mij als gemeenteraadslid om hulp. Haar verhaal staat hieronder. "
            "Ze staat in cc, gelieve rechtstreeks met haar contact op te nemen.\n\nJan Maes\ngemeenteraadslid\n\n"
            "De stoep voor haar deur ligt al maanden los en ze is gevallen.")
    verdict = verdict_of(body, sender="Jan Maes <jan.maes@example.be>",
                         headers={"Cc": "An Peeters <an.peeters@example.org>"})
    assert verdict.reply_address == "an.peeters@example.org"
    plain = verdict_of(body.replace("Ze staat in cc, gelieve rechtstreeks met haar contact op te nemen.", ""),
                       sender="Jan Maes <jan.maes@example.be>", headers={"Cc": "An Peeters <an.peeters@example.org>"})
    assert plain.reply_address == "jan.maes@example.be"  # a Cc alone is no request to answer someone else


@pytest.mark.parametrize("text, start, end", [
    ("Ook afgelopen weekend stond de container weer vol.", date(2026, 8, 15), date(2026, 8, 16)),
    ("Last weekend the lights in the tunnel were out again.", date(2026, 8, 15), date(2026, 8, 16)),
    ("Le week-end dernier, personne n'est venu.", date(2026, 8, 15), date(2026, 8, 16)),
    ("Le mois dernier, la facture est arrivée en double.", date(2026, 7, 1), date(2026, 7, 31)),
    ("L'an dernier déjà, le trottoir était cassé.", date(2025, 1, 1), date(2025, 12, 31)),
])
def test_last_weekend_and_the_masculine_french_last_month_and_year_are_dates(text, start, end):
    mentions = find_mentions(split_sentences(text), date(2026, 8, 17), vocabulary())  # a Monday
    assert [(m.start, m.end) for m in mentions] == [(start, end)]


@pytest.mark.parametrize("sentence", [
    "Cette année je paie 720 euros, contre 450 euros l'an dernier.",
    "Dit jaar betaal ik meer dan vorig jaar voor hetzelfde abonnement.",
    "Rien n'a été fait, alors qu'on nous avait promis l'an dernier une solution.",
])
def test_a_price_compared_with_last_year_or_a_promise_made_then_dates_no_facts(sentence):
    from mailintake.triage.dates import assess
    from mailintake.triage.text import Text

    message = parse(message_of(f"Sinds deze week is het opnieuw mis. {sentence}\n\nLien Wouters",
                               sent="Mon, 17 Aug 2026 10:00:00 +0200").as_bytes())
    finding = assess(Text(message, vocabulary()), date(2026, 8, 17), 365)
    last_year = [m for m in finding.mentions if m.start.year == 2025]
    assert last_year and all(m.role == "context" for m in last_year)


# --- the nineteenth and twentieth blind sets' lessons --------------------------------------------------------

@pytest.mark.parametrize("body, kind", [
    ("Chers membres et partenaires,\n\nNotre association vous invite à sa soirée-débat du jeudi 16 avril à 19h30. "
     "Inscription souhaitée via https://asso.example.org/agenda\n\nN'hésitez pas à diffuser cette invitation dans "
     "vos réseaux !", "bulk"),
    ("Madame, Monsieur,\n\nCet hiver encore, des familles ont eu froid. Faites un don aujourd'hui : "
     "https://don.example.org. Tout don de 40 EUR ou plus est fiscalement déductible.\n\nLa présidente", "bulk"),
    ("Dag team,\n\nIk ben Sofie van PlanIt. Graag toon ik u in 15 minuten hoe onze tool werkt. Past dinsdag om 10u "
     "of woensdag om 14u?\n\nSofie\nAccount Executive\n\nGeen interesse? Antwoord gewoon \"stop\".", "bulk"),
    ("Hello,\n\nYour mailbox office@leuven.be will be deactivated today. Please validate your account here: "
     "https://mail-check.example.net/login\n\nIf you have already validated, please ignore this message.\n\n"
     "Peter, IT desk", "spam"),
])
def test_membership_mailings_charity_appeals_demo_pitches_and_mailbox_phishing_are_robots(body, kind):
    assert verdict_of(body, sender="Info <info@sender.example.com>", subject="Nieuws").kind == kind


def test_someone_else_saying_it_was_reported_is_no_contact_of_the_writer():
    verdict = verdict_of("Ik ben gisteren gevallen op het kapotte voetpad in onze straat. De buurman zei dat dat voetpad al "
                         "lang gemeld is. Ik zelf heb nog niet naar de stad gebeld, ik wist eerlijk gezegd niet bij wie "
                         "ik moest zijn.\n\nLien Wouters")
    assert "first_line_not_tried" in verdict.flag_names


@pytest.mark.parametrize("sentence", [
    "Het hoorapparaat, dat wij vier jaar geleden gekocht hebben, is verdwenen.",
    "The hearing aid, which we bought four years ago, has disappeared.",
])
def test_when_a_lost_object_was_bought_dates_no_facts(sentence):
    verdict = verdict_of(f"Tussen Kerstmis en Nieuwjaar is in het rusthuis iets verdwenen. {sentence} Niemand zoekt "
                         f"ernaar.\n\nLien Wouters", sent="Wed, 14 Jan 2026 10:00:00 +0100")
    assert "stale_facts" not in verdict.flag_names + verdict.uncertain_flag_names


@pytest.mark.parametrize("sentence", [
    "On nous a répondu que le délai pour introduire un recours devant le tribunal de police était dépassé.",
    "They answered that the deadline to appeal to the police court had passed.",
    "Ze antwoordden dat de termijn om beroep aan te tekenen bij de politierechtbank verstreken was.",
])
def test_a_court_term_run_out_unused_is_no_procedure(sentence):
    verdict = verdict_of(f"Ik kreeg een GAS-boete voor zakken die niet van mij waren. {sentence} Ik wil mijn geld "
                         f"terug.\n\nLien Wouters")
    assert "judicial_procedure" not in verdict.flag_names


def test_a_court_term_almost_run_out_when_the_writer_appealed_is_a_procedure():
    verdict = verdict_of("Omdat de termijn bijna verstreken was, heb ik op 30 maart beroep aangetekend bij de "
                         "politierechtbank tegen de GAS-boete.\n\nLien Wouters")
    assert "judicial_procedure" in verdict.flag_names


def test_a_form_answered_other_and_a_body_we_do_not_cover_is_other():
    body = ("Naam: Lien Wouters\nE-mail: lien@example.be\nDienst: Andere / weet ik niet\nOmschrijving: Het dak van onze "
            "sociale woning lekt. De huisvestingsmaatschappij komt niet.\n")
    verdict = verdict_of(body, sender="Formulier <noreply@formulieren.example.be>")
    assert verdict.service == "other"


@pytest.mark.parametrize("body, service", [
    ("de vuilbakken op het plein zaten heel het weekend overvol.\n\nLien Wouters", "stad"),
    ("De lift in het station is kapot. Ik heb een klacht ingediend bij de NMBS. Antwoord: de herstelling is gepland. "
     "Wanneer? Niemand weet het.\n\nLien Wouters", "other"),
])
def test_litter_bins_the_polices_reporting_point_and_nobody_knowing_when(body, service):
    assert verdict_of(body).service == service


def test_the_polices_own_reporting_point_is_the_polices():
    verdict = verdict_of("elke ochtend bestelwagens op het fietspad. al 5x gemeld via het meldpunt op de site van de "
                         "politie. nooit iemand gezien.\n\nLien Wouters", subject="auto's op fietspad, politie doet niks")
    assert verdict.service == "politie"


def test_not_knowing_where_to_send_it_is_said_not_contacted():
    verdict = verdict_of("The officer at the desk refused to help me in English. Honestly I wouldn't know where to send "
                         "a complaint about it.\n\nLien Wouters")
    assert "first_line_not_tried" in verdict.flag_names


# --- the twenty-first and twenty-second blind sets' lessons --------------------------------------------------

def test_form_fields_separated_by_a_guillemet_are_read():
    body = ("Contactformulier\n\nUw naam » An Peeters\nUw e-mailadres » an.peeters@example.be\nOnderwerp » paspoort\n"
            "Uw bericht »\nMijn afspraak werd twee keer geannuleerd.\n")
    verdict = verdict_of(body, sender="Stad - Contactformulier <noreply@formulieren.example.be>")
    assert verdict.reply_address == "an.peeters@example.be" and "anonymous" not in verdict.flag_names


@pytest.mark.parametrize("body", [
    "Niet verwijderen!!\n\nEen kindje is ziek. Stuur dit door naar minstens tien mensen binnen 24 uur. Wie de ketting "
    "breekt heeft zeven jaar ongeluk.",
    "AVIS DE PAIEMENT\n\nSans paiement de 35 € avant le 22/03, le montant sera majoré à 120 €.\nPayer maintenant : "
    "https://pay.example.net/p?d=1\n\nDernier rappel",
    "Legal has shared a file with you.\n\nYou will be asked to sign in with your Microsoft 365 account to view it. This "
    "link expires in 12 hours.\n\nhttps://docs.example.top/view",
])
def test_chain_letters_unpaid_fine_scams_and_shared_file_phishing_are_spam(body):
    verdict = verdict_of(body, sender="Legal via SharePoint <no-reply@docs.example.top>", subject="Belangrijk")
    assert verdict.kind == "spam"


@pytest.mark.parametrize("sentence", [
    "Le dossier est aujourd'hui devant le juge de paix, mon avocat s'en occupe.",
    "De zaak ligt nu bij de vrederechter.",
    "The case is now before the justice of the peace.",
])
def test_a_case_said_to_be_before_a_court_is_a_procedure(sentence):
    verdict = verdict_of(f"Het woonzorgcentrum rekende een maand te veel aan na het overlijden van mijn moeder. "
                         f"{sentence}\n\nLien Wouters")
    assert "judicial_procedure" in verdict.flag_names


def test_the_year_just_before_a_yearless_date_is_its_year_and_meeting_the_officer_again_doubts_nothing():
    verdict = verdict_of("Het was de laatste vrijdag van de feesten van 2024, eind juli. Een agent duwde mij tegen een "
                         "gevel. Ik heb toen klacht ingediend bij de politie. Vorige week zag ik dezelfde agent weer en "
                         "alles kwam terug.\n\nLien Wouters", sent="Mon, 02 Mar 2026 10:00:00 +0100")
    assert "stale_facts" in verdict.flag_names


def test_what_had_been_done_before_a_dated_letter_is_dated_before_it():
    from mailintake.triage.dates import find_mentions

    text = "Par la facture du 15 janvier 2025, on a compté tout janvier, alors que nous avions vidé la chambre le 30 décembre."
    mentions = find_mentions(split_sentences(text), date(2026, 2, 18), vocabulary())
    assert [m.start for m in mentions if m.start.month == 12] == [date(2024, 12, 30)]


@pytest.mark.parametrize("body", [
    "Ik parkeerde op de parking van het Ring Shopping. Op 12 maart kreeg ik een brief van ParkCity BV met een "
    "contractuele vergoeding van 60 euro.\n\nLien Wouters",
    "Mijn cliënte kreeg een parkeerfactuur van de exploitant van de parking van winkelcentrum De Ruiterij. De "
    "voorwaarden verwijzen naar een overeenkomst tussen de bestuurder en de exploitant.\n\nLien Wouters",
])
def test_a_shopping_centres_car_park_run_by_a_private_operator_is_no_service_of_ours(body):
    assert verdict_of(body).service in ("other", "unknown")


@pytest.mark.parametrize("sentence", [
    "De afwezigheidsregeling zelf betwist ik niet, maar ze wordt hier verkeerd toegepast.",
    "Mijn cliënte betwist het belastingreglement zelf niet; zij vraagt enkel dat het correct wordt toegepast.",
    "We do not dispute the regulation; we ask that it be applied correctly.",
])
def test_the_rule_itself_said_not_to_be_contested_is_no_policy(sentence):
    verdict = verdict_of(f"Het bezwaar werd te laat verklaard. {sentence}\n\nLien Wouters")
    assert "general_policy" not in verdict.flag_names + verdict.uncertain_flag_names


def test_ik_betwist_niet_dat_before_contesting_the_rule_itself_leaves_policy():
    verdict = verdict_of("Ik betwist niet dat het aanslagbiljet correct werd opgemaakt; ik betwist het reglement zelf. "
                         "De gemeenteraad heeft het tarief opnieuw verhoogd.\n\nLien Wouters")
    assert "general_policy" in verdict.flag_names


def test_a_tariff_applied_correctly_that_is_not_the_point_leaves_the_tariff_contested():
    verdict = verdict_of("Sinds 1 april is het seniorentarief van het museum afgeschaft. Bij ons bezoek hebben we het "
                         "nieuwe tarief betaald; dat werd correct aangerekend, daar gaat het ons niet om. Wij vragen dat "
                         "de stad deze beslissing herziet.\n\nLien Wouters")
    assert "general_policy" in verdict.flag_names


@pytest.mark.parametrize("body", [
    "Quelle idée lumineuse que ce nouveau « filtre » dans notre rue ! À quoi servaient les réunions de participation si "
    "tout était déjà décidé ?\n\nLien Wouters",
    "Nieuwe tarieven sporthallen: proficiat aan het stadsbestuur, een schitterende beslissing. Waarom kregen de clubs "
    "geen inspraak?\n\nLien Wouters",
])
def test_sarcasm_about_a_measure_is_policy(body):
    assert "general_policy" in verdict_of(body).flag_names


@pytest.mark.parametrize("body", [
    "Voor zover ik weet heeft de familie de politie zelf nog niet aangesproken: de dochter wist niet bij wie ze daarvoor "
    "terecht kon.\n\nDr. Lien Wouters",
    "I didn't complain at the desk, and I couldn't find a complaints address for the museum, so I am writing to you "
    "instead.\n\nLien Wouters",
])
def test_not_having_spoken_to_the_service_and_not_finding_where_is_first_line_not_tried(body):
    assert "first_line_not_tried" in verdict_of(body).flag_names


@pytest.mark.parametrize("body", [
    "De waarborg voor mijn chalet op de kerstmarkt is nog altijd niet terugbetaald.\n\nLien Wouters",
    "Depuis le nouveau « filtre » de circulation je fais un détour de quatre kilomètres.\n\nLien Wouters",
])
def test_the_christmas_market_and_a_traffic_filter_are_the_citys(body):
    assert verdict_of(body).service == "stad"


# --- the twenty-third and twenty-fourth blind sets' lessons --------------------------------------------------

def test_a_form_that_asks_its_questions_with_the_answer_on_the_same_line_is_read():
    body = ("Er is een nieuw formulier ingevuld: \"Klacht indienen\".\n\nWat is uw naam? An Peeters\n"
            "Wat is uw e-mailadres? an.peeters@example.be\nHeeft u al contact opgenomen met de dienst? Ja, telefonisch.\n"
            "Wat is uw klacht?\nMijn tweede bewonerskaart kost nu 200 euro.\n")
    verdict = verdict_of(body, sender="WebForms <noreply@relay.example.net>")
    assert verdict.reply_address == "an.peeters@example.be" and "anonymous" not in verdict.flag_names


def test_a_message_above_its_forms_contact_fields_is_the_citizens_words():
    body = ("Reactie #12 * Contact\n\nGoedemorgen,\n\nOnze rondleiding in M Leuven werd de avond ervoor geschrapt en de "
            "bus was al betaald. Ik heb de reservatiedienst gebeld, maar ze vergoeden niets. Ik vind dat het museum de "
            "buskosten moet terugbetalen.\n\nContactgegevens\n\nNaam: An Peeters\nOrganisatie: Basisschool De Regenboog\n"
            "E-mailadres: an.peeters@example.be\n")
    verdict = verdict_of(body, sender="Formulate <noreply@formulate.example.net>")
    assert verdict.service == "m-leuven" and verdict.reply_address == "an.peeters@example.be"


@pytest.mark.parametrize("body", [
    "Mijn leefloon werd stopgezet. Ze zeggen dat ze niets kunnen doen tot de rechter beslist.\n\nLien Wouters",
    "In mei moet mijn zoon voor de rechter komen voor die avond.\n\nLien Wouters",
    "The judge will decide in May whether he did anything wrong.\n\nLien Wouters",
])
def test_a_judge_ahead_in_everyday_words_is_a_procedure(body):
    assert "judicial_procedure" in verdict_of(body).flag_names


@pytest.mark.parametrize("body", [
    "We have a hearing next Tuesday: the social committee of the OCMW invited us to explain our situation.\n\nLien Wouters",
    "J'ai payé l'amende et je n'ai aucune intention d'aller devant un juge pour 53 euros.\n\nLien Wouters",
])
def test_an_administrative_hearing_or_no_intention_of_going_to_court_is_no_procedure(body):
    assert "judicial_procedure" not in verdict_of(body).flag_names


@pytest.mark.parametrize("body", [
    "Sinds de nieuwe tarieven betalen we in de stadsparking evenveel als toeristen. Waarom moeten gepensioneerde "
    "Leuvenaars evenveel betalen als toeristen? Aan het loket zeiden ze dat de tarieven voor iedereen gelijk zijn.\n\n"
    "Lien Wouters",
    "Pourquoi les habitants doivent-ils payer le plein tarif au musée ? Je me plains de la règle, pas de la caissière.\n\n"
    "Lien Wouters",
    "I'm not writing about something that went wrong for me personally. The free evening has been scrapped and I "
    "think this is a bad decision.\n\nLien Wouters",
])
def test_a_rule_questioned_for_a_whole_group_or_said_to_be_the_point_is_policy(body):
    assert "general_policy" in verdict_of(body).flag_names


def test_a_decision_about_the_writer_made_on_wrong_facts_is_no_policy():
    verdict = verdict_of("Het comité heeft beslist en de maatschappelijk werker zei dat ze er niets aan kan doen. Er is "
                         "beslist op basis van verkeerde of oude gegevens over mijn inkomen.\n\nLien Wouters")
    assert "general_policy" not in verdict.flag_names


@pytest.mark.parametrize("body, sender", [
    ("Please help me. A lawyer put the documents in a secure file for you. To protect my privacy the file asks you to "
     "confirm with your office e-mail address and password.\n\nMrs. Grace", "Grace <grace@example.net>"),
    ("Ben je vandaag op kantoor? Ik heb dringend een kleine gunst van je nodig, het is vertrouwelijk.\n\nBert",
     "Kabinet Burgemeester <kabinet.burgemeester@example-mail.com>"),
    ("You have received a document to review and sign. This link expires in 24 hours. If you do not sign, the payment "
     "will be cancelled.", "E-Sign <no-reply@esign.example.biz>"),
    ("Je suis une veuve malade et je souhaite faire don de 2.500.000 € à une personne honnête. Envoyez-moi une copie de "
     "votre pièce d'identité.\n\nMme Hélène", "Hélène <h@example.org>"),
])
def test_credential_pleas_ceo_fraud_signature_bait_and_gifts_to_an_honest_person_are_spam(body, sender):
    assert verdict_of(body, sender=sender, subject="Bericht").kind == "spam"


def test_a_reference_typed_loosely_is_the_reference():
    verdict = verdict_of("Hoe ver staat het met mijn klacht? Uw nummer was omb 2026/00098.\n\nLien Wouters",
                         subject="Vraag")
    assert verdict.case_ref == "OMB-2026-00098" and verdict.kind == "follow_up"


@pytest.mark.parametrize("body", [
    "I didn't ask for a refund or make a complaint at the museum itself. You are the first people I'm contacting.\n\n"
    "Lien Wouters",
])
def test_being_the_first_the_writer_contacts_is_first_line_not_tried(body):
    assert "first_line_not_tried" in verdict_of(body).flag_names


# --- lessons of the twenty-fifth blind set -----------------------------------------------------------------

@pytest.mark.parametrize("body", [
    "Je ne conteste pas que ma voiture était garée sur le trottoir, d'accord. Mais ce règlement qui fait payer 90 € "
    "pour trois minutes est injuste et le conseil communal doit le revoir.\n\nLien Wouters",
    "Ik snap dat er regels nodig zijn. Maar die nieuwe regel dat fietsen na drie dagen weggehaald worden is "
    "belachelijk, de gemeenteraad moet die terugdraaien.\n\nLien Wouters",
])
def test_a_concession_taken_back_in_the_next_sentence_is_no_veto_on_policy(body):
    assert "general_policy" in verdict_of(body).flag_names


def test_a_concession_followed_by_a_complaint_about_a_person_stays_a_veto():
    verdict = verdict_of("Je ne conteste pas l'amende. Mais l'agent a été très impoli avec moi au guichet.\n\n"
                         "Lien Wouters")
    assert "general_policy" not in verdict.flag_names


def test_a_pitch_to_the_webmaster_with_a_guarantee_and_a_monthly_price_is_spam():
    verdict = verdict_of("Beste webmaster,\n\nUw website komt nauwelijks voor in Google. Met ons pakket staat u "
                         "binnen een maand bovenaan, gegarandeerd of u betaalt niets. Nu slechts 99 euro per maand, "
                         "met een gratis analyse ter waarde van 300 euro.\n\nAntwoord eenvoudig met JA.\n\nTom",
                         sender="Tom <tom@webgroei.example.com>", subject="Uw website")
    assert verdict.kind == "spam"


def test_a_form_table_whose_label_cells_end_in_a_colon_gives_the_name():
    message = message_of("", sender="Formulaire <ne-pas-repondre@forms.example.fr>", subject="Nouveau message")
    message.set_content(
        "<html><body><table>"
        "<tr><td>Nom et prénom :</td><td>Amélie Dubois</td></tr>"
        "<tr><td>Courriel :</td><td>amelie.dubois@example.fr</td></tr>"
        "<tr><td>Message :</td><td>Depuis trois semaines le trottoir devant chez moi n'est pas réparé, alors que j'ai "
        "signalé le trou au service des travaux de la ville.</td></tr>"
        "</table></body></html>", subtype="html")
    verdict = triage(parse(message.as_bytes()))
    assert verdict.reply_address == "amelie.dubois@example.fr"
    assert "anonymous" not in verdict.flag_names


# --- lessons of the twenty-sixth blind set -----------------------------------------------------------------

def test_a_month_after_one_of_last_year_runs_the_story_forward():
    mentions = find_mentions(split_sentences("Vorig jaar in juli viel de slagboom op mijn auto. In oktober kreeg "
                                             "ik een brief dat niemand aansprakelijk is."), date(2026, 11, 20), vocabulary())
    assert [(m.text, m.start) for m in mentions] == [("Vorig jaar in juli", date(2025, 7, 1)),
                                                     ("In oktober", date(2025, 10, 1))]


@pytest.mark.parametrize("body", [
    "Op 3 oktober 2024 reed een vuilniswagen van de stad mijn brievenbus omver. Ik heb gebeld en gemaild naar de "
    "dienst Openbaar Domein. Pas nu heb ik hem laten vervangen (factuur van 4 januari 2026).\n\nLien Wouters",
    "Op 3 oktober 2024 reed een vuilniswagen van de stad mijn brievenbus omver. Ik heb gebeld en gemaild naar de "
    "dienst Openbaar Domein. Mijn verzekeraar zei me begin 2025 dat ik het kon laten rusten, en mijn man was toen al "
    "ziek (hij is overleden in april 2025).\n\nLien Wouters",
])
def test_the_writers_own_repair_or_a_death_in_the_family_does_not_make_old_facts_recent(body):
    verdict = verdict_of(body, sent="Tue, 10 Feb 2026 10:00:00 +0100")
    assert "stale_facts" in verdict.flag_names


def test_an_appeal_against_a_benefit_claimed_back_is_a_procedure_about_the_service():
    verdict = verdict_of("Het OCMW eist 2.100 euro leefloon terug. Mijn advocaat heeft beroep ingesteld bij de "
                         "arbeidsrechtbank tegen de terugvordering; de zitting is in december.\n\nLien Wouters")
    assert "judicial_procedure" in verdict.flag_names


def test_a_doctor_called_is_no_contact_with_the_service():
    verdict = verdict_of("Mijn vader viel in het woonzorgcentrum en de dokter werd pas de volgende dag gebeld. "
                         "Ik ben nog niet bij de directie geweest, ik schrijf eerst naar u.\n\nLien Wouters")
    assert "first_line_not_tried" in verdict.flag_names


def test_the_mobility_service_and_parking_ban_signs_in_french_are_the_citys():
    verdict = verdict_of("J'avais payé des panneaux d'interdiction de stationnement pour mon déménagement, mais ils "
                         "n'ont jamais été placés. Le service Mobilité ne m'a pas rappelée.\n\nLien Wouters")
    assert verdict.service == "stad"


def test_a_name_given_after_a_colon_in_a_postscript_is_a_name():
    verdict = verdict_of("Wij vinden die beslissing onrechtvaardig.\n\nMet de meeste hoogachting,\n\nPS: sorry, onze "
                         "naam vergeten: Marcel en Rita Wouters, Kessel-Lo.", sender="wouters.kessello@example.be")
    assert "anonymous" not in verdict.flag_names


# --- lessons of the twenty-seventh blind set ---------------------------------------------------------------

@pytest.mark.parametrize("body", [
    "De lift naar perron 5 in het station van Leuven is al een maand kapot en ik kan met mijn rolstoel de trein niet "
    "meer op. Waarom doet de stad daar niets aan?\n\nLien Wouters",
    "Sinds de werken aan de autosnelweg E314 horen we elke nacht de vrachtwagens. Ik heb al naar het stadhuis "
    "gebeld, de stad moet geluidsmuren zetten.\n\nLien Wouters",
    "Ik stond tien minuten te lang op het parkeerterrein achter de bioscoop. Dat blijkt privéterrein te zijn en een "
    "firma ParkSafe BV stuurt me nu een factuur van 60 euro. Is dat het parkeerbeleid van de stad?\n\nLien Wouters",
    "J'ai appelé la ville pour ma prime ; on m'a répondu que cette prime n'est pas gérée par la ville mais par la "
    "Région flamande.\n\nLien Wouters",
])
def test_railways_motorways_private_land_and_what_is_not_the_citys_are_other(body):
    assert verdict_of(body).service == "other"


@pytest.mark.parametrize("body", [
    "Bij het buitenrijden ging de slagboom niet open en ik moest het verloren-tickettarief van 25 euro betalen.\n\n"
    "Lien Wouters",
    "Het autonoom gemeentebedrijf liet de bouwwerf op ons plein maanden stilliggen.\n\nLien Wouters",
    "Het stadsontwikkelingsbedrijf verkoopt bouwkavels in Wilsele en niemand legt uit waarom wij op de wachtlijst "
    "staan.\n\nLien Wouters",
])
def test_agsl_named_by_what_it_is_and_does(body):
    assert verdict_of(body).service == "agsl"


def test_a_budget_coach_at_the_social_house_is_the_ocmw():
    verdict = verdict_of("My budget coach at the social house did not pay my rent in July, although it is paid from "
                         "my budget account.\n\nLien Wouters")
    assert verdict.service == "ocmw"


def test_a_forms_dont_know_answer_yields_to_a_text_that_names_one_service_clearly():
    body = ("Naam: Lien Wouters\nE-mail: lien.wouters@example.be\nDienst: weet ik niet / andere\nBericht: In de sporthal "
            "van de stad zijn de douches al weken koud en de sporthal sluit vroeger dan aangekondigd. Ik heb de "
            "sportdienst twee keer gebeld.\n")
    verdict = verdict_of(body, sender="Formulier <no-reply@forms.example.be>", subject="Nieuw bericht via het formulier")
    assert verdict.service == "stad"


def test_a_guaranteed_return_in_stablecoins_is_spam():
    verdict = verdict_of("Dear finance director,\n\nOur stablecoin vault pays a guaranteed 12% a year to public bodies, "
                         "with a bonus on your first deposit. Book a short call this week.\n\nJohn",
                         sender="John <john@yield.example.com>", subject="Treasury")
    assert verdict.kind == "spam"


def test_the_writers_insurer_refusing_lately_does_not_make_old_facts_recent():
    verdict = verdict_of("Op 2 maart 2025 weigerde de agent aan de balie mijn aangifte van diefstal. Ik heb de politie "
                         "toen gemaild. Vorige maand weigerde mijn verzekering te betalen zonder PV.\n\nLien Wouters",
                         sent="Tue, 04 Aug 2026 10:00:00 +0200")
    assert "stale_facts" in verdict.flag_names


def test_refusing_to_go_to_the_service_is_first_line_not_tried():
    verdict = verdict_of("De lantaarns in ons park zijn al weken stuk. Naar het stadskantoor zelf ga ik niet, daar "
                         "luisteren ze toch niet.\n\nLien Wouters")
    assert "first_line_not_tried" in verdict.flag_names


def test_our_spelling_of_a_reference_wins_over_one_typed_short():
    verdict = verdict_of("Het dossier mag afgesloten worden.\n\nLien Wouters\n\n> Wij hebben uw klacht ontvangen onder "
                         "het nummer OMB-2026-00412.", subject="dossier OMB-2026-412")
    assert verdict.case_ref == "OMB-2026-00412"


# --- lessons of the twenty-eighth blind set ----------------------------------------------------------------

def test_the_body_said_to_do_nothing_is_the_one_complained_about():
    verdict = verdict_of("Elke avond wordt er gedeald aan het speelpleintje in onze straat. Ik heb het wijkkantoor "
                         "twee keer gebeld; één keer kwam er een combi langs, daarna niets meer.\n\nLien Wouters",
                         subject="dealers aan het speelplein, politie doet niks")
    assert verdict.service == "politie"


@pytest.mark.parametrize("body", [
    "Een tractor van de gemeentelijke technische dienst reed bij het sneeuwruimen mijn brievenbus omver. Ik woon in "
    "de Hoststraat in Boutersem en heb de gemeente Boutersem nog niet gecontacteerd.\n\nLien Wouters",
    # Leuven named only as a landmark: the writer's own municipality is concerned
    "Het containerpark weigerde mijn snoeihout omdat mijn kaart vervallen was. Ik woon in Haasrode, vlak bij Leuven, "
    "en heb aan het loket gevraagd wat ik moet doen.\n\nLien Wouters",
])
def test_a_neighbouring_municipality_named_or_lived_in_is_other(body):
    assert verdict_of(body).service == "other"


def test_a_signature_with_a_note_in_brackets_after_a_long_postscript_is_a_name():
    verdict = verdict_of("Er verdwijnt al maanden kleding van mijn moeder in het woonzorgcentrum. Ik heb het twee keer "
                         "met de hoofdverpleegkundige besproken.\n\nMet vriendelijke groet,\n\nP.S. Het personeel is "
                         "heel lief voor haar, het gaat om de wasserij. Ik hoop dat er een oplossing komt.\n\n"
                         "Hanne Claes (dochter van mevrouw Rosa Claes, kamer 12)\n0470 12 34 56",
                         sender="hanne.c@example.be")
    assert "anonymous" not in verdict.flag_names


def _form(answer_block: str) -> str:
    return ("Naam: Lien Wouters\nE-mail: lien.wouters@example.be\nHeeft u de dienst zelf al gecontacteerd?: Nee\n\n"
            f"Omschrijving van uw klacht:\n{answer_block}\n")


def test_a_forms_no_explained_as_no_formal_complaint_beside_calls_is_left_to_staff():
    verdict = verdict_of(_form("Mijn parkeerkaart is na drie weken nog altijd niet verlengd. Ik heb twee keer naar "
                               "het loket gebeld en ben er ook langs geweest. Een officiële klacht heb ik nog niet "
                               "ingediend, daarom heb ik hierboven nee aangeduid."),
                         sender="Formulier <no-reply@forms.example.be>", subject="Nieuw formulier")
    assert "first_line_not_tried" not in verdict.flag_names
    assert "first_line_not_tried" in [flag.name for flag in verdict.uncertain_flags]


def test_a_forms_no_beside_calls_for_help_stays_asserted():
    verdict = verdict_of(_form("Elke nacht is er lawaai op het plein. Ik heb de politie drie keer gebeld, maar er "
                               "kwam nooit iemand."),
                         sender="Formulier <no-reply@forms.example.be>", subject="Nieuw formulier")
    assert "first_line_not_tried" in verdict.flag_names


def test_a_new_problem_beside_an_earlier_settled_case_is_a_new_complaint():
    verdict = verdict_of("Vorig jaar heeft uw dienst mij geholpen met dossier OMB-2025-00317; dat werd goed opgelost. "
                         "Nu heb ik een ander probleem: de stad stuurt me een aanmaning voor een belasting die ik al "
                         "betaald heb.\n\nLien Wouters", subject="Aanmaning")
    assert verdict.kind == "complaint" and verdict.case_ref is None


def test_a_new_problem_told_under_the_reference_in_the_subject_stays_a_follow_up():
    verdict = verdict_of("Er is een nieuw probleem: de stad heeft nog altijd niet geantwoord.\n\nLien Wouters",
                         subject="RE: OMB-2026-00317")
    assert verdict.kind == "follow_up" and verdict.case_ref == "OMB-2026-00317"


# --- lessons of the twenty-ninth blind set -----------------------------------------------------------------

def test_a_complaint_lodged_on_the_services_site_is_a_contact():
    verdict = verdict_of("Je vous écris parce que je ne sais plus à qui m'adresser. Le chauffeur du bus m'a refusée. "
                         "J'ai déposé une plainte sur le site de De Lijn et j'ai reçu une réponse type.\n\nLien Wouters")
    assert "first_line_not_tried" not in verdict.flag_names


def test_a_reply_asked_for_at_a_relatives_address_named_in_a_long_clause():
    verdict = verdict_of("My mother lost her glasses in the care home and the head nurse did not answer my calls.\n\n"
                         "Please send your reply to my brother, Tom Wouters, who lives nearby and visits her every "
                         "single day: tom.wouters@example.be (copied).\n\nLien Wouters",
                         sender="Lien Wouters <lien.wouters@example.com>")
    assert verdict.reply_address == "tom.wouters@example.be"


def test_the_neighbours_call_is_not_the_writers_contact():
    verdict = verdict_of("De buren hadden de politie gebeld voor het lawaai en de agenten praatten alleen met mijn ex. "
                         "Ik heb daar nooit iets van gezegd tegen de politie, ik was bang.\n\nLien Wouters")
    assert "first_line_not_tried" in verdict.flag_names


def test_a_birthplace_hospital_is_not_the_body_complained_about():
    verdict = verdict_of("Our son was born at UZ Leuven in May. The birth certificate has his name misspelt; I reported "
                         "it at the Burgerzaken counter of the city and nothing was corrected.\n\nLien Wouters")
    assert verdict.service == "stad"


def test_asking_the_city_to_change_the_rule_itself_is_policy():
    verdict = verdict_of("La dame au guichet a été très aimable. Mais c'est une politique d'exclusion : je demande que "
                         "la Ville change cette règle et publie les formulaires aussi en français.\n\nLien Wouters")
    assert "general_policy" in verdict.flag_names


def test_a_pasted_letters_own_date_line_is_no_later_fact():
    verdict = verdict_of("Lien Wouters\nDorpsstraat 1\n3000 Leuven\n\nLeuven, 12 januari 2026\n\nBetreft: standplaats\n\n"
                         "Op 20 november 2024 trok de dienst Evenementen mijn standplaats op de kerstmarkt in. Ik heb "
                         "toen schriftelijk geklaagd bij die dienst.\n\nLien Wouters",
                         sent="Tue, 13 Jan 2026 10:00:00 +0100")
    assert "stale_facts" in verdict.flag_names


# --- lessons of the thirtieth blind set --------------------------------------------------------------------

def test_another_services_automatic_receipt_without_robot_headers_is_an_auto_reply():
    verdict = verdict_of("Geachte melder,\n\nUw melding werd geregistreerd onder nummer 2026-0815.\n\nWij behandelen "
                         "meldingen in volgorde van ontvangst.\n\nDit bericht werd automatisch verzonden.\n\nMeldpunt",
                         sender="Meldpunt <noreply@meldpunt.example.be>", subject="Uw melding (2026-0815)")
    assert verdict.kind == "auto_reply"


@pytest.mark.parametrize("subject", ["RE: Automatisch antwoord: lawaai", "TR: Réponse automatique : votre demande"])
def test_a_person_answering_or_passing_on_an_auto_reply_is_no_robot(subject):
    verdict = verdict_of("Dit is al de derde keer dat ik enkel dit automatische antwoord krijg. Ik heb de wijkpost "
                         "vier keer gemaild over het nachtlawaai en er kwam nooit iemand kijken.\n\nLien Wouters",
                         subject=subject)
    assert verdict.kind == "complaint"


def test_a_plain_text_read_receipt_is_an_auto_reply():
    verdict = verdict_of("Uw bericht\n\n  Aan: Lien Wouters\n  Onderwerp: Ontvangstbevestiging\n\nwerd gelezen op "
                         "dinsdag 6 oktober 2026 9:12:03.", subject="Gelezen: Ontvangstbevestiging van uw klacht")
    assert verdict.kind == "auto_reply"


def test_a_secure_complaint_file_behind_the_offices_password_is_phishing():
    verdict = verdict_of("Beste,\n\nIk heb al mijn documenten in een beveiligd klachtdossier gezet. Om veiligheidsredenen "
                         "moet u aanmelden met het e-mailadres en wachtwoord van uw werkaccount. De link vervalt na 24 "
                         "uur: https://files.example.net/x\n\nSofie", sender="Sofie <sofie.x@example.com>")
    assert verdict.kind == "spam"


def test_seeing_the_photos_again_this_summer_is_no_later_fact():
    verdict = verdict_of("Le samedi 14 juin 2025, nous nous sommes mariés à l'hôtel de ville et l'officier de l'état "
                         "civil est arrivé une heure en retard. Mais en revoyant les photos cet été, je me dis que cela "
                         "ne peut pas rester sans réponse. J'avais écrit au service à l'époque.\n\nLien Wouters",
                         sent="Tue, 01 Sep 2026 10:00:00 +0200")
    assert "stale_facts" in verdict.flag_names


# --- lessons of the thirty-second blind set ----------------------------------------------------------------

def test_what_the_officers_asked_is_the_incident_not_the_writers_contact():
    verdict = verdict_of("Two officers stopped me on my bike and asked for my ID in a rude way. I have not contacted "
                         "the police yet, I am afraid to go to the station myself.\n\nLien Wouters")
    assert "first_line_not_tried" in verdict.flag_names


def test_what_is_written_in_a_file_is_no_letter():
    verdict = verdict_of("My mother gets the normal menu in the care home, although her diet is written in her file. "
                         "I have not spoken to the staff or the management about it.\n\nLien Wouters")
    assert "first_line_not_tried" in verdict.flag_names


def test_what_the_desk_said_is_no_negation_of_the_contact():
    verdict = verdict_of("Aan de kassa van het museum hebben ze me gezegd dat het niet meer kan, de gratis woensdag is "
                         "afgeschaft. Dat is een slechte beslissing.\n\nLien Wouters")
    assert "first_line_not_tried" not in verdict.flag_names


def test_the_police_zones_priorities_questioned_as_such_are_policy():
    verdict = verdict_of("Ik begrijp het beleid van de politiezone niet: er wordt enkel op de invalswegen geflitst. "
                         "De politie zou haar prioriteiten in het veiligheidsplan moeten aanpassen. De wijkagent zei "
                         "dat het een keuze van de korpsleiding is.\n\nLien Wouters")
    assert "general_policy" in verdict.flag_names


def test_a_request_with_a_fallback_to_tell_whom_to_address_is_no_doubt_about_the_service():
    verdict = verdict_of("Je me suis mariée à l'hôtel de ville et mon nom est mal orthographié dans l'acte. Le service "
                         "de l'état civil ne m'a jamais répondu. Pouvez-vous faire corriger l'acte, ou me dire à qui je "
                         "dois m'adresser ?\n\nLien Wouters")
    assert verdict.service == "stad"


# --- lessons of the thirty-first blind set (dates) ---------------------------------------------------------

@pytest.mark.parametrize("text, ref, start", [
    ("Een goed jaar geleden werd onze fiets weggehaald.", date(2026, 3, 10), date(2025, 3, 9)),
    ("Eind 2024, rond half december, werd de straat heraangelegd.", date(2026, 2, 12), date(2024, 12, 11)),
])
def test_a_good_year_ago_and_a_yearless_month_after_the_end_of_a_year(text, ref, start):
    mentions = find_mentions(split_sentences(text), ref, vocabulary())
    assert start in [m.start for m in mentions]


@pytest.mark.parametrize("body, service", [
    ("Onze zoon is geboren op 2 mei in UZ Leuven. De afspraak voor de geboorteaangifte bij Burgerzaken werd zonder "
     "bericht geannuleerd; ik heb Burgerzaken gemaild. Ouders die net uit het ziekenhuis komen verdienen beter.\n\n"
     "Lien Wouters", "stad"),
    ("Het stembureau in de gemeentelijke school was niet toegankelijk met een rolstoel. Ik heb de stad gemaild. Ik schrijf "
     "nu pas omdat mijn man vorige maand in het ziekenhuis lag.\n\nLien Wouters", "stad"),
    ("Tijdens de feesten werd ik door twee agenten hardhandig gearresteerd en mijn gsm werd afgenomen. Vorig jaar kreeg "
     "ik op dezelfde plek een GAS-boete van de stad, maar dat heeft hier niets mee te maken.\n\nLien Wouters", "politie"),
])
def test_a_birthplace_a_hospital_stay_and_a_sentence_set_apart_name_no_body(body, service):
    assert verdict_of(body).service == service


def test_the_forms_service_field_outweighs_not_knowing_who_has_the_file():
    body = ("Voornaam: Lien\nNaam: Wouters\nE-mailadres: lien.wouters@example.be\nOver welke dienst gaat uw klacht?: "
            "OCMW Leuven\nHeeft u de dienst zelf al gecontacteerd?: Ja\n\nUw klacht:\nIk wacht al maanden op een "
            "beslissing over mijn huurwaarborg. Mijn maatschappelijk werker is vertrokken en niemand weet wie mijn "
            "dossier nu heeft.\n")
    verdict = verdict_of(body, sender="Website <noreply@forms.example.be>", subject="[Webformulier] Klacht")
    assert verdict.service == "ocmw"


def test_no_appeal_lodged_with_the_labour_court_is_no_procedure():
    verdict = verdict_of("Le CPAS a suspendu mon revenu d'intégration. Je n'ai pas introduit de recours au tribunal du "
                         "travail, je ne savais pas que c'était possible.\n\nLien Wouters")
    assert "judicial_procedure" not in verdict.flag_names


def test_how_long_the_writer_has_lived_here_is_background():
    verdict = verdict_of("Last Tuesday the museum refused our family membership at the desk. We have had it since we "
                         "moved here in 2023. I emailed the museum the next day.\n\nLien Wouters",
                         sent="Thu, 05 Feb 2026 10:00:00 +0100")
    assert "stale_facts" not in verdict.flag_names


@pytest.mark.parametrize("body, sent", [
    ("For background: I moved to Leuven in September 2023. On Saturday 14 December 2024 my car was towed and I paid "
     "the fee at the police station. I only thought of it again last week, when I was sorting receipts.\n\nLien Wouters",
     "Wed, 14 Jan 2026 10:00:00 +0100"),
    ("In July 2025 a bus driver closed the doors on my daughter's arm. I still take that bus almost every day. I wrote "
     "to the bus company then.\n\nLien Wouters", "Mon, 28 Sep 2026 10:00:00 +0200"),
    ("Le 1er avril 2025, ma mère a été transférée dans une autre chambre et ses bijoux ont disparu. J'en ai parlé à la "
     "directrice. Ma mère a résidé au home jusqu'à son décès, en août 2025.\n\nLien Wouters",
     "Fri, 08 May 2026 10:00:00 +0200"),
])
def test_why_one_writes_now_a_habit_and_a_death_ending_a_stay_do_not_make_old_facts_recent(body, sent):
    assert "stale_facts" in verdict_of(body, sent=sent).flag_names


@pytest.mark.parametrize("body", [
    "My car was towed during the market and I paid the fee. I never got round to contacting the police about it.\n\n"
    "Lien Wouters",
    "A bus driver closed the doors on my daughter's arm. I never reported it, I was too upset.\n\nLien Wouters",
    "Op de 3de ben ik met mijn museumpas naar M Leuven gegaan om de tentoonstelling te zien, maar de audiogids werkte "
    "niet. Ik heb er aan de kassa niets van gezegd en ik heb het museum ook niet gemaild.\n\nLien Wouters",
])
def test_not_contacting_not_reporting_and_a_visit_as_a_visitor_are_first_line_not_tried(body):
    assert "first_line_not_tried" in verdict_of(body).flag_names


# --- lessons of the thirty-third and thirty-fourth blind sets ---------------------------------------------

def test_a_hearing_ahead_at_the_youth_court_is_a_procedure():
    verdict = verdict_of("De maatschappelijk werker van het OCMW stuurde een verslag met fouten naar de jeugdrechter. "
                         "Op 9 juni is er een nieuwe zitting bij de jeugdrechtbank, waar dit verslag besproken wordt.\n\n"
                         "Lien Wouters")
    assert "judicial_procedure" in verdict.flag_names


@pytest.mark.parametrize("body", [
    "Het OCMW weigerde het leefloon zonder uitleg. De bewindvoerder bekijkt of een beroep bij de arbeidsrechtbank "
    "nodig is.\n\nLien Wouters",
    "Het OCMW eist 2.300 euro terug. De maatschappelijk werker zegt dat de beslissing definitief is omdat ik geen beroep "
    "heb gedaan bij de arbeidsrechtbank.\n\nLien Wouters",
])
def test_an_appeal_only_considered_or_never_made_is_no_procedure(body):
    assert "judicial_procedure" not in verdict_of(body).flag_names


def test_a_complaint_with_the_prosecutor_is_another_body_in_a_procedure():
    verdict = verdict_of("Le 12 janvier, j'ai déposé plainte auprès du parquet contre mon ex-mari. Le dossier est à "
                         "l'information depuis. Pouvez-vous intervenir auprès du parquet ?\n\nLien Wouters")
    assert verdict.service == "other"
    assert "judicial_procedure" in verdict.flag_names + tuple(flag.name for flag in verdict.uncertain_flags)


def test_the_social_service_of_a_neighbouring_municipality_is_other():
    verdict = verdict_of("Het OCMW van Herent heeft mijn aanvraag voor een huurwaarborg al drie maanden niet "
                         "behandeld. Ik heb de maatschappelijk werker twee keer gebeld.\n\nLien Wouters")
    assert verdict.service == "other"


@pytest.mark.parametrize("body", [
    "What upset me was the way one of the officers spoke to me during the check. I haven't complained to the police "
    "themselves.\n\nLien Wouters",
    "Le guichet de l'état civil a perdu mon dossier. Je n'ai pas encore pris contact avec le service.\n\nLien Wouters",
])
def test_the_officers_speaking_and_not_yet_taking_contact_are_first_line_not_tried(body):
    assert "first_line_not_tried" in verdict_of(body).flag_names


def test_a_broken_streetlight_is_the_citys():
    assert verdict_of("De straatlamp voor ons huis brandt al weken niet meer. Ik heb het via de website gemeld."
                      "\n\nLien Wouters").service == "stad"


def test_a_benefit_said_to_stop_unless_the_reader_confirms_their_identity_is_phishing():
    verdict = verdict_of("Beste cliënt,\n\nUw leefloon wordt binnen 48 uur stopgezet als u uw identiteit niet bevestigt. "
                         "Bevestig nu uw identiteit via http://sociaal-leuven-check.example.com/login\n\nDienst Uitkeringen",
                         sender="Dienst Uitkeringen <melding@sociaal-leuven-check.example.com>", subject="Dringend")
    assert verdict.kind == "spam"


@pytest.mark.parametrize("body", [
    "Het OCMW weigerde mijn huurtoelage. Volgens de brief kan ik beroep aantekenen bij de arbeidsrechtbank, maar ik wil "
    "eerst dat iemand de berekening nakijkt. Ik heb de maatschappelijk werker al gebeld.\n\nLien Wouters",
    "De stad weigerde mijn premie. In de beslissing staat dat u in beroep kunt gaan bij de rechtbank van eerste aanleg. "
    "Ik heb de dienst al twee keer gemaild.\n\nLien Wouters",
    "La lettre du CPAS mentionne la possibilité d'un recours au tribunal du travail. J'ai d'abord appelé mon assistante "
    "sociale.\n\nLien Wouters",
])
def test_the_right_of_appeal_a_letter_names_is_no_procedure(body):
    assert "judicial_procedure" not in verdict_of(body).flag_names


def test_asking_that_the_city_withdraw_a_plan_with_the_verb_last_is_policy():
    verdict = verdict_of("Ik ben tegen het mobiliteitsplan dat de gemeenteraad in juni heeft goedgekeurd. Er was geen "
                         "echte inspraak. Ik vraag dat het college het plan intrekt.\n\nLien Wouters")
    assert "general_policy" in verdict.flag_names


@pytest.mark.parametrize("body", [
    "Il y a un mois, un agent du guichet m'a mal reçu. Je n'ai pas porté plainte à l'époque, j'avais peur.\n\nLien Wouters",
    "The library fined me twice for a book I returned. Honestly I didn't call or write to the library yet, you are "
    "faster.\n\nLien Wouters",
    "The parking garage charged me for a whole day. I haven't even contacted them about it.\n\nLien Wouters",
])
def test_a_complaint_not_lodged_or_a_plain_verb_after_a_negated_auxiliary_is_first_line_not_tried(body):
    assert "first_line_not_tried" in verdict_of(body).flag_names


def test_a_body_the_writer_rules_out_does_not_route():
    verdict = verdict_of("I got a letter about an 'invordering' of 85 euro and I cannot tell who sent it. I do not have "
                         "a car, so I don't think it is parking. I called the number twice, nobody answered.\n\nLien Wouters")
    assert verdict.service == "unknown"


def test_a_strangers_dying_wish_to_give_away_a_fortune_is_spam():
    verdict = verdict_of("Dear beloved,\n\nI am a widow with only a few months to live. My late husband left a sum of "
                         "2.800.000 EUR in a bank abroad and God has led me to you to share it with the poor. Send me your "
                         "name and phone number.\n\nStay blessed,\nMrs. Helen Brooks",
                         sender="Helen Brooks <helen.brooks77@freemail.example.net>", subject="Charity")
    assert verdict.kind == "spam"


def test_a_rant_against_a_tax_the_writer_sets_aside_is_no_policy():
    verdict = verdict_of("Dat de stad de afvalbelasting zo verhoogd heeft, vind ik schandalig. Maar daarvoor schrijf ik u "
                         "niet. Ik kreeg twee keer dezelfde aanslag en de financiële dienst antwoordt niet op mijn mail."
                         "\n\nLien Wouters")
    assert "general_policy" not in verdict.flag_names + tuple(flag.name for flag in verdict.uncertain_flags)


def test_the_same_change_told_again_is_one_sign_of_policy():
    verdict = verdict_of("Bus 3 afgeschaft. Bus 3 weer afgeschaft. Ook gisteren afgeschaft, zonder uitleg. Ik mailde De "
                         "Lijn al.\n\nLien Wouters", subject="Bus 3 afgeschaft")
    assert "general_policy" not in verdict.flag_names + tuple(flag.name for flag in verdict.uncertain_flags)


def test_contesting_the_principle_beside_a_ticket_not_contested_is_policy():
    verdict = verdict_of("Depuis septembre, le parking coûte 30 % de plus. Mon ticket a été bien calculé, je ne conteste "
                         "pas le ticket. Je conteste le principe de cette hausse.\n\nLien Wouters")
    assert "general_policy" in verdict.flag_names


def test_going_to_court_named_as_what_one_may_do_is_no_procedure():
    verdict = verdict_of("On m'a dit que je peux aller devant le juge de paix. Je n'ai rien fait, je veux d'abord une "
                         "réponse de la ville, que j'ai appelée deux fois.\n\nLien Wouters")
    assert "judicial_procedure" not in verdict.flag_names


def test_a_one_word_display_name_above_a_description_is_anonymous():
    verdict = verdict_of("De straat ligt al weken open en niemand zegt iets. Ik belde de stad twee keer.\n\n"
                         "Een buurtbewoner die het beu is", sender="Stoepkrijt <stoepkrijt_3010@example.net>")
    assert "anonymous" in verdict.flag_names


@pytest.mark.parametrize("fields", [
    "Voornaam: An\nNaam: Mertens\nE-mail: an.mertens@example.be\n",
    "Naam: Mertens\nVoornaam: An\nE-mail: an.mertens@example.be\n",
    "First name: An\nName: Mertens\nE-mail: an.mertens@example.be\n",
])
def test_a_first_name_field_and_a_plain_name_field_make_one_name(fields):
    body = (f"Er werd een formulier ingediend.\n\n{fields}Heeft u de dienst zelf al gecontacteerd?: Ja\n\nUw klacht:\n"
            "De bibliotheek rekende mij twee keer dezelfde boete aan. Ik mailde hen op 3 oktober.\n")
    verdict = verdict_of(body, sender="Stad - webformulier <no-reply@stad.example>", subject="Nieuw formulier")
    assert verdict.reply_address == "an.mertens@example.be"
    assert "anonymous" not in verdict.flag_names + tuple(flag.name for flag in verdict.uncertain_flags)


@pytest.mark.parametrize("body", [
    "The swimming pool refused my student card. I haven't been in touch with the pool itself; a colleague said the "
    "pool's desk is no help. So I am writing straight to you.\n\nLien Wouters",
    "A friend said the OCMW never helps students, so I did not go there. I write to you directly.\n\nLien Wouters",
])
def test_not_having_been_in_touch_or_not_going_there_is_first_line_not_tried(body):
    assert "first_line_not_tried" in verdict_of(body).flag_names


def test_waste_work_of_the_named_waste_company_is_not_the_citys():
    verdict = verdict_of("Mijn gft-container werd al drie weken niet opgehaald. EcoWerf stuurt elke keer een mailtje "
                         "met excuses, maar de ophaling blijft uit. Ik belde hun klantendienst twee keer.\n\nLien Wouters")
    assert verdict.service != "stad"


def test_an_address_in_the_mail_names_a_mailbox_not_a_service():
    verdict = verdict_of("Ik vroeg een uittreksel uit het bevolkingsregister aan bij de stad en kreeg niets. Antwoord mij "
                         "graag op lien@politie-fan.example want mijn gewone mailbox is vol.\n\nLien Wouters")
    assert verdict.service == "stad"


def test_a_state_since_an_old_date_does_not_set_the_year_of_the_story():
    verdict = verdict_of("Sinds maart 2025 is het speelplein in onze straat afgesloten. Op 27 augustus viel mijn zoon "
                         "over het hek dat er nog altijd ligt. Ik meldde het aan de stad.\n\nLien Wouters")
    assert "stale_facts" not in verdict.flag_names + tuple(flag.name for flag in verdict.uncertain_flags)


def test_a_dmarc_aggregate_report_is_a_machines_mail():
    message = message_of("This is an aggregate report from example.net.", sender="noreply-dmarc@example.net",
                         subject="Report Domain: leuven.example.be Submitter: example.net Report-ID: 8812937")
    message.add_attachment(b"\x1f\x8b fake", maintype="application", subtype="gzip",
                           filename="example.net!leuven.example.be!1762300800!1762387200.xml.gz")
    assert triage(parse(message.as_bytes())).kind == "bulk"


def test_an_apps_activity_notice_from_a_no_reply_address_is_no_complaint():
    body = ("Jan Peeters | Team Onthaal > Algemeen\n---\nKan iemand morgen de permanentie overnemen? Ik ben ziek.\n"
            "---\nBeantwoorden in de app\n\nTo change your notification settings, go to Settings > Notifications.")
    verdict = verdict_of(body, sender="Chat App <noreply@notify.chat.example>",
                         subject="Jan Peeters heeft je vermeld in Onthaal", headers={"Auto-Submitted": "auto-generated"})
    assert verdict.kind != "complaint"


@pytest.mark.parametrize("body", [
    "Voor zover ik weet heeft nog niemand de dienst wegen hierover gebeld, we wisten niet goed bij wie. Zijn mail staat "
    "hieronder.\n\nLien Wouters\n\n-------- Oorspronkelijk bericht --------\nVan: Tom <tom@example.com>\n"
    "Onderwerp: stoep\n\nKan jij dat aan de stad laten weten?\n",
    "The pavement in front of my mother's house has been broken for weeks. We didn't know who to contact, so here "
    "it is.\n\nLien Wouters",
])
def test_not_knowing_whom_to_turn_to_is_first_line_not_tried(body):
    assert "first_line_not_tried" in verdict_of(body).flag_names


def test_a_lower_case_first_name_the_address_begins_with_is_a_name():
    verdict = verdict_of("de lantaarnpaal voor ons huis is al 2 weken kapot, 3x gemeld via de app van de stad, niks "
                         "gebeurd\nwout\n\nSent from my Galaxy", sender="wout.d@example.com")
    assert "anonymous" not in verdict.flag_names + tuple(flag.name for flag in verdict.uncertain_flags)


def test_a_placeholder_address_signed_with_itself_is_no_name():
    verdict = verdict_of("de lantaarnpaal is kapot, 3x gemeld via de app van de stad\nzzz", sender="zzz@example.com")
    assert "anonymous" in verdict.flag_names


def test_reversing_a_plan_named_two_sentences_before_is_policy():
    verdict = verdict_of("wie heeft dat nieuwe circulatieplan in wilsele bedacht?? nu moet ik elke dag omrijden naar "
                         "school. onzin. zet dat terug aub\nLien")
    assert "general_policy" in verdict.flag_names


def test_wanting_that_the_service_drops_a_fine_is_no_policy():
    verdict = verdict_of("Het parkeerreglement zegt dat ik een bewonerskaart mocht gebruiken. Ik had die kaart. Ik wil "
                         "dat AGSL de boete schrapt.\n\nLien Wouters")
    assert "general_policy" not in verdict.flag_names + tuple(flag.name for flag in verdict.uncertain_flags)


def test_asking_to_bring_the_rates_back_down_is_policy():
    verdict = verdict_of("The bike parking near the station went up in September. This is robbery. Please ask "
                         "the city to bring the rates back down.\nLien")
    assert "general_policy" in verdict.flag_names


def test_dictated_punctuation_ends_a_clause_of_first_line_contact():
    verdict = verdict_of("de verwarming in mijn kamer van het woonzorgcentrum werkt niet meer punt aan de balie gezegd "
                         "maar er is nog niemand geweest\nLien Wouters")
    assert "first_line_not_tried" not in verdict.flag_names


def test_a_few_words_take_their_language_with_the_subject():
    verdict = verdict_of("hi, any news? thx\n\nSent from my iPhone", subject="Re: Acknowledgement of receipt OMB-2026-00123")
    assert verdict.language == "en"


def test_a_report_made_to_the_police_is_a_contact_with_it():
    verdict = verdict_of("Mijn scooter werd gestolen aan de Vaartkom. Ik deed meteen aangifte op 2 oktober en daarna "
                         "hoorde ik niets meer. Geen telefoontje, geen mail, niks.\n\nLien Wouters")
    assert "first_line_not_tried" not in verdict.flag_names


def test_a_mail_passed_on_to_the_service_is_a_contact_with_it():
    verdict = verdict_of("Ik heb mijn bewijs op 4 september per mail doorgestuurd naar de dienst parkeren. Toch kreeg "
                         "ik een tweede aanmaning.\n\nLien Wouters")
    assert "first_line_not_tried" not in verdict.flag_names + tuple(flag.name for flag in verdict.uncertain_flags)


def test_a_speed_camera_fine_is_the_polices_and_the_letterbox_no_bus():
    verdict = verdict_of("Ik werd op 3 september geflitst op de Naamsesteenweg, maar de wagen was al verkocht. Vandaag "
                         "lag er een aanmaning in de bus. Ik schreef de dienst al twee keer.\n\nLien Wouters")
    assert verdict.service == "politie"


def test_a_complaint_about_comite_p_is_no_complaint_about_the_police_zone():
    verdict = verdict_of("In maart diende ik bij het Comité P een klacht in over een agent van de politiezone. Het "
                         "Comité P antwoordt sindsdien niet meer op mijn mails. Kan u het Comité P eens aanspreken?\n\n"
                         "Lien Wouters", subject="Comité P antwoordt niet")
    assert verdict.service == "other"


def test_not_knowing_where_to_send_it_yields_to_one_clear_service():
    verdict = verdict_of("Le 3 octobre, un policier m'a insulté devant la gare parce que je filmais un contrôle de "
                         "police. Je ne sais pas à qui je dois m'adresser, alors je vous écris.\n\nLien Wouters")
    assert verdict.service == "politie"


def test_a_chain_letter_with_the_verb_last_is_spam():
    verdict = verdict_of("---------- Doorgestuurd bericht ----------\n\nOPGELET!!! Valse controleurs bellen aan bij "
                         "ouderen. Dit is bevestigd door een inspecteur van de federale politie. Als u dit naar 10 "
                         "mensen doorstuurt redt u misschien een leven. Deel deel deel!!!",
                         sender="Lien Wouters <lien.wouters@example.be>", subject="Fwd: OPGELET doorsturen aub")
    assert verdict.kind == "spam"


def test_a_decision_notified_by_a_dated_letter_is_no_policy():
    verdict = verdict_of("Bij brief van 4 maart heeft het OCMW beslist om 1.200 euro steun van mij terug te vorderen. "
                         "Ik vind die beslissing onterecht en wil dat u ze laat herzien. Ik belde mijn maatschappelijk "
                         "werker al.\n\nLien Wouters")
    assert "general_policy" not in verdict.flag_names + tuple(flag.name for flag in verdict.uncertain_flags)


def test_the_federal_pension_service_is_no_service_of_ours():
    verdict = verdict_of("Sinds mijn vader in het rusthuis woont, betaalt de Federale Pensioendienst zijn pensioen niet "
                         "meer uit. De Pensioendienst zegt dat het dossier in onderzoek is. Ik belde hen drie keer."
                         "\n\nLien Wouters")
    assert verdict.service == "other"


def test_a_care_home_of_a_private_group_with_its_legal_form_is_not_ours():
    verdict = verdict_of("Mijn moeder woont in een woonzorgcentrum van de groep Senior Living Plus nv in Kessel-Lo. Het "
                         "eten is koud en de directie antwoordt niet op mijn mails.\n\nLien Wouters")
    assert verdict.service != "zorgbedrijf"


def test_the_latest_example_of_a_problem_since_years_dates_the_facts():
    verdict = verdict_of("Sinds de fuifzaal in onze straat in 2021 openging, is er elk weekend lawaai. Ik heb de politie "
                         "al vaak gebeld.\n\nHet laatste voorbeeld: zaterdag 26 september heb ik om 2u gebeld en niemand "
                         "kwam.\n\nLien Wouters")
    assert "stale_facts" not in verdict.flag_names + tuple(flag.name for flag in verdict.uncertain_flags)


def test_a_contact_verb_quoted_from_a_letter_is_none_of_the_writers_steps():
    verdict = verdict_of("In het schooljaar 2023-2024 kreeg ik een studietoelage. Op 30 september 2026 kreeg ik een "
                         "brief dat ik \"mijn inkomsten niet gemeld\" zou hebben en alles moet terugbetalen.\n\nLien Wouters",
                         sent="Mon, 05 Oct 2026 10:00:00 +0200")
    assert "stale_facts" not in verdict.flag_names


def test_a_month_the_next_sentence_pins_to_a_day_is_that_day():
    verdict = verdict_of("Vorig jaar in september vroeg ik het OCMW hulp voor mijn huurwaarborg. De brief met de "
                         "weigering was gedateerd op 3 september 2025. Ik belde toen mijn maatschappelijk werker.\n\n"
                         "Lien Wouters", sent="Tue, 29 Sep 2026 10:00:00 +0200")
    assert "stale_facts" in verdict.flag_names


def test_the_money_set_aside_as_such_is_no_policy():
    verdict = verdict_of("The pay machine of the garage kept my card and I was charged twice. I wrote to them three "
                         "times. It's not about the money as such, it's that nobody answers.\n\nLien Wouters")
    assert "general_policy" not in verdict.flag_names + tuple(flag.name for flag in verdict.uncertain_flags)


def test_a_ticket_set_aside_before_a_colon_and_the_plan_contested_as_a_whole_is_policy():
    verdict = verdict_of("Le conseil communal a approuvé une nouvelle grille tarifaire pour les piscines. Je ne conteste "
                         "pas mon abonnement : je conteste cette grille tarifaire dans son ensemble.\n\nLien Wouters")
    assert "general_policy" in verdict.flag_names


def test_the_city_named_as_the_ombudsmans_does_not_route_to_the_city():
    verdict = verdict_of("My landlord, a private company, kept my deposit and the university housing office does not "
                         "answer my mails. A friend told me the city has an\nombudsman, so I am writing.\n\nLien Wouters")
    assert verdict.service != "stad"


# --- blind set 45 (eval47): contact shown or denied in other ways ----------------------------------------

@pytest.mark.parametrize("body", [
    "Omdat we na een maand nog niks hoorden hebben we de dienst Wonen een aangetekende brief gestuurd. Er kwam "
    "nog altijd niemand kijken naar de schimmel.\n\nLien Wouters",
    "Comme je n'avais rien entendu j'ai écrit une deuxième fois au service logement le 3 septembre. Toujours rien "
    "depuis.\n\nLien Wouters",
])
def test_hearing_nothing_back_before_writing_again_is_a_contact(body):
    verdict = verdict_of(body)
    assert "first_line_not_tried" not in verdict.flag_names


@pytest.mark.parametrize("label, answer, flagged", [
    ("Eerder contact met de dienst?", "Nee", True),
    ("Contact préalable avec le service", "Non", True),
    ("Previous contact with the department?", "No", True),
    ("Eerder contact met de dienst?", "Ja, twee keer gebeld", False),
])
def test_a_form_asking_about_earlier_contact_is_answered_by_its_field(label, answer, flagged):
    body = ("Via het e-loket werd een formulier ingediend.\n\nVoornaam: Jonas\nFamilienaam: Desmet\n"
            "E-mail: jonas.desmet@example.be\nBetreft dienst: Groendienst\n"
            f"{label}: {answer}\nUw bericht:\nDe haag langs het fietspad aan de Vaartkom is al weken niet gesnoeid, "
            "fietsers moeten op de rijweg uitwijken.\n\n--\nDit bericht werd automatisch gegenereerd.")
    verdict = verdict_of(body, sender="E-loket <no-reply@forms.example>", subject="Formulier: klacht")
    assert ("first_line_not_tried" in verdict.flag_names) is flagged


@pytest.mark.parametrize("body", [
    "Kunt u dit doorsturen naar de bevoegde dienst? Er ligt al dagen een omgevallen boom over het wandelpad in het "
    "Provinciedomein... nee, in het stadspark aan de Kapucijnenvoer.\n\nLien Wouters",
    "Could you pass this on to the right department? The streetlight in front of number 12 has been flickering all "
    "week.\n\nLien Wouters",
    "Pourriez-vous transmettre au service compétent ? Le trottoir devant l'école est défoncé depuis la tempête.\n\n"
    "Lien Wouters",
])
def test_asking_us_to_pass_it_on_to_the_right_service_is_not_having_tried_it(body):
    verdict = verdict_of(body)
    assert "first_line_not_tried" in verdict.flag_names


@pytest.mark.parametrize("body", [
    "Je me suis présenté au guichet du service de la population pour mon changement d'adresse. L'agent m'a dit que la police passerait. "
    "L'agent de quartier est venu, tout était positif, mais ma composition de ménage est refusée: dossier bloqué."
    "\n\nLien Wouters",
    "I registered my change of address at the counter in September. The police officer came for the check and said "
    "it was fine, yet I still cannot get a household composition.\n\nLien Wouters",
])
def test_registering_an_address_is_the_citys_whatever_the_police_check_adds(body):
    assert verdict_of(body).service == "stad"


@pytest.mark.parametrize("body", [
    "L'inscription en ligne à l'académie municipale de musique ne fonctionnait pas le jour de l'ouverture et ma fille "
    "a perdu sa place.\n\nLien Wouters",
    "De inschrijvingen van de muziekacademie liepen vast en mijn zoon staat nu op een wachtlijst.\n\nLien Wouters",
])
def test_the_music_academy_the_city_runs_is_the_citys(body):
    assert verdict_of(body).service == "stad"


# --- blind set 44 (eval46): rules, tariffs and council decisions ------------------------------------------

@pytest.mark.parametrize("body", [
    "De nieuwe politieverordening op het geluid gaat veel te ver: tot middernacht 95 decibel op een plein waar "
    "mensen wonen. Ik vraag dat de verordening zelf herbekeken wordt.\n\nLien Wouters",
    "This new noise bylaw goes too far. Nobody asked the residents before the council approved it.\n\nLien Wouters",
])
def test_a_bylaw_contested_as_such_is_policy(body):
    assert "general_policy" in verdict_of(body).flag_names


def test_a_rule_that_is_no_good_made_without_hearing_those_it_hits_is_policy():
    verdict = verdict_of("Wie heeft dat nieuwe marktreglement bedacht? De gemeenteraad keurde het goed zonder dat er "
                         "iemand van de marktkramers gehoord werd. Ik wil dat u weet dat dit reglement niet deugt.\n\n"
                         "Lien Wouters")
    assert "general_policy" in verdict.flag_names


def test_the_maker_opening_the_next_sentence_is_judged_with_the_rule_named_before():
    verdict = verdict_of("Met de nieuwe parkeerregeling mogen bewoners nog maar één kaart aanvragen. Het college heeft "
                         "blijkbaar alleen naar de handelaars geluisterd. Ik vraag dat de regeling wordt aangepast.\n\n"
                         "Lien Wouters")
    assert "general_policy" in verdict.flag_names


def test_opening_hours_contested_by_someone_without_a_file_of_their_own_is_policy():
    verdict = verdict_of("Sinds september is het loket van het Sociaal Huis enkel nog 's ochtends open. Ik heb zelf "
                         "geen dossier bij het OCMW. Ik vind eerlijk gezegd dat deze openingsuren net de mensen treffen "
                         "die het OCMW nodig hebben. Kan dit herbekeken worden?\n\nLien Wouters")
    assert "general_policy" in verdict.flag_names


def test_a_pricing_policy_that_shuts_people_out_is_policy():
    verdict = verdict_of("The museum raised its prices in October. This policy shuts out students over 26. The reduced "
                         "rate only applies to pensioners now, and I don't think that's fair.\n\nLien Wouters")
    assert "general_policy" in verdict.flag_names


def test_an_impersonal_passive_with_a_negation_is_none_of_the_writers_steps():
    verdict = verdict_of("Het lawaai op het plein is elk weekend erger. Bij de nieuwe regeling werd er geen enkel "
                         "advies van de milieudienst gevraagd, alleen van de organisatoren.\n\nLien Wouters")
    assert "first_line_not_tried" not in verdict.flag_names


@pytest.mark.parametrize("body, flagged", [
    ("Ik ben geen zeurpiet, ik heb nog nooit geklaagd over een fuif. Maar de muziek op het plein tot drie uur 's "
     "nachts, al vier weekends op rij, dat kan niet. Ik belde de milieudienst op 2 oktober.\n\nLien Wouters", False),
    ("Op 2 oktober werd ik door een agent uitgescholden. Ik heb toen nooit geklaagd bij de politie zelf, ik "
     "dacht dat het geen zin had.\n\nLien Wouters", True),
])
def test_never_having_complained_before_is_character_unless_a_desk_is_named(body, flagged):
    assert ("first_line_not_tried" in verdict_of(body).flag_names) is flagged


def test_doubting_what_we_can_do_is_no_doubt_about_the_body():
    verdict = verdict_of("Sinds november rijdt de bus van De Lijn naar ons dorp nog maar één keer per uur. Ik weet "
                         "niet of u daar iets aan kan doen, want het is De Lijn en niet de stad. Ik mailde De Lijn al.\n\n"
                         "Lien Wouters")
    assert verdict.service == "other"


def test_where_someone_works_is_background_to_the_routing():
    verdict = verdict_of("Since November the city charges 120 euros for a second residents' parking card; the "
                         "mobility department applied it correctly. The rule ignores that my partner works nights at a "
                         "hospital in Bierbeek where no bus runs.\n\nLien Wouters")
    assert verdict.service == "stad"


# --- blind set 46 (eval48): who is writing -----------------------------------------------------------------

def test_a_name_closing_the_subject_signs_the_mail():
    verdict = verdict_of("Mijn bezwaar tegen de retributie van 3 september werd afgewezen, maar ik had betaald via de "
                         "app.\n\ngsm 0470 11 22 33", sender="tc_88@webmail.example.be",
                         subject="bezwaar afgewezen - Tom Claes")
    assert "anonymous" not in verdict.flag_names


@pytest.mark.parametrize("sender, anonymous", [
    ("mj.home@webmail.example.be", False),  # the address spells the initials
    ("thuis1970@webmail.example.be", True),  # nothing corroborates a capitalised first line
])
def test_a_name_opening_the_body_counts_when_the_address_spells_it(sender, anonymous):
    verdict = verdict_of("Marc Janssens, Wilsele - ik mail vanaf het gezinsadres.\n\nMijn portefeuille werd op 2 "
                         "september afgegeven aan het onthaal van het commissariaat en is nu 'niet gekend'.\n\nDank u.",
                         sender=sender)
    assert ("anonymous" in verdict.flag_names) is anonymous


def test_an_initial_after_a_dash_identifies_nobody():
    verdict = verdict_of("the parties next door go on till 5am every weekend and the police never come by.\n\n- J.",
                         sender="leuvenlocal <leuvenlocal@mailbox.example.com>", subject="noise")
    assert "anonymous" in verdict.flag_names


def test_a_signature_under_a_forwarded_chain_signs_the_mail():
    body = ("-------- Doorgestuurd bericht --------\nOnderwerp: RE: melding\nVan: Omgeving <omgeving@stad.example>\n\n"
            "Geachte heer,\n\nUw melding is in behandeling.\n\nMet vriendelijke groeten,\nTeam Omgeving\n\n"
            "----------------------------------------\n\nBeste ombudsdienst,\n\nHierboven de historiek. Sinds april "
            "krijg ik niets anders dan 'in behandeling'.\n\nMet vriendelijke groet,\n\nKarel Lemmens\n")
    verdict = verdict_of(body, sender="klemmens@postbox.example.be", subject="Fwd: RE: melding bouwovertreding")
    assert "anonymous" not in verdict.flag_names
    assert verdict.service == "stad"


# --- blind set 47 (eval49): robots that look human, bodies we do not cover ---------------------------------

def test_a_web_design_cold_pitch_without_list_headers_is_spam():
    verdict = verdict_of("Hello,\n\nWe audited your website and found 87 issues: it is not mobile friendly and slow, so "
                         "you are losing customers. We can redesign your website starting from only $399.\n\nPlease "
                         "reply with your WhatsApp number.\n\nRegards,\nAlex", sender="Alex <alex@webgrowth.example.net>",
                         subject="Re: your website")
    assert verdict.kind == "spam"


@pytest.mark.parametrize("body, service", [
    ("Fluvius legt sinds september kabels in onze straat en de omleiding stuurt alle vrachtwagens langs de school. "
     "Ik meldde het tweemaal; het antwoord was dat ik bij Fluvius moet zijn. Mijn klacht gaat dus over de stad: "
     "die keurde de omleiding goed."
     "\n\nLien Wouters", "stad"),
    ("The bus company De Lijn moved the stop, and De Lijn's drivers now skip it. My complaint is about De Lijn, not "
     "the city.\n\nLien Wouters", "other"),
])
def test_the_body_a_writer_says_the_complaint_is_about_weighs_as_a_forms_field(body, service):
    assert verdict_of(body).service == service


def test_renting_from_a_private_owner_is_no_body_of_ours():
    verdict = verdict_of("Ik huur een studio bij een privé-eigenaar. Sinds maanden schimmel, de eigenaar doet niets "
                         "en dreigt mijn waarborg te houden. Kunnen jullie met hem praten?\n\nLien Wouters",
                         subject="eigenaar doet niks")
    assert verdict.service == "other"


def test_a_tie_between_two_services_is_shown_as_one():
    """A residence check with the city desk and the neighbourhood officer both named: the scores tie, and the
    proposal says so instead of hiding that the order of names decided."""
    from pathlib import Path

    mail = Path(__file__).parents[2] / "mails" / "blind9" / "eval11-017.eml"
    verdict = triage(parse(mail.read_bytes()))
    assert verdict.service == "politie"
    assert verdict.service_evidence[0].detail.startswith("a tie: politie and stad score the same")


# --- blind sets 48 and 49 (eval50, eval51): French and English rules and dates; elderly writers ------------

@pytest.mark.parametrize("text, start, end", [
    ("En septembre de l'année passée, la ville a abattu les tilleuls.", date(2025, 9, 1), date(2025, 9, 30)),
    ("À la rentrée 2024, le CPAS a refusé mon dossier.", date(2024, 9, 1), date(2024, 9, 30)),
    ("Two Christmases ago my father fell in his room.", date(2024, 12, 1), date(2024, 12, 31)),
    ("Twee kerstmissen geleden viel mijn vader in zijn kamer.", date(2024, 12, 1), date(2024, 12, 31)),
])
def test_a_month_of_last_year_the_school_start_and_feasts_counted_back(text, start, end):
    found = find_mentions(split_sentences(text), date(2026, 10, 20), vocabulary())
    assert [(m.start, m.end) for m in found] == [(start, end)]


def test_the_year_someone_arrived_in_the_country_is_no_year_of_the_story():
    found = find_mentions(split_sentences("I arrived in Belgium in August 2025 as a postdoc. The desk cancelled my "
                                          "appointment on 5 October."), date(2026, 10, 26), vocabulary())
    assert found[-1].start == date(2026, 10, 5)


def test_a_letters_own_date_copied_on_top_is_no_step_of_the_story():
    verdict = verdict_of("Hallo, mijn opa vroeg dit door te sturen.\n\nKessel-Lo 12 oktober 2026\n\nin januari 2025 "
                         "heb ik bij het ocmw een toelage gevraagd en die werd geweigerd. ik heb daar toen niks meer op "
                         "gezegd.\n\nwillems rené", sent="Mon, 19 Oct 2026 17:40:26 +0200")
    assert "stale_facts" in verdict.flag_names


@pytest.mark.parametrize("body", [
    "Since November the police zone runs a new scheme of speed cameras. I have not received any fine, let me be "
    "clear. But I think this scheme is more about revenue than about safety, and I would like the police zone to "
    "reconsider it.\n\nLien Wouters",
    "Since September the fee structure of the city's garages has changed. Every ticket was charged correctly. My "
    "problem is the scheme itself.\n\nLien Wouters",
])
def test_a_scheme_contested_by_someone_without_a_fine_is_policy(body):
    assert "general_policy" in verdict_of(body).flag_names


def test_a_charge_accepted_as_such_is_no_policy():
    verdict = verdict_of("La maison de repos m'a facturé la nouvelle redevance avec effet rétroactif. Je ne remets pas "
                         "en cause cette redevance en tant que telle, mais elle ne pouvait pas être facturée pour "
                         "juillet.\n\nLien Wouters")
    assert "general_policy" not in verdict.flag_names


def test_the_college_deciding_a_car_free_street_is_the_citys():
    verdict = verdict_of("In de krant las ik dat het college op 4 september besliste om onze straat autovrij te maken. "
                         "Ik vraag dat ze die beslissing herzien.\n\nLien Wouters", subject="autovrije straat")
    assert verdict.service == "stad"


def test_an_answer_asked_for_a_grandchild_who_reads_the_mail_goes_there():
    verdict = verdict_of("ik ben marcel 90 jaar, mijn kleindochter typt dit. mijn pensioenkaart is nog altijd nie "
                         "toegekomen.\n\ngelieve antwoord te sturen naar mijn kleindochter, zij leest de mails: "
                         "lien.hendrickx@example.be\n\nmarcel hendrickx", sender="marcel.h@skynet.example.be")
    assert verdict.reply_address == "lien.hendrickx@example.be"


# --- blind sets 50 to 55 (eval52-eval57): dates told, signatures, neighbourhood anger, courts, expats ----------

def form_mail(service_answer: str, complaint: str) -> str:
    return ("Nieuw bericht via het contactformulier\n\nVoornaam: Lien\nNaam: Wouters\nE-mailadres: lien.wouters@example.be\n"
            f"Over welke dienst gaat uw klacht?: {service_answer}\nHeeft u de dienst zelf al gecontacteerd?: Ja\n\n"
            f"Uw klacht:\n{complaint}\n")


@pytest.mark.parametrize("body, service", [
    # a name wrapped over two lines by the mail client
    ("Depuis ma retraite en juillet je n'ai rien reçu du Service\nfédéral des Pensions. J'ai appelé trois fois.\n\n"
     "Lien Wouters", "other"),
    # a car park of a shop or of the railways, and a first guess taken back
    ("Je me suis garé au parking du supermarché près du canal. Une société privée m'envoie une redevance de 40 euros "
     "pour cinq minutes de trop.\n\nLien Wouters", "other"),
    ("My car stood in the station car park for two hours and I was charged for a whole day. I paid at the machine "
     "and kept the ticket.\n\nLien Wouters", "other"),
    ("Ik dacht eerst dat AGSL die parking uitbaatte, maar nee. Het is B-Parking, en ze rekenen mij een boete aan "
     "terwijl ik een abonnement heb.\n\nLien Wouters", "other"),
    # another municipality's parking, in Brussels
    ("Je travaille à Etterbeek et la commune d'Etterbeek m'envoie une redevance de stationnement alors que ma carte "
     "était valable. Le service stationnement d'Etterbeek ne répond pas.\n\nLien Wouters", "other"),
    # a doubt whether something happened, not about which body
    ("I registered at the city hall in May. I never got a letter about my residence card and I do not know if the "
     "police officer has come by or not. Can you check my file?\n\nLien Wouters", "stad"),
    ("The sanctioning officer gave me a GAS fine of 250 EUR. Two police officers had come that night and left "
     "smiling; the fine speaks of aggression towards them.\n\nLien Wouters", "stad"),
    ("My mother asked the mobility department for a disabled parking bay in front of her house in March. She drives "
     "to the hospital every week and the parking in our street is always full.\n\nLien Wouters", "stad"),
    ("In June my car was towed by order of the police from the square during the fair. The no-parking signs were "
     "only put up that morning.\n\nLien Wouters", "politie"),
])
def test_bodies_named_over_a_wrapped_line_private_car_parks_and_doubts_about_events(body, service):
    assert verdict_of(body).service == service


def test_a_forms_dont_know_yields_to_a_body_that_names_one_service():
    verdict = verdict_of(form_mail("Weet ik niet", "Ik viel over een losliggende tegel op het voetpad. Mijn "
                                   "schadeaangifte bij de stad bleef onbeantwoord."),
                         sender="Stad Leuven - webformulier <noreply@leuven.example.be>", subject="[Webformulier] Klacht")
    assert verdict.service == "stad"


@pytest.mark.parametrize("body", [
    "Sinds maandag is onze straat eenrichtingsverkeer. Wie heeft dat bedacht? Da's toch nie normaal da de stad "
    "zoiets beslist zonder iemand te vragen.\n\nLien Wouters",
    "Le nouveau règlement communal permet les terrasses jusqu'à 2h. Qui a décidé ça ? Je demande que la ville revienne "
    "sur cet allongement des heures de terrasse.\n\nLien Wouters",
    "Le conseil communal a voté le nouveau plan de circulation. Je m'y oppose : il envoie tout le trafic dans nos "
    "petites rues. Je demande que ce plan soit revu.\n\nLien Wouters",
    "Sinds oktober is de sporthal op zondag dicht. Voor de clubs is dat een slechte beslissing. Ik vraag om de zaal "
    "op zondag terug open te doen.\n\nLien Wouters",
    "Carbid schieten is nu verboden op heel het grondgebied, 300 euro boete. Dat verbod moet eraf.\n\nLien Wouters",
    "Toute notre rue est devenue zone payante en septembre. Cette zone payante doit être revue.\n\nLien Wouters",
    "Met verontwaardiging las ik dat het zwembad van Kessel-Lo op 1 maart de deuren sluit. Ik vraag u deze "
    "beslissing aan te kaarten bij het stadsbestuur.\n\nLien Wouters",
    "Vanaf januari wordt parkeren aan de markt ook op zondag betalend. Da's toch nie normaal da de stad zoiets "
    "beslist. Gewoon laten zoals het was.\n\nLien Wouters",
])
def test_anger_at_a_plan_or_rule_as_such_in_colloquial_and_french_words_is_policy(body):
    assert "general_policy" in verdict_of(body).flag_names


def test_a_rule_grumbled_at_but_set_aside_with_now_is_no_policy():
    verdict = verdict_of("Mijn terrasvergunning werd geschorst, al zegt de vergunning zelf tot middernacht. Ik vind dat "
                         "nieuwe reglement nergens op slaan, maar daar gaat het mij nu niet om: ik wil dat mijn eigen "
                         "vergunning gerespecteerd wordt.\n\nLien Wouters", subject="Terrasvergunning ingetrokken")
    assert "general_policy" not in verdict.flag_names + tuple(f.name for f in verdict.uncertain_flags)


@pytest.mark.parametrize("body, judicial", [
    ("Mijn advocaat heeft een klacht met burgerlijkepartijstelling neergelegd over de nacht in de cel van de "
     "politie. Het onderzoek loopt.\n\nLien Wouters", True),
    ("De stad betaalt mijn terugbetaling niet. Mijn broer, die jurist is, zegt dat ik ze kan laten dagvaarden. Dat "
     "ga ik niet doen voor 80 euro.\n\nLien Wouters", False),
    ("Mon avocat m'a dit que ça ne valait pas la peine d'aller devant le juge de paix pour 40 euros. Pouvez-vous "
     "intervenir auprès de la ville ?\n\nLien Wouters", False),
])
def test_a_civil_party_complaint_is_pending_a_summons_one_could_bring_is_not(body, judicial):
    assert ("judicial_procedure" in verdict_of(body).flag_names) is judicial


@pytest.mark.parametrize("text, ref, start, end", [
    ("Twee winters terug, op een ochtend in januari, viel ik op het voetpad.", date(2026, 9, 21),
     date(2025, 1, 1), date(2025, 1, 31)),
    ("Le 22 mai dernier, j'ai payé mon stationnement par l'application.", date(2026, 9, 15),
     date(2026, 5, 22), date(2026, 5, 22)),
    ("Verleden jaar in de zomer, het was tijdens de braderie, eind juli, viel de lift uit.", date(2026, 10, 5),
     date(2025, 7, 21), date(2025, 7, 31)),
])
def test_a_month_inside_a_season_counted_back_and_a_day_called_last(text, ref, start, end):
    found = find_mentions(split_sentences(text), ref, vocabulary())
    assert [(m.start, m.end) for m in found if "juli" in m.text or "janvier" in m.text or "januari" in m.text
            or "mai" in m.text] == [(start, end)]


@pytest.mark.parametrize("body", [
    "Begin juli 2025 viel mijn vader in het woonzorgcentrum en niemand verwittigde ons. Hij is in februari overleden, "
    "niet door die val, maar het zit mij dwars.\n\nLien Wouters",
    "In maart 2025 weigerde de stad mijn vergunning voor een tuinhuis. Nu zie ik dat de buren deze zomer net zo'n "
    "tuinhuis hebben gezet, met vergunning.\n\nLien Wouters",
])
def test_a_later_date_said_unrelated_or_only_just_seen_leaves_old_facts_stale(body):
    assert "stale_facts" in verdict_of(body, sent="Thu, 22 Oct 2026 09:00:00 +0200").flag_names


def test_a_nuisance_told_as_a_habit_since_an_old_date_is_not_surely_stale():
    verdict = verdict_of("Sinds vorig jaar rond Pasen houdt de jeugdclub naast ons bijna elk weekend fuiven tot 3 uur. "
                         "We hebben het in mei 2025 gemeld aan de jeugddienst, maar er is niets veranderd.\n\n"
                         "Lien Wouters", sent="Mon, 09 Nov 2026 08:00:00 +0100")
    assert "stale_facts" not in verdict.flag_names


@pytest.mark.parametrize("body", [
    "Au musée, un gardien a refusé l'entrée à mon mari en fauteuil roulant. Nous sommes partis sans rien dire et je "
    "n'ai jamais osé me plaindre.\n\nLien Wouters",
    "Een agent duwde mij op de markt tegen de muur. Ik heb toen niks gedaan omdat het toch geen zin had.\n\n"
    "Lien Wouters",
])
def test_never_having_complained_or_done_anything_then_is_first_line_not_tried(body):
    assert "first_line_not_tried" in verdict_of(body).flag_names


def test_us_as_the_quicker_way_than_a_court_is_no_sign_of_skipping_the_service():
    verdict = verdict_of("De werfleider beloofde de haag te herstellen. Mijn advocaat stuurde een ingebrekestelling. Ik "
                         "hoop dat het via u sneller gaat dan via de rechtbank.\n\nLien Wouters")
    assert "first_line_not_tried" not in verdict.flag_names


@pytest.mark.parametrize("body, sender, anonymous", [
    ("Ik kreeg een boete terwijl de automaat kapot was. Mijn bezwaar werd afgewezen.\n\nHoogachtend,\nJan Met De Pet\n"
     "Kerkstraat 1\n9999 Nergenshuizen", "boze.burger.3000@webmail.example.be", True),
    ("Nous trouvons la nouvelle taxe injuste pour les familles.\n\nVeuillez agréer nos salutations,\n\n"
     "Famille Dupuis-Lenoir\nRue de Namur 12, Leuven", "Famille Dupuis-Lenoir <dupuislenoir@courriel.example.fr>", False),
    ("Het café zet zijn tafels tot tegen onze gevel. Ik heb het twee keer gemeld via het meldpunt.\n\nik wil niet dat "
     "de buren weten dat ik het ben.\n\neen buurvrouw", "Tiensestraat <tiensestraatbewoner@webpost.example.org>", True),
])
def test_placeholder_names_family_names_and_neighbours(body, sender, anonymous):
    assert ("anonymous" in verdict_of(body, sender=sender).flag_names) is anonymous


# --- blind sets 56 to 61 (eval58-eval63): phone-typed mail, dates in numbers, care rules, contact shown, ----------
# --- writing for others, automatic mail forwarded ------------------------------------------------------------

def test_a_decision_received_in_writing_is_no_writing_of_the_writer():
    verdict = verdict_of("L'assistante sociale m'a dit que c'est refusé, mais je n'ai reçu aucune décision par écrit. "
                         "Je lui ai demandé trois fois la lettre.\n\nLien Wouters", subject="Carte médicale refusée")
    assert "first_line_not_tried" not in verdict.flag_names


def test_phone_typed_not_knowing_whom_to_contact_is_writing_straight_to_us():
    verdict = verdict_of("got a parking fine for 3 oct, i paid at the meter but the ticket fell off the dashboard. "
                         "didnt know who to contact so im writing you directly\nthx\nlien wouters")
    assert "first_line_not_tried" in verdict.flag_names


def test_an_old_report_of_a_danger_does_not_date_the_accident_it_later_caused():
    verdict = verdict_of("Over a year ago (August 2025) I reported a broken kerb in front of my house through the city's "
                         "online form. On 2 October 2026 my father fell over that very kerb and broke his hip. The city "
                         "says no report is known.\n\nLien Wouters", sent="Fri, 30 Oct 2026 10:00:00 +0100")
    assert "stale_facts" not in verdict.flag_names


@pytest.mark.parametrize("body", [
    "Le nouveau règlement du CPAS fixe un plafond de 600 euros par an et par ménage. Je trouve cela injuste. Je ne vous "
    "écris pas pour un dossier particulier, ni pour moi-même.\n\nLien Wouters",
    "Het toewijzingsreglement van de serviceflats werkt strikt chronologisch. Ik vind dat onrechtvaardig. Ik sta zelf "
    "niet op de wachtlijst en ik klaag niet over een bepaalde toewijzing.\n\nLien Wouters",
    "Het Zorgbedrijf heeft de prijs van de maaltijden opgetrokken van 6 naar 8 euro. Mijn rekening klopt, daar gaat het "
    "niet om. Ik vraag dat het Zorgbedrijf deze prijsverhoging terugschroeft.\n\nLien Wouters",
    "AGSL heeft het uurtarief van de garage verhoogd van 2 naar 3 euro. Ik heb mijn tickets nagekeken, die kloppen met de "
    "nieuwe tarieven. Ik vraag dat AGSL een bezoekerstarief invoert.\n\nLien Wouters",
])
def test_a_rule_contested_by_someone_whose_own_bill_is_right_is_policy(body):
    assert "general_policy" in verdict_of(body).flag_names


def test_not_asking_us_to_take_the_decision_itself_is_no_policy():
    verdict = verdict_of("Mijn cliënt vroeg in juni een leefloon aan en kreeg nog altijd geen beslissing. Wij vragen "
                         "niet dat u de beslissing zelf neemt, wel dat het dossier behandeld wordt.\n\nLien Wouters")
    assert "general_policy" not in verdict.flag_names + verdict.uncertain_flag_names


@pytest.mark.parametrize("body", [
    "J'ai appelé le service Population au moins six fois, toujours la musique d'attente puis la ligne coupe. À la fin j'ai "
    "laissé tomber. Je n'ai pas écrit au service.\n\nLien Wouters",
    "Mijn man moest op maandag naar het ziekenhuis; ik heb 's morgens naar het dagcentrum gebeld dat hij niet zou komen. "
    "Nu rekent het centrum twee dagen aan. Ik heb het centrum zelf er nog niet over aangesproken, ik wilde eerst bij u "
    "navragen of dat wel mag.\n\nLien Wouters",
])
def test_giving_up_on_the_phone_or_asking_us_first_is_shown_as_first_line(body):
    assert "first_line_not_tried" in verdict_of(body).flag_names + verdict_of(body).uncertain_flag_names


@pytest.mark.parametrize("body", [
    "De sociale dienst van het Zorgbedrijf hielp mij het zorgbudget aan te vragen, maar mijn zorgkas weigert het. De "
    "mevrouw van het Zorgbedrijf was heel behulpzaam, daar klaag ik niet over.\n\nLien Wouters",
    "J'habite une maison de repos du Zorgbedrijf. Le Service fédéral des Pensions a diminué ma GRAPA. La maison de repos "
    "est très compréhensive, je n'ai rien à lui reprocher.\n\nLien Wouters",
])
def test_a_service_the_writer_does_not_blame_leaves_the_body_they_do(body):
    assert verdict_of(body).service == "other"


def test_the_citys_premium_and_housing_desk_are_the_citys():
    verdict = verdict_of("In april vroeg ik de stedelijke premie voor dakisolatie aan. Ik mailde in juni en augustus naar "
                         "het woonloket en kreeg telkens te horen dat het bijna in orde is.\n\nLien Wouters")
    assert verdict.service == "stad"


def test_what_the_writer_discovered_lately_does_not_date_old_facts():
    verdict = verdict_of("Bij het opruimen van de papieren van mijn tante ontdekte ik deze zomer dat haar kamer van maart "
                         "tot juni 2025 twee keer werd aangerekend door het woonzorgcentrum. In september heb ik dat gemeld "
                         "aan de facturatiedienst.\n\nLien Wouters", sent="Mon, 26 Oct 2026 09:00:00 +0100")
    assert "stale_facts" in verdict.flag_names


def test_an_answer_asked_for_the_person_written_for_goes_to_their_address():
    verdict = verdict_of("Je suis interprète et j'écris au nom de Mme Lina Haddad. L'agent de l'accueil a refusé sa "
                         "déclaration. Mme Haddad souhaite que la réponse lui soit adressée directement, en français, à "
                         "son adresse : lina.haddad@example.com.\n\nNadia El Amrani",
                         sender="Nadia El Amrani <nadia@interpretes.example.org>")
    assert verdict.reply_address == "lina.haddad@example.com"


def test_a_last_reminder_with_a_payment_link_spelled_out_is_spam():
    verdict = verdict_of("Uw e-mailprogramma ondersteunt geen HTML. Betaal via https://boete-betalen.example.net/PZ-8841",
                         sender="Politie <noreply@boete-betalen.example.net>",
                         subject="Laatste aanmaning: onbetaalde verkeersboete")
    assert verdict.kind == "spam"


def test_the_subject_of_a_forwarded_reminder_counts_as_the_forwarded_mails():
    verdict = verdict_of("Beste ombudsdienst, ik kreeg onderstaande mail en ik heb nooit in die straat geparkeerd. Is dit "
                         "echt van de stad? Ik vind het schandalig dat jullie naam zo misbruikt wordt.\n\nLien Wouters\n\n"
                         "---------- Forwarded message ---------\nVan: Parkeerbeheer <info@parkeer-leuven.example.net>\n"
                         "Onderwerp: Laatste herinnering: onbetaalde parkeerretributie\n\nBeste burger,\nIndien u niet "
                         "binnen 48 uur betaalt, wordt het bedrag verhoogd.\n",
                         subject="FW: Laatste herinnering: onbetaalde parkeerretributie")
    assert verdict.kind == "complaint"


def test_a_forwarded_machine_mail_shows_no_contact_with_the_service():
    verdict = verdict_of("Bonsoir, la confirmation ci-dessous m'a facturé quatre billets plein tarif alors que les enfants "
                         "entrent gratuitement. Je n'ai pas encore écrit au musée.\n\nLien Wouters\n\n"
                         "________________________________\nDe : M Leuven Tickets <tickets@mleuven.example.be>\n"
                         "Objet : Confirmation de votre commande\n\nMerci pour votre commande.\nCeci est un message "
                         "automatique.\n", subject="TR: Confirmation de votre commande")
    assert "first_line_not_tried" in verdict.flag_names


def test_a_claim_filed_with_the_body_is_a_contact():
    verdict = verdict_of("En octobre mon train a été supprimé onze fois. J'ai introduit une demande d'indemnisation auprès "
                         "de la SNCB le 2 novembre. Je ne sais plus à qui m'adresser.\n\nLien Wouters")
    assert "first_line_not_tried" not in verdict.flag_names


def test_a_reply_to_our_mail_about_something_else_is_a_new_complaint():
    verdict = verdict_of("Ik antwoord op uw mail omdat ik zo uw adres vond, maar het gaat over iets helemaal anders dan "
                         "mijn klacht over het zwembad: de werken in onze straat beginnen om 6 uur.\n\nLien Wouters\n\n"
                         "> Op 1 okt. 2026 schreef Ombudsdienst Leuven <ombudsdienst@leuven.example.be>:\n> Wij hebben uw "
                         "klacht goed ontvangen onder nummer OMB-2026-00377.\n",
                         subject="Re: Ontvangstmelding klacht [OMB-2026-00377]", headers={"In-Reply-To": "<ack-377@ombudsdienst.leuven.example.be>"})
    assert (verdict.kind, verdict.case_ref, verdict.another_matter) == ("complaint", None, True)


# --- blind sets 62 to 67 (eval64-eval69): first line in fr/en, traders against rules, Microsoft 365, forms, --------
# --- the one-year limit in Flemish words, the police zone's neighbours -----------------------------------------

@pytest.mark.parametrize("body, service", [
    ("Mijn aanslag voor de belasting op uithangborden rekent 4 m² aan voor een bord van 1 m². Mijn bezwaar bij de "
     "financiële dienst werd afgewezen.\n\nLien Wouters", "stad"),
    ("Ik sta al tien jaar op de vrijdagmarkt en nu ben ik mijn standplaats kwijt. Ik heb de marktdienst nog niet "
     "gecontacteerd, ik weet niet wie daar verantwoordelijk is.\n\nLien Wouters", "stad"),
    ("Le service des événements a refusé notre fête de quartier deux jours avant, pour un document jamais demandé.\n\n"
     "Lien Wouters", "stad"),
    ("Je suis étudiant à la KU Leuven. La ville m'a envoyé une amende administrative pour mon vélo, que j'ai payée deux "
     "fois ; le service des sanctions administratives ne répond plus.\n\nLien Wouters", "stad"),
    ("Mon guichet d'entreprises refuse de renouveler ma carte de marchand ambulant ; sans elle je perds ma place au "
     "marché de Leuven.\n\nLien Wouters", "other"),
    ("Twee agenten van de spoorwegpolitie hebben in het station mijn rugzak leeggeschud voor iedereen.\n\nLien Wouters",
     "other"),
    ("En mars j'ai porté plainte au commissariat. Les policiers ont été corrects, ils ont pris ma plainte. Le parquet a "
     "classé l'affaire sans suite. J'ai écrit au parquet, sans réponse. Pouvez-vous intervenir auprès du procureur ?\n\n"
     "Lien Wouters", "other"),
])
def test_the_citys_taxes_markets_and_events_and_bodies_that_are_not_ours(body, service):
    assert verdict_of(body).service == service


@pytest.mark.parametrize("body, subject", [
    ("wie heeft dat plan bedacht?? de winkelstraat is dood, klanten komen niet meer.\n\nlien wouters",
     "STOP MET DAT CIRCULATIEPLAN"),
    ("De gemeenteraad heeft het politiereglement op de sluitingsuren gewijzigd. Wij vragen om het reglement op te "
     "schorten tot er een evaluatie is.\n\nLien Wouters", "Sluitingsuren"),
    ("Sinds de knippen komt er niemand meer naar onze zaak. Ik vraag dat de stad het circulatieplan terugdraait. Het "
     "is een slecht plan dat zonder de handelaars gemaakt is.\n\nLien Wouters", "Circulatieplan"),
    ("Op 9 november kregen alle abonnees een brief: het abonnement stijgt van 85 naar 110 euro. Dat is toch niet "
     "normaal? Ik vraag dat die verhoging teruggedraaid wordt.\n\nLien Wouters", "Tariefverhoging"),
    ("Ik kreeg mijn aanslag voor de belasting op uithangborden. Het bedrag klopt, daar gaat het mij niet om. Ik vind dat "
     "dit belastingreglement herzien moet worden.\n\nLien Wouters", "Uithangborden"),
])
def test_traders_against_a_plan_a_rule_or_a_rise_as_such_is_policy(body, subject):
    assert "general_policy" in verdict_of(body, subject=subject).flag_names


@pytest.mark.parametrize("body", [
    "Eerst dit: ik vind die regel van de leveringsuren absurd, dat zou herbekeken moeten worden. Maar mijn eigenlijke "
    "klacht is deze: ik kreeg een GAS-boete terwijl het bord weg was.\n\nLien Wouters",
    "A letter from the city says my A-board must be removed within 8 days. The board is my only advertising. I have "
    "not contacted the city yet.\n\nLien Wouters",
])
def test_a_grumble_before_the_real_complaint_and_a_board_that_is_a_sign_are_no_policy(body):
    assert "general_policy" not in verdict_of(body).flag_names


def test_a_day_after_last_autumn_told_is_that_autumns_but_not_one_before_it():
    found = find_mentions(split_sentences("Vorig najaar, in de herfstvakantie (het was de woensdag, 29 oktober), viel "
                                          "een tak op mijn auto."), date(2026, 11, 20), vocabulary())
    assert [m.start for m in found if m.text == "29 oktober"] == [date(2025, 10, 29)]
    found = find_mentions(split_sentences("De gemeenteraad besliste op 28 september de belasting te verhogen, na de "
                                          "verhoging van vorig najaar."), date(2026, 10, 15), vocabulary())
    assert [m.start for m in found if m.text == "28 september"] == [date(2026, 9, 28)]


@pytest.mark.parametrize("body", [
    "I received a property tax bill for 2026 for a flat that I sold on 30 June 2025. I wrote to the tax office in "
    "September 2026.\n\nLien Wouters",
    "Het bord hangt er al sinds mijn vader de zaak in 1987 opende. Nu kreeg ik een belasting van 340 euro.\n\nLien Wouters",
    "Nous avons investi il y a deux ans dans des chauffages électriques. Le nouveau règlement les interdit cet hiver.\n\n"
    "Lien Wouters",
])
def test_a_sale_a_shop_opened_or_an_investment_does_not_date_the_facts(body):
    assert "stale_facts" not in verdict_of(body, sent="Wed, 21 Oct 2026 10:00:00 +0200").flag_names


def test_outlooks_meeting_responses_and_recalls_are_auto_replies():
    message = message_of("Ik kom graag.", subject="Geaccepteerd: Overleg klachtenbehandeling Q4")
    message.add_attachment("BEGIN:VCALENDAR\nMETHOD:REPLY\nEND:VCALENDAR\n", subtype="calendar")
    assert triage(parse(message.as_bytes())).kind == "auto_reply"
    recall = verdict_of('Jan Peeters wil het bericht "Verslag overleg 12 november" intrekken.',
                        subject="Intrekken: Verslag overleg 12 november")
    assert recall.kind == "auto_reply"


@pytest.mark.parametrize("body", [
    "The museum refused my refund. I am writing to you before contacting them, a message from you will be faster.\n\n"
    "Lien Wouters",
    "J'ai reçu une amende administrative pour tapage. Je n'ai pas encore répondu à la ville.\n\nLien Wouters",
    "Des panneaux de chantier bloquent le trottoir depuis août. C'est la première fois que j'écris à ce sujet, je n'ai "
    "prévenu personne à la ville.\n\nLien Wouters",
])
def test_writing_before_contacting_them_not_answering_or_warning_nobody_is_first_line(body):
    assert "first_line_not_tried" in verdict_of(body).flag_names


def test_a_call_the_service_never_made_is_no_step_of_the_writers():
    verdict = verdict_of("Mijn advocaat heeft de politiezone gedagvaard. Ik wil toch laten weten dat ik nooit een "
                         "telefoontje van de politie heb gekregen, zelfs geen excuses.\n\n"
                         "Lien Wouters")
    assert "first_line_not_tried" not in verdict.flag_names


def test_a_form_name_filled_with_none_and_a_french_chain_letter():
    form = verdict_of("Complaint form - new submission\n\nYour name: N/A\nYour e-mail: throwaway@example.com\n\nYour "
                      "complaint:\nThe sports hall was given to another club twice. Not giving my name.\n",
                      sender='"leuven.be" <webforms@leuven.example.be>', subject="[leuven.be] Complaint form")
    assert "anonymous" in form.flag_names
    chain = verdict_of("Bonjour à tous, cette lettre fait le tour du monde. Fais-la suivre à 10 personnes dans les 48 "
                       "heures. NE CASSEZ PAS LA CHAÎNE !!!", sender="Josiane <josiane@example.net>",
                       subject="Fw: TRÈS IMPORTANT à faire suivre")
    assert chain.kind == "spam"


def test_a_colleague_passing_on_a_citizens_mail_has_the_citizen_answered():
    verdict = verdict_of("Dag collega's, deze mail kwam binnen op het algemene adres; ik stuur hem door naar jullie.\n"
                         "Liesbeth\n\nVan: Pieter Claessens <pieter.claessens@example.net>\nVerzonden: zondag 15 november "
                         "2026 20:14\nAan: info@leuven.example.be\nOnderwerp: fiets gestolen\n\nDe agent aan de balie "
                         "wilde mijn aangifte niet noteren.\n\nPieter Claessens\n",
                         sender="Liesbeth Maes <liesbeth.maes@leuven.example.be>", subject="FW: fiets gestolen")
    assert verdict.reply_address == "pieter.claessens@example.net"


# --- blind sets 68 to 73 (eval70-eval75): an ordinary month, contact in Flemish, rules that are not parking, ------
# --- dates in English, robots that look human, which body it is about -------------------------------------------

@pytest.mark.parametrize("body, service", [
    ("Le CPAS m'a envoyé vers le VDAB pour un accompagnement. Depuis, le VDAB a annulé trois fois mon intake sans "
     "prévenir. Le VDAB ne répond pas à mes mails.\n\nLien Wouters", "other"),
    ("Na het overlijden van mijn moeder in Leuven kreeg ik een boete van Vlabel omdat de aangifte van nalatenschap te "
     "laat zou zijn. Ik heb Vlabel twee keer gemaild.\n\nLien Wouters", "other"),
    ("De overlijdensakte van mijn vader bevat twee fouten. Ik heb de dienst Burgerlijke Stand drie keer gemaild; het "
     "ziekenhuis Gasthuisberg heeft de gegevens nochtans correct doorgegeven.\n\nLien Wouters", "stad"),
])
def test_flemish_agencies_and_the_civil_registry(body, service):
    assert verdict_of(body).service == service


def test_keeping_what_is_taken_away_is_asked_of_a_decision():
    verdict = verdict_of("Le musée supprime à partir de 2027 l'entrée gratuite du premier mercredi. Je trouve cette "
                         "décision regrettable. Je vous demande de plaider pour le maintien de la gratuité.\n\nLien Wouters")
    assert "general_policy" in verdict.flag_names


@pytest.mark.parametrize("body", [
    "Since September the OCMW social desk only works by appointment, a decision of the OCMW council. Let me be clear "
    "that this is not about my own file.\n\nLien Wouters",
    "Le conseil de police a approuvé le nouveau plan zonal. Le vol de vélos n'est plus une priorité. Je ne me plains pas "
    "d'un agent ni d'un dossier précis : je voudrais que ce choix soit revu.\n\nLien Wouters",
])
def test_a_plan_or_decision_contested_without_a_case_of_ones_own_is_policy(body):
    assert "general_policy" in verdict_of(body).flag_names


def test_asking_to_cancel_ones_own_charge_is_no_policy():
    verdict = verdict_of("Op 28 oktober kreeg ik een parkeerretributie terwijl mijn digitale bewonerskaart geldig was. Ik "
                         "heb de retributie betwist via het formulier. Ik vraag de annulering van deze retributie.\n\n"
                         "Lien Wouters")
    assert "general_policy" not in verdict.flag_names


def test_a_recent_bill_stays_recent_beside_the_writers_call_about_it():
    verdict = verdict_of("En juin 2025, l'AGSL m'a écrit que mon abonnement restait au tarif actuel. Or la facture "
                         "d'octobre 2026 applique le tarif plein. J'ai téléphoné au service clientèle le 8 octobre.\n\n"
                         "Lien Wouters", sent="Thu, 22 Oct 2026 18:00:00 +0200")
    assert "stale_facts" not in verdict.flag_names


@pytest.mark.parametrize("body, sent", [
    ("Op vrijdag 18 juli 2025 was er op de Oude Markt een vechtpartij waar ik niets mee te maken had. Twee agenten "
     "werkten mij tegen de grond. Ik heb er toen niks mee gedaan.\n\nLien Wouters", "Wed, 30 Sep 2026 10:00:00 +0200"),
    ("Eind oktober vorig jaar (29/10) kreeg ik een parkeerretributie in de blauwe zone. Vorige week vond ik een foto van "
     "die dag waarop je ziet dat het bord er niet stond.\n\nLien Wouters", "Thu, 26 Nov 2026 10:00:00 +0100"),
])
def test_a_fight_one_had_nothing_to_do_with_and_a_photo_found_lately_leave_old_facts_stale(body, sent):
    assert "stale_facts" in verdict_of(body, sent=sent).flag_names


@pytest.mark.parametrize("body, sender, subject, kind", [
    ("Cher(e) contribuable, vous avez droit à un remboursement de 327,40 €. Complétez le formulaire avant le 31 octobre, "
     "sinon le remboursement sera annulé : https://remboursement.example.com/", "SPF Finances <info@remb.example.com>",
     "Remboursement d'impôt", "spam"),
    ("Geachte klant, indien u dit niet binnen 24 uur doet, wordt uw toegang tijdelijk geblokkeerd. Bevestig hier uw "
     "gegevens: https://bevestig.example.net/login", "Uw Bank <veiligheid@bank-mail.example.net>", "Belangrijk", "spam"),
    ("Beste ouders, dinsdag komt de schoolfotograaf. Het oudercomité zoekt helpers.\nHet schoolteam\n\nDit bericht werd "
     "verstuurd naar alle ouders van de lagere school.", "Basisschool <secretariaat@school.example.be>", "Nieuwsflash",
     "bulk"),
])
def test_refund_and_account_phishing_and_a_school_mailing(body, sender, subject, kind):
    assert verdict_of(body, sender=sender, subject=subject).kind == kind


def test_telling_ones_landlord_is_no_contact_with_the_service():
    verdict = verdict_of("Mannen van de stad snoeiden de bomen en een tak brak mijn raam. Ik heb het aan mijn verhuurder "
                         "laten weten. Ik heb zelf nog niet met de stad gebeld.\n\nLien Wouters")
    assert "first_line_not_tried" in verdict.flag_names


def test_steps_listed_as_nouns_are_contacts():
    verdict = verdict_of("Onderwerp: leefloon oktober niet ontvangen\nDossiernummer OCMW: 2026/SD/1182\n\n2. ONDERNOMEN "
                         "STAPPEN\n2.1 02/10: telefoon naar het onthaal.\n2.2 19/10: langsgeweest aan het onthaal.\n\n"
                         "Lien Wouters")
    assert "first_line_not_tried" not in verdict.flag_names


# --- general policy: a change announced for everyone, and the judgement that points back at it ---------------

@pytest.mark.parametrize("body", [
    # a change from a coming date, then a judgement pointing back ("C'est injuste pour tous", "Ik vind dat schandalig")
    "Dans le journal de la ville je lis qu'à partir de l'an prochain toutes les piscines fermeront le dimanche. C'est "
    "injuste pour tous les habitants qui travaillent en semaine.\n\nCamille Dubois",
    "In het infoblad staat dat de taks op tweede verblijven vanaf volgend jaar van 300 naar 700 euro gaat. Iedereen met "
    "een klein appartement moet nu meer betalen. Ik vind dat schandalig.\n\nLien Wouters",
    # "no one may any longer" from a date, then "who thinks of such a thing?"
    "In de nieuwsbrief van het Zorgbedrijf lees ik dat vanaf maart niemand nog na 19 uur op bezoek mag komen. Wie bedenkt "
    "zoiets? Dat is niet eerlijk tegenover alle families die overdag werken.\n\nLien Wouters",
    "The city magazine says that from January the recycling park will only be open on weekdays. Who comes up with "
    "something like this? It is unfair for all families who work during the week.\n\nSam Peters",
])
def test_a_change_announced_for_everyone_and_judged_is_general_policy(body):
    assert "general_policy" in verdict_of(body).flag_names


def test_praising_the_staff_does_not_set_the_rule_aside():
    verdict = verdict_of("Aan de balie van het dienstencentrum hangt een affiche: vanaf 1 januari kost een koffie 2 euro "
                         "in plaats van 1 euro. Iedereen moet nu meer betalen, ook wie het al krap heeft. De bediening is "
                         "altijd vriendelijk, daar gaat het niet over. Maar wie zoiets beslist, kent onze portemonnee "
                         "niet.\n\nLien Wouters")
    assert "general_policy" in {*verdict.flag_names, *(f.name for f in verdict.uncertain_flags)}


def test_a_rule_applied_to_ones_own_case_with_a_date_stays_no_policy():
    verdict = verdict_of("Vanaf 1 september krijg ik geen huurpremie meer, terwijl mijn inkomen niet veranderd is. Ik heb "
                         "het OCMW gebeld maar niemand kon het uitleggen. Ik vind het vreemd dat mijn dossier zomaar "
                         "gestopt is.\n\nLien Wouters")
    assert "general_policy" not in verdict.flag_names


# --- the application contested beside the rule, and an appeal only offered ---------------------------------------

@pytest.mark.parametrize("body", [
    # "it must be applied correctly" asks for the application, it does not say the rule was applied right
    "Mijn aanslag voor de afvalbelasting telt vijf personen, we zijn met twee. Ik heb niets tegen de belasting zelf, "
    "maar ze moet wel correct toegepast worden. Ik belde de dienst financiën al op 2 oktober.\n\nLien Wouters",
    "Nous ne contestons pas le règlement des visites en tant que tel, mais ma mère n'a reçu aucune explication quand "
    "on a refusé la visite de son frère. J'ai écrit au home le 3 octobre.\n\nCamille Dubois",
])
def test_not_contesting_the_rule_itself_is_no_policy(body):
    assert "general_policy" not in verdict_of(body).flag_names


@pytest.mark.parametrize("body", [
    "Het OCMW weigerde mijn premie. In de brief stond: \"Tegen deze beslissing kan u binnen de dertig dagen beroep "
    "aantekenen bij de arbeidsrechtbank.\" Ik heb geen zin om naar de rechtbank te stappen, ik wil een uitleg. Ik heb "
    "het OCMW al twee keer gebeld.\n\nLien Wouters",
])
def test_an_appeal_a_letter_offers_is_no_pending_procedure(body):
    assert "judicial_procedure" not in verdict_of(body).flag_names


@pytest.mark.parametrize("body", [
    "Un arbre de la ville est tombé sur ma clôture en mai. Mon avocat a fait signifier une citation à la Ville en "
    "septembre.\n\nCamille Dubois",
    "Après des mois sans réponse du service, l'affaire est introduite devant le tribunal de première instance.\n\n"
    "Camille Dubois",
])
def test_a_summons_served_and_a_case_brought_before_a_court_are_pending(body):
    assert "judicial_procedure" in verdict_of(body).flag_names


# --- an old episode come back, a refund phishing against the clock, the service that did not tell the writer ----

@pytest.mark.parametrize("body", [
    "Twee jaar geleden, in 2024, reed de vuilniswagen van de stad onze brievenbus omver. Dat werd toen netjes vergoed.\n\n"
    "Maar nu opnieuw. Op 28 september reed hij ons tuinhekje omver en de stad antwoordt niet op mijn mail van 30 "
    "september.\n\nLien Wouters",
    "Il y a deux ans, en 2024, la ville a perdu ma demande de carte de stationnement. J'avais laissé tomber.\n\nEt "
    "maintenant ça recommence. La demande que j'ai déposée au guichet le 14 septembre a disparu.\n\nCamille Dubois",
])
def test_an_old_episode_that_came_back_does_not_assert_stale_facts(body):
    verdict = verdict_of(body)
    assert "stale_facts" not in verdict.flag_names
    assert "stale_facts" in verdict.uncertain_flag_names  # staff still see the old date


def test_a_refund_to_be_confirmed_within_hours_from_an_authority_look_alike_is_spam():
    verdict = verdict_of("Geachte gepensioneerde,\n\nBij een controle bleek dat u nog 212,40 EUR tegoed hebt. Om dat "
                         "bedrag te ontvangen moet u binnen 24 uur uw gegevens bevestigen met uw bankkaart.\n\n"
                         "https://terugbetaling.example-check.top/login\n\nDienst Terugbetalingen",
                         sender="Federale Pensioendienst <info@pensioen-check.example.top>", subject="Uw dossier")
    assert verdict.kind == "spam"


@pytest.mark.parametrize("body", [
    "Mijn fiets werd weggehaald door de stad. Ik klaag over de dienst die mij niet heeft verwittigd en nu weigert de "
    "kosten terug te betalen.\n\nLien Wouters",
])
def test_a_service_that_did_not_tell_the_writer_is_no_step_the_writer_skipped(body):
    assert "first_line_not_tried" not in verdict_of(body).flag_names


# --- services: the city's permits, taxes and fees by name, a doubt within the one service, a court's registry ------

@pytest.mark.parametrize("body, service", [
    # the city and the police named alike: the permit is the city's
    ("Elke zaterdag dreunt de muziek van dat festival tot 3 uur. De stad geeft die vergunningen en niemand controleert "
     "iets. Ik heb het aan de stad gemeld en de politie gebeld.\n\nLien Wouters", "stad"),
    ("Mijn aanslag hondenbelasting telt twee honden, ik heb er maar één. Ik belde al naar financiën.\n\nLien Wouters",
     "stad"),
    ("De terrasretributie van vorige maand werd twee keer aangerekend. Mijn mail van 2 oktober bleef onbeantwoord.\n\n"
     "Lien Wouters", "stad"),
    ("Mon père reçoit les repas à domicile du Zorgbedrijf. Depuis trois semaines ils arrivent froids. Je n'ai pas "
     "encore appelé le service des repas, je ne sais pas qui est responsable.\n\nCamille Dubois", "zorgbedrijf"),
    ("Mijn moeder gaat naar het dagcentrum van het Zorgbedrijf. Sinds oktober is er geen begeleider meer bij de activiteiten. Ik heb nog niet met "
     "de dienst zelf gebeld, ik weet niet wie daar verantwoordelijk is.\n\nLien Wouters", "zorgbedrijf"),
    ("Depuis le 1er octobre, une heure dans les parkings souterrains coûte 3 euros. J'ai écrit à l'exploitant, "
     "sans réponse.\n\nCamille Dubois", "agsl"),
    ("J'ai écrit trois fois au greffe du tribunal de police pour obtenir une copie du jugement, sans réponse.\n\n"
     "Camille Dubois", "other"),
])
def test_the_citys_permits_taxes_and_fees_and_a_doubt_within_one_service(body, service):
    assert verdict_of(body).service == service


# --- blind sets eval82-eval87: policy told without a case of one's own, stub plain parts, read receipts -------

@pytest.mark.parametrize("body", [
    "The police zone has chosen new priorities for its patrols: more speed checks, fewer foot patrols in the "
    "evenings. I want to be clear that this is not about any individual officer. It's about the choices the zone "
    "has made.\n\nMaarten Claes",
    "Le conseil du CPAS a adopté un règlement qui limite la prime de chauffage aux habitants inscrits depuis dix ans. "
    "Je ne suis pas concernée personnellement, mais cette condition exclut les nouveaux venus.\n\nLine Mertens",
    "De stad heeft beslist dat het containerpark op zondag dicht blijft. Ik heb zelf nog niks meegemaakt, maar "
    "mijn buren werken allebei de hele week.\n\nJef Wouters",
    "Depuis le 1er septembre, AGSL a supprimé le tarif réduit du soir dans ses parkings. Je paie, je ne conteste "
    "aucune amende, mais je trouve cette suppression injuste.\n\nPaul Lambert",
])
def test_a_rule_contested_by_one_who_says_no_case_of_their_own_is_in_it_is_general_policy(body):
    verdict = verdict_of(body)
    assert "general_policy" in verdict.flag_names


@pytest.mark.parametrize("body", [
    "Het college heeft de knip in onze straat beslist zonder de bewoners eerst te raadplegen. Die knip moet "
    "terug van tafel.\n\nAn Peeters",
    "The council approved the new night closing of the city library. Were residents even consulted? I would like "
    "the city to explain how this decision was taken.\n\nKate Morris",
])
def test_a_decision_taken_without_those_it_hits_is_general_policy(body):
    verdict = verdict_of(body)
    assert "general_policy" in verdict.flag_names


def test_a_petition_against_a_rule_is_general_policy():
    verdict = verdict_of("Namens de buurtvereniging en 87 ondertekenaars bezorgen wij u deze petitie tegen het "
                         "nieuwe reglement op de bewonerskaarten.\n\nKarel Jacobs", subject="Petitie bewonerskaarten")
    assert "general_policy" in verdict.flag_names


@pytest.mark.parametrize("body", [
    "My housing support was refused because, the letter says, I am not registered in Leuven, which their rules "
    "require. But I have been registered since March. I don't disagree with the rule itself. It just was not "
    "applied correctly to me.\n\nArun Patel",
    "De thuiszorg van mijn vader werd gehalveerd volgens de nieuwe voorrangsregels. Tegen die regels op zich heb "
    "ik niets. Maar pas ze dan ook correct toe: hij woont wel alleen.\n\nEls Vermeulen",
])
def test_a_rule_said_to_be_fine_but_misapplied_is_no_general_policy(body):
    verdict = verdict_of(body)
    assert "general_policy" not in verdict.flag_names


def test_the_principle_of_ones_own_small_charge_is_no_general_policy():
    verdict = verdict_of("AGSL rekende mij 12 euro parkeerretributie aan terwijl mijn bewonerskaart geldig was. "
                         "Het gaat maar om 12 euro, maar het gaat om het principe.\n\nDirk Maes")
    assert "general_policy" not in verdict.flag_names


def test_a_web_form_sent_in_html_beside_a_stub_plain_part_is_read_from_its_html():
    message = EmailMessage()
    message["From"] = "Stad Leuven formulieren <no-reply@leuven.example.be>"
    message["To"] = "ombudsdienst@leuven.example.be"
    message["Subject"] = "Nieuwe melding via het formulier"
    message["Date"] = "Wed, 07 Oct 2026 10:00:00 +0200"
    message.set_content("Dit bericht bevat HTML. Open het in een programma dat HTML kan tonen.")
    message.add_alternative(
        "<table><tr><td>Naam</td><td>Hanne Willems</td></tr>"
        "<tr><td>E-mail</td><td>hanne.willems@example.org</td></tr>"
        "<tr><td>Dienst</td><td>M Leuven</td></tr>"
        "<tr><td>Omschrijving</td><td>Op zaterdag was de tentoonstellingszaal van het museum gesloten terwijl wij "
        "online tickets hadden gekocht. Ik heb het museum al gemaild maar kreeg geen antwoord.</td></tr></table>",
        subtype="html")
    verdict = triage(parse(message.as_bytes()))
    assert verdict.reply_address == "hanne.willems@example.org"
    assert verdict.service == "m-leuven"
    assert "anonymous" not in verdict.flag_names


@pytest.mark.parametrize("body, language", [
    ("Your message\n\n  To: Ann Smith\n  Subject: [OMB-2026-00437] Ontvangstbevestiging van uw klacht\n"
     "  Sent: 10 November 2026 15:30\n\nwas read on 11 November 2026 08:03.\n", "en"),
    ("Votre message\n\n  À : Anne Roux\n  Objet : [OMB-2026-00437] Ontvangstbevestiging van uw klacht\n"
     "  Envoyé : 10/11/2026 15:30\n\na été lu le 11/11/2026 08:03.\n", "fr"),
])
def test_a_read_receipt_of_our_acknowledgement_is_in_the_readers_language(body, language):
    verdict = verdict_of(body, subject="Read: [OMB-2026-00437] Ontvangstbevestiging van uw klacht")
    assert (verdict.kind, verdict.language) == ("auto_reply", language)


@pytest.mark.parametrize("body", [
    "Sinds 1 oktober is het zwembad op zondag dicht. Ik heb daarover een lezersbrief gestuurd naar de krant. Bij de "
    "sportdienst zelf heb ik niet geklaagd.\n\nMia Claes",
    "Op de buurtvergadering heb ik dit verteld aan gemeenteraadslid Peters, die zei dat de stad daar traag in is. Bij "
    "de groendienst heb ik zelf nog niets gemeld.\n\nRik Jansen",
    "Le linge de ma mère disparaît au home. Je n'ai pas encore osé en parler à la direction ni au personnel. Je "
    "préfère passer par vous.\n\nSophie Lenoir",
    "Hier je me suis présentée à l'accueil du musée, où on m'a refusé l'entrée gratuite. Je n'ai pas écrit au musée "
    "lui-même, je me tourne directement vers vous.\n\nClaire Dumont",
    "De factuur van de sporthal klopt niet. Ik heb de klacht eerst bij de Vlaamse Ombudsdienst ingediend. Bij de "
    "sportdienst heb ik niets gemeld, ik wist niet dat dat eerst moest.\n\nBert Smets",
])
def test_no_word_to_the_service_itself_and_a_turn_to_us_assert_first_line_not_tried(body):
    verdict = verdict_of(body)
    assert "first_line_not_tried" in verdict.flag_names


@pytest.mark.parametrize("body", [
    "Op 3 augustus kreeg ik een parkeerretributie. Ik heb dat betwist bij AGSL, maar ze wezen het af omdat mijn kaart "
    "niet zichtbaar zou geweest zijn.\n\nGreet Peeters",
    "Ik richt mij tot u als advocaat van mevrouw Hermans. De stad heeft haar aanvraag geweigerd.\n\nMr. Koen Vos",
])
def test_a_contested_charge_and_a_formal_opening_are_no_skipped_first_line(body):
    verdict = verdict_of(body)
    assert "first_line_not_tried" not in verdict.flag_names


def test_a_link_showing_an_authoritys_address_that_leads_elsewhere_is_phishing():
    message = message_of("placeholder", sender="Greffe du Tribunal <greffe@tribunal-avis.example.net>",
                         subject="Avis de saisie - dossier 2026/118")
    message.set_content("Avis de saisie. Réglez le montant via le lien.")
    message.add_alternative("<p>Une saisie sera exécutée. Réglez le montant via "
                            "<a href=\"http://paiement-greffe.example.net/regler?id=118\">https://justice.belgium.be/paiement</a>"
                            "</p>", subtype="html")
    assert triage(parse(message.as_bytes())).kind == "spam"


def test_a_citizens_link_rewritten_by_safe_links_is_no_disguise():
    message = message_of("placeholder")
    message.set_content("Op 2 oktober is mijn aanvraag voor een bewonerskaart geweigerd. Ik heb AGSL gebeld. De regels "
                        "staan op https://www.leuven.be/bewonerskaart.\n\nLien Wouters")
    message.add_alternative("<p>Op 2 oktober is mijn aanvraag voor een bewonerskaart geweigerd. Ik heb AGSL gebeld. De "
                            "regels staan op <a href=\"https://eur03.safelinks.protection.outlook.com/?url=https%3A%2F%2F"
                            "www.leuven.be%2Fbewonerskaart\">https://www.leuven.be/bewonerskaart</a>.</p><p>Lien Wouters</p>",
                            subtype="html")
    assert triage(parse(message.as_bytes())).kind == "complaint"


@pytest.mark.parametrize("body, service", [
    ("Gisteren bij de controle hield de agent mij veertig minuten in de kou. Een maat van mij zegt ga naar comité P of "
     "zelfs het parket, maar ik probeer het eerst hier.\n\nJens Vos", "politie"),
    ("Ma demande de carte riverain a été refusée. J'ai contesté auprès du service de stationnement, sans "
     "succès.\n\nSandrine Lefèvre", "agsl"),
    ("Mijn dochter wordt gepest op haar katholieke school in Leuven (dus geen stadsschool). De directie antwoordt "
     "niet.\n\nEva Maes", "other"),
    ("Sinds de winter zit er schimmel in ons appartement van de woonmaatschappij. Ik heb het vijf keer gemeld.\n\n"
     "Ahmet Yilmaz", "other"),
    ("Ik kreeg een aanslag leegstandsheffing terwijl er een huurder in het pand woont. Mijn bezwaar werd "
     "afgewezen.\n\nFrieda Maes", "stad"),
])
def test_advice_to_go_elsewhere_a_body_said_not_to_be_ours_and_bodies_by_their_own_names(body, service):
    assert verdict_of(body).service == service


def test_a_forms_betreft_field_names_the_body_and_the_city_magazine_is_only_where_it_was_read():
    body = ("Er werd een nieuw formulier ingediend.\n\nNaam: Lotte Van Damme\nE-mailadres: lotte.vd@example.be\n"
            "Betreft: AGSL - parkeren\nUw bericht: Ik las in het stadsmagazine dat de bewonerskaart 120 euro gaat kosten, "
            "zo beslist door de gemeenteraad. Ik vraag dat die verhoging herzien wordt.\n")
    verdict = verdict_of(body, sender="Stad Leuven <no-reply@leuven.example.be>", subject="Nieuw bericht via formulier")
    assert verdict.service == "agsl"


@pytest.mark.parametrize("body, stale", [
    ("Depuis le règlement-taxe voté en mai 2026, notre appartement est taxé. Nous avons acheté cet appartement il y a "
     "dix ans pour nos enfants.\n\nMarie Dubois", False),
    ("I came to Belgium in March 2024 with my husband. On 9 September 2026 I gave my licence at the city desk and "
     "now they cannot find it. I went again on 30 September, same answer.\n\nPriya Nair", False),
    ("Op 16 augustus 2025 kreeg ik een GAS-boete omdat mijn hond los liep. Ik heb toen verweer ingediend, het werd "
     "afgewezen. Vorige week wandelde ik daar opnieuw en zag een nieuw bord.\n\nMarc Dewaele", True),
])
def test_a_home_bought_an_arrival_and_passing_by_again_are_no_facts(body, stale):
    verdict = verdict_of(body, sent="Mon, 02 Nov 2026 10:00:00 +0100")
    assert ("stale_facts" in verdict.flag_names) is stale


# --- blind sets eval88-eval93: quoted headers are no form, moot form answers, advance-fee fraud --------------

def test_a_quoted_mail_header_under_a_persons_reply_is_no_web_form():
    body = ("Hieronder het antwoord dat ik kreeg. Mijn buurvrouw heeft het formulier voor mij ingevuld. Ik ben daar niet "
            "content mee.\n\nGroetjes,\nGeorgette Van Roey\n\nVan: Openbaar Domein <od@leuven.example.be>\n"
            "Verzonden: dinsdag 1 september 2026 10:12\nAan: georgette.vr@example.be\nOnderwerp: Uw melding 4471\n\n"
            "Geachte mevrouw, wij danken u voor uw melding.\n")
    verdict = verdict_of(body, sender="Georgette Van Roey <georgette.vr@example.be>", subject="RE: Uw melding 4471")
    assert verdict.reply_address == "georgette.vr@example.be"
    assert "anonymous" not in verdict.flag_names + verdict.uncertain_flag_names


def test_consent_to_be_contacted_is_no_answer_about_contacting_the_service():
    body = ("Uw mening telt - nieuwe reactie\n\nNaam: Els Peeters\nE-mail: els.p@example.be\nDienst: Sociaal Huis\n\n"
            "Reactie:\nMaandag twee uur gewacht aan het onthaal van het Sociaal Huis. Ik heb de balie daarna gemaild.\n\n"
            "Mag gecontacteerd worden: nee\n")
    verdict = verdict_of(body, sender="OCMW formulieren <no-reply@ocmw.leuven.example.be>", subject="Webformulier")
    assert "first_line_not_tried" not in verdict.flag_names


def test_a_forms_no_to_contacting_the_service_is_moot_for_a_complaint_against_a_rule():
    body = ("Er werd een nieuw klachtenformulier ingediend.\n\nNaam: Oliver Brennan\nE-mailadres: oliver.b@example.com\n"
            "Dienst: Stad Leuven\nHeeft u de betrokken dienst al gecontacteerd?: Nee\n\nOmschrijving van uw klacht:\n"
            "The council decided to close the Kessel-Lo library branch. I think this decision is short-sighted. I'd like "
            "the ombudsman to ask the council to reconsider this decision.\n")
    verdict = verdict_of(body, sender="Stad Leuven <no-reply@leuven.example.be>", subject="Nieuwe klacht via webformulier")
    assert "general_policy" in verdict.flag_names
    assert "first_line_not_tried" in verdict.uncertain_flag_names


@pytest.mark.parametrize("body, flagged", [
    ("Sinds juni heb ik vier keer een vraag gesteld aan de dienst omgeving. Ik heb nog nooit een antwoord gekregen, ook "
     "telefonisch is niemand bereikbaar.\n\nBart Claes", False),
    ("Mon assistante sociale du CPAS ne répond plus à mes appels ni à mes courriels depuis septembre.\n\nJean Kabongo", False),
    ("Ik ben naar het politiekantoor gegaan om aangifte te doen, maar ze weigerden. Ik heb nog geen klacht ingediend bij "
     "de politie zelf, ik wist eerlijk gezegd niet goed waar.\n\nNele Hermans", True),
    ("Kort gezegd: de verzorgende van het Zorgbedrijf die bij ons ma moet komen, komt niet op de afgesproken dagen. We "
     "hebben het nog niet tegen het Zorgbedrijf zelf gezegd.\n\nJan Maes", True),
    ("Gisteren twee keer betaald in de parking Ladeuze. Weet niet waar ik bij AGSL moet zijn dus stuur het naar "
     "jullie.\n\nMehdi", True),
    ("Le 28 septembre, au guichet du CPAS, l'employée a parlé de mes dettes devant tout le monde. Je ne me suis pas "
     "plainte auprès d'eux, je préfère passer par vous.\n\nAmina Diallo", True),
])
def test_questions_asked_and_unanswered_calls_are_contacts_and_the_service_itself_not_told_is_none(body, flagged):
    verdict = verdict_of(body)
    assert ("first_line_not_tried" in verdict.flag_names) is flagged


def test_what_a_pasted_letter_offers_the_reader_is_no_step_of_the_writer():
    body = ("Ik kreeg deze brief:\n\"Stad Leuven - Sanctionerend ambtenaar. Het voorgestelde bedrag bedraagt 50 euro. U kunt "
            "binnen de 15 dagen uw verweer schriftelijk indienen.\"\nIk rook niet eens. Ik heb nog geen verweer ingediend, "
            "ik wou eerst bij u horen of dat zin heeft.\n\nLotte Jansen")
    assert "first_line_not_tried" in verdict_of(body).flag_names


def test_a_name_given_beside_a_wish_to_stay_anonymous_is_for_staff_to_judge():
    body = ("== Meldingsformulier Ombudsdienst ==\n\nNaam: Dirk Coppens\nE-mail: dirk.c@example.be\nAnoniem melden: ja\n"
            "Dienst: Stad - Wegenwerken\n\nOmschrijving:\nAl vijf nachten wordt er gewerkt tussen 23u en 4u. Ik heb Leuven "
            "Info twee keer gebeld.\n")
    verdict = verdict_of(body, sender="Stad Leuven <no-reply@leuven.example.be>", subject="Nieuwe melding")
    assert "anonymous" in verdict.uncertain_flag_names


@pytest.mark.parametrize("body, sender, subject, kind", [
    ("Cher(e) bénéficiaire,\n\nVotre adresse électronique a été tirée au sort pour recevoir une subvention de "
     "850.000,00 EUR. Envoyez vos coordonnées bancaires et les frais de dossier.\n\nMe Albert Duchêne",
     "Fondation d'Aide <contact@fondation.example.net>", "Félicitations", "spam"),
    ("Dear beneficiary,\n\nA client of mine deceased without any heirs and left 4,850,000 EUR in funds. Your e-mail "
     "address was selected to receive them. Send me your full name and phone number.\n\nBarrister John Okoye",
     "John Okoye <j.okoye@chambers.example.com>", "Unclaimed inheritance", "spam"),
    ("Geachte klant,\n\nDoe mee aan ons klantentevredenheidsonderzoek: het duurt 5 minuten. Onder alle deelnemers "
     "verloten wij 10 cadeaubonnen van 50 euro.\n\nDit bericht werd verstuurd via Surveypunt namens Kantoorpunt NV.",
     "Kantoorpunt via Surveypunt <enquete@surveypunt.example.com>", "Uw mening telt", "bulk"),
])
def test_advance_fee_fraud_and_a_survey_with_a_prize_draw(body, sender, subject, kind):
    assert verdict_of(body, sender=sender, subject=subject).kind == kind


@pytest.mark.parametrize("body, service", [
    ("Ik stuur u wat ik naar de dienst Horeca stuurde: elke donderdag muziek tot drie uur op het terras.\n\nEen buur",
     "stad"),
    ("Sinds half oktober branden de lanteirns in onze straat niet meer. Ik heb het drie keer via Leuven Meldt "
     "gemeld.\n\nde buren", "stad"),
    ("Une grue travaillant pour la ville a heurté ma façade le 14 juillet. J'ai envoyé mon devis au service assurances "
     "de la ville. Le 21 septembre, j'ai reçu un refus : selon eux, c'est l'entrepreneur qui est responsable.\n\n"
     "Jean-Marc Lefèvre", "stad"),
])
def test_the_citys_services_by_their_names_and_what_the_writer_was_told_is_no_doubt(body, service):
    assert verdict_of(body).service == service


@pytest.mark.parametrize("body", [
    "Je trouve injuste que le CPAS n'accorde l'aide qu'en dessous d'un plafond de revenus. Ce n'est pas mon dossier que "
    "je conteste, l'assistante sociale a bien fait son travail. Il faudrait revoir ce plafond.\n\nUne pensionnée, Anne",
    "On nous a refusé l'entrée parce que les groupes doivent réserver trois semaines à l'avance. Je ne conteste pas "
    "que cette règle existe. Ce que je conteste, c'est la règle en elle-même.\n\nSophie Lejeune",
    "Sinds deze maand is het museum op woensdag gesloten. Ze zijn er altijd vriendelijk, da's het punt niet. Mijn "
    "klacht is over die nieuwe openingsuren.\n\nRosa Jacobs",
    "Le musée supprime la gratuité du premier mercredi. Je trouve cette décision regrettable.\n\nHenri Dubois",
])
def test_the_rule_itself_named_as_the_complaint_is_general_policy(body):
    assert "general_policy" in verdict_of(body).flag_names


def test_an_objection_to_ones_own_tax_assessment_waiting_for_the_college_is_no_policy():
    verdict = verdict_of("Op 10 februari heb ik een bezwaarschrift ingediend bij het college van burgemeester en "
                         "schepenen tegen de aanslag in de belasting op tweede verblijven. Het college heeft zes maanden "
                         "om een beslissing te nemen, maar ik hoor niets.\n\nAnn Wouters")
    assert "general_policy" not in verdict.flag_names


@pytest.mark.parametrize("body, sent, stale", [
    ("L'été passé, en juillet 2025, l'aide familiale n'est pas venue pendant trois semaines.\n\nMarie Lenoir",
     "Tue, 06 Oct 2026 10:00:00 +0200", True),
    ("Voici la lettre du Zorgbedrijf:\n« Zorgbedrijf Leuven, le 9 septembre 2025.\nMadame, nous avons bien reçu votre "
     "courrier du 20 août. »\nMa mère est tombée le 16 août 2025.\n\nClaire Gérard", "Fri, 06 Nov 2026 10:00:00 +0100", True),
    ("Back in November 2024 I got a GAS fine. Last month I read in a newspaper that many of those fines were "
     "wrong.\n\nTom Baker", "Mon, 16 Nov 2026 10:00:00 +0100", True),
])
def test_a_period_told_again_by_its_date_a_letters_earlier_letter_and_the_press_read_since(body, sent, stale):
    assert ("stale_facts" in verdict_of(body, sent=sent).flag_names) is stale


def test_a_dialect_court_name_is_a_court():
    verdict = verdict_of("De stad gaf een vergunning aan mien buurman. Ich bin in beroep gegaon en noe loopt d'r ein "
                         "zaak bie de Raad veur Vergunningsbetwistinge.\n\nGuido Thijs")
    assert "judicial_procedure" in verdict.flag_names


# --- blind sets eval94-eval99: concessions taken back, courts by their steps, bodies by their places ---------

@pytest.mark.parametrize("body", [
    "Sinds 1 september is het wijkkantoor van de politie gesloten. Ik snap da er bespaard moet worden maar da's toch geen "
    "manier van doen. Die beslissing van de politiezone moet teruggedraaid worden.\n\nKevin Wouters",
    "De gemeenteraad verhoogde het tarief van de tweede bewonerskaart. Ik vind dat de gemeenteraad deze tariefverhoging "
    "moet herbekijken. Mijn eigen aanvraag is overigens correct behandeld, daar gaat het niet om.\n\nLies Goossens",
    "De wachtlijst voor schuldbemiddeling is vijf maanden, voor iedereen. Ik vind het beleid om met zo'n lange wachtlijst "
    "te werken onverantwoord.\n\nYoussef El Amrani",
    "De prioriteiten van de politiezone kloppen gewoon niet: flitsers aan de scholen, niemand bij inbraken.\n\nAn Claes",
    "This is not about a ticket or a specific incident. It's about AGSL's new rule that the car park closes at "
    "midnight.\n\nRachel Adeyemi",
])
def test_a_concession_taken_back_and_the_rule_judged_in_other_words_are_general_policy(body):
    assert "general_policy" in verdict_of(body).flag_names


def test_the_decision_set_apart_is_not_contested():
    verdict = verdict_of("The OCMW refused his rent guarantee on 22 September; we appealed. Apart from the decision "
                         "itself, we are very concerned about the way he was spoken to at the counter.\n\nPieter Coppens")
    assert "general_policy" not in verdict.flag_names


@pytest.mark.parametrize("body", [
    "Ce PV a été transmis au parquet et je suis convoqué devant le tribunal de police le 14 décembre.\n\nOlivier Marchal",
    "J'ai contesté cette décision devant le tribunal du travail en mai. L'affaire a été reportée deux fois.\n\nFatou Diallo",
    "De zaak werd al twee keer uitgesteld; de volgende zitting is op 26 november.\n\nFatma Diallo",
])
def test_summoned_or_contesting_before_a_court_and_its_next_hearing_are_pending(body):
    assert "judicial_procedure" in verdict_of(body).flag_names


@pytest.mark.parametrize("body, flagged", [
    ("Le chauffeur de De Lijn a refusé de sortir la rampe. J'ai déjà rempli le formulaire de plainte sur leur site, sans "
     "réponse. Je ne sais plus à qui m'adresser.\n\nNadia Lambert", False),
    ("In september 2026 kwam de wijkagent en luisterde alleen naar de gebuur. Ik em da nooit bij de politie zelf gaan "
     "zeggen want da dient toch voor niks.\n\nGerard Wouters", True),
    ("One of the officers kept shouting at me when I asked for his name. To be clear, I have not filed anything with the "
     "police zone itself.\n\nLeo Park", True),
    ("Twice nobody came to help my father. I only found out because his GP, Dr. Wouters, called me. I haven't rung the "
     "home care office myself.\n\nDaniel Brooks", True),
    ("Une voiture de police est garée chaque matin sur la piste cyclable. Je ne me suis évidemment pas plaint à la "
     "police.\n\nun cycliste, Marc", True),
    ("I went to the international desk yesterday and was treated rudely. I don't want to be \"that foreigner who "
     "complained\". I have not complained to the city itself.\n\nJ. Chen", True),
    ("In januari 2021 hield een agent mij tegen en scheurde mijn attest. Ik heb da toen nooit aangeklaagd.\n\nJos "
     "Verhaegen", True),
])
def test_forms_filled_in_and_contacts_not_made_in_more_words(body, flagged):
    assert ("first_line_not_tried" in verdict_of(body).flag_names) is flagged


@pytest.mark.parametrize("body, service", [
    ("Mon fils s'est blessé sur un toboggan cassé de la plaine de jeux du Provinciaal Domein à Kessel-Lo.\n\nClaire "
     "Dubois", "other"),
    ("From 1 October the hourly rate in the city car parks went up from 2.40 to 3.20 euros.\n\nSarah Mitchell", "agsl"),
    ("Depuis janvier, la deuxième carte de stationnement pour riverains d'un ménage coûte 250 € au lieu de 60 €. Je "
     "trouve cela injuste.\n\nJean-Pierre Lambotte", "agsl"),
    ("Bus 2 drove past our stop. I filled in the De Lijn customer service form and got a copy-paste reply. I know De "
     "Lijn isn't exactly the city, but I'm not sure who else to turn to.\n\nLucas Moreno", "other"),
])
def test_bodies_by_their_places_and_a_doubt_about_where_to_turn_with_one_body_named(body, service):
    assert verdict_of(body).service == service


@pytest.mark.parametrize("body, sent", [
    ("In April 2020, during the first lockdown, an officer fined me for sitting on a bench. Last week I walked past the "
     "Kruidtuin again and it all came back. I never complained to the police.\n\nTomasz Nowak",
     "Tue, 29 Sep 2026 10:00:00 +0200"),
    ("In januari 2021, met de avondklok, verscheurde een agent mijn attest. Vorige week stond diezelfde agent ineens "
     "bij ons aan de deur.\n\nJos Verhaegen", "Wed, 21 Oct 2026 10:00:00 +0200"),
    ("L'an dernier, mon fils était inscrit au stage de la Ville du 28 au 31 octobre 2025. Le premier jour il n'était pas "
     "sur la liste, alors que j'avais payé en ligne en septembre.\n\nCéline Dupont", "Tue, 10 Nov 2026 10:00:00 +0100"),
])
def test_passing_the_place_again_meeting_the_same_officer_and_a_pluperfect_leave_the_old_facts_stale(body, sent):
    assert "stale_facts" in verdict_of(body, sent=sent).flag_names


@pytest.mark.parametrize("body, sender, subject", [
    ("Cher client,\n\nUne activité inhabituelle a été détectée : votre carte sera bloquée demain. Pour éviter le blocage, "
     "veuillez confirmer vos données ici : http://carte-securite.example.info/fr\n\nService Client",
     "Service Client <alerte@banque-securite.example.info>", "Action requise : votre carte"),
    ("Beste klant,\n\nUw zending kon vandaag niet worden geleverd. Betaal de herleveringskosten van 2,49 EUR: "
     "https://pakjes-track.example.top/herlevering\n\nDe pakjesdienst",
     "Pakjesdienst <noreply@pakjes-track.example.top>", "Uw pakket"),
    ("Geachte klant,\n\nU betaalde een te hoog voorschot. Het bedrag wordt teruggestort zodra u uw rekeningnummer "
     "bevestigt. Deze link is 2 dagen geldig.\n\nKlantendienst",
     "Klantendienst <klant@energie-terugbetaling.example.xyz>", "Terugstorting voorschot"),
    ("Hi team,\n\nOur tool reads every incoming message and routes it. GDPR-compliant, integrates with Outlook in 15 "
     "minutes. Would you have 20 minutes next week for a quick demo?\n\nJenny, Account Executive Benelux",
     "Jenny from Routely <jenny@routely.example.io>", "Cut handling time by 60%"),
    ("ATTENTION: BENEFICIARY,\n\nA court has approved the release of EUR 2,750,000.00 to your organisation. A small "
     "clearance fee is payable before release. Reconfirm your bank account within 72 hours.\n\nBarrister J. Wood",
     "Barrister J. Wood <j.wood.chambers@example.net>", "RELEASE OF COMPENSATION FUND"),
    ("Madame, Monsieur,\n\nUne somme de 96,20 EUR reste impayée. Sans règlement sous 48 heures, nous procéderons à la "
     "saisie de vos biens.\n\nRÉGLER MAINTENANT : http://recouvrement-paiement.example.top/regler\n\nService recouvrement",
     "Etude Huissier <avis@huissier-avis.example.top>", "Dernier avis avant saisie"),
])
def test_card_parcel_and_refund_phishing_and_a_software_pitch_are_spam(body, sender, subject):
    assert verdict_of(body, sender=sender, subject=subject).kind == "spam"


@pytest.mark.parametrize("body, pending", [
    ("Je conteste le procès-verbal. L'affaire sera examinée par le tribunal de police de Louvain le 3 décembre.\n\n"
     "Luc Renard", True),
    ("Mon avocat a déposé une plainte auprès du procureur du Roi ; l'information judiciaire est en cours.\n\nSarah Benali",
     True),
    ("The OCMW refused my living wage and I went to the labour court in July. The hearing is on 19 November.\n\nAmir Haddad",
     True),
    ("J'ai introduit un recours devant le tribunal de police. Par jugement du 10 février, le tribunal a annulé l'amende. "
     "Ce jugement n'a pas fait l'objet d'appel : l'affaire est donc terminée.\n\nPaul Simon", False),
    ("Daarover heb ik een zaak gevoerd bij de arbeidsrechtbank. Die is afgelopen: in juni kreeg ik gelijk.\n\nTom Wouters",
     False),
])
def test_a_court_that_will_hear_it_an_investigation_under_way_and_a_case_that_is_over(body, pending):
    assert ("judicial_procedure" in verdict_of(body).flag_names) is pending


@pytest.mark.parametrize("body", [
    "Ik begrijp het beleid van de politiezone niet: flitsen aan de ring, niets in de wijk. Ik heb zelf geen boete "
    "gekregen, daar gaat het niet om. Ik vind gewoon dat de politiezone haar keuzes eens moet uitleggen.\n\nEls Claes",
])
def test_no_fine_of_ones_own_and_choices_to_be_explained_are_general_policy(body):
    assert "general_policy" in verdict_of(body).flag_names
