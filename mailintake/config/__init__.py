"""Configuration: config.toml -> frozen section dataclasses, validated once; secrets from the environment or a file.

>>> config = load(config_path(None))        # --config, $MAILINTAKE_CONFIG or ./config.toml
>>> config.require_mailbox().password.value()
"""

from .loading import ENV_CONFIG, config_path, from_dict, load
from .secrets import Secret
from .sections import (
    AcknowledgementConfig,
    Config,
    DaemonConfig,
    DatabaseConfig,
    DeadlinesConfig,
    IntakeConfig,
    MailboxConfig,
    OAuth2Config,
    OfficeConfig,
    ReportConfig,
    RetentionConfig,
    ReviewConfig,
    ServiceConfig,
    SmtpConfig,
    TriageConfig,
    WebConfig,
)

__all__ = [
    "ENV_CONFIG", "config_path", "from_dict", "load", "Secret", "Config", "AcknowledgementConfig", "DaemonConfig",
    "DatabaseConfig", "DeadlinesConfig", "IntakeConfig", "MailboxConfig", "OAuth2Config", "OfficeConfig", "ReportConfig",
    "RetentionConfig", "ReviewConfig", "ServiceConfig", "SmtpConfig", "TriageConfig", "WebConfig",
]
