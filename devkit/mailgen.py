"""Deterministic generator of varied, realistic intake mail for bulk tests and benchmarks.

`generate_messages(n, seed)` returns n distinct raw messages (CRLF line endings,
so they round-trip through IMAP byte for byte): the hand-written samples in
`tests/mails/intake/` with fresh Message-IDs and dates, mixed with generated
Dutch, French and English complaints about Leuven services, some HTML-only,
some with a PDF or JPEG attachment. The same (n, seed) always gives the same bytes.
"""

from __future__ import annotations

import base64
import quopri
import random
import struct
import textwrap
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path

# The hand-written samples live in the source tree; an installed package generates only.
SAMPLES = Path(__file__).resolve().parents[1] / "tests" / "mails" / "intake"
OMBUDS = "ombudsdienst@leuven.example.be"
BRUSSELS_WINTER = timezone(timedelta(hours=1))
BASE_DATE = datetime(2026, 1, 5, 8, 0, tzinfo=BRUSSELS_WINTER)

# Samples (by a word in the file name) that are robots or deliberately broken:
# only a small part of a bulk run, and optional.
ROBOTS = ("bounce", "newsletter", "out-of-office", "spam")
BROKEN = ("truncated",)

FIRST_NAMES = [
    "Annelies", "Jef", "Sofie", "Pieter", "Lotte", "Wout", "Fatma", "Mohamed", "Bénédicte",
    "Élodie", "Lucas", "Marie", "Grace", "Tom", "Ayşe", "Kobe", "Nathalie", "Rik", "Ines", "Joris",
]
LAST_NAMES = [
    "Peeters", "Vermeulen", "Janssens", "De Smedt", "Claes", "Dubois", "Lambert", "El Amrani",
    "Vandenberghe", "Wouters", "Yılmaz", "Goossens", "Maes", "O'Neill", "Van Damme", "Lemaire",
]
MAIL_DOMAINS = ["example.com", "example.be", "mail.example.com", "telenet.example.be"]

# service -> {language: (subject, complaint sentence)}
SERVICES = {
    "stad": {
        "nl": ("Klacht over de afvalophaling", "De PMD-zakken in onze straat zijn al drie weken niet opgehaald."),
        "fr": ("Plainte collecte des déchets", "Les sacs PMD de notre rue n'ont plus été collectés depuis trois semaines."),
        "en": ("Complaint about waste collection", "The PMD bags in our street have not been collected for three weeks."),
    },
    "politie": {
        "nl": ("Klacht over optreden politie", "Bij een controle aan het station werd ik onheus behandeld door twee agenten."),
        "fr": ("Plainte contre la police", "Lors d'un contrôle à la gare, deux agents m'ont parlé de manière très irrespectueuse."),
        "en": ("Complaint about a police stop", "During a stop near the station two officers were rude and refused to give their names."),
    },
    "ocmw": {
        "nl": ("Geen antwoord van het OCMW", "Mijn aanvraag voor een leefloon ligt al twee maanden zonder antwoord bij het OCMW."),
        "fr": ("Pas de réponse du CPAS (OCMW)", "Ma demande de revenu d'intégration est restée sans réponse depuis deux mois."),
        "en": ("No answer from the OCMW", "My application for social assistance has been waiting for two months without any answer."),
    },
    "zorgbedrijf": {
        "nl": ("Klacht woonzorgcentrum Zorgbedrijf", "Mijn moeder in het woonzorgcentrum krijgt haar medicatie vaak te laat."),
        "fr": ("Plainte maison de repos Zorgbedrijf", "Ma mère en maison de repos reçoit souvent ses médicaments en retard."),
        "en": ("Complaint about a care home (Zorgbedrijf)", "My mother in the care home often gets her medication hours too late."),
    },
    "agsl-parking": {
        "nl": ("Onterechte parkeerretributie AGSL", "Ik kreeg een retributie terwijl mijn bewonerskaart duidelijk zichtbaar lag."),
        "fr": ("Redevance de stationnement injustifiée", "J'ai reçu une redevance alors que ma carte de riverain était bien visible."),
        "en": ("Unfair parking charge (AGSL)", "I received a parking charge although my residents' permit was clearly displayed."),
    },
    "m-leuven": {
        "nl": ("M Leuven: rolstoeltoegankelijkheid", "De lift in M Leuven was defect en niemand kon ons verder helpen."),
        "fr": ("M Leuven : accessibilité", "L'ascenseur de M Leuven était en panne et personne n'a pu nous aider."),
        "en": ("M Leuven accessibility", "The lift at M Leuven was out of order and the staff could not help us at all."),
    },
}
GREETING = {"nl": "Geachte ombudsvrouw, geachte ombudsman,", "fr": "Madame, Monsieur,", "en": "Dear Ombudsman,"}
DETAIL = {
    "nl": "Ik heb de dienst al {k} keer gecontacteerd (laatst op {d}), maar kreeg geen oplossing.",
    "fr": "J'ai déjà contacté le service {k} fois (la dernière fois le {d}), sans solution.",
    "en": "I have already contacted the service {k} times (last on {d}) without a solution.",
}
CLOSING = {"nl": "Met vriendelijke groeten,", "fr": "Veuillez agréer mes salutations distinguées,", "en": "Kind regards,"}
STREETS = ["Bondgenotenlaan", "Naamsestraat", "Tiensestraat", "Diestsestraat", "Brusselsestraat", "Kapucijnenvoer"]


# -- binary attachments ---------------------------------------------------------


def tiny_pdf(text: str) -> bytes:
    """A minimal valid one-page PDF showing `text` (ASCII), with a correct xref table."""
    safe = text.encode("ascii", "replace").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
    stream = b"BT /F1 14 Tf 72 760 Td (" + safe + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def tiny_jpeg(comment: str = "photo") -> bytes:
    """A valid 8x8 mid-grey greyscale baseline JPEG (one block, DC difference 0, then EOB)."""

    def segment(marker: int, payload: bytes) -> bytes:
        return struct.pack(">BBH", 0xFF, marker, len(payload) + 2) + payload

    jfif = b"JFIF\x00\x01\x01\x00\x00\x48\x00\x48\x00\x00"
    dqt = b"\x00" + bytes([1] * 64)
    sof = b"\x08\x00\x08\x00\x08\x01\x01\x11\x00"
    dht_dc = b"\x00" + bytes([1] + [0] * 15) + b"\x00"  # one code of length 1: category 0
    dht_ac = b"\x10" + bytes([1] + [0] * 15) + b"\x00"  # one code of length 1: EOB
    sos = b"\x01\x01\x00\x00\x3f\x00"
    scan = b"\x3f"  # bits: DC "0", EOB "0", padded with ones
    return b"".join([
        b"\xff\xd8",
        segment(0xE0, jfif),
        segment(0xFE, comment.encode("ascii", "replace")),
        segment(0xDB, dqt),
        segment(0xC0, sof),
        segment(0xC4, dht_dc),
        segment(0xC4, dht_ac),
        segment(0xDA, sos),
        scan,
        b"\xff\xd9",
    ])


def b64_lines(data: bytes) -> str:
    """Base64 in 76-character lines, as MIME wants."""
    return "\n".join(textwrap.wrap(base64.b64encode(data).decode("ascii"), 76))


# -- generated complaints -------------------------------------------------------


def _crlf(text: str) -> bytes:
    return text.replace("\r\n", "\n").replace("\n", "\r\n").encode("utf-8")


def _encode_header(text: str) -> str:
    """RFC 2047 B-encode `text` if it is not plain ASCII."""
    if text.isascii():
        return text
    return "=?utf-8?b?" + base64.b64encode(text.encode("utf-8")).decode("ascii") + "?="


def _address_name(name: str) -> str:
    encoded = _encode_header(name)
    return encoded if encoded != name else f'"{name}"'


def _person(rng: random.Random) -> tuple[str, str]:
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    local = f"{first}.{last}".lower().replace(" ", "").replace("'", "")
    local = local.encode("ascii", "ignore").decode("ascii") or "burger"
    return f"{first} {last}", f"{local}{rng.randint(1, 99)}@{rng.choice(MAIL_DOMAINS)}"


def _body_text(rng: random.Random, lang: str, sentence: str, name: str, when: datetime) -> str:
    earlier = (when - timedelta(days=rng.randint(3, 60))).strftime("%d/%m/%Y")
    street = f"{rng.choice(STREETS)} {rng.randint(1, 180)}, 3000 Leuven"
    return "\n".join([
        GREETING[lang], "", sentence, DETAIL[lang].format(k=rng.randint(1, 5), d=earlier), "",
        {"nl": "Adres: ", "fr": "Adresse : ", "en": "Address: "}[lang] + street, "",
        CLOSING[lang], name, "",
    ])


def _html(text: str) -> str:
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    body = "\n".join("<p>" + p.replace("&", "&amp;").replace("<", "&lt;").replace("\n", "<br>") + "</p>"
                     for p in paragraphs)
    return f"<html><head><meta charset=\"utf-8\"></head><body>\n{body}\n</body></html>"


def _qp_body(text: str) -> str:
    return quopri.encodestring(text.encode("utf-8")).decode("ascii")


def generated_complaint(rng: random.Random, index: int, when: datetime) -> bytes:
    """One new complaint: random person, service, language and shape."""
    lang = rng.choice(["nl", "nl", "nl", "fr", "en"])
    service = rng.choice(sorted(SERVICES))
    subject, sentence = SERVICES[service][lang]
    name, address = _person(rng)
    text = _body_text(rng, lang, sentence, name, when)
    shape = rng.choices(["plain", "alternative", "html", "pdf", "jpeg"], weights=[5, 2, 2, 1, 1])[0]
    boundary = f"=_mailgen_{index:05d}_{rng.getrandbits(32):08x}"
    headers = [
        f"From: {_address_name(name)} <{address}>",
        f"To: Ombudsdienst Leuven <{OMBUDS}>",
        f"Subject: {_encode_header(subject)}",
        f"Date: {format_datetime(when)}",
        f"Message-ID: <gen.{index:05d}.{rng.getrandbits(40):010x}@{address.split('@')[1]}>",
        "MIME-Version: 1.0",
        f"Content-Language: {lang}",
    ]
    if shape == "plain":
        body = ["Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: quoted-printable", "",
                _qp_body(text)]
    elif shape == "html":
        body = ["Content-Type: text/html; charset=utf-8", "Content-Transfer-Encoding: quoted-printable", "",
                _qp_body(_html(text))]
    else:
        body = _multipart(shape, boundary, text, rng, service)
    return _crlf("\n".join(headers + body) + "\n")


def _multipart(shape: str, boundary: str, text: str, rng: random.Random, service: str) -> list[str]:
    text_part = [f"--{boundary}", "Content-Type: text/plain; charset=utf-8",
                 "Content-Transfer-Encoding: quoted-printable", "", _qp_body(text)]
    if shape == "alternative":
        return [f'Content-Type: multipart/alternative; boundary="{boundary}"', "", *text_part,
                f"--{boundary}", "Content-Type: text/html; charset=utf-8",
                "Content-Transfer-Encoding: quoted-printable", "", _qp_body(_html(text)), f"--{boundary}--", ""]
    if shape == "pdf":
        data, ctype, filename = tiny_pdf(f"{service} dossier {rng.randint(1000, 9999)}"), "application/pdf", "bewijs.pdf"
    else:
        data, ctype, filename = tiny_jpeg(f"{service} {rng.randint(1, 999)}"), "image/jpeg", f"IMG_{rng.randint(1000, 9999)}.jpg"
    return [f'Content-Type: multipart/mixed; boundary="{boundary}"', "", "This is a multi-part message in MIME format.",
            *text_part, f"--{boundary}", f'Content-Type: {ctype}; name="{filename}"',
            f'Content-Disposition: attachment; filename="{filename}"', "Content-Transfer-Encoding: base64", "",
            b64_lines(data), f"--{boundary}--", ""]


# -- samples with fresh identity -------------------------------------------------


def load_samples() -> dict[str, bytes]:
    """The hand-written sample files, by file name."""
    return {path.name: path.read_bytes() for path in sorted(SAMPLES.glob("*.eml"))}


def _replace_header(raw: bytes, name: bytes, value: bytes | None) -> bytes:
    """Set (or drop, with None) the first top-level header `name`; adds it if missing."""
    head, sep, body = raw.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    out, found, skipping = [], False, False
    for line in lines:
        if skipping and line[:1] in (b" ", b"\t"):
            continue
        skipping = False
        if not found and line.lower().startswith(name.lower() + b":"):
            found, skipping = True, True
            if value is not None:
                out.append(name + b": " + value)
            continue
        out.append(line)
    if not found and value is not None:
        out.append(name + b": " + value)
    return b"\r\n".join(out) + sep + body


def refreshed_sample(raw: bytes, index: int, when: datetime, rng: random.Random) -> bytes:
    """A sample with a unique Message-ID and a new Date (kept absent where the sample omits it)."""
    head = raw.partition(b"\r\n\r\n")[0].lower()
    if b"\r\nmessage-id:" in b"\r\n" + head:
        msgid = f"<sample.{index:05d}.{rng.getrandbits(40):010x}@mailgen.example.com>".encode()
        raw = _replace_header(raw, b"Message-ID", msgid)
    else:
        # no Message-ID on purpose: keep it absent, make the bytes distinct another way
        raw = _replace_header(raw, b"X-Mailgen-Serial", str(index).encode())
    if b"\r\ndate:" in b"\r\n" + head:
        raw = _replace_header(raw, b"Date", format_datetime(when).encode())
    return raw


def _has_tag(name: str, tags: tuple[str, ...]) -> bool:
    return any(tag in name for tag in tags)


def generate_messages(n: int, seed: int, *, robots: bool = True, broken: bool = True) -> list[bytes]:
    """n distinct realistic raw messages (CRLF), the same for the same seed.

    About a third are the hand-written samples with fresh Message-IDs and
    dates (robots and broken mail at most one in ten), the rest generated
    complaints in nl/fr/en about stad, politie, OCMW, Zorgbedrijf, AGSL
    parking and M Leuven. `robots=False` leaves out bounces, auto-replies,
    newsletters and spam; `broken=False` the truncated sample.
    """
    rng = random.Random(seed)
    samples = load_samples()
    odd_tags = (ROBOTS if robots else ()) + (BROKEN if broken else ())
    normal = [raw for name, raw in samples.items() if not _has_tag(name, ROBOTS + BROKEN)]
    odd = [raw for name, raw in samples.items() if _has_tag(name, odd_tags)]
    messages: list[bytes] = []
    seen: set[bytes] = set()
    when = BASE_DATE + timedelta(minutes=rng.randint(0, 600))
    index = 0
    while len(messages) < n:
        index += 1
        when += timedelta(minutes=rng.randint(1, 240))
        roll = rng.random()
        if roll < 0.07 and odd:
            raw = refreshed_sample(rng.choice(odd), index, when, rng)
        elif roll < 0.33 and normal:
            raw = refreshed_sample(rng.choice(normal), index, when, rng)
        else:
            raw = generated_complaint(rng, index, when)
        if raw not in seen:
            seen.add(raw)
            messages.append(raw)
    return messages


if __name__ == "__main__":  # python -m devkit.mailgen N SEED DIR: write them as files
    import sys

    count, seed_arg, target = int(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3])
    target.mkdir(parents=True, exist_ok=True)
    for number, message in enumerate(generate_messages(count, seed_arg), start=1):
        (target / f"gen-{number:04d}.eml").write_bytes(message)
