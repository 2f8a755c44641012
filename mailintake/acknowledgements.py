"""Compose acknowledgement mails: an `AckRequest` and the config in, an `EmailMessage` out.

The wording lives in jinja2 templates under `templates/acknowledgement/<language>/`
so staff can edit it without touching code. This module reads those templates
and nothing else: no SMTP, no database. The request carries no complaint text or
subject, so an acknowledgement cannot quote the complaint back.

>>> request = AckRequest(ref="OMB-2026-00042", language="nl", received_at=some_aware_datetime,
...     flags=("anonymous",), service="stad", recipient_name="", recipient_address="jan@example.be",
...     in_reply_to="<abc@example.be>", references=(), kind="acknowledgement",
...     message_id=make_message_id("leuven.be"))
>>> compose(request, config)["Subject"]
'Ontvangstmelding klacht [OMB-2026-00042]'
"""

from __future__ import annotations

import email.policy
import importlib.resources
import re
import textwrap
import uuid
from dataclasses import dataclass, fields
from datetime import datetime, timezone
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from functools import lru_cache
from pathlib import Path

import jinja2

from .config import Config
from .parsing import clean_line

LANGUAGES = ("nl", "fr", "en")
DEFAULT_LANGUAGE = "nl"
KINDS = ("acknowledgement", "follow_up_notice")
FLAGS = ("anonymous", "stale_facts", "judicial_procedure", "general_policy", "first_line_not_tried")
LOOP_HEADER = "X-Mailintake-Loop"
TEXT_WIDTH = 76
MAX_REFERENCES = 20
MAX_NAME_LENGTH = 100

_MSGID = re.compile(r"<[^<>\s]+@[^<>\s]+>")
_DOMAIN = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$")

# Name and first-line contact of each service, per language. `[services.NAME]` in
# config.toml overrides these. Descriptions only: no phone numbers or addresses
# are made up for real bodies; staff add those in the config.
DEFAULT_SERVICES: dict[str, dict[str, dict[str, str]]] = {
    "stad": {
        "name": {"nl": "Stad Leuven", "fr": "Ville de Louvain (Stad Leuven)", "en": "City of Leuven"},
        "contact": {
            "nl": "het Contactcenter van de stad, via www.leuven.be",
            "fr": "le Contactcenter de la ville, via www.leuven.be",
            "en": "the city's Contact Centre, via www.leuven.be",
        },
    },
    "politie": {
        "name": {"nl": "Politie Leuven", "fr": "Police de Louvain (Politie Leuven)", "en": "Leuven Police"},
        "contact": {
            "nl": "het onthaal van de politie Leuven",
            "fr": "l'accueil de la police de Louvain",
            "en": "the front desk of the Leuven police",
        },
    },
    "ocmw": {
        "name": {"nl": "OCMW Leuven", "fr": "CPAS de Louvain (OCMW Leuven)", "en": "Public Centre for Social Welfare (OCMW Leuven)"},
        "contact": {
            "nl": "uw maatschappelijk werker of het onthaal van het OCMW",
            "fr": "votre assistant social ou l'accueil du CPAS (OCMW)",
            "en": "your social worker or the OCMW front desk",
        },
    },
    "zorgbedrijf": {
        "name": {"nl": "Zorgbedrijf Leuven", "fr": "Zorgbedrijf Leuven (services de soins)", "en": "Zorgbedrijf Leuven (care services)"},
        "contact": {
            "nl": "de dienst of het woonzorgcentrum van het Zorgbedrijf waarmee u te maken had",
            "fr": "le service ou la maison de repos du Zorgbedrijf auquel vous avez eu affaire",
            "en": "the Zorgbedrijf service or care home you dealt with",
        },
    },
    "agsl": {
        "name": {"nl": "AGSL (parkeren)", "fr": "AGSL (stationnement)", "en": "AGSL (parking)"},
        "contact": {
            "nl": "de klantendienst van AGSL",
            "fr": "le service clientèle de l'AGSL",
            "en": "AGSL customer service",
        },
    },
    "m-leuven": {
        "name": {"nl": "M Leuven", "fr": "M Leuven (musée)", "en": "M Leuven (museum)"},
        "contact": {
            "nl": "het onthaal van M Leuven",
            "fr": "l'accueil de M Leuven",
            "en": "the M Leuven front desk",
        },
    },
}

MONTHS = {
    "nl": ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
           "september", "oktober", "november", "december"),
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
}


@dataclass(frozen=True)
class AckRequest:
    """Everything one acknowledgement needs; stored with the outbox row, rendered at send time.

    `in_reply_to` is the citizen's Message-ID; `references` their thread. Our own
    `message_id` is fixed when the outbox row is created, so a retry is recognisable.
    """

    ref: str
    language: str
    received_at: datetime
    flags: tuple[str, ...]
    service: str | None
    recipient_name: str
    recipient_address: str
    in_reply_to: str | None
    references: tuple[str, ...]
    kind: str
    message_id: str

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown acknowledgement kind {self.kind!r} (one of {', '.join(KINDS)})")
        if self.received_at.tzinfo is None or self.received_at.utcoffset() is None:
            raise ValueError("received_at must be an aware datetime")
        unknown = [f for f in self.flags if f not in FLAGS]
        if unknown:
            raise ValueError(f"unknown flag {unknown[0]!r} (one of {', '.join(FLAGS)})")
        if not _MSGID.fullmatch(clean_line(self.message_id)):
            raise ValueError(f"message_id {self.message_id!r} is not of the form <local@domain>")

    def to_json(self) -> dict:
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["received_at"] = self.received_at.isoformat()
        data["flags"] = list(self.flags)
        data["references"] = list(self.references)
        return data

    @classmethod
    def from_json(cls, data: dict) -> "AckRequest":
        values = dict(data)
        values["received_at"] = datetime.fromisoformat(values["received_at"])
        values["flags"] = tuple(values.get("flags") or ())
        values["references"] = tuple(values.get("references") or ())
        return cls(**values)


@dataclass(frozen=True)
class ServiceContact:
    """The service a citizen should contact first, in the acknowledgement's language."""

    key: str
    name: str
    contact: str


def make_message_id(domain: str) -> str:
    """A new Message-ID of ours, e.g. `<ack.3f2a...@leuven.be>`; answer_policy recognises the shape."""
    clean = clean_line(domain).lower().strip(".")
    if not _DOMAIN.match(clean):
        raise ValueError(f"not a usable Message-ID domain: {domain!r}")
    return f"<ack.{uuid.uuid4().hex}@{clean}>"


def templates_dir() -> Path:
    """The `templates` folder: inside the installed package, else the source tree's top level."""
    packaged = importlib.resources.files("mailintake") / "templates"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent / "templates"


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """The jinja2 environment, built once: strict about unknown names, HTML escaped."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html",), default_for_string=False, default=False),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )


def language_of(request: AckRequest) -> str:
    """The request's language when we have templates for it, else Dutch."""
    language = (request.language or "").strip().lower()
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


def render(request: AckRequest, config: Config) -> tuple[str, str, str]:
    """(subject, plain text, HTML) of the mail, in the request's language."""
    language = language_of(request)
    context = template_context(request, config, language)
    base = f"acknowledgement/{language}/{request.kind}"
    env = environment()
    subject = clean_line(env.get_template(f"{base}.subject.txt").render(context))
    text = _tidy_text(env.get_template(f"{base}.txt").render(context))
    html = env.get_template(f"{base}.html").render(context).strip() + "\n"
    return subject, text, html


def compose(request: AckRequest, config: Config, *, now: datetime | None = None) -> EmailMessage:
    """The complete mail: headers for threading and loop prevention, plain text plus HTML."""
    subject, text, html = render(request, config)
    smtp = config.smtp
    domain = message_id_domain(config)
    message = EmailMessage(policy=email.policy.SMTP)
    message["From"] = _address(smtp.from_name, smtp.from_address)
    message["To"] = _address(request.recipient_name, request.recipient_address)
    message["Reply-To"] = _address(smtp.from_name, smtp.reply_to or smtp.from_address)
    message["Subject"] = subject
    message["Date"] = format_datetime((now or datetime.now(timezone.utc)).astimezone(config.intake.zone))
    message["Message-ID"] = clean_line(request.message_id)
    in_reply_to = _message_ids([request.in_reply_to or ""])
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to[-1]
    references = _message_ids([*request.references, *in_reply_to])
    if references:
        message["References"] = " ".join(references[-MAX_REFERENCES:])
    message["Auto-Submitted"] = "auto-replied"
    message["X-Auto-Response-Suppress"] = "All"
    message[LOOP_HEADER] = domain
    # quoted-printable for non-ASCII text: 8bit needs 8BITMIME, which a relay may lack
    message.set_content(text, cte=_transfer_encoding(text))  # clears Content-*, so Content-Language comes after
    message.add_alternative(html, subtype="html", cte=_transfer_encoding(html))
    message["Content-Language"] = language_of(request)
    return message


def _transfer_encoding(text: str) -> str:
    return "7bit" if text.isascii() and all(len(line) <= 78 for line in text.splitlines()) else "quoted-printable"


def message_id_domain(config: Config) -> str:
    """`[acknowledgement] message_id_domain`, else the domain of `[smtp] from_address`."""
    configured = config.acknowledgement.message_id_domain.strip()
    return (configured or config.smtp.from_address.rpartition("@")[2] or "localhost").lower()


def template_context(request: AckRequest, config: Config, language: str) -> dict:
    """The names a template may use; documented in templates/acknowledgement/README.md."""
    return {
        "ref": clean_line(request.ref),
        "language": language,
        "received": format_received(request.received_at, config.intake.zone, language),
        "recipient_name": display_name(request.recipient_name),
        "flags": tuple(request.flags),
        "service": service_contact(request.service, config, language),
        "deadlines": config.deadlines,
        "office": config.office,
    }


def format_received(moment: datetime, zone, language: str) -> str:
    """A date and time as people write it: "3 maart 2026 om 14.05 uur", "1er mars 2026 à 9h05"."""
    local = moment.astimezone(zone)
    month = MONTHS[language][local.month - 1]
    if language == "fr":
        day = "1er" if local.day == 1 else str(local.day)
        return f"{day} {month} {local.year} à {local.hour}h{local.minute:02d}"
    if language == "en":
        return f"{local.day} {month} {local.year} at {local.hour}:{local.minute:02d}"
    return f"{local.day} {month} {local.year} om {local.hour}.{local.minute:02d} uur"


def service_contact(service: str | None, config: Config, language: str) -> ServiceContact | None:
    """Name and contact of a known service, config over built-in defaults; None for other/unknown."""
    defaults = DEFAULT_SERVICES.get(service or "", {})
    configured = config.services.get(service or "", {})
    if not defaults and not configured:
        return None
    name = _in_language(configured.get("name"), language) or _in_language(defaults.get("name"), language)
    contact = _in_language(configured.get("contact"), language) or _in_language(defaults.get("contact"), language)
    if not name or not contact:
        return None
    return ServiceContact(key=service or "", name=clean_line(name), contact=clean_line(contact))


def display_name(name: str | None) -> str:
    """A name taken from mail, safe for a header and a greeting: one line, bounded, no address."""
    value = clean_line(name or "").strip(" \"'")
    if "@" in value or len(value) > MAX_NAME_LENGTH:
        return ""
    return value


def _in_language(value, language: str) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return value.get(language) or value.get(DEFAULT_LANGUAGE) or ""
    return ""


def _address(name: str, address: str) -> Address:
    """An `Address` from values that may come from mail; raises ValueError for an invalid address."""
    spec = clean_line(address or "")
    if not spec or " " in spec:
        raise ValueError(f"not a usable address: {spec!r}")
    return Address(display_name=display_name(name), addr_spec=spec)


def _message_ids(values) -> list[str]:
    """Well-formed `<id@host>` tokens from values that may come from mail, without repeats."""
    seen: list[str] = []
    for value in values:
        for token in _MSGID.findall(clean_line(value or "")):
            if token not in seen:
                seen.append(token)
    return seen


def _tidy_text(text: str) -> str:
    """Wrap long lines (list items keep a hanging indent), at most one blank line in a row."""
    lines: list[str] = []
    for line in text.splitlines():
        line = line.rstrip()
        if len(line) <= TEXT_WIDTH:
            lines.append(line)
            continue
        indent = " " * (len(line) - len(line.lstrip(" -")))
        lines.extend(textwrap.wrap(line, TEXT_WIDTH, subsequent_indent=indent,
                                   break_long_words=False, break_on_hyphens=False))
    tidy = re.sub(r"\n{3,}", "\n\n", "\n".join(lines))
    return tidy.strip() + "\n"
