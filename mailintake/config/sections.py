"""The sections of config.toml as frozen dataclasses; each checks its own values.

`check(where)` raises a `ConfigError` that names the key, `where` being
"config.toml: [section]". `Config` holds them all and checks what spans sections.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..domain import DEFAULT_LANGUAGE
from ..errors import ConfigError
from .secrets import Secret

SECURITY_MODES = ("tls", "starttls", "none")
MAILBOX_AUTH = ("password", "oauth2")
SMTP_AUTH = ("password", "oauth2", "none")
OAUTH2_PROVIDERS = ("microsoft", "google", "generic")
OAUTH2_GRANTS = ("client_credentials", "refresh_token")
REUSE_MAILBOX_OAUTH2 = "mailbox"
ACK_FLAGGED_MODES = ("immediate", "after_review")
SERVICE_KEYS = ("name", "contact", "address")
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


def _one_of(where: str, key: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise ConfigError(f"{where} {key}: must be one of {', '.join(allowed)}, got {value!r}")


def _positive(where: str, section, *keys: str) -> None:
    for key in keys:
        if getattr(section, key) <= 0:
            raise ConfigError(f"{where} {key}: must be positive, got {getattr(section, key)}")


def _hour(where: str, key: str, value: int) -> None:
    if not 0 <= value <= 23:
        raise ConfigError(f"{where} {key}: must be an hour from 0 to 23")


@dataclass(frozen=True)
class OAuth2Config:
    """`[mailbox.oauth2]` or `[smtp.oauth2]`: where access tokens come from (client credentials or a refresh token)."""

    provider: str = "generic"  # microsoft | google | generic
    client_id: str = ""
    tenant_id: str = ""  # microsoft
    client_secret_env: str | None = None
    client_secret_file: str | None = None
    certificate_file: str | None = None  # microsoft: PEM with the private key and the certificate
    certificate_thumbprint: str = ""  # microsoft: SHA-1 thumbprint of that certificate, as Entra shows it
    service_account_file: str | None = None  # google client_credentials: the key file, domain-wide delegation
    token_url: str = ""  # generic; otherwise overrides the provider's endpoint (tests, sovereign clouds)
    scope: str = ""  # default per provider
    grant: str = "client_credentials"  # or refresh_token
    refresh_token_file: str | None = None  # refresh_token: read, and rewritten when the provider rotates it
    ca_file: str | None = None  # CA bundle for the token endpoint; the system store when unset
    timeout_seconds: float = 30.0

    @property
    def client_secret(self) -> Secret:
        return Secret("[oauth2] client_secret", self.client_secret_env, self.client_secret_file)

    def check(self, where: str) -> None:
        _one_of(where, "provider", self.provider, OAUTH2_PROVIDERS)
        _one_of(where, "grant", self.grant, OAUTH2_GRANTS)
        _positive(where, self, "timeout_seconds")
        if not self.client_id and not (self.provider == "google" and self.grant == "client_credentials"):
            raise ConfigError(f"{where} client_id: required")
        if self.provider == "generic" and not self.token_url:
            raise ConfigError(f"{where} token_url: required for the generic provider")
        if self.provider == "microsoft" and not (self.tenant_id or self.token_url):
            raise ConfigError(f"{where} tenant_id: required for Microsoft (the directory (tenant) ID of Entra ID)")
        if self.token_url and not self.token_url.startswith("https://") and not _loopback_url(self.token_url):
            raise ConfigError(f"{where} token_url: must be https:// (the client secret travels in it), got {self.token_url!r}")
        if self.client_secret_env and self.client_secret_file:
            raise ConfigError(f"{where} client_secret_env and client_secret_file: give only one")
        if self.grant == "refresh_token":
            if not self.refresh_token_file:
                raise ConfigError(f"{where} refresh_token_file: required with grant = \"refresh_token\"")
            return
        self._check_client_credentials(where)

    def _check_client_credentials(self, where: str) -> None:
        sources = [name for name in ("client_secret_env", "client_secret_file", "certificate_file",
                                     "service_account_file") if getattr(self, name)]
        if len(sources) != 1:
            raise ConfigError(f"{where} client_secret_env: give exactly one of client_secret_env, client_secret_file"
                              f"{', certificate_file' if self.provider == 'microsoft' else ''}"
                              f"{', service_account_file' if self.provider == 'google' else ''}")
        if self.certificate_file and self.provider != "microsoft":
            raise ConfigError(f"{where} certificate_file: only for provider = \"microsoft\"")
        if self.certificate_file and not self.certificate_thumbprint:
            raise ConfigError(f"{where} certificate_thumbprint: required with certificate_file")
        if self.service_account_file and self.provider != "google":
            raise ConfigError(f"{where} service_account_file: only for provider = \"google\"")
        if self.provider == "google" and not self.service_account_file:
            raise ConfigError(f"{where} service_account_file: Google's client credentials are a service account "
                              "key file (or use grant = \"refresh_token\")")


def _loopback_url(url: str) -> bool:
    host = url.split("://", 1)[-1].split("/", 1)[0].rsplit(":", 1)[0]
    return host in ("127.0.0.1", "localhost", "[::1]")


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
    batch_bytes: int = 41943040  # mail held at once: a batch is fetched and stored in chunks of at most this
    max_message_bytes: int = 26214400
    max_attempts: int = 3
    timeout_seconds: float = 60.0
    ca_file: str | None = None
    name: str = "ombudsdienst"
    auth: str = "password"  # or "oauth2", with [mailbox.oauth2]
    oauth2: OAuth2Config | None = None

    @property
    def password(self) -> Secret:
        return Secret("[mailbox] password", self.password_env, self.password_file)

    def check(self, where: str) -> None:
        _one_of(where, "security", self.security, SECURITY_MODES)
        _one_of(where, "auth", self.auth, MAILBOX_AUTH)
        if self.password_env and self.password_file:
            raise ConfigError(f"{where} password_env and password_file: give only one")
        if self.auth == "oauth2":
            if self.oauth2 is None:
                raise ConfigError(f"{where} auth: \"oauth2\" needs a [mailbox.oauth2] section")
            self.oauth2.check(f"{where[:-1]}.oauth2]")
        elif not self.password.configured:
            raise ConfigError(f"{where} password_env: missing secret (set password_env or password_file)")
        _positive(where, self, "port", "batch_size", "batch_bytes", "max_message_bytes", "max_attempts")
        if not 0 < self.port < 65536:
            raise ConfigError(f"{where} port: must be between 1 and 65535, got {self.port}")
        if len({self.folder, self.processed_folder, self.quarantine_folder}) != 3:
            raise ConfigError(f"{where} processed_folder: folder, processed_folder and quarantine_folder must differ")


@dataclass(frozen=True)
class DatabaseConfig:
    url: str | None = None
    url_env: str | None = None  # when the URL carries a password: the environment variable that holds it
    url_file: str | None = None  # ... or the file (a systemd credential)

    def resolved_url(self) -> str:
        if self.url_env or self.url_file:
            return Secret("[database] url", env=self.url_env, file=self.url_file).value()
        return self.url or "sqlite:///mailintake.sqlite"

    def check(self, where: str) -> None:
        if sum(1 for value in (self.url, self.url_env, self.url_file) if value) > 1:
            raise ConfigError(f"{where} url, url_env and url_file: give only one")


@dataclass(frozen=True)
class IntakeConfig:
    case_prefix: str = "OMB"
    timezone: str = "Europe/Brussels"
    own_addresses: tuple[str, ...] = ()
    workers: int = 2  # processes that parse and triage; 0: in this process, without a time budget
    analysis_seconds: float = 30.0  # past this, a message's analysis is stopped and the message quarantined

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def check(self, where: str) -> None:
        try:
            self.zone
        except (ZoneInfoNotFoundError, ValueError):
            raise ConfigError(f"{where} timezone: unknown time zone {self.timezone!r}") from None
        if not self.case_prefix.isalnum():
            raise ConfigError(f"{where} case_prefix: letters and digits only, got {self.case_prefix!r}")
        if self.workers < 0:
            raise ConfigError(f"{where} workers: 0 or more, got {self.workers}")
        _positive(where, self, "analysis_seconds")


SPAM_FILTERS = ("spamassassin", "rspamd", "microsoft")


@dataclass(frozen=True)
class TriageConfig:
    stale_after_days: int = 365
    min_confidence: float = 0.45
    vocabulary: dict = field(default_factory=dict)
    # The spam verdicts our own receiving server writes (anyone can write these headers, so only the
    # ones our server sets and overwrites are believed): "spamassassin", "rspamd", "microsoft" (EOP).
    trusted_spam_headers: tuple[str, ...] = ("spamassassin",)

    def check(self, where: str) -> None:
        unknown = sorted(set(self.trusted_spam_headers) - set(SPAM_FILTERS))
        if unknown:
            raise ConfigError(f"{where} trusted_spam_headers: unknown {unknown[0]!r}; choose from {', '.join(SPAM_FILTERS)}")
        if self.stale_after_days < 1:
            raise ConfigError(f"{where} stale_after_days: must be positive")
        if not 0 <= self.min_confidence <= 1:
            raise ConfigError(f"{where} min_confidence: must be between 0 and 1")


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
    auth: str = "password"  # log in with the password when a username is set; "oauth2"; "none": never log in
    oauth2: OAuth2Config | str | None = None  # [smtp.oauth2], or "mailbox" for the mailbox's credentials

    @property
    def password(self) -> Secret:
        return Secret("[smtp] password", self.password_env, self.password_file)

    @property
    def logs_in(self) -> bool:
        return self.auth == "oauth2" or (self.auth == "password" and bool(self.username))

    def check(self, where: str) -> None:
        _one_of(where, "security", self.security, SECURITY_MODES)
        _one_of(where, "auth", self.auth, SMTP_AUTH)
        if self.auth == "password" and self.username and not self.password.configured:
            raise ConfigError(f"{where} password_env: missing secret for username {self.username!r}")
        if self.auth != "oauth2":
            return
        if self.oauth2 is None:
            raise ConfigError(f"{where} auth: \"oauth2\" needs [smtp.oauth2], or oauth2 = \"mailbox\"")
        if isinstance(self.oauth2, str):
            if self.oauth2 != REUSE_MAILBOX_OAUTH2:
                raise ConfigError(f"{where} oauth2: a table, or \"mailbox\", got {self.oauth2!r}")
        else:
            self.oauth2.check(f"{where[:-1]}.oauth2]")


@dataclass(frozen=True)
class AcknowledgementConfig:
    ack_flagged: str = "immediate"
    max_acks_per_address_per_day: int = 5  # beyond: suppressed
    max_acks_per_domain_per_day: int = 100  # beyond: held for staff
    max_acks_per_hour: int = 200  # all automatic mail; beyond: held for staff
    follow_up_notice: bool = False
    authserv_id: str = ""
    message_id_domain: str = ""

    def check(self, where: str) -> None:
        if self.ack_flagged not in ACK_FLAGGED_MODES:
            raise ConfigError(f"{where} ack_flagged: must be one of {', '.join(ACK_FLAGGED_MODES)}")
        _positive(where, self, "max_acks_per_address_per_day", "max_acks_per_domain_per_day", "max_acks_per_hour")


@dataclass(frozen=True)
class DeadlinesConfig:
    admissibility_days: int = 10
    handling_days: int = 45
    working_days: bool = False  # count Mondays to Fridays that are no Belgian public holiday
    digest_to: str = ""  # staff address of the daily deadline digest; empty: no digest
    digest_hour: int = 8  # local hour the digest is queued
    digest_days_ahead: int = 3  # the digest lists cases due within this many days, and overdue ones

    def check(self, where: str) -> None:
        for key in ("admissibility_days", "handling_days"):
            if getattr(self, key) < 1:
                raise ConfigError(f"{where} {key}: must be positive")
        if self.digest_to and "@" not in self.digest_to:
            raise ConfigError(f"{where} digest_to: not a mail address: {self.digest_to!r}")
        _hour(where, "digest_hour", self.digest_hour)
        if self.digest_days_ahead < 0:
            raise ConfigError(f"{where} digest_days_ahead: must be 0 or more")


@dataclass(frozen=True)
class RetentionConfig:
    enabled: bool = True  # the daemon's daily retention job
    retention_years: int = 5  # closed cases are erased this long after closing
    skipped_days: int = 90  # raw mail skipped as no complaint (robots, spam, newsletters)
    quarantined_days: int = 180  # raw mail that could not be processed
    run_hour: int = 3  # local hour of the daily retention job

    def check(self, where: str) -> None:
        _hour(where, "run_hour", self.run_hour)
        for key in ("retention_years", "skipped_days", "quarantined_days"):
            if getattr(self, key) < 1:
                raise ConfigError(f"{where} {key}: must be positive")


@dataclass(frozen=True)
class ReportConfig:
    min_count: int = 3  # counts from 1 to min_count - 1 are shown as "<min_count"

    def check(self, where: str) -> None:
        if self.min_count < 1:
            raise ConfigError(f"{where} min_count: must be 1 (no suppression) or more")


@dataclass(frozen=True)
class OfficeConfig:
    name: str = "Ombudsdienst Stad Leuven"
    address: str = "Stadskantoor, Professor Van Overstraetenplein 1, 3000 Leuven"
    email: str = "ombudsdienst@leuven.be"
    phone: str = ""
    website: str = "https://www.leuven.be/ombudsdienst"
    appeal_body: str = "Agentschap Binnenlands Bestuur"

    def check(self, where: str) -> None:
        pass  # free text


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
    poll_limit_seconds: float = 600.0  # /healthz turns not ready while a poll runs longer than this

    def check(self, where: str) -> None:
        _positive(where, self, "poll_interval_seconds", "relay_interval_seconds", "standby_check_seconds",
                  "reconnect_max_seconds", "health_check_seconds", "poll_limit_seconds")
        if not 0 <= self.health_port < 65536:
            raise ConfigError(f"{where} health_port: must be between 0 (off) and 65535, got {self.health_port}")
        if not 0 < self.idle_renew_minutes < 29:
            raise ConfigError(f"{where} idle_renew_minutes: must be between 0 and 29 (RFC 2177)")


@dataclass(frozen=True)
class WebConfig:
    secret_key_env: str | None = None
    secret_key_file: str = ""  # part of the signing key kept outside the database; default next to the SQLite file
    idle_minutes: float = 30.0
    session_hours: float = 12.0  # a session ends this long after login, however busy
    max_failed_logins: int = 5
    lockout_max_minutes: float = 15.0
    page_size: int = 50
    secure_cookies: bool = False
    trusted_proxy: str = ""

    def check(self, where: str) -> None:
        _positive(where, self, "idle_minutes", "session_hours", "max_failed_logins", "lockout_max_minutes", "page_size")


@dataclass(frozen=True)
class ReviewConfig:
    themes: tuple[str, ...] = DEFAULT_THEMES

    def check(self, where: str) -> None:
        if not self.themes or any(not t.strip() for t in self.themes):
            raise ConfigError(f"{where} themes: give at least one theme, none empty")


@dataclass(frozen=True)
class ServiceConfig:
    """`[services.NAME]`: a service's name, first-line contact (a string or a table per language) and address."""

    name: str | dict | None = None
    contact: str | dict | None = None
    address: str | dict | None = None

    def text(self, key: str, language: str) -> str:
        """`name` or `contact` in `language` (else Dutch); "" when not configured."""
        value = getattr(self, key)
        if isinstance(value, dict):
            return value.get(language) or value.get(DEFAULT_LANGUAGE) or ""
        return value or ""

    @property
    def mail_address(self) -> str | None:
        return self.address.strip() if isinstance(self.address, str) and "@" in self.address else None

    def check(self, where: str) -> None:
        for key in SERVICE_KEYS:
            value = getattr(self, key)
            if value is None or isinstance(value, str):
                continue
            if not all(isinstance(v, str) for v in value.values()):
                raise ConfigError(f"{where} {key}: expected a string or a table of strings per language")


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
    services: dict[str, ServiceConfig] = field(default_factory=dict)
    source: str = "config.toml"

    def require_mailbox(self) -> MailboxConfig:
        if self.mailbox is None:
            raise ConfigError(f"{self.source}: [mailbox] section is missing")
        return self.mailbox

    def service(self, name: str | None) -> ServiceConfig:
        """`[services.NAME]`, empty when not configured."""
        return self.services.get(name or "") or ServiceConfig()

    def service_address(self, name: str | None) -> str | None:
        """The configured mail address of a service, or None when it has none."""
        return self.service(name).mail_address

    def own_addresses(self) -> tuple[str, ...]:
        """The office's own addresses, lower case: `[intake] own_addresses`, our From and Reply-To, the mailbox."""
        box = self.mailbox
        candidates = (*self.intake.own_addresses, self.smtp.from_address, self.smtp.reply_to,
                      box.username if box else "")
        return tuple(dict.fromkeys(a.strip().lower() for a in candidates if "@" in a))

    def service_for_address(self, address: str | None) -> str | None:
        """The service whose configured address this is (case-insensitive), or None."""
        wanted = (address or "").strip().lower()
        if not wanted:
            return None
        return next((name for name in self.services if (self.service_address(name) or "").lower() == wanted), None)

    def smtp_oauth2(self) -> OAuth2Config | None:
        """The token source of the SMTP relay: [smtp.oauth2], or the mailbox's with oauth2 = "mailbox"."""
        if self.smtp.oauth2 == REUSE_MAILBOX_OAUTH2:
            return self.mailbox.oauth2 if self.mailbox is not None else None
        return self.smtp.oauth2

    def smtp_user(self) -> str:
        """Whom the relay logs in as: [smtp] username, else (oauth2 = "mailbox") the mailbox's."""
        if self.smtp.username or self.smtp.oauth2 != REUSE_MAILBOX_OAUTH2 or self.mailbox is None:
            return self.smtp.username
        return self.mailbox.username

    def check(self) -> None:
        """Every section checks itself; the message names the file, the section and the key."""
        for spec in fields(self):
            section = getattr(self, spec.name)
            if hasattr(section, "check"):
                section.check(f"{self.source}: [{spec.name}]")
        for name, service in self.services.items():
            service.check(f"{self.source}: [services.{name}]")
        if self.smtp.auth == "oauth2":
            if self.smtp_oauth2() is None:
                raise ConfigError(f"{self.source}: [smtp] oauth2: \"mailbox\" needs [mailbox] auth = \"oauth2\"")
            if not self.smtp_user():
                raise ConfigError(f"{self.source}: [smtp] username: the mailbox to send as (required with oauth2)")


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
