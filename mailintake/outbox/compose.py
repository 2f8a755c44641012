"""What every mail we send shares: headers, threading, the loop header, Message-IDs, the one jinja2 environment.

Acknowledgements, letters and the digest are composed through these helpers,
so our mail looks the same and is recognised as ours when it comes back. No
SMTP, no database.

>>> message = new_mail(config, to_name="Jan", to_address="jan@example.be", subject="Uw klacht [OMB-2026-00042]",
...                    message_id=make_message_id("leuven.be"), in_reply_to="<abc@example.be>")
>>> fill_body(message, "Beste Jan, ...", language="nl")
"""

from __future__ import annotations

import email.policy
import importlib.resources
import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from functools import lru_cache
from pathlib import Path
from typing import Iterable

import jinja2

from ..config import Config
from ..domain import DEFAULT_LANGUAGE
from ..mail.message import clean_line

LOOP_HEADER = "X-Mailintake-Loop"
MAX_REFERENCES = 20
MAX_NAME_LENGTH = 60
MAX_NAME_WORDS = 6
# what a person's name does not hold: digits, links, amounts, markup, header punctuation
_NOT_A_NAME = re.compile(r"[0-9@<>:;|/\\=+#%&*{}\[\]$€£¥]|www\.|https?|\.(?:com|be|net|org|eu)\b", re.IGNORECASE)
_MSGID = re.compile(r"<[^<>\s]+@[^<>\s]+>")
_DOMAIN = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$")
_OWN_ID_LOCAL = re.compile(r"^[a-z][a-z0-9-]*\.[0-9a-f]{32}$")  # what make_message_id's local part looks like

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
class ServiceContact:
    """The service a citizen should contact first, in the mail's language."""

    key: str
    name: str
    contact: str


# --- templates --------------------------------------------------------------------------------

def templates_dir() -> Path:
    """The `templates` folder: inside the installed package, else the source tree's top level."""
    packaged = importlib.resources.files("mailintake") / "templates"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "templates"


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """The jinja2 environment, built once: strict about unknown names, HTML escaped (.html templates)."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html",), default_for_string=False, default=False),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )


# --- Message-IDs ------------------------------------------------------------------------------

def message_id_domain(config: Config) -> str:
    """`[acknowledgement] message_id_domain`, else the domain of `[smtp] from_address`."""
    configured = config.acknowledgement.message_id_domain.strip()
    return (configured or config.smtp.from_address.rpartition("@")[2] or "localhost").lower()


def make_message_id(domain: str) -> str:
    """A new Message-ID of ours, e.g. `<ack.3f2a...@leuven.be>`; `is_our_message_id` recognises the shape."""
    clean = clean_line(domain).lower().strip(".")
    if not _DOMAIN.match(clean):
        raise ValueError(f"not a usable Message-ID domain: {domain!r}")
    return f"<ack.{uuid.uuid4().hex}@{clean}>"


def is_our_message_id(message_id: str | None, domain: str) -> bool:
    """Whether `message_id` has the shape `make_message_id` gives, in `domain`.

    A bare match on the domain would also catch ordinary mail of colleagues who share it.
    """
    if not message_id:
        return False
    inner = message_id.strip().removeprefix("<").removesuffix(">")
    local, at, right = inner.rpartition("@")
    return bool(at) and right.lower() == domain and bool(_OWN_ID_LOCAL.match(local))


def is_message_id(value: str) -> bool:
    """Whether `value` is one well-formed `<local@domain>`."""
    return bool(_MSGID.fullmatch(clean_line(value)))


def message_ids(values: Iterable[str | None]) -> list[str]:
    """Well-formed `<id@host>` tokens from values that may come from mail, without repeats."""
    seen: list[str] = []
    for value in values:
        for token in _MSGID.findall(clean_line(value or "")):
            if token not in seen:
                seen.append(token)
    return seen


# --- the mail ---------------------------------------------------------------------------------

def new_mail(
    config: Config,
    *,
    to_name: str,
    to_address: str,
    subject: str,
    message_id: str,
    in_reply_to: str | None = None,
    references: Iterable[str] = (),
    automatic: bool = False,
    now: datetime | None = None,
) -> EmailMessage:
    """Our headers: From/Reply-To from `[smtp]`, threading, the loop header; `automatic` adds Auto-Submitted.

    Raises ValueError for an unusable recipient address (it is never sent).
    """
    smtp = config.smtp
    message = EmailMessage(policy=email.policy.SMTP)
    message["From"] = address(smtp.from_name, smtp.from_address)
    message["To"] = address(to_name, to_address)
    message["Reply-To"] = address(smtp.from_name, smtp.reply_to or smtp.from_address)
    message["Subject"] = clean_line(subject)
    message["Date"] = format_datetime((now or datetime.now(timezone.utc)).astimezone(config.intake.zone))
    message["Message-ID"] = clean_line(message_id)
    answered = message_ids([in_reply_to])
    if answered:
        message["In-Reply-To"] = answered[-1]
    thread = message_ids([*references, *answered])
    if thread:
        message["References"] = " ".join(thread[-MAX_REFERENCES:])
    if automatic:
        message["Auto-Submitted"] = "auto-replied"
        message["X-Auto-Response-Suppress"] = "All"
    message[LOOP_HEADER] = message_id_domain(config)
    return message


def fill_body(message: EmailMessage, text: str, *, html: str | None = None, language: str) -> None:
    """Plain text (and an HTML alternative), then Content-Language (set_content clears Content-* headers)."""
    # quoted-printable for non-ASCII text: 8bit needs 8BITMIME, which a relay may lack
    message.set_content(text, cte=transfer_encoding(text))
    if html is not None:
        message.add_alternative(html, subtype="html", cte=transfer_encoding(html))
    message["Content-Language"] = language


def transfer_encoding(text: str) -> str:
    return "7bit" if text.isascii() and all(len(line) <= 78 for line in text.splitlines()) else "quoted-printable"


def address(name: str, addr_spec: str) -> Address:
    """An `Address` from values that may come from mail; raises ValueError for an invalid address."""
    spec = clean_line(addr_spec or "")
    if not spec or " " in spec:
        raise ValueError(f"not a usable address: {spec!r}")
    return Address(display_name=display_name(name), addr_spec=spec)


def display_name(name: str | None) -> str:
    """A name taken from mail, used in a header and a greeting only when it looks like a person's name.

    Short, no digits, links, amounts or markup: the city's mail must not carry a stranger's message
    ("Beste klant, uw terugbetaling van 250 EUR staat klaar op www..."). Commas and quotes go, so a folded
    header cannot split one name into two addresses.
    """
    value = " ".join(clean_line(name or "").replace(",", " ").replace('"', " ").split()).strip(" '")
    if not value or len(value) > MAX_NAME_LENGTH or len(value.split()) > MAX_NAME_WORDS or _NOT_A_NAME.search(value):
        return ""
    return value


# --- what the texts say -----------------------------------------------------------------------

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
    configured = config.service(service)
    if not defaults and service not in config.services:
        return None
    name = configured.text("name", language) or _in_language(defaults.get("name"), language)
    contact = configured.text("contact", language) or _in_language(defaults.get("contact"), language)
    if not name or not contact:
        return None
    return ServiceContact(key=service or "", name=clean_line(name), contact=clean_line(contact))


def _in_language(value: dict | None, language: str) -> str:
    return (value or {}).get(language) or (value or {}).get(DEFAULT_LANGUAGE) or ""
