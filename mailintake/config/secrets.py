"""Where a secret lives: an environment variable or a file, read only when it is needed.

Secrets never sit in config.toml itself; a section names `password_env` or
`password_file` and gets a `Secret` that resolves it. A file path may name
environment variables, e.g. `${CREDENTIALS_DIRECTORY}/imap-password` for a
systemd credential (`LoadCredential=`), so one config serves every unit.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..errors import ConfigError


@dataclass(frozen=True)
class Secret:
    """A password from `env` or `file`; `key` names it in errors ("[mailbox] password")."""

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
            path = Path(os.path.expandvars(self.file))
            try:
                return path.read_text(encoding="utf-8").rstrip("\r\n")
            except OSError as exc:
                raise ConfigError(f"{self.key}_file: cannot read {path}: {exc.strerror}") from None
        return ""
