"""Staff accounts: create them, check a password (argon2), throttle failed logins in the database.

Throttling is kept per attempted name in `login_throttle`, so several web
processes behind a proxy count the same failures. After `max_failures` the
name waits before the next try, doubling each time up to a cap.

>>> add_user(session, "an", "geheim wachtwoord", role="staff")
>>> check_login(session, "an", "geheim wachtwoord", policy).user.name
'an'
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..errors import AccountError
from ..store.models import LoginThrottle, StaffRole, StaffUser, utcnow

MIN_PASSWORD_LENGTH = 10
_hasher = PasswordHasher()
# verified when the name is unknown, so a wrong name costs as much time as a wrong password
_DUMMY_HASH = _hasher.hash("not a real password")


@dataclass(frozen=True)
class ThrottlePolicy:
    max_failures: int = 5
    first_wait: timedelta = timedelta(seconds=30)
    max_wait: timedelta = timedelta(minutes=15)


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


def check_login(session: Session, name: str, password: str, policy: ThrottlePolicy, now: datetime | None = None) -> LoginResult:
    """The user when name and password match and the name is not waiting out a lockout."""
    now = now or utcnow()
    throttle = session.get(LoginThrottle, _throttle_key(name))
    if throttle is not None and throttle.locked_until is not None and throttle.locked_until > now:
        return LoginResult(None, throttle.locked_until)
    user = find_user(session, name)
    if user is not None and user.active and _verify(user, password):
        if throttle is not None:
            session.delete(throttle)
        return LoginResult(user)
    if user is None:
        _verify_dummy(password)
    return LoginResult(None, _note_failure(session, throttle, name, policy, now))


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


def _verify_dummy(password: str) -> None:
    try:
        _hasher.verify(_DUMMY_HASH, password)
    except VerificationError:
        pass


def _note_failure(session: Session, throttle: LoginThrottle | None, name: str, policy: ThrottlePolicy, now: datetime) -> datetime | None:
    if throttle is None:
        throttle = LoginThrottle(name=_throttle_key(name), failures=0)
        session.add(throttle)
    throttle.failures += 1
    throttle.last_failure_at = now
    over = throttle.failures - policy.max_failures
    if over >= 0:
        throttle.locked_until = now + min(policy.first_wait * (2 ** over), policy.max_wait)
    return throttle.locked_until if over >= 0 else None


def _throttle_key(name: str) -> str:
    return name.strip().lower()[:100]
