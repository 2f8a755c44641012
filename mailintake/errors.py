"""The exception hierarchy: one root, narrow subclasses. Only the CLI turns them into exit codes.

Every error mailintake raises on purpose is defined here, so the whole tree
can be read in one place:

    MailintakeError
    ├── ConfigError               exit code 2
    ├── TokenError                an OAuth2 token endpoint refused or failed
    ├── MailboxError              (IMAP)
    │   └── MailboxLoginError
    ├── SmtpFailure               (SMTP)
    │   ├── TemporaryFailure      4xx, disconnects, timeouts: try again later
    │   └── PermanentFailure      5xx: never
    ├── SchemaOutdatedError
    ├── NotFoundError
    ├── ReviewError               a staff request that does not fit the case
    │   └── LetterError
    ├── AccountError
    └── AnalysisError             a message that cannot be analysed as asked
        └── AnalysisTimeout       its analysis ran past the budget
"""


class MailintakeError(Exception):
    """Root of every error mailintake raises on purpose."""


class ConfigError(MailintakeError):
    """The configuration file is missing, malformed or inconsistent; the message names the key."""


class TokenError(MailintakeError):
    """No OAuth2 access token: the token endpoint refused the client, or could not be reached."""


class MailboxError(MailintakeError):
    """The IMAP server could not be reached or refused an operation."""


class MailboxLoginError(MailboxError):
    """The IMAP server refused the credentials."""


class MailboxLoginCutOff(MailboxError):
    """The connection was lost during the login, before the server answered: no refusal, a retry is due."""


class SmtpFailure(MailintakeError):
    """Sending failed; the message says which server answered what."""


class TemporaryFailure(SmtpFailure):
    """Try again later: a 4xx answer, a disconnect or a timeout."""


class PermanentFailure(SmtpFailure):
    """Never try again: a 5xx answer."""


class SchemaOutdatedError(MailintakeError):
    """The database schema is older than this program; run `mailintake db upgrade`."""


class NotFoundError(MailintakeError):
    """A case, message or other record asked for by the user does not exist."""


class ReviewError(MailintakeError):
    """A staff request that does not fit (wrong status, unknown value); the message is for staff."""


class LetterError(ReviewError):
    """A letter cannot be drafted or sent as asked (no recipient, empty text)."""


class AccountError(MailintakeError):
    """A user cannot be created or changed as asked."""


class AnalysisError(MailintakeError):
    """A stored message cannot be analysed as asked (it was never fetched)."""


class AnalysisTimeout(AnalysisError):
    """Parsing and triage of a message ran past `[intake] analysis_seconds`; it is quarantined."""
