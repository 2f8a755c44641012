"""Staff accounts: create them, check a password (argon2), throttle failed logins in the database.

Throttling is kept in `login_throttle`, so several web processes behind a
proxy count the same failures: per client address (after `max_failures` that
client waits before its next try, doubling each time up to `max_wait`; so
spraying across names is limited too) and per attempted name (its wait is
capped at `name_max_wait`: it slows a guess spread over many addresses, and
the rightful user is delayed, never locked out for good). An admin can lift
both (`mailintake users unlock NAME`). Any fault in the throttle refuses the
login: it never becomes a way in.

>>> add_user(session, "an", "geheim wachtwoord", role="staff")
>>> check_login(session, "an", "geheim wachtwoord", policy).user.name
'an'
"""

from __future__ import annotations

import functools
import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from ..errors import AccountError
from ..store.models import LoginThrottle, StaffRole, StaffUser, utcnow

log = logging.getLogger(__name__)
MIN_PASSWORD_LENGTH = 10
RECOVERY_CODES = 8
_hasher = PasswordHasher()
# verified when the name is unknown, so a wrong name costs as much time as a wrong password


@dataclass(frozen=True)
class ThrottlePolicy:
    max_failures: int = 5
    first_wait: timedelta = timedelta(seconds=30)
    max_wait: timedelta = timedelta(minutes=15)  # per client address
    name_max_wait: timedelta = timedelta(minutes=1)  # per attempted name


MAX_DOUBLINGS = 16  # 2**16 first waits is past any cap; the product must stay a valid timedelta
FORGET_AFTER = timedelta(days=1)  # throttle rows without a failure for this long are deleted


@dataclass(frozen=True)
class LoginResult:
    user: StaffUser | None
    locked_until: datetime | None = None

    @property
    def ok(self) -> bool:
        return self.user is not None


def add_user(session: Session, name: str, password: str, role: str = StaffRole.STAFF) -> StaffUser:
    name = name.strip()
    if not name or len(name) > 100 or any(c.isspace() for c in name):
        raise AccountError("a user name is 1 to 100 characters without spaces")
    if role not in StaffRole.ALL:
        raise AccountError(f"role must be one of {', '.join(StaffRole.ALL)}")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"a password has at least {MIN_PASSWORD_LENGTH} characters")
    if find_user(session, name) is not None:
        raise AccountError(f"user {name!r} exists already")
    user = StaffUser(name=name, password_hash=_hasher.hash(password), role=role)
    session.add(user)
    session.flush()
    return user


def find_user(session: Session, name: str) -> StaffUser | None:
    return session.scalar(select(StaffUser).where(func.lower(StaffUser.name) == name.strip().lower()))


def active_users(session: Session) -> list[StaffUser]:
    return list(session.scalars(select(StaffUser).where(StaffUser.active.is_(True)).order_by(StaffUser.name)))


def check_login(session: Session, name: str, password: str, policy: ThrottlePolicy, now: datetime | None = None,
                client: str = "") -> LoginResult:
    """The user when name and password match and neither the name nor the client is waiting out a lockout."""
    now = now or utcnow()
    try:
        with session.begin_nested():
            return _check_login(session, name, password, policy, now, client)
    except Exception as exc:  # whatever went wrong in here, the answer is no
        log.warning("login check failed (%s): refused", type(exc).__name__)
        return LoginResult(None, now + policy.first_wait)


def unlock(session: Session, name: str) -> int:
    """Lift the lockout of a name and of every client (an admin's remedy); how many rows went."""
    return session.execute(delete(LoginThrottle).where(
        (LoginThrottle.name == _name_key(name)) | LoginThrottle.name.like("client:%"))).rowcount


def _check_login(session: Session, name: str, password: str, policy: ThrottlePolicy, now: datetime,
                 client: str) -> LoginResult:
    caps = {_name_key(name): policy.name_max_wait, **({_client_key(client): policy.max_wait} if client else {})}
    throttles = {key: session.get(LoginThrottle, key) for key in caps}
    waiting = [t.locked_until for t in throttles.values() if t is not None and t.locked_until and t.locked_until > now]
    if waiting:
        return LoginResult(None, max(waiting))
    user = find_user(session, name)
    if user is not None and user.active and _verify(user, password):
        for throttle in throttles.values():
            if throttle is not None:
                session.delete(throttle)
        return LoginResult(user)
    if user is None:
        _verify_dummy(password)
    until = [_note_failure(session, throttles[key], key, policy, cap, now) for key, cap in caps.items()]
    _forget_old_failures(session, now)
    locked = [u for u in until if u is not None]
    return LoginResult(None, max(locked) if locked else None)


# --- the second factor (TOTP, RFC 6238) ------------------------------------------------------

def start_second_factor(user: StaffUser) -> str:
    """A new TOTP secret for the user to enrol (shown once, as a QR code); in force after `confirm_second_factor`."""
    user.totp_pending = pyotp.random_base32()
    return user.totp_pending


def enrolment_uri(user: StaffUser, issuer: str) -> str:
    return pyotp.TOTP(user.totp_pending or "").provisioning_uri(name=user.name, issuer_name=issuer)


def confirm_second_factor(user: StaffUser, code: str) -> list[str] | None:
    """With a right code from the new secret: the second factor is on; the recovery codes (shown once). Else None."""
    if not user.totp_pending or not pyotp.TOTP(user.totp_pending).verify(_digits(code), valid_window=1):
        return None
    user.totp_secret, user.totp_pending = user.totp_pending, None
    codes = [secrets.token_hex(5) for _ in range(RECOVERY_CODES)]
    user.recovery_codes = [_code_hash(code) for code in codes]
    return codes


def second_factor_ok(user: StaffUser, code: str) -> bool:
    """A current TOTP code, or an unused recovery code (which is then used up)."""
    if not user.totp_secret:
        return True
    if pyotp.TOTP(user.totp_secret).verify(_digits(code), valid_window=1):
        return True
    hashed = _code_hash(code.strip().lower())
    if hashed in (user.recovery_codes or []):
        user.recovery_codes = [h for h in user.recovery_codes if h != hashed]
        return True
    return False


def reset_second_factor(session: Session, name: str) -> None:
    """An admin's remedy for a lost phone: the user logs in with the password alone and enrols again."""
    user = find_user(session, name)
    if user is None:
        raise AccountError(f"no user {name!r}")
    user.totp_secret = user.totp_pending = None
    user.recovery_codes = None
    end_sessions(user)


def note_refused_code(session: Session, name: str, policy: ThrottlePolicy, client: str = "",
                      now: datetime | None = None) -> None:
    """A wrong second-factor code counts like a wrong password."""
    now = now or utcnow()
    caps = {_name_key(name): policy.name_max_wait, **({_client_key(client): policy.max_wait} if client else {})}
    for key, cap in caps.items():
        _note_failure(session, session.get(LoginThrottle, key), key, policy, cap, now)


def second_factor_locked(session: Session, name: str, client: str = "", now: datetime | None = None) -> datetime | None:
    now = now or utcnow()
    keys = [_name_key(name), *([_client_key(client)] if client else [])]
    waiting = [t.locked_until for t in (session.get(LoginThrottle, k) for k in keys)
               if t is not None and t.locked_until and t.locked_until > now]
    return max(waiting) if waiting else None


def _digits(code: str) -> str:
    return "".join(c for c in code if c.isdigit())


def _code_hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def end_sessions(user: StaffUser, now: datetime | None = None) -> None:
    """Every session cookie issued so far stops working (logout)."""
    user.sessions_valid_after = now or utcnow()


def _verify(user: StaffUser, password: str) -> bool:
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return True


@functools.cache
def _dummy_hash() -> str:
    return _hasher.hash("not a real password")  # made on first use: hashing costs a fifth of a second


def _verify_dummy(password: str) -> None:
    try:
        _hasher.verify(_dummy_hash(), password)
    except VerificationError:
        pass


def _note_failure(session: Session, throttle: LoginThrottle | None, key: str, policy: ThrottlePolicy,
                  cap: timedelta, now: datetime) -> datetime | None:
    if throttle is None:
        throttle = LoginThrottle(name=key, failures=0)
        session.add(throttle)
    throttle.failures += 1
    throttle.last_failure_at = now
    over = throttle.failures - policy.max_failures
    if over < 0:
        return None
    throttle.locked_until = now + min(policy.first_wait * 2 ** min(over, MAX_DOUBLINGS), cap)
    return throttle.locked_until


def _forget_old_failures(session: Session, now: datetime) -> None:
    session.execute(delete(LoginThrottle).where(LoginThrottle.last_failure_at < now - FORGET_AFTER))


def _name_key(name: str) -> str:
    return "name:" + name.strip().lower()[:95]


def _client_key(client: str) -> str:
    return "client:" + client[:93]
