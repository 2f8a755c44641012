"""The exception hierarchy: one root, narrow subclasses. Only the CLI turns them into exit codes."""


class MailintakeError(Exception):
    """Root of every error mailintake raises on purpose."""


class ConfigError(MailintakeError):
    """The configuration file is missing, malformed or inconsistent; the message names the key."""


class MailboxError(MailintakeError):
    """The IMAP server could not be reached or refused an operation."""


class MailboxLoginError(MailboxError):
    """The IMAP server refused the credentials."""


class SchemaOutdatedError(MailintakeError):
    """The database schema is older than this program; run `mailintake db upgrade`."""


class NotFoundError(MailintakeError):
    """A case, message or other record asked for by the user does not exist."""


