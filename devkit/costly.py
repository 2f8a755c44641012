"""Mail that is small to describe and costly to analyse: one generator per input class.

Used by the tests (each class must get its outcome within the budget) and by
`python -m devkit.costly_bench`, which prints the worst time and memory per class.
"""

from __future__ import annotations

import random
from email.message import EmailMessage


def _mail(subject: str, text: str | None = None, html: str | None = None) -> bytes:
    message = EmailMessage()
    message["From"] = "Hostile Sender <hostile@example.be>"
    message["To"] = "ombudsdienst@leuven.example.be"
    message["Subject"] = subject
    message["Date"] = "Fri, 20 Nov 2026 09:30:00 +0000"
    if text is not None:
        message.set_content(text, cte="base64")
    if html is not None:
        if text is None:
            message.set_content(html, subtype="html", cte="base64")
        else:
            message.add_alternative(html, subtype="html", cte="base64")
    return message.as_bytes()


def spaces_between_words() -> bytes:
    """The reply splitter's signature pattern against a 200,000-space gap."""
    return _mail("Klacht", "a" + " " * 200_000 + "b")


def repeated_url_prefix() -> bytes:
    """A spam sign (`https?://\\S+\\?id=`) against 71,428 URL starts and no query."""
    return _mail("Klacht", "http://" * 71_428)


def web_form_line_of_spaces() -> bytes:
    """A web form's field pattern against one line of 20,000 spaces and no colon."""
    return _mail("Webformulier", "Naam: Jan\n" + " " * 20_000 + "x\nE-mail: jan@example.be\n")


def many_dates() -> bytes:
    """A sentence of 4,545 dates: every mention rescanned its sentence, the overlap check was quadratic."""
    return _mail("Klacht", "12/03/2024 " * 4_545)


def nbsp_run_in_html() -> bytes:
    """HTML only: 300,000 non-breaking spaces between two letters."""
    return _mail("Klacht", html="<p>a" + "&nbsp;" * 300_000 + "b</p>")


def deeply_nested_html() -> bytes:
    """HTML only: 200,000 nested <div>s (2.2 MB)."""
    return _mail("Klacht", html="<div>" * 200_000 + "x" + "</div>" * 200_000)


def five_megabytes_of_words() -> bytes:
    rng = random.Random(5)
    words = ("klacht", "parkeren", "loket", "de", "het", "een", "gemeente", "Leuven", "boete", "brief")
    return _mail("Klacht", " ".join(rng.choice(words) for _ in range(800_000)))


def many_attachments(count: int = 20_000) -> bytes:
    message = EmailMessage()
    message["From"] = "Hostile Sender <hostile@example.be>"
    message["To"] = "ombudsdienst@leuven.example.be"
    message["Subject"] = "Bijlagen"
    message.set_content("Zie bijlagen.")
    for index in range(count):
        message.add_attachment(f"{index}".encode(), maintype="application", subtype="octet-stream",
                               filename=f"{index}.bin")
    return message.as_bytes()


CLASSES = {
    "spaces between words": spaces_between_words,
    "repeated URL prefix": repeated_url_prefix,
    "web-form line of spaces": web_form_line_of_spaces,
    "many dates": many_dates,
    "nbsp run in HTML": nbsp_run_in_html,
    "deeply nested HTML": deeply_nested_html,
    "5 MB of words": five_megabytes_of_words,
    "20,000 attachments": many_attachments,
}


def twenty_mebibytes(index: int, mebibytes: int = 20) -> bytes:
    """A complaint with a scanned-letter attachment: about `mebibytes` MiB on the wire (base64 included)."""
    message = EmailMessage()
    message["From"] = f"Burger {index} <burger{index}@example.be>"
    message["To"] = "ombudsdienst@leuven.example.be"
    message["Subject"] = f"Klacht over mijn parkeerboete, scan bijgevoegd ({index})"
    message["Date"] = "Fri, 20 Nov 2026 09:30:00 +0000"
    message.set_content("Goedendag,\n\nIk kreeg een boete terwijl mijn vergunning geldig was. Zie de scan.\n\nMet vriendelijke groet\n")
    payload = random.Random(index).randbytes(mebibytes * 1024 * 1024 * 3 // 4)  # base64 grows it by 4/3
    message.add_attachment(payload, maintype="application", subtype="pdf", filename=f"scan-{index}.pdf")
    return message.as_bytes()
