"""Pure rules for answering: whom an automatic mail must never go to, what is our own mail, whose sender failed DMARC.

Each helper returns a reason (the evidence staff will see, in one line) or None
when nothing stands in the way. No I/O, no configuration loading: the caller
passes in what it knows.

>>> unanswerable_address("noreply@example.be")
'reply address noreply@example.be is a no-reply address'
>>> unanswerable_address("norbert@example.be") is None
True
"""

from __future__ import annotations

import re

from ..mail.message import Parsed, clean_line
from .compose import is_our_message_id

# Local parts of robot addresses (judged after a "+tag" is stripped).
_MAILER_DAEMON = re.compile(r"^mailer[-_.]?daemon$", re.IGNORECASE)
_POSTMASTER = re.compile(r"^postmaster$", re.IGNORECASE)
# noreply, no-reply, no_reply, no.reply, donotreply, do-not-reply, ... as a whole
# word of the local part: "noreply-billing", "notifications-noreply", not "norbert".
_NO_REPLY = re.compile(r"(?:^|[-_.])(?:no|do[-_.]?not)[-_.]?reply(?:[-_.]|$)", re.IGNORECASE)
_LIST_REQUEST = re.compile(r"^.+-request$", re.IGNORECASE)
_LIST_OWNER = re.compile(r"^owner-.+$", re.IGNORECASE)

# A plain addr-spec: no spaces, no brackets, one "@", a dotted domain.
_ADDRESS = re.compile(r"^[^\s@<>()\[\],;:\"\\]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

_EVIDENCE_MAX = 300


def unanswerable_address(address: str | None, own_addresses: tuple[str, ...] = ()) -> str | None:
    """Why `address` must not receive an automatic mail, or None when it may.

    Judge the address a reply would go to (a web form's typed address, not the
    form's no-reply From). Robot and list-administration addresses, invalid
    addresses and, when given, our own addresses are refused.
    """
    raw = address or ""
    if _CONTROL.search(raw):
        return f"reply address {clean_line(raw)!r} contains control characters"
    value = raw.strip()
    if not value:
        return "no reply address"
    if not value.isascii():
        return f"reply address {value!r} is internationalised (non-ASCII); answer it by hand"
    if not _ADDRESS.match(value):
        return f"reply address {value!r} is not a valid address"
    local, _, domain = value.rpartition("@")
    local = local.split("+", 1)[0]
    if value.lower() in {a.strip().lower() for a in own_addresses}:
        return f"reply address {value} is one of our own addresses"
    for pattern, what in (
        (_MAILER_DAEMON, "a mailer-daemon address"),
        (_POSTMASTER, "a postmaster address"),
        (_NO_REPLY, "a no-reply address"),
        (_LIST_REQUEST, "a list command address (*-request)"),
        (_LIST_OWNER, "a list owner address (owner-*)"),
    ):
        if pattern.search(local):
            return f"reply address {value} is {what}"
    return None


def is_own_mail(
    parsed: Parsed, own_addresses: tuple[str, ...], message_id_domain: str, loop_header: str
) -> str | None:
    """Why this message is one of ours (so it is never answered), or None.

    Ours means: sent from one of our own addresses; or carrying a Message-ID of
    the shape we generate (`<ack.<hex>@message_id_domain>`; a bare match on the
    domain would also catch ordinary mail of colleagues who share it); or
    carrying our loop header with our domain as its value.
    """
    own = {a.strip().lower() for a in own_addresses if a.strip()}
    if parsed.sender is not None and parsed.sender.address.lower() in own:
        return f"sent from our own address {parsed.sender.address}"
    domain = message_id_domain.strip().lower()
    if domain and is_our_message_id(parsed.message_id, domain):
        return f"Message-ID {parsed.message_id} is one of ours"
    if domain:
        for value in parsed.header_all(loop_header):
            if clean_line(value).lower() == domain:
                return f"{loop_header}: {clean_line(value)} (our loop header)"
    return None


def dmarc_failed(parsed: Parsed, authserv_id: str) -> str | None:
    """Evidence that our own server found DMARC failing for this message, or None.

    Only `Authentication-Results` headers (RFC 8601) whose authserv-id equals
    `authserv_id` count: anyone can add such a header, so those of other hosts
    are ignored. Any of ours saying `dmarc=fail` is enough: a forged "pass"
    cannot hide a real failure, and a forged "fail" only delays the sender's own
    acknowledgement. A verdict of ours about another domain (`header.from`) than
    the one of the address the message was taken from does not vouch for it.
    An empty `authserv_id` turns the check off.
    """
    wanted = authserv_id.strip().lower()
    if not wanted:
        return None
    sender_domain = parsed.sender.address.rpartition("@")[2].lower() if parsed.sender else ""
    for value in parsed.header_all("Authentication-Results"):
        server, results = parse_authentication_results(value)
        if server != wanted:
            continue
        for method, result, text in results:
            if method != "dmarc":
                continue
            checked = _property(text, "header.from")
            if result == "fail":
                return f"Authentication-Results of {server}: {text}"[:_EVIDENCE_MAX]
            if result == "pass" and checked and checked != sender_domain:
                return (f"Authentication-Results of {server}: {text}, but the mail is from "
                        f"{sender_domain or 'nobody'}")[:_EVIDENCE_MAX]
    return None


def dmarc_passed(parsed: Parsed, authserv_id: str) -> bool:
    """Whether our own server's verdict says DMARC passed for the domain of the address the mail is from."""
    wanted = authserv_id.strip().lower()
    if not wanted or parsed.sender is None or dmarc_failed(parsed, authserv_id):
        return False
    domain = parsed.sender.address.rpartition("@")[2].lower()
    for value in parsed.header_all("Authentication-Results"):
        server, results = parse_authentication_results(value)
        if server == wanted and any(method == "dmarc" and result == "pass" and _property(text, "header.from") == domain
                                    for method, result, text in results):
            return True
    return False


def _property(resinfo: str, name: str) -> str:
    """The value of `name=` in one result's text (`header.from=example.be`), lower-cased; '' when absent."""
    for part in resinfo.split():
        key, _, value = part.partition("=")
        if key.lower() == name:
            return value.strip('"').lower()
    return ""


def parse_authentication_results(value: str) -> tuple[str, list[tuple[str, str, str]]]:
    """(authserv-id, [(method, result, resinfo text), ...]) of one header value.

    Comments in parentheses are dropped; quoted strings are respected when
    splitting on ";". Names and results are lower-cased. A header that cannot be
    read gives ("", []).

    >>> parse_authentication_results("mx.example.be 1; spf=pass; dmarc=fail (p=reject) header.from=x.be")
    ('mx.example.be', [('spf', 'pass', 'spf=pass'), ('dmarc', 'fail', 'dmarc=fail header.from=x.be')])
    """
    parts = _split_semicolons(_strip_comments(value))
    if not parts:
        return "", []
    head = parts[0].split()
    if not head:
        return "", []
    server = head[0].strip('"').lower()
    results = []
    for part in parts[1:]:
        found = _RESINFO.match(part)
        if found:
            results.append((found.group(1).lower(), found.group(2).lower(), " ".join(part.split())))
    return server, results


_RESINFO = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9_.-]*)(?:\s*/\s*\d+)?\s*=\s*([A-Za-z0-9_-]+)")


def _strip_comments(value: str) -> str:
    """Remove RFC 5322 comments (nested parentheses), keeping quoted strings intact."""
    out: list[str] = []
    depth = 0
    quoted = False
    escaped = False
    for char in value:
        if escaped:
            escaped = False
            if depth == 0:
                out.append(char)
            continue
        if char == "\\":
            escaped = True
            if depth == 0:
                out.append(char)
            continue
        if quoted:
            quoted = char != '"'
            out.append(char)
        elif char == "(":
            depth += 1
        elif char == ")" and depth:
            depth -= 1
        elif depth == 0:
            quoted = char == '"'
            out.append(char)
    return " ".join("".join(out).split())


def _split_semicolons(value: str) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    quoted = False
    for char in value:
        if char == '"':
            quoted = not quoted
        if char == ";" and not quoted:
            parts.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    parts.append("".join(current).strip())
    return [p for p in parts if p] if parts[0] else []
