"""config.toml -> frozen dataclasses, validated once. Secrets come from the environment or a file.

Every problem is reported as one `ConfigError` line that names the key, e.g.
`config.toml: [mailbox] port: expected an integer, got "993x"`.
"""

from __future__ import annotations

import os
import tomllib
import types
import typing
from dataclasses import MISSING, dataclass, field, fields
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import ConfigError

ENV_CONFIG = "MAILINTAKE_CONFIG"
SECURITY_MODES = ("tls", "starttls", "none")
ACK_FLAGGED_MODES = ("immediate", "after_review")


@dataclass(frozen=True)
class Secret:
    """Where a password lives: an environment variable or a file. Resolved only when needed."""

    key: str
    env: str | None = None
    file: str | None = None

    @property
    def configured(self) -> bool:
        return bool(self.env or self.file)

    def value(self) -> str:
        if self.env:
            found = os.environ.get(self.env)
            if found is None:
                raise ConfigError(f"{self.key}_env: environment variable {self.env} is not set")
            return found
        if self.file:
            try:
                return Path(self.file).read_text(encoding="utf-8").rstrip("\r\n")
            except OSError as exc:
                raise ConfigError(f"{self.key}_file: cannot read {self.file}: {exc.strerror}") from None
        return ""


@dataclass(frozen=True)
class MailboxConfig:
    host: str
    username: str
    port: int = 993
    security: str = "tls"
    password_env: str | None = None
    password_file: str | None = None
    folder: str = "INBOX"
    processed_folder: str = "Verwerkt"
    quarantine_folder: str = "Quarantaine"
    batch_size: int = 50
    max_message_bytes: int = 26214400
    max_attempts: int = 3
    timeout_seconds: float = 60.0
    ca_file: str | None = None
    name: str = "ombudsdienst"

    @property
    def password(self) -> Secret:
        return Secret("[mailbox] password", self.password_env, self.password_file)


@dataclass(frozen=True)
class DatabaseConfig:
    url: str | None = None
    url_env: str | None = None

    def resolved_url(self) -> str:
        if self.url_env:
            return Secret("[database] url", env=self.url_env).value()
        return self.url or "sqlite:///mailintake.sqlite"


@dataclass(frozen=True)
class IntakeConfig:
    case_prefix: str = "OMB"
    timezone: str = "Europe/Brussels"
    own_addresses: tuple[str, ...] = ()

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


@dataclass(frozen=True)
class TriageConfig:
    stale_after_days: int = 365
    min_confidence: float = 0.45
    vocabulary: dict = field(default_factory=dict)


@dataclass(frozen=True)
class SmtpConfig:
    host: str = "localhost"
    port: int = 587
    security: str = "starttls"
    username: str = ""
    password_env: str | None = None
    password_file: str | None = None
    from_address: str = "ombudsdienst@leuven.be"
    from_name: str = "Ombudsdienst Stad Leuven"
    reply_to: str = ""
    timeout_seconds: float = 30.0
    ca_file: str | None = None
    retry_for_hours: float = 48.0
    sent_folder: str = ""

    @property
    def password(self) -> Secret:
        return Secret("[smtp] password", self.password_env, self.password_file)


@dataclass(frozen=True)
class AcknowledgementConfig:
    ack_flagged: str = "immediate"
    max_acks_per_address_per_day: int = 5
    follow_up_notice: bool = False
    authserv_id: str = ""
    message_id_domain: str = ""


@dataclass(frozen=True)
class DeadlinesConfig:
    admissibility_days: int = 10
    handling_days: int = 45
    working_days: bool = False  # count Mondays to Fridays that are no Belgian public holiday
    digest_to: str = ""  # staff address of the daily deadline digest; empty: no digest
    digest_hour: int = 8  # local hour the digest is queued
    digest_days_ahead: int = 3  # the digest lists cases due within this many days, and overdue ones


@dataclass(frozen=True)
class RetentionConfig:
    enabled: bool = True  # the daemon's daily retention job
    retention_years: int = 5  # closed cases are erased this long after closing
    skipped_days: int = 90  # raw mail skipped as no complaint (robots, spam, newsletters)
    quarantined_days: int = 180  # raw mail that could not be processed
    run_hour: int = 3  # local hour of the daily retention job


@dataclass(frozen=True)
class ReportConfig:
    min_count: int = 3  # counts from 1 to min_count - 1 are shown as "<min_count"


@dataclass(frozen=True)
class OfficeConfig:
    name: str = "Ombudsdienst Stad Leuven"
    address: str = "Stadskantoor, Professor Van Overstraetenplein 1, 3000 Leuven"
    email: str = "ombudsdienst@leuven.be"
    phone: str = ""
    website: str = "https://www.leuven.be/ombudsdienst"
    appeal_body: str = "Agentschap Binnenlands Bestuur"


@dataclass(frozen=True)
class DaemonConfig:
    poll_interval_seconds: float = 300.0
    relay_interval_seconds: float = 60.0
    idle: bool = True
    idle_renew_minutes: float = 25.0
    reconnect_max_seconds: float = 300.0
    standby_check_seconds: float = 15.0
    lock_dir: str = ""
    health_host: str = "127.0.0.1"
    health_port: int = 9465
    health_check_seconds: float = 10.0


@dataclass(frozen=True)
class WebConfig:
    secret_key_env: str | None = None
    idle_minutes: float = 30.0
    max_failed_logins: int = 5
    lockout_max_minutes: float = 15.0
    page_size: int = 50
    secure_cookies: bool = False
    trusted_proxy: str = ""


DEFAULT_THEMES = (
    "geen antwoord",
    "onduidelijke informatie",
    "onvriendelijke behandeling",
    "wachttijd",
    "GAS en parkeren",
    "belastingen",
    "foutieve beslissing",
    "openbaar domein",
)


@dataclass(frozen=True)
class ReviewConfig:
    themes: tuple[str, ...] = DEFAULT_THEMES


@dataclass(frozen=True)
class Config:
    mailbox: MailboxConfig | None
    database: DatabaseConfig = field(default_factory=DatabaseConfig)
    intake: IntakeConfig = field(default_factory=IntakeConfig)
    triage: TriageConfig = field(default_factory=TriageConfig)
    smtp: SmtpConfig = field(default_factory=SmtpConfig)
    acknowledgement: AcknowledgementConfig = field(default_factory=AcknowledgementConfig)
    deadlines: DeadlinesConfig = field(default_factory=DeadlinesConfig)
    office: OfficeConfig = field(default_factory=OfficeConfig)
    daemon: DaemonConfig = field(default_factory=DaemonConfig)
    web: WebConfig = field(default_factory=WebConfig)
    review: ReviewConfig = field(default_factory=ReviewConfig)
    retention: RetentionConfig = field(default_factory=RetentionConfig)
    report: ReportConfig = field(default_factory=ReportConfig)
    services: dict = field(default_factory=dict)
    source: str = "config.toml"

    def require_mailbox(self) -> MailboxConfig:
        if self.mailbox is None:
            raise ConfigError(f"{self.source}: [mailbox] section is missing")
        return self.mailbox


SECTIONS: dict[str, type] = {
    "mailbox": MailboxConfig,
    "database": DatabaseConfig,
    "intake": IntakeConfig,
    "triage": TriageConfig,
    "smtp": SmtpConfig,
    "acknowledgement": AcknowledgementConfig,
    "deadlines": DeadlinesConfig,
    "office": OfficeConfig,
    "daemon": DaemonConfig,
    "web": WebConfig,
    "review": ReviewConfig,
    "retention": RetentionConfig,
    "report": ReportConfig,
}
SERVICE_NAMES = ("stad", "politie", "ocmw", "zorgbedrijf", "agsl", "m-leuven")
SERVICE_KEYS = ("name", "contact", "address")


def config_path(cli_path: str | None) -> Path:
    """--config PATH, else $MAILINTAKE_CONFIG, else ./config.toml."""
    return Path(cli_path or os.environ.get(ENV_CONFIG) or "config.toml")


def load(path: Path) -> Config:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: configuration file not found (use --config PATH or ${ENV_CONFIG})") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    return from_dict(data, source=str(path))


def from_dict(data: dict, source: str = "config.toml") -> Config:
    unknown = sorted(set(data) - set(SECTIONS) - {"services"})
    if unknown:
        raise ConfigError(f"{source}: unknown section [{unknown[0]}]")
    sections = {}
    for name, cls in SECTIONS.items():
        if name in data:
            if not isinstance(data[name], dict):
                raise ConfigError(f"{source}: [{name}] must be a table")
            sections[name] = _section(cls, name, data[name], source)
    services = _services(data.get("services", {}), source)
    config = Config(source=source, mailbox=sections.pop("mailbox", None), services=services, **sections)
    _check_values(config)
    return config


def _services(data, source: str) -> dict:
    """[services.NAME] name/contact per language, e.g. contact = { nl = "...", fr = "...", en = "..." }."""
    if not isinstance(data, dict):
        raise ConfigError(f"{source}: [services] must be a table")
    result = {}
    for service, values in data.items():
        where = f"{source}: [services.{service}]"
        if service not in SERVICE_NAMES:
            raise ConfigError(f"{where} unknown service (one of {', '.join(SERVICE_NAMES)})")
        if not isinstance(values, dict):
            raise ConfigError(f"{where} must be a table")
        for key, value in values.items():
            if key not in SERVICE_KEYS:
                raise ConfigError(f"{where} unknown key {key!r}")
            if not isinstance(value, (str, dict)) or (
                isinstance(value, dict) and not all(isinstance(v, str) for v in value.values())
            ):
                raise ConfigError(f"{where} {key}: expected a string or a table of strings per language")
        result[service] = dict(values)
    return result


def _section(cls: type, name: str, values: dict, source: str):
    known = {f.name: f for f in fields(cls)}
    hints = typing.get_type_hints(cls)
    kwargs = {}
    for key, value in values.items():
        if key not in known:
            raise ConfigError(f"{source}: [{name}] unknown key {key!r}")
        kwargs[key] = _coerce(value, hints[key], f"{source}: [{name}] {key}")
    for key, spec in known.items():
        if key not in kwargs and spec.default is MISSING and spec.default_factory is MISSING:
            raise ConfigError(f"{source}: [{name}] {key}: required key is missing")
    return cls(**kwargs)


def _coerce(value, hint, where: str):
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = [h for h in typing.get_args(hint) if h is not type(None)]
        return _coerce(value, options[0], where)
    if origin is tuple:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{where}: expected a list of strings, got {value!r}")
        return tuple(value)
    if hint is bool:
        if not isinstance(value, bool):
            raise ConfigError(f"{where}: expected true or false, got {value!r}")
        return value
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"{where}: expected an integer, got {value!r}")
        return value
    if hint is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ConfigError(f"{where}: expected a number, got {value!r}")
        return float(value)
    if hint is str:
        if not isinstance(value, str):
            raise ConfigError(f"{where}: expected a string, got {value!r}")
        return value
    if hint is dict or origin is dict:
        if not isinstance(value, dict):
            raise ConfigError(f"{where}: expected a table, got {value!r}")
        return value
    raise ConfigError(f"{where}: unsupported value {value!r}")


def _check_values(config: Config) -> None:
    where = config.source
    box = config.mailbox
    if box is not None:
        if box.security not in SECURITY_MODES:
            raise ConfigError(f"{where}: [mailbox] security: must be one of {', '.join(SECURITY_MODES)}, got {box.security!r}")
        if box.password_env and box.password_file:
            raise ConfigError(f"{where}: [mailbox] password_env and password_file: give only one")
        if not box.password.configured:
            raise ConfigError(f"{where}: [mailbox] password_env: missing secret (set password_env or password_file)")
        for key in ("port", "batch_size", "max_message_bytes", "max_attempts"):
            if getattr(box, key) < 1:
                raise ConfigError(f"{where}: [mailbox] {key}: must be positive, got {getattr(box, key)}")
        if not 0 < box.port < 65536:
            raise ConfigError(f"{where}: [mailbox] port: must be between 1 and 65535, got {box.port}")
        if len({box.folder, box.processed_folder, box.quarantine_folder}) != 3:
            raise ConfigError(f"{where}: [mailbox] processed_folder: folder, processed_folder and quarantine_folder must differ")
    if config.smtp.security not in SECURITY_MODES:
        raise ConfigError(f"{where}: [smtp] security: must be one of {', '.join(SECURITY_MODES)}, got {config.smtp.security!r}")
    if config.smtp.username and not config.smtp.password.configured:
        raise ConfigError(f"{where}: [smtp] password_env: missing secret for username {config.smtp.username!r}")
    if config.acknowledgement.ack_flagged not in ACK_FLAGGED_MODES:
        raise ConfigError(f"{where}: [acknowledgement] ack_flagged: must be one of {', '.join(ACK_FLAGGED_MODES)}")
    for key in ("admissibility_days", "handling_days"):
        if getattr(config.deadlines, key) < 1:
            raise ConfigError(f"{where}: [deadlines] {key}: must be positive")
    _check_year_settings(config)
    for key in ("poll_interval_seconds", "relay_interval_seconds", "standby_check_seconds", "reconnect_max_seconds", "health_check_seconds"):
        if getattr(config.daemon, key) <= 0:
            raise ConfigError(f"{where}: [daemon] {key}: must be positive")
    if not 0 <= config.daemon.health_port < 65536:
        raise ConfigError(f"{where}: [daemon] health_port: must be between 0 (off) and 65535, got {config.daemon.health_port}")
    if not 0 < config.daemon.idle_renew_minutes < 29:
        raise ConfigError(f"{where}: [daemon] idle_renew_minutes: must be between 0 and 29 (RFC 2177)")
    for key in ("idle_minutes", "max_failed_logins", "lockout_max_minutes", "page_size"):
        if getattr(config.web, key) <= 0:
            raise ConfigError(f"{where}: [web] {key}: must be positive")
    if not config.review.themes or any(not t.strip() for t in config.review.themes):
        raise ConfigError(f"{where}: [review] themes: give at least one theme, none empty")
    if config.database.url and config.database.url_env:
        raise ConfigError(f"{where}: [database] url and url_env: give only one")
    try:
        config.intake.zone
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"{where}: [intake] timezone: unknown time zone {config.intake.timezone!r}") from None
    if not config.intake.case_prefix.isalnum():
        raise ConfigError(f"{where}: [intake] case_prefix: letters and digits only, got {config.intake.case_prefix!r}")
    if config.triage.stale_after_days < 1:
        raise ConfigError(f"{where}: [triage] stale_after_days: must be positive")
    if not 0 <= config.triage.min_confidence <= 1:
        raise ConfigError(f"{where}: [triage] min_confidence: must be between 0 and 1")


def _check_year_settings(config: Config) -> None:
    """[deadlines] digest, [retention] and [report]: the office's year."""
    where = config.source
    deadlines, retention = config.deadlines, config.retention
    if deadlines.digest_to and "@" not in deadlines.digest_to:
        raise ConfigError(f"{where}: [deadlines] digest_to: not a mail address: {deadlines.digest_to!r}")
    for section, values, key in (("deadlines", deadlines, "digest_hour"), ("retention", retention, "run_hour")):
        if not 0 <= getattr(values, key) <= 23:
            raise ConfigError(f"{where}: [{section}] {key}: must be an hour from 0 to 23")
    if deadlines.digest_days_ahead < 0:
        raise ConfigError(f"{where}: [deadlines] digest_days_ahead: must be 0 or more")
    for key in ("retention_years", "skipped_days", "quarantined_days"):
        if getattr(retention, key) < 1:
            raise ConfigError(f"{where}: [retention] {key}: must be positive")
    if config.report.min_count < 1:
        raise ConfigError(f"{where}: [report] min_count: must be 1 (no suppression) or more")
