"""The web forms (Flask-WTF: every form carries a CSRF token). Choices come from `decisions` and config."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.validators import DataRequired, Length, Optional

from ..domain import FLAGS, LANGUAGES, SERVICE_CHOICES, SERVICES
from ..review.choices import CHANNELS, DECLINE_REASONS, MANUAL_CHANNELS, NOT_COMPLAINT_REASONS, OMBUDSNORMEN, OUTCOMES

RESOLVED = {"": "onbekend", "yes": "ja", "no": "nee"}


class CheckboxList(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def _choices(labels: dict, blank: str | None = None) -> list[tuple[str, str]]:
    return ([("", blank)] if blank is not None else []) + list(labels.items())


class PlainForm(FlaskForm):
    """Only the CSRF token: for buttons (logout, release, retry, complaint after all)."""


class LoginForm(FlaskForm):
    name = StringField("Naam", validators=[DataRequired(), Length(max=100)])
    password = PasswordField("Wachtwoord", validators=[DataRequired(), Length(max=1000)])


class CodeForm(FlaskForm):
    code = StringField("Code uit de app (of een herstelcode)", validators=[DataRequired(), Length(max=20)])


class LetterFields:
    """The approved text of a letter: empty on the first step (the template is shown), filled on the second."""

    subject = StringField("Onderwerp", validators=[Optional(), Length(max=300)])
    body = TextAreaField("Tekst", validators=[Optional(), Length(max=50_000)])
    confirm = HiddenField()


class CorrectForm(FlaskForm):
    service = SelectField("Dienst", choices=_choices(SERVICE_CHOICES, "(geen)"))
    flags = CheckboxList("Vlaggen", choices=_choices(FLAGS))
    themes = CheckboxList("Thema's", choices=[])


class AcceptForm(FlaskForm):
    handler = SelectField("Behandelaar", choices=[], validate_choice=False)


class DeclineForm(LetterFields, FlaskForm):
    reason = SelectField("Reden", choices=_choices(DECLINE_REASONS), validators=[DataRequired()])
    send_letter = BooleanField("Brief sturen", default=True)


class RedirectForm(LetterFields, FlaskForm):
    service = SelectField("Dienst", choices=_choices(SERVICES))
    send_letter = BooleanField("Brief aan de burger", default=True)
    forward = BooleanField("Klacht doorsturen naar de dienst")
    forward_subject = StringField("Onderwerp doorsturen", validators=[Optional(), Length(max=300)])
    forward_body = TextAreaField("Tekst doorsturen", validators=[Optional(), Length(max=50_000)])


class MediateForm(LetterFields, FlaskForm):
    service = SelectField("Dienst", choices=_choices(SERVICES))


class MergeForm(FlaskForm):
    into = StringField("Samenvoegen met referentie", validators=[DataRequired(), Length(max=32)])


class ReplyAddressForm(FlaskForm):
    address = StringField("Antwoordadres", validators=[DataRequired(), Length(max=254)])


class NotComplaintForm(FlaskForm):
    reason = SelectField("Soort", choices=_choices(NOT_COMPLAINT_REASONS))


class CloseForm(LetterFields, FlaskForm):
    outcome = SelectField("Uitkomst", choices=_choices(OUTCOMES), validators=[DataRequired()])
    resolved = SelectField("Opgelost", choices=list(RESOLVED.items()))
    norms = CheckboxList("Ombudsnormen", choices=_choices(OMBUDSNORMEN))
    recommendation = TextAreaField("Aanbeveling", validators=[Optional(), Length(max=5000)])
    send_letter = BooleanField("Afsluitbrief sturen", default=True)


class ReplyForm(LetterFields, FlaskForm):
    pass


class ManualForm(FlaskForm):
    channel = SelectField("Kanaal", choices=[(c, CHANNELS[c]) for c in MANUAL_CHANNELS])
    received = DateField("Ontvangen op", validators=[DataRequired()])
    name = StringField("Naam", validators=[DataRequired(), Length(max=300)])
    email = EmailField("E-mailadres", validators=[Optional(), Length(max=320)])
    postal_address = TextAreaField("Postadres", validators=[Optional(), Length(max=1000)])
    phone = StringField("Telefoon", validators=[Optional(), Length(max=50)])
    language = SelectField("Taal", choices=_choices(LANGUAGES))
    service = SelectField("Dienst", choices=_choices(SERVICE_CHOICES, "(nog niet bekend)"))
    subject = StringField("Onderwerp", validators=[Optional(), Length(max=300)])
    text = TextAreaField("De klacht", validators=[DataRequired(), Length(max=50_000)])
